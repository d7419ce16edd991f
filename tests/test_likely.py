"""The likely value beside the verdict (facts.services.likely): stored with the verdicts,
shown in the fact API and the admin panel, never in place of the verdict."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from facts.models import Claim, Fact
from facts.services import verdicts
from facts.workspace.panels import fact_panel
from tests.factories import ArticleFactory, ClaimFactory, FactFactory, OutletFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fact() -> Fact:
    """Outlets A and B say "some 30,000" in their own voice; outlet C says exactly 50,000."""
    fact = FactFactory()
    for name, number, bound, hedge in (
        ("A", "30000", Claim.Bound.APPROXIMATE, "some"),
        ("B", "30000", Claim.Bound.APPROXIMATE, "some"),
        ("C", "50000", Claim.Bound.EXACT, ""),
    ):
        article = ArticleFactory(outlet=OutletFactory(name=name))
        ClaimFactory(
            fact=fact,
            article=article,
            own_voice=True,
            number=Decimal(number),
            bound=bound,
            hedge=hedge,
        )
    return fact


# By hand: the start (weights 1) is 30,000, backed by A and B (2 against 1). Losses: A and B
# 0, C 1 (20,000 off over a spread of 9,428, capped at 1); mean loss per vote 1/3; smoothed by
# 2 pseudo-votes: A, B 2/9, C 5/9, mean 1/3; weights -log(loss/mean): A, B log(3/2) = 0.405465,
# C below the mean -> 0.001. Nothing moves. Confidence: the share 2 x 0.405465 / (2 x 0.405465 +
# 0.001) times the evidence: A and B have one claim each, record strength 1 / (1 + 2) = 1/3,
# E = 2/3, evidence E / (E + 1) = 0.4 (three outlets with no track record: thin evidence).
WEIGHT = 0.405465
CONFIDENCE = 2 * WEIGHT / (2 * WEIGHT + 0.001) * 0.4


def test_recomputing_the_verdicts_stores_the_likely_value_with_its_weights(fact):
    verdicts.recompute_all()
    fact.refresh_from_db()
    assert fact.likely_value == {"low": 27000.0, "best": 30000.0, "high": 33000.0}
    assert fact.likely_confidence == pytest.approx(CONFIDENCE, abs=1e-6)
    originators = fact.likely_detail["originators"]
    assert [(o["name"], o["supports"]) for o in originators] == [
        ("A", True),
        ("B", True),
        ("C", False),
    ]
    assert [o["weight"] for o in originators] == pytest.approx([WEIGHT, WEIGHT, 0.001], abs=1e-6)
    assert fact.likely_detail["tied"] is False


def test_the_fact_api_shows_the_likely_value_beside_the_verdict(client, fact):
    call_command("recompute_likely", stdout=io.StringIO())
    body = client.get(f"/api/facts/{fact.pk}/").json()
    assert body["verdict"]["kind"]  # the verdict is still there, unchanged
    likely = body["likely"]
    assert likely["value"] == {
        "value_kind": "quantity",
        "low": 27000.0,
        "best": 30000.0,
        "high": 33000.0,
        "unit": "",
    }
    assert likely["confidence"] == pytest.approx(CONFIDENCE, abs=1e-6)
    assert likely["tied"] is False
    assert [o["name"] for o in likely["originators"] if o["supports"]] == ["A", "B"]


def test_a_fact_with_no_counted_claim_has_no_likely_value(client):
    empty = FactFactory()
    verdicts.recompute_all()
    empty.refresh_from_db()
    assert empty.likely_value is None
    assert empty.likely_confidence is None
    assert client.get(f"/api/facts/{empty.pk}/").json()["likely"]["value"] is None


def test_the_admin_panel_shows_the_likely_value_and_who_backs_it(fact):
    verdicts.recompute_all()
    fact.refresh_from_db()
    panel = str(fact_panel(fact))
    assert "Likely value" in panel
    assert "confidence 0.40" in panel
    assert "A (weight 0.41)" in panel
    assert "C (weight 0.00)" in panel


def test_the_likely_value_reads_the_facts_nesting_a_claim_of_belarus_backs_minsk():
    fact = FactFactory(
        value_kind="categorical",
        categories=["Belarus", "Minsk"],
        category_within={"Minsk": "Belarus"},
    )
    for name, category in (("A", "Minsk"), ("B", "Belarus"), ("C", "Belarus")):
        ClaimFactory(
            fact=fact,
            article=ArticleFactory(outlet=OutletFactory(name=name)),
            own_voice=True,
            categorical=True,
            category=category,
            number=None,
            bound="",
            hedge="",
        )
    verdicts.recompute_all()
    fact.refresh_from_db()
    # Two outlets say only "Belarus", which does not deny Minsk: the finest place is reported,
    # backed by all three (B and C as less precise).
    assert fact.likely_value == {"category": "Minsk"}
    assert [o["supports"] for o in fact.likely_detail["originators"]] == [True, True, True]
