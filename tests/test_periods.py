"""Periods ("February 10-20", "Feb. 28 - March 3") read into their start and end days by
dates.read_period, for an article published on a day or within a window; None when the
wording is not one period. Pure: no database."""

from datetime import date

import pytest

from facts.domain.dates import DateValue, read_period

D = date
WEDNESDAY = D(2022, 2, 9)


def day(year, month, number):
    return DateValue(D(year, month, number), D(year, month, number), "day")


DRILLS = (day(2022, 2, 10), day(2022, 2, 20))  # "Allied Resolve", Feb. 10-20, 2022


@pytest.mark.parametrize(
    "wording",
    [
        "February 10-20",
        "Feb. 10-20",
        "Fe. 10-20",  # as the National Interest wrote it (fixtures/articles.json)
        "from Feb. 10 to Feb. 20",
        "10-20 February",
        "between 10 and 20 February",
        "Feb. 10 through 20",
        "February 10–20, 2022",
        "scheduled from Feb. 10-20",
    ],
)
def test_each_spelling_of_the_drills_period_gives_feb_10_and_feb_20(wording):
    assert read_period(wording, WEDNESDAY, WEDNESDAY) == DRILLS


def test_a_period_across_two_months():
    assert read_period("Feb. 28 - March 3", WEDNESDAY, WEDNESDAY) == (
        day(2022, 2, 28),
        day(2022, 3, 3),
    )


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        # Said in January: the period just past, across the new year.
        (D(2022, 1, 10), (day(2021, 12, 28), day(2022, 1, 3))),
        # Said in December: the period ahead, ending in the next year.
        (D(2022, 12, 20), (day(2022, 12, 28), day(2023, 1, 3))),
    ],
)
def test_a_period_across_the_new_year(published, expected):
    assert read_period("Dec. 28 - Jan. 3", published, published) == expected


def test_a_period_written_with_its_year_across_the_new_year():
    assert read_period("Dec. 28, 2021 - Jan. 3, 2022", WEDNESDAY, WEDNESDAY) == (
        day(2021, 12, 28),
        day(2022, 1, 3),
    )


def test_a_period_read_within_a_window_of_publication_days():
    # The National Interest's article: published Feb. 17 or 18, 2022.
    assert read_period("Fe. 10-20", D(2022, 2, 17), D(2022, 2, 18)) == DRILLS


def test_a_window_whose_ends_read_different_years_gives_each_end_their_union():
    # Published sometime in the second half of 2021: the period may be in 2021 or 2022.
    start, end = read_period("Feb. 10-20", D(2021, 7, 1), D(2021, 12, 31))
    assert (start.earliest, start.latest) == (D(2021, 2, 10), D(2022, 2, 10))
    assert (end.earliest, end.latest) == (D(2021, 2, 20), D(2022, 2, 20))
    assert start.precision == end.precision == "year"


@pytest.mark.parametrize(
    "wording",
    [
        "Feb. 20",  # one day
        "on Thursday",
        "in February",
        "Feb. 10 and Feb. 20",  # two dates
        "Feb. 10-30",  # no such day
        "Feb. 20 to Feb. 10",  # backwards
        "10-20 troops",  # not a date
        "",
    ],
)
def test_a_wording_that_is_not_one_period_is_none(wording):
    assert read_period(wording, WEDNESDAY, WEDNESDAY) is None


def test_a_stated_tense_is_a_rule_and_a_read_one_a_lean():
    # In an article of Feb. 25, 2022: the drills just held.
    published = D(2022, 2, 25)
    assert read_period("Feb. 10-20", published, published) == DRILLS
    # "will be held" leans to the future, but next year's drills are too far for a lean ...
    assert read_period("will be held Feb. 10-20", published, published) == DRILLS
    # ... while a future stated by the caller is a rule.
    assert read_period("Feb. 10-20", published, published, tense="future") == (
        day(2023, 2, 10),
        day(2023, 2, 20),
    )


def test_the_sentence_around_the_wording_gives_the_lean():
    # Said on Aug. 20, 2021, six months from either February: the sentence decides.
    published = D(2021, 8, 20)
    past = read_period("Feb. 10-20", published, published, sentence="It was held Feb. 10-20.")
    future = read_period("Feb. 10-20", published, published, sentence="It will run Feb. 10-20.")
    assert past == (day(2021, 2, 10), day(2021, 2, 20))
    assert future == (day(2022, 2, 10), day(2022, 2, 20))


def test_wrong_options_are_refused():
    with pytest.raises(ValueError, match="tense must be"):
        read_period("Feb. 10-20", WEDNESDAY, WEDNESDAY, tense="soon")
    with pytest.raises(ValueError, match="after the latest"):
        read_period("Feb. 10-20", D(2022, 2, 10), D(2022, 2, 9))
