"""Regression: the verdicts on the seed articles, as a person would give them."""

import datetime as dt

import pytest

from facts.models import Fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def fact(seeds):
    def get(subject: str, slug: str) -> Fact:
        return Fact.objects.get(subject__slug=subject, slug=slug)

    return get


def originators(group: dict) -> set[str]:
    return {o["name"] for o in group["originators"]}


def test_every_seed_fact_has_a_stored_verdict(fact):
    assert not Fact.objects.filter(verdict_updated_at=None).exists()
    assert not Fact.objects.filter(verdict="no_claims").exists()
    assert all(f.verdict_summary for f in Fact.objects.all())


def test_the_troops_sent_to_belarus_agree_at_about_30000_from_the_us_and_nato(fact):
    troops = fact("allied-resolve-2022", "russian-troops-sent")
    assert troops.verdict == "agreed"
    assert (troops.consensus_low, troops.consensus_best, troops.consensus_high) == (
        27_000,
        30_000,
        33_000,
    )
    consensus = troops.verdict_detail["groups"][0]
    # The National Interest's own-voice "About 30,000" restates NATO's figure: not a third.
    assert originators(consensus) == {"United States", "NATO"}
    assert consensus["outlets"] and len(consensus["claims"]) == 3


def test_thousands_beside_30000_is_a_precision_difference_not_a_conflict(fact):
    troops = fact("allied-resolve-2022", "russian-troops-sent")
    differences = troops.verdict_detail["differences"]
    assert [d["type"] for d in differences] == ["precision_difference"]
    assert "thousands of others" in differences[0]["reason"]


def test_moscow_and_minsk_not_disclosing_the_troops_is_kept_beside_the_verdict(fact):
    troops = fact("allied-resolve-2022", "russian-troops-sent")
    assert len(troops.verdict_detail["undisclosed"]) == 2


def day(ordinal: float) -> dt.date:
    return dt.date.fromordinal(int(ordinal))


def test_the_active_phase_ends_on_feb_20_in_every_article_that_says_so(fact):
    end = fact("allied-resolve-2022", "active-phase-end-date")
    assert end.verdict == "agreed"
    assert day(end.consensus_low) == day(end.consensus_high) == dt.date(2022, 2, 20)
    wordings = {c.wording for c in end.claims.filter(date_precision="day")}
    assert wordings == {"on Feb. 20", "until Feb. 20", "Fe. 10-20"}
    assert set(end.verdict_detail["groups"][0]["claims"]) == set(
        end.claims.filter(date_precision="day").values_list("id", flat=True)
    )


def test_the_active_phase_starts_on_feb_10_however_it_is_written(fact):
    start = fact("allied-resolve-2022", "active-phase-start-date")
    assert start.verdict == "agreed"
    assert day(start.consensus_low) == day(start.consensus_high) == dt.date(2022, 2, 10)
    consensus = set(start.verdict_detail["groups"][0]["claims"])
    agreeing = {c.wording for c in start.claims.filter(id__in=consensus)}
    assert agreeing == {"on Thursday", "launched joint military drills Thursday", "Fe. 10-20"}


def test_less_precise_dates_support_the_day_rather_than_dispute_it(fact):
    end = fact("allied-resolve-2022", "active-phase-end-date")
    roles = [g["role"] for g in end.verdict_detail["groups"]]
    assert roles == ["consensus", "less_precise"]
    assert "later this month" in end.verdict_summary


def test_whether_the_troops_stay_in_belarus_is_split_between_moscow_minsk_and_the_west(fact):
    stay = fact("allied-resolve-2022", "russian-troops-stay-after-drills")
    assert stay.verdict == "attribution_split"
    none_stay, some_stay = stay.verdict_detail["groups"]
    assert none_stay["category"] == "none stay"
    assert originators(none_stay) == {"The Kremlin", "Belarusian government"}
    assert some_stay["category"] == "some stay"
    assert originators(some_stay) == {"Western governments"}
    assert stay.verdict_detail["differences"][0]["type"] == "attribution_split"


def test_a_spokesman_counts_under_the_kremlin(fact):
    stay = fact("allied-resolve-2022", "russian-troops-stay-after-drills")
    assert stay.claims.filter(actor__slug="dmitry-peskov").exists()
    assert "Dmitry Peskov" not in originators(stay.verdict_detail["groups"][0])


def test_miles_and_kilometres_of_the_training_grounds_agree(fact):
    distance = fact("ruzhansky-training-grounds", "distance-from-ukrainian-border")
    assert distance.verdict == "single_originator"
    assert 135 <= distance.consensus_low < distance.consensus_high <= 165
    assert len(distance.verdict_detail["groups"][0]["claims"]) == 2


def test_a_fact_with_one_source_says_single_originator(fact):
    su35 = fact("allied-resolve-2022", "su-35-fighters-sent")
    assert su35.verdict == "single_originator"
    assert "single originator" in su35.verdict_summary


def test_the_disputed_facts_are_the_splits(fact):
    disputed = set(Fact.objects.disputed().values_list("slug", flat=True))
    assert {"russian-troops-stay-after-drills", "russia-plans-to-invade"} <= disputed
    assert "russian-troops-sent" not in disputed
