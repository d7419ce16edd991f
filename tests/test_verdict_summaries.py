"""Summaries quote the sources' values, never a midpoint or a bound they did not give."""

from datetime import date

import pytest

from facts.domain import agreement, phrases
from facts.domain.agreement import Evidence


def alone(low, high, *, phrase, read_as_interval=False, bound="", point=None, unit=""):
    result = agreement.verdict(
        [
            Evidence(
                claim_id=1,
                article_id=1,
                outlet_id=1,
                originator="the Kremlin",
                originator_name="The Kremlin",
                low=low,
                high=high,
                point=point,
                phrase=phrase,
                phrase_read_as_interval=read_as_interval,
                bound=bound,
            )
        ],
        unit=unit,
    )
    return result.summary


def test_several_weeks_is_quoted_with_the_days_it_was_read_as():
    summary = alone(21, 63, phrase="several weeks", read_as_interval=True, unit="day")
    assert summary.startswith("several weeks (21 to 63 days), from a single originator")


def test_as_many_as_is_quoted_not_turned_into_about_a_midpoint():
    summary = alone(0, 50_000, phrase="as many as 50,000", bound="at_most", point=50_000)
    assert summary.startswith("as many as 50,000, from")
    assert "about" not in summary


def test_more_than_is_not_printed_as_at_least():
    summary = alone(100_000, float("inf"), phrase="more than 100,000", bound="more_than")
    assert summary.startswith("more than 100,000, from")


def test_two_wordings_of_one_open_bound_are_said_by_its_kind():
    claims = [
        Evidence(
            claim_id=i,
            article_id=i,
            outlet_id=i,
            originator=who,
            originator_name=who,
            low=100_000,
            high=float("inf"),
            point=100_000,
            precision=1,
            phrase=phrase,
            bound="more_than",
        )
        for i, (who, phrase) in enumerate(
            [("a", "more than 100,000"), ("b", "over 100,000")], start=1
        )
    ]
    assert agreement.verdict(claims).summary.startswith("Agreed: more than 100,000, from 2")


@pytest.mark.parametrize(
    ("earliest", "latest", "precision", "expected"),
    [
        (date(2014, 1, 1), date(2014, 12, 31), "year", "in 2014"),
        (date(2022, 2, 1), date(2022, 2, 28), "month", "in February 2022"),
        (date(2022, 1, 1), date(2022, 3, 31), "quarter", "in the first quarter of 2022"),
        (date(2022, 2, 14), date(2022, 2, 20), "week", "in the week of 2022-02-14"),
        # Not one whole month: the dates themselves are the value.
        (date(2022, 2, 9), date(2022, 2, 28), "month", ""),
        (date(2022, 2, 20), date(2022, 2, 20), "day", ""),
    ],
)
def test_a_date_is_said_as_the_period_the_source_gave(earliest, latest, precision, expected):
    assert phrases.date_phrase(earliest, latest, precision) == expected


@pytest.mark.parametrize(
    ("hedge", "bound", "number", "high", "unit", "expected"),
    [
        ("several", "vague", None, None, "week", "several weeks"),
        ("thousands", "vague", None, None, "", "thousands"),
        ("as many as", "at_most", 50_000, None, "", "as many as 50,000"),
        ("", "exact", 1, None, "week", "1 week"),
        ("", "exact", 12, None, "mile", "12 miles"),
        ("", "range", 10, 20, "", "10 to 20"),
        ("some", "approximate", 30_000, None, "", "some 30,000"),
    ],
)
def test_a_quantity_is_said_as_the_source_gave_it(hedge, bound, number, high, unit, expected):
    assert (
        phrases.quantity_phrase(
            hedge=hedge, bound=bound, number=number, number_high=high, unit=unit
        )
        == expected
    )


def test_an_approximate_value_shows_the_interval_it_was_compared_as():
    summary = alone(
        27_000,
        33_000,
        phrase="some 30,000",
        read_as_interval=True,
        bound="approximate",
        point=30_000,
    )
    assert summary.startswith("some 30,000 (27,000 to 33,000), from")
