"""What each verdict type means (docs/VERDICTS.md), through the product: who counts as an
interested party, the fact's nesting of categories, the stored verdicts. The pure engine tests
are in tests/test_verdict_types.py, which the mutation runs (bench/mutation.sh) import without
Django."""

import pytest

from facts.models import Actor, Claim, Fact
from tests.factories import ActorFactory, ClaimFactory, FactFactory


def categorical_claim(fact, category, **fields):
    return ClaimFactory(
        fact=fact,
        categorical=True,
        category=category,
        number=None,
        bound="",
        hedge="",
        **fields,
    )


@pytest.mark.django_db
def test_a_spokesman_counts_as_the_interested_party_he_speaks_for():
    kremlin = ActorFactory(name="The Kremlin", kind=Actor.Kind.GOVERNMENT)
    peskov = ActorFactory(name="Dmitry Peskov", kind=Actor.Kind.PERSON, parent=kremlin)
    us = ActorFactory(name="United States", kind=Actor.Kind.GOVERNMENT)
    fact = FactFactory(categorical=True)
    categorical_claim(fact, "none stay", actor=peskov)
    categorical_claim(fact, "some stay", actor=us)
    fact.refresh_from_db()
    assert fact.verdict == "attribution_split"
    assert fact.verdict_detail["margin"] == {"leading": 1, "runner_up": 1, "margin": 0}
    # A tie picks no value.
    assert fact.consensus_category == ""


@pytest.mark.django_db
def test_an_outlet_in_its_own_voice_against_a_government_is_a_value_conflict():
    fact = FactFactory(categorical=True)
    categorical_claim(
        fact, "none stay", attribution_mode="own_voice", actor=None, attribution_cue=""
    )
    categorical_claim(fact, "some stay", actor=ActorFactory(kind=Actor.Kind.GOVERNMENT))
    fact.refresh_from_db()
    assert fact.verdict == "contested"
    assert [g["role"] for g in fact.verdict_detail["groups"]] == ["side", "side"]


@pytest.mark.django_db
def test_an_analyst_is_a_reporting_source_not_an_interested_party():
    fact = FactFactory(categorical=True)
    for _ in range(3):
        categorical_claim(fact, "none stay", actor=ActorFactory(kind=Actor.Kind.ORGANISATION))
    categorical_claim(fact, "some stay", actor=ActorFactory(kind=Actor.Kind.ORGANISATION))
    fact.refresh_from_db()
    assert fact.verdict == "outlier"
    assert fact.consensus_category == "none stay"
    assert "an outlier; the consensus stands" in fact.verdict_summary


@pytest.mark.django_db
def test_a_claim_of_the_broader_category_backs_the_narrower_one_the_fact_nests():
    fact = FactFactory(
        value_kind="categorical",
        categories=["Belarus", "Minsk", "Russia"],
        category_within={"Minsk": "Belarus"},
    )
    categorical_claim(fact, "Minsk", actor=ActorFactory(kind=Actor.Kind.ORGANISATION))
    categorical_claim(fact, "Belarus", actor=ActorFactory(kind=Actor.Kind.ORGANISATION))
    categorical_claim(fact, "Russia", actor=ActorFactory(kind=Actor.Kind.ORGANISATION))
    fact.refresh_from_db()
    assert fact.consensus_category == "Minsk"
    assert fact.verdict_detail["margin"]["margin"] == 1


@pytest.mark.django_db
def test_the_api_refuses_a_nesting_outside_the_facts_categories(client):
    from tests.factories import UserFactory

    editor = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(editor)
    fact = FactFactory(categorical=True)
    url = f"/api/facts/{fact.id}/"
    response = client.patch(
        url,
        {"category_within": {"Minsk": "Belarus"}},
        content_type="application/json",
        headers={"If-Match": client.get(url)["ETag"]},
    )
    assert response.status_code == 400
    assert "among the fact's categories" in str(response.json())
    fact.refresh_from_db()
    assert fact.category_within == {}


@pytest.mark.django_db
def test_contested_and_outlier_are_stored_verdicts_the_database_accepts():
    assert {"contested", "outlier"} <= {
        value for value, _ in Fact._meta.get_field("verdict").choices
    }
    assert Claim.objects.count() == 0
