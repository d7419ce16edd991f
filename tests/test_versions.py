"""Versions mean what they say: a fact's version, updated_at and ETag change when its verdict
changes, the change is in the changes feed, and a write that changes nothing changes nothing
(issue 8, item 5)."""

from __future__ import annotations

import datetime as dt

import pytest

from facts.models import Claim, Fact
from facts.services import claims
from facts.services.review import SYSTEM
from tests.factories import ActorFactory, ClaimFactory, UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_a_verdict_change_gives_the_fact_a_new_version_etag_and_feed_event(client):
    claim = ClaimFactory()
    fact = Fact.objects.get(pk=claim.fact_id)
    first = client.get(f"/api/facts/{fact.pk}/")
    tag = first["ETag"]
    since = (fact.updated_at - dt.timedelta(microseconds=1)).isoformat()
    rival = ClaimFactory(fact=fact, status=Claim.Status.DRAFT, actor=ActorFactory())
    claims.update_claim(user=SYSTEM, claim=rival, status=Claim.Status.VERIFIED)
    after = Fact.objects.get(pk=fact.pk)
    assert after.verdict == "agreed"
    assert after.version == fact.version + 1
    assert after.updated_at > fact.updated_at
    again = client.get(f"/api/facts/{fact.pk}/", headers={"If-None-Match": tag})
    assert again.status_code == 200
    assert again.json()["verdict"]["kind"] == "agreed"
    feed = client.get("/api/changes/", {"since": since, "model": "fact"}).json()["changes"]
    assert [(c["id"], c["action"], c["version"]) for c in feed][-1] == (
        fact.pk,
        "updated",
        after.version,
    )


def test_a_write_that_leaves_the_verdict_as_it_was_keeps_the_facts_version():
    claim = ClaimFactory()
    version = Fact.objects.get(pk=claim.fact_id).version
    claims.update_claim(user=SYSTEM, claim=claim, note="Checked.")
    assert Fact.objects.get(pk=claim.fact_id).version == version


def test_a_patch_that_changes_nothing_keeps_the_version_and_writes_no_history(superuser_client):
    claim = ClaimFactory()
    history = claim.history.count()
    response = superuser_client.get(f"/api/claims/{claim.pk}/")
    body = {"number": 30000, "wording": claim.wording}
    response = superuser_client.patch(
        f"/api/claims/{claim.pk}/",
        body,
        content_type="application/json",
        headers={"If-Match": response["ETag"]},
    )
    assert response.status_code == 200
    stored = Claim.objects.get(pk=claim.pk)
    assert (stored.version, stored.history.count()) == (claim.version, history)
    assert response["ETag"] == f'"{claim.pk}-{claim.version}"'


def test_a_patch_of_only_unknown_fields_is_refused_and_changes_nothing(superuser_client):
    claim = ClaimFactory()
    tag = superuser_client.get(f"/api/claims/{claim.pk}/")["ETag"]
    response = superuser_client.patch(
        f"/api/claims/{claim.pk}/",
        {"colour": "blue"},
        content_type="application/json",
        headers={"If-Match": tag},
    )
    assert response.status_code == 400
    assert "Unknown field" in field_errors(response)["colour"][0]
    assert Claim.objects.get(pk=claim.pk).version == claim.version
