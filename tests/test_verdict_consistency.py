"""Verdicts consistent by construction: every write path refreshes the facts it touches in the
same transaction, serialised per fact, and `check_verdicts` finds any drift (issue 8, item 4)."""

from __future__ import annotations

import io
import threading

import pytest
from django.contrib.admin import helpers
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.urls import reverse

from facts.models import Claim, Fact
from facts.services import claims
from facts.services.review import SYSTEM
from tests.factories import ActorFactory, ClaimFactory, FactFactory, UserFactory


def check_verdicts() -> str:
    out = io.StringIO()
    call_command("check_verdicts", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_deleting_selected_claims_in_the_admin_refreshes_their_facts_verdict(client):
    fact = FactFactory()
    kept = [ClaimFactory(fact=fact, actor=ActorFactory()) for _ in range(4)]
    assert Fact.objects.get(pk=fact.pk).counted_claims == 4
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:facts_claim_changelist"),
        {
            "action": "delete_selected",
            helpers.ACTION_CHECKBOX_NAME: [kept[0].pk, kept[1].pk, kept[2].pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert Claim.objects.filter(fact=fact).count() == 1
    assert Fact.objects.get(pk=fact.pk).counted_claims == 1
    assert "Every stored verdict matches" in check_verdicts()


@pytest.mark.django_db
def test_check_verdicts_names_each_fact_whose_stored_verdict_drifted_and_fails():
    claim = ClaimFactory()
    second = ClaimFactory(fact=claim.fact, actor=ActorFactory())
    # A write past the services, as a raw SQL fix or a bug would make.
    Claim.objects.filter(pk=second.pk).update(status=Claim.Status.DRAFT)
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 stored verdict"):
        call_command("check_verdicts", stdout=out)
    assert f"fact {claim.fact_id}: stored agreed over 2 claim(s)" in out.getvalue()
    assert "computed single_originator over 1 claim(s)" in out.getvalue()
    call_command("recompute_verdicts", stdout=io.StringIO())
    assert "Every stored verdict matches" in check_verdicts()


@pytest.mark.django_db
def test_check_verdicts_passes_on_the_seeds(seeds):
    assert "Every stored verdict matches" in check_verdicts()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite lets one writer in at a time anyway"
)
@pytest.mark.parametrize("round_", range(5))
def test_concurrent_verifications_on_one_fact_all_count_on_postgresql(round_: int):
    fact = FactFactory()
    drafts = [
        ClaimFactory(fact=fact, actor=ActorFactory(), status=Claim.Status.DRAFT) for _ in range(8)
    ]
    start = threading.Barrier(len(drafts))
    failures: list[BaseException] = []

    def verify(claim: Claim) -> None:
        try:
            start.wait()
            claims.update_claim(user=SYSTEM, claim=claim, status=Claim.Status.VERIFIED)
        except BaseException as error:  # reported below, in the test's thread
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=verify, args=(claim,)) for claim in drafts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures
    assert Fact.objects.get(pk=fact.pk).counted_claims == 8
    assert "Every stored verdict matches" in check_verdicts()
