"""The import example in docs/examples/ runs as the README says: on an empty record, every value
kind lands as documented, and sending it again changes nothing (it is sent in upsert mode)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from facts.models import Actor, Article, Claim, Fact, Outlet

pytestmark = pytest.mark.django_db

EXAMPLE = Path(__file__).resolve().parent.parent / "docs" / "examples" / "claims-import.json"


def post_example(client):
    """The README's curl, with the example file as its body."""
    return client.post("/api/claims/import/", EXAMPLE.read_text(), content_type="application/json")


def test_the_documented_example_imports_every_value_kind(admin_client):
    response = post_example(admin_client)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["created"], body["outlets_created"], body["actors_created"]) == (7, 2, 2)
    wire = Article.objects.get(slug="example-wire-2021-09-09-zapad")
    assert wire.text == ""
    by_fact = {c.fact.slug: c for c in Claim.objects.select_related("fact")}
    troops = Claim.objects.get(fact__slug="troops", undisclosed=False)
    assert troops.anchor_state == "unanchored"
    assert (troops.lower, troops.upper, troops.unit) == (Decimal(0), Decimal(200000), "troops")
    assert troops.attribution_mode == "indirect"
    assert by_fact["end-date"].date_earliest == date(2021, 9, 16)
    # The period's first day, and "will start on Friday" in an article of Wednesday the 8th.
    starts = sorted(Claim.objects.filter(fact__slug="start-date").values_list("date_earliest"))
    assert starts == [(date(2021, 9, 10),), (date(2021, 9, 10),)]
    distance = by_fact["distance-to-border"]
    assert distance.anchor_state == "anchored" and distance.bound == "exact"
    assert by_fact["troops-stay"].category == "none stay"
    assert Claim.objects.filter(undisclosed=True).get().actor.name == "Belarusian government"
    assert Fact.objects.count() == 5
    assert Outlet.objects.count() == 2 and Actor.objects.count() == 2


def test_the_documented_example_imports_beside_the_seeds_that_serve_loads(admin_client, seeds):
    # `run.py serve` loads the seeds: the example's actors are the seeds' own (by slug).
    actors = Actor.objects.count()
    response = post_example(admin_client)
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 7
    assert response.json()["actors_created"] == 0
    assert Actor.objects.count() == actors


def test_sending_the_documented_example_again_changes_nothing(admin_client):
    first = post_example(admin_client).json()
    again = post_example(admin_client)
    assert again.status_code == 200, again.json()
    assert again.json()["created"] == 0
    assert sorted(again.json()["unchanged"]) == sorted(first["claims"])
    assert json.loads(EXAMPLE.read_text())["mode"] == "upsert"
