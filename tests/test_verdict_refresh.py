"""Stored verdicts stay fresh: every service that writes refreshes them in the same transaction as
the change to their claims."""

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from facts.models import Claim, Fact
from facts.services import claims, records, verdicts
from facts.services.review import SYSTEM
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory, OutletFactory

pytestmark = pytest.mark.django_db


def stored(fact: Fact) -> Fact:
    return Fact.objects.get(pk=fact.pk)


@pytest.fixture
def two_sources():
    """A fact backed by one verified claim, and a draft from a second originator."""
    verified = ClaimFactory()
    draft = ClaimFactory(fact=verified.fact, status=Claim.Status.DRAFT)
    return verified, draft


def test_a_new_verified_claim_sets_the_verdict(two_sources):
    verified, _ = two_sources
    fact = stored(verified.fact)
    assert fact.verdict == "single_originator"
    assert fact.counted_claims == 1
    assert fact.verdict_updated_at is not None


def test_only_verified_claims_count_unless_drafts_are_asked_for(two_sources):
    verified, _ = two_sources
    assert verdicts.verdict_for(verified.fact).kind == "single_originator"
    assert verdicts.verdict_for(verified.fact, include_drafts=True).kind == "agreed"


def verify(claim: Claim) -> None:
    claims.update_claim(user=SYSTEM, claim=claim, status=Claim.Status.VERIFIED)


def test_verifying_a_draft_refreshes_the_verdict(two_sources):
    verified, draft = two_sources
    verify(draft)
    fact = stored(verified.fact)
    assert fact.verdict == "agreed"
    assert fact.counted_originators == 2


def test_deleting_a_claim_refreshes_the_verdict(two_sources):
    verified, draft = two_sources
    verify(draft)
    records.delete_records(user=SYSTEM, rows=[draft])
    assert stored(verified.fact).verdict == "single_originator"


def test_a_claim_moved_to_another_fact_refreshes_both(two_sources):
    verified, _ = two_sources
    old_fact, new_fact = verified.fact, FactFactory()
    claims.move_claim(user=SYSTEM, claim=verified, fact=new_fact)
    assert stored(old_fact).verdict == "no_claims"
    assert stored(new_fact).verdict == "single_originator"


def test_a_failed_refresh_rolls_the_claim_back_too(two_sources):
    verified, draft = two_sources
    draft.status = Claim.Status.VERIFIED
    failing = mock.patch.object(verdicts, "refresh", side_effect=RuntimeError("boom"))
    with failing, pytest.raises(RuntimeError):
        verify(draft)
    assert Claim.objects.get(pk=draft.pk).status == Claim.Status.DRAFT
    assert stored(verified.fact).verdict == "single_originator"


def test_a_rolled_back_change_leaves_the_stored_verdict_as_it_was(two_sources):
    verified, draft = two_sources
    with pytest.raises(RuntimeError), transaction.atomic():
        verify(draft)
        assert stored(verified.fact).verdict == "agreed"
        raise RuntimeError("the editor's request failed later")
    assert stored(verified.fact).verdict == "single_originator"


def test_placing_a_source_under_another_merges_their_originators(two_sources):
    verified, draft = two_sources
    verify(draft)
    spokesman = draft.actor
    spokesman.parent = verified.actor
    records.save_record(user=SYSTEM, row=spokesman)
    fact = stored(verified.fact)
    assert fact.verdict == "single_originator"
    assert fact.counted_originators == 1


def test_articles_carrying_one_wire_story_have_one_originator_for_their_own_voice():
    wire = OutletFactory(name="Agence", kind="wire")
    fact = FactFactory()
    for _ in range(3):
        article = ArticleFactory(wire_source=wire)
        ClaimFactory(fact=fact, article=article, own_voice=True)
    fact = stored(fact)
    assert (fact.counted_outlets, fact.counted_originators) == (3, 1)
    assert fact.verdict == "single_originator"


def test_the_command_recomputes_verdicts_written_past_the_services(two_sources):
    verified, draft = two_sources
    Claim.objects.filter(pk=draft.pk).update(status=Claim.Status.VERIFIED)
    assert stored(verified.fact).verdict == "single_originator"
    out = io.StringIO()
    call_command("recompute_verdicts", stdout=out)
    assert "verdicts recomputed" in out.getvalue()
    assert stored(verified.fact).verdict == "agreed"


def queries_to_refresh(claims: int) -> int:
    fact = FactFactory()
    for _ in range(claims):
        ClaimFactory(fact=fact, actor=ActorFactory(parent=ActorFactory()))
    with CaptureQueriesContext(connection) as captured:
        verdicts.refresh({fact.pk})
    return len(captured)


def test_refreshing_a_fact_costs_the_same_queries_for_3_or_30_claims():
    # 7 for the verdict, and 2 reads for its track records (their writes only when a standing
    # moved: facts.services.track_records).
    assert queries_to_refresh(3) == queries_to_refresh(30) <= 9


def test_a_deferred_refresh_recomputes_each_fact_once_at_the_end(two_sources):
    verified, _ = two_sources
    with mock.patch.object(verdicts, "refresh", wraps=verdicts.refresh) as refreshed:
        with verdicts.deferred_refresh():
            for _ in range(5):
                ClaimFactory(fact=verified.fact)
            assert refreshed.call_count == 0
        assert refreshed.call_count == 1
    assert stored(verified.fact).counted_claims == 6


def test_a_failed_deferred_block_refreshes_nothing(two_sources):
    verified, _ = two_sources
    with pytest.raises(RuntimeError), transaction.atomic(), verdicts.deferred_refresh():
        ClaimFactory(fact=verified.fact)
        raise RuntimeError("the import failed")
    assert stored(verified.fact).counted_claims == 1
