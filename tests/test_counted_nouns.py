"""A claim on a count fact may name what it counts ("30,000 troops", "twelve Su-35 air
superiority fighters"): a count with its noun kept, compared one to one with plain counts; a
unit of measure, a currency or a number word is not a counted noun. Pure, and through the API."""

from decimal import Decimal

import pytest

from facts.domain import phrases, units
from facts.models import Claim, Fact
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory
from tests.problems import field_errors

D = Decimal

# What the seed claims count, as their curator wrote the wordings (fixtures/claims.json).
SEED_NOUNS = [
    "troops",
    "Russian troops",
    "soldiers",
    "warship",
    "training ranges",
    "airfields",
    "Su-35 air superiority fighters",
    "refugees",
    "civilians",
    "lives",
    "breakaway regions",
    "units of the S-400 missile defense system",
    "Iskander short-range ballistic missile systems",
]


@pytest.mark.parametrize("noun", [*SEED_NOUNS, "fighter jets", "warships", "Troops"])
def test_a_noun_the_units_library_does_not_know_is_counted(noun):
    assert units.counted_noun(noun)
    assert units.compatibility_problem(noun, "") is None
    assert units.convert(D(30000), noun, "") == D(30000)


@pytest.mark.parametrize(
    ("noun", "what_pint_reads"),
    [
        ("points", "a printer's point, a length"),
        ("grains", "a mass"),
        ("stones", "14 pounds"),
        ("shots", "a volume"),
        ("cycles", "2π radians: counted cycles would be multiplied by 6.28"),
        ("camps", "centi-amperes: a prefix's symbol glued to a unit's name"),
        ("units", "micro-nits: a prefix's symbol glued to a unit's name"),
    ],
)
def test_a_noun_the_units_library_misreads_is_counted_on_a_count_fact(noun, what_pint_reads):
    assert units.counted_noun(noun), what_pint_reads
    assert units.compatibility_problem(noun, "") is None
    assert units.convert(D(12), noun, "") == D(12)


def test_a_listed_noun_is_the_units_librarys_unit_on_a_fact_measured_in_that_dimension():
    # 12 stones is 76.2 kilograms: a weight where the fact is one.
    assert units.compatibility_problem("stones", "kilogram") is None
    assert round(units.convert(D(12), "stones", "kilogram"), 1) == D("76.2")


@pytest.mark.parametrize("unit", ["kilometers", "miles", "days", "hours", "km/h"])
def test_a_unit_of_measure_on_a_count_fact_is_still_refused(unit):
    assert not units.counted_noun(unit)
    assert "cannot be converted to the fact's unit, a plain count" in (
        units.compatibility_problem(unit, "")
    )


@pytest.mark.parametrize("phrase", ["troops per day", "tons of grain"])
def test_a_phrase_with_a_unit_of_measure_in_it_is_measured_not_counted(phrase):
    assert not units.counted_noun(phrase)
    assert "not a unit the units library knows" in units.compatibility_problem(phrase, "")


def test_a_counted_noun_against_a_fact_measured_in_kilometers_is_refused_with_why():
    assert units.compatibility_problem("troops", "kilometer") == (
        "'troops' is not a unit of measure the units library can convert to kilometer, the "
        "fact's unit; read as what is counted, it fits only a fact that counts things: give the "
        "number in kilometer or a unit convertible to it."
    )


@pytest.mark.parametrize("unit", ["dollars", "US dollars", "euros", "rubles"])
def test_a_currency_is_not_counted(unit):
    assert not units.counted_noun(unit)
    assert "is a currency" in units.compatibility_problem(unit, "")


@pytest.mark.parametrize("unit", ["dozen", "thousand troops", "million refugees"])
def test_a_number_word_in_the_unit_asks_for_the_whole_number(unit):
    assert not units.counted_noun(unit)
    assert "give the whole number" in units.compatibility_problem(unit, "")


def test_an_empty_unit_is_a_plain_count_not_a_noun():
    assert not units.counted_noun("")
    assert units.compatibility_problem("", "") is None


def test_units_of_measure_still_convert():
    assert round(units.convert(D(93), "mile", "kilometer"), 1) == D("149.7")
    assert units.compatibility_problem("m", "kilometer") is None


def test_a_summary_quotes_the_count_with_its_noun():
    assert (
        phrases.quantity_phrase(
            hedge="some", bound="approximate", number=30000.0, number_high=None, unit="troops"
        )
        == "some 30,000 troops"
    )
    assert (
        phrases.quantity_phrase(
            hedge="", bound="exact", number=12.0, number_high=None, unit="fighter jets"
        )
        == "12 fighter jets"
    )


# Through the product -------------------------------------------------------------------------

TEXT = (
    "Russia and Belarus launched joint military drills Thursday. The United States has said some "
    "30,000 troops were dispatched to Belarus, with twelve Su-35 fighter jets."
)


@pytest.fixture
def editor(client, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("editor", password="a long password")
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="facts").exclude(codename="verify_claim")
    )
    client.force_login(user)
    return user


def post_claim(client, *, fact, wording, **value):
    body = {
        "fact": fact.id,
        "article": ArticleFactory(text=TEXT).id,
        "wording": wording,
        "actor": ActorFactory().id,
        "attribution_mode": "indirect",
        **value,
    }
    return client.post("/api/claims/", body, content_type="application/json")


@pytest.mark.django_db
def test_a_count_of_troops_is_stored_with_its_noun_and_shown_with_it(client, editor):
    response = post_claim(
        client, fact=FactFactory(), wording="some 30,000 troops", number=30000, unit="troops"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == "troops"
    assert body["value"] == "~30,000 troops"
    assert body["interval"] == {
        "value_kind": "quantity",
        "low": 27000.0,
        "high": 33000.0,
        "unit": "",
    }
    assert Claim.objects.get(id=body["id"]).unit == "troops"


@pytest.mark.django_db
def test_a_count_of_fighter_jets_is_a_count(client, editor):
    response = post_claim(
        client,
        fact=FactFactory(),
        wording="twelve Su-35 fighter jets",
        number=12,
        unit="Su-35 fighter jets",
    )
    assert response.status_code == 201, response.content
    assert response.json()["value"] == "12 Su-35 fighter jets"


@pytest.mark.django_db
def test_a_counted_noun_on_a_fact_in_kilometers_is_a_400_on_unit(client, editor):
    response = post_claim(
        client,
        fact=FactFactory(distance=True),
        wording="some 30,000 troops",
        number=30000,
        unit="troops",
    )
    assert response.status_code == 400, response.content
    assert (
        "read as what is counted, it fits only a fact that counts things"
        in (field_errors(response)["unit"][0])
    )
    assert not Claim.objects.exists()


@pytest.mark.django_db
def test_counts_with_and_without_their_noun_agree_in_the_verdict():
    fact = FactFactory()
    ClaimFactory(fact=fact, unit="troops")  # some 30,000 troops: 27,000 to 33,000
    ClaimFactory(
        fact=fact,
        article=ArticleFactory(text=TEXT),
        wording="30,000 troops",
        unit="",
        bound="exact",
        hedge="",
    )
    fact = Fact.objects.get(id=fact.id)
    assert fact.verdict == "agreed"
    assert fact.counted_claims == 2
