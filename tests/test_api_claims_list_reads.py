"""The claims list reads its page as values (ClaimQuerySet.listed, facts.models.listed_rows):
no model instance of the record a row (issue 16: building ~7 a row cost more than the query),
the same JSON as a claim read as a model (tests/test_api_claims_list_output.py pins the seeds'
byte for byte), an originator found above the bodies the list reads, and staff fields still
for staff."""

from __future__ import annotations

from collections import Counter
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import Group
from django.db.models.signals import post_init

from facts.models import Actor, Claim
from tests.factories import ActorFactory, ClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


@contextmanager
def models_made():
    """Counts the model instances made meanwhile, by model (Django's post_init signal)."""
    made: Counter[str] = Counter()

    def count(sender, **kwargs):
        made[sender._meta.label] += 1

    post_init.connect(count, weak=False)
    try:
        yield made
    finally:
        post_init.disconnect(count)


@pytest.fixture
def warm(client):
    """The URLconf and all it imports loaded: a module may make a model at import."""
    client.get("/api/")


def record_models(made: Counter[str]) -> dict[str, int]:
    return {label: n for label, n in made.items() if label.startswith("facts.")}


def test_it_builds_no_model_instance_of_the_record_for_a_page_of_claims(client, seeds, warm):
    with models_made() as made:
        response = client.get("/api/claims/", {"page_size": 500})
    assert response.status_code == 200
    assert len(response.json()["results"]) > 20
    assert record_models(made) == {}


def test_it_builds_none_for_a_staff_readers_page_or_a_csv_page_either(client, seeds, warm):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    with models_made() as made:
        page = client.get("/api/claims/", {"page_size": 500, "ordering": "-as_of"})
        table = client.get("/api/claims/", {"page_size": 500, "format": "csv"})
    assert page.status_code == table.status_code == 200
    assert "note" in page.json()["results"][0]
    assert record_models(made) == {}


def test_it_shows_a_claim_in_the_list_as_its_detail_shows_it(client, seeds):
    listed = client.get("/api/claims/", {"page_size": 500}).json()["results"]
    for row in listed[:: max(len(listed) // 10, 1)]:
        assert client.get(f"/api/claims/{row['id']}/").json() == row


def test_it_finds_the_originator_above_the_bodies_the_list_reads(client):
    # Five bodies deep: the list reads the actor and three bodies above it in its query; the
    # top is read as a model would read a deferred parent.
    top = ActorFactory(name="The Government")
    chain = [top]
    for depth in range(4):
        chain.append(ActorFactory(name=f"Level {depth + 1}", parent=chain[-1]))
    claim = ClaimFactory(actor=chain[-1])
    rows = client.get("/api/claims/").json()["results"]
    (shown,) = [row for row in rows if row["id"] == claim.pk]
    assert shown["attribution"]["originator"] == {
        "kind": "actor",
        "id": top.pk,
        "slug": top.slug,
        "name": "The Government",
    }
    assert shown["attribution"]["actor"]["name"] == "Level 4"
    assert Actor.objects.get(pk=chain[-1].pk).originator() == top


def test_a_listing_starts_from_the_manager_and_is_filtered_after():
    assert list(Claim.objects.listed().visible_to(None)) == []
    with pytest.raises(ValueError):
        Claim.objects.public().listed()
