"""A claim's value, wording and attribution are refused when wrong: by validation with a
message, and by the database's own constraints when validation is bypassed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facts.models import Claim
from facts.services import claim_placement
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory, unsaved_claim

pytestmark = pytest.mark.django_db


def refusal(claim: Claim) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    return refused.value.message_dict


def refused_by_database(claim: Claim, **changes) -> None:
    """Write changes straight to the row, past save() and validation: the database refuses."""
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(**changes)


def test_a_valid_claim_is_accepted_and_its_bounds_derived():
    claim = ClaimFactory()
    claim.full_clean()
    claim.refresh_from_db()
    assert (claim.lower, claim.upper) == (Decimal(27000), Decimal(33000))
    assert claim.value_kind == "quantity"
    assert claim.as_of == claim.article.published_earliest
    assert claim.display_value() == "~30,000"


def test_it_refuses_a_hedge_that_contradicts_the_bound():
    claim = unsaved_claim(hedge="over")
    assert "means more than" in refusal(claim)["bound"][0]


def test_it_refuses_a_quantity_without_a_bound_kind_when_its_hedge_gives_none():
    # A known hedge gives its bound (tests/test_hedge_bounds.py); this one is not in the rules.
    claim = unsaved_claim(bound="", hedge="in a matter of")
    assert "Say how the number is bounded" in refusal(claim)["bound"][0]


def test_the_database_refuses_lower_above_upper():
    claim = ClaimFactory()
    refused_by_database(claim, lower=Decimal(40000), upper=Decimal(35000))


def test_the_database_refuses_a_number_outside_its_bounds():
    claim = ClaimFactory()
    refused_by_database(claim, number=Decimal(50000))
    refused_by_database(claim, number=Decimal(1000))


def test_it_refuses_a_range_running_backwards():
    claim = unsaved_claim(bound="range", hedge="", number=Decimal(20), number_high=Decimal(10))
    assert "smaller than its first" in refusal(claim)["number_high"][0]
    saved = ClaimFactory(bound="range", hedge="", number=Decimal(10), number_high=Decimal(20))
    refused_by_database(saved, number_high=Decimal(5), upper=Decimal(20))


def test_the_database_refuses_a_negative_number():
    claim = ClaimFactory(bound="exact", hedge="")
    refused_by_database(claim, number=Decimal(-1), lower=Decimal(-1), upper=Decimal(-1))


def test_a_vague_quantity_has_a_word_and_no_number():
    claim = unsaved_claim(bound="vague", hedge="loads", number=None)
    assert "known vague word" in refusal(claim)["hedge"][0]
    saved = ClaimFactory(bound="vague", hedge="thousands", number=None)
    assert (saved.lower, saved.upper) == (Decimal(2000), Decimal(99999))
    refused_by_database(saved, hedge="")


def test_it_refuses_a_unit_that_cannot_convert_to_the_facts():
    claim = unsaved_claim(fact=FactFactory(distance=True), unit="hour")
    assert "cannot be converted" in refusal(claim)["unit"][0]


def test_a_date_must_run_forwards():
    claim = unsaved_claim(date=True, date_earliest=dt.date(2022, 2, 21))
    assert "cannot come before" in refusal(claim)["date_latest"][0]
    saved = ClaimFactory(date=True)
    refused_by_database(saved, date_earliest=dt.date(2022, 3, 1))


def test_a_date_fact_takes_no_number():
    claim = unsaved_claim(date=True, number=Decimal(3))
    assert "takes no number" in refusal(claim)["number"][0]
    saved = ClaimFactory(date=True)
    refused_by_database(saved, number=Decimal(3))


def test_a_category_must_be_one_of_the_facts():
    claim = unsaved_claim(categorical=True, category="maybe")
    assert "not one of the fact's categories" in refusal(claim)["category"][0]
    saved = ClaimFactory(categorical=True)
    refused_by_database(saved, category="")


def test_not_disclosed_is_a_value_with_no_number():
    fact = FactFactory()
    article = ArticleFactory(text="Moscow and Minsk have not disclosed how many troops are there.")
    wording = "have not disclosed how many troops"
    for actor in (ActorFactory(name="Kremlin"), ActorFactory(name="Belarus")):
        claim = Claim(
            fact=fact,
            article=article,
            undisclosed=True,
            wording=wording,
            actor=actor,
            attribution_mode="indirect",
        )
        claim.full_clean()
        claim_placement.place(claim)
        claim.save()
        assert claim.display_value() == "not disclosed"
        assert claim.start == article.text.index(wording)
    refused_by_database(claim, number=Decimal(30000))


def test_a_wording_must_stand_in_the_article():
    claim = unsaved_claim(wording="some 40,000 soldiers")
    assert "does not stand in the article" in refusal(claim)["wording"][0]


def test_a_wording_at_wrong_offsets_is_found_again_with_its_prefix_and_suffix():
    claim = unsaved_claim(start=0, end=len("some 30,000 soldiers"), prefix="stale", suffix="x")
    claim.full_clean()
    text = claim.article.text
    assert text[claim.start : claim.end] == "some 30,000 soldiers"
    assert text[: claim.start].endswith(claim.prefix) and text[claim.end :].startswith(claim.suffix)


def test_the_database_refuses_offsets_that_do_not_span_the_wording():
    claim = ClaimFactory()
    refused_by_database(claim, end=claim.end + 1)
    refused_by_database(claim, wording="")


def test_it_finds_the_offsets_of_a_wording_that_stands_once():
    article = ArticleFactory()
    claim = unsaved_claim(article=article, start=None, end=None, prefix="")
    claim.full_clean()
    assert article.text[claim.start : claim.end] == "some 30,000 soldiers"
    assert claim.prefix.endswith("The United States has said ")


def test_it_asks_which_occurrence_when_a_wording_stands_twice():
    article = ArticleFactory(text="Thursday came. Then Thursday again.")
    claim = unsaved_claim(article=article, date=True, wording="Thursday", start=None, end=None)
    assert "stands 2 times" in refusal(claim)["start"][0]


def test_a_quotation_needs_an_actor_and_the_own_voice_has_none():
    claim = unsaved_claim(actor=None)
    assert "needs the actor" in refusal(claim)["actor"][0]
    claim = unsaved_claim(attribution_mode="own_voice", actor=ActorFactory())
    assert "credited to no actor" in refusal(claim)["actor"][0]
    saved = ClaimFactory(own_voice=True)
    refused_by_database(saved, attribution_mode="indirect")


def test_the_database_refuses_an_unknown_status():
    refused_by_database(ClaimFactory(), status="maybe")


def test_the_same_wording_is_one_claim_per_fact_and_actor():
    claim = ClaimFactory()
    twin = Claim(
        fact=claim.fact,
        article=claim.article,
        number=claim.number,
        bound=claim.bound,
        hedge=claim.hedge,
        wording=claim.wording,
        start=claim.start,
        end=claim.end,
        actor=claim.actor,
        attribution_mode="indirect",
    )
    assert "__all__" in refusal(twin)
    # Placed as every write places a claim: the refusal is the unique constraint's.
    claim_placement.place(twin)
    with pytest.raises(IntegrityError, match=r"(?i)unique"), transaction.atomic():
        twin.save()


def test_a_date_left_empty_is_read_from_its_wording_against_the_publication_day():
    article = ArticleFactory(text="The German chancellor will travel to Kyiv next week.")
    claim = unsaved_claim(
        article=article,
        date=True,
        wording="next week",
        date_earliest=None,
        date_latest=None,
        date_precision="",
        start=None,
        end=None,
    )
    claim.full_clean()
    assert (claim.date_earliest, claim.date_latest, claim.date_precision) == (
        dt.date(2022, 2, 14),
        dt.date(2022, 2, 20),
        "week",
    )


def test_a_date_that_its_wording_does_not_say_must_be_given():
    article = ArticleFactory(text="The drills, which are scheduled from Feb. 10-20, go on.")
    claim = unsaved_claim(
        article=article,
        date=True,
        wording="Feb. 10-20",
        date_earliest=None,
        date_latest=None,
        date_precision="",
        start=None,
        end=None,
    )
    assert "earliest and latest day" in refusal(claim)["date_earliest"][0]


def test_a_start_without_an_end_is_completed_from_the_wording():
    article = ArticleFactory()
    start = article.text.index("some 30,000 soldiers")
    claim = unsaved_claim(article=article, start=start, end=None)
    claim.full_clean()
    assert claim.end == start + len("some 30,000 soldiers")


def test_a_value_of_the_wrong_type_is_reported_not_crashed_on():
    claim = unsaved_claim(number="abc")
    assert "number" in refusal(claim)
