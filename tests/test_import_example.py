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
    return client.post("/api/claims/import/", EXAMPLE.read_text(), content_type="application/json")


def test_the_documented_example_imports_every_value_kind(admin_client):
    response = post_example(admin_client)
    assert response.status_code == 201, response.json()
    assert response.json()["created"] == 7
    assert Outlet.objects.count() == 2 and Actor.objects.count() == 2
    reuters = Article.objects.get(slug="reuters-2022-02-10-drills-begin")
    assert reuters.text == ""
    by_fact = {c.fact.slug: c for c in Claim.objects.select_related("fact")}
    troops = Claim.objects.get(fact__slug="russian-troops", undisclosed=False)
    assert troops.anchor_state == "unanchored"
    assert (troops.lower, troops.upper, troops.unit) == (Decimal(27000), Decimal(33000), "troops")
    assert by_fact["end-date"].date_earliest == date(2022, 2, 20)
    starts = sorted(Claim.objects.filter(fact__slug="start-date").values_list("date_earliest"))
    assert starts == [(date(2022, 2, 10),), (date(2022, 2, 10),)]
    distance = by_fact["distance-to-border"]
    assert distance.anchor_state == "anchored" and distance.bound == "exact"
    assert by_fact["troops-stay"].category == "none stay"
    assert Claim.objects.filter(undisclosed=True).get().actor.name == "Government of Belarus"
    assert Fact.objects.count() == 5


def test_sending_the_documented_example_again_changes_nothing(admin_client):
    first = post_example(admin_client).json()
    again = post_example(admin_client)
    assert again.status_code == 201, again.json()
    assert again.json()["created"] == 0
    assert sorted(again.json()["unchanged"]) == sorted(first["claims"])
    assert json.loads(EXAMPLE.read_text())["mode"] == "upsert"
