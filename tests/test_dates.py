"""Date expressions resolved against the publication day: pure functions, no database."""

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from facts.domain.dates import DateValue, resolve_date, resolve_date_window

D = date
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Publication days of news that this module will meet; the calendar rules hold for any of them.
PUBLICATION_DAYS = st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 12, 31))


def day(year, month, number):
    """A one-day value."""
    return DateValue(D(year, month, number), D(year, month, number), "day")


# --- Days and months with no year ------------------------------------------------------------


@pytest.mark.parametrize("text", ["on Feb. 20", "until Feb. 20", "Feb. 20", "Feb. 20."])
def test_a_day_without_a_year_is_in_the_publication_year(text):
    assert resolve_date(text, D(2022, 2, 8)) == day(2022, 2, 20)


def test_a_day_earlier_in_the_publication_year_stays_in_it():
    assert resolve_date("on Jan. 18", D(2022, 2, 8)) == day(2022, 1, 18)


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("Dec. 31", D(2022, 2, 8), day(2021, 12, 31)),
        ("Jan. 5", D(2022, 12, 20), day(2023, 1, 5)),
        ("Sept. 5", D(2022, 2, 10), day(2021, 9, 5)),
        ("Aug. 9", D(2022, 2, 8), day(2022, 8, 9)),  # 182 days ahead: not yet too far
    ],
)
def test_a_day_more_than_six_months_away_moves_to_the_nearer_year(text, published, expected):
    assert resolve_date(text, published) == expected


def test_a_stated_tense_overrides_the_nearer_year():
    assert resolve_date("Feb. 20", D(2022, 2, 8), tense="past") == day(2021, 2, 20)
    assert resolve_date("Jan. 18", D(2022, 2, 8), tense="future") == day(2023, 1, 18)


def test_a_leap_day_without_a_year_is_in_the_nearest_leap_year():
    assert resolve_date("Feb. 29", D(2022, 2, 8)) == day(2020, 2, 29)
    assert resolve_date("Feb. 29", D(2024, 1, 10)) == day(2024, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "Feb. 20, 2022",
        "February 20th, 2022",
        "the 20th of February 2022",
        "20 February 2022",
        "Sunday, Feb. 20, 2022",
        "2022-02-20",
        "Feb.20, 2022",
    ],
)
def test_a_day_written_in_full_reads_as_written(text):
    assert resolve_date(text, D(2023, 7, 1)) == day(2022, 2, 20)


def test_a_weekday_written_with_a_date_must_agree_with_it():
    assert resolve_date("Thursday, Feb. 10", D(2022, 2, 8)) == day(2022, 2, 10)
    assert resolve_date("Thursday, Feb. 11, 2022", D(2022, 2, 8)) is None


# --- Ranges ----------------------------------------------------------------------------------


def test_a_typo_for_february_still_reads_as_the_drills_range():
    assert resolve_date("Fe. 10-20", D(2022, 2, 17), part="start") == day(2022, 2, 10)
    assert resolve_date("Fe. 10-20", D(2022, 2, 17), part="end") == day(2022, 2, 20)


@pytest.mark.parametrize(
    "text",
    [
        "Feb. 10-20",
        "February 10-20",
        "Feb 10 \u2013 20",
        "10-20 February",
        "from Feb. 10 to Feb. 20",
        "between Feb. 10 and Feb. 20",
        "scheduled from Fe.\u00a010\u201320",
        "Thursday, Feb. 10 to Sunday, Feb. 20",
        "Feb. 10 - 20, 2022",
    ],
)
def test_each_spelling_of_a_range_gives_its_two_ends(text):
    assert resolve_date(text, D(2022, 2, 17), part="start") == day(2022, 2, 10)
    assert resolve_date(text, D(2022, 2, 17), part="end") == day(2022, 2, 20)


def test_a_range_across_months_and_a_new_year_keeps_its_order():
    assert resolve_date("Feb. 28-March 3", D(2022, 2, 17), part="end") == day(2022, 3, 3)
    assert resolve_date("Dec. 28-Jan. 3", D(2022, 12, 20), part="start") == day(2022, 12, 28)
    assert resolve_date("Dec. 28-Jan. 3", D(2022, 12, 20), part="end") == day(2023, 1, 3)
    assert resolve_date("Dec. 28-Jan. 3, 2023", D(2023, 6, 1), part="start") == day(2022, 12, 28)


def test_a_range_under_way_on_publication_fits_either_tense():
    for tense in ("past", "future"):
        assert resolve_date("Feb. 10-20", D(2022, 2, 17), part="start", tense=tense) == day(
            2022, 2, 10
        )


@pytest.mark.parametrize("text", ["Fe. 10-20", "Feb. 10-20", "from Feb. 10 to Feb. 20"])
def test_a_range_asked_for_as_one_date_is_none(text):
    assert resolve_date(text, D(2022, 2, 17)) is None


@pytest.mark.parametrize("part", ["start", "end"])
def test_a_single_date_is_itself_whichever_end_is_asked_for(part):
    assert resolve_date("until Feb. 20", D(2022, 2, 8), part=part) == day(2022, 2, 20)


@pytest.mark.parametrize(
    "text", ["Feb. 20 to 10", "Feb. 10-30", "Feb. 10 and Feb. 20", "10 and 20 February"]
)
def test_a_backwards_impossible_or_listed_range_is_none(text):
    assert resolve_date(text, D(2022, 2, 17), part="start") is None


# --- Weekdays --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["on Thursday", "Thursday", "later Thursday", "On Thursday,", "on\u00a0Thursday"]
)
def test_a_weekday_named_on_that_weekday_is_the_publication_day(text):
    assert resolve_date(text, D(2022, 2, 10)) == day(2022, 2, 10)
    assert resolve_date(text, D(2022, 2, 10), tense="future") == day(2022, 2, 10)


def test_a_weekday_in_the_past_is_the_latest_one_on_or_before_publication():
    assert resolve_date("on Wednesday evening", D(2022, 2, 10)) == day(2022, 2, 9)
    assert resolve_date("on Wednesday", D(2022, 2, 17)) == day(2022, 2, 16)
    assert resolve_date("the Kremlin said Tuesday", D(2022, 2, 8)) == day(2022, 2, 8)
    assert resolve_date("Wed.", D(2022, 2, 10)) == day(2022, 2, 9)


def test_a_weekday_in_the_future_is_the_next_one_on_or_after_publication():
    # "the active phase is scheduled to resume on Thursday", written on Tuesday Feb. 8
    assert resolve_date("on Thursday", D(2022, 2, 8), tense="future") == day(2022, 2, 10)
    assert resolve_date("on Thursday", D(2022, 2, 8)) == day(2022, 2, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("this Wednesday", day(2022, 2, 9)),
        ("this Monday", day(2022, 2, 7)),
        ("this Sunday", day(2022, 2, 13)),
    ],
)
def test_this_weekday_is_the_one_in_the_publication_week_from_monday(text, expected):
    assert resolve_date(text, D(2022, 2, 8)) == expected
    assert resolve_date(text, D(2022, 2, 8), tense="past") == expected


def test_this_past_and_this_coming_weekday_leave_out_the_publication_day():
    assert resolve_date("this past Thursday", D(2022, 2, 10)) == day(2022, 2, 3)
    assert resolve_date("this coming Thursday", D(2022, 2, 10)) == day(2022, 2, 17)


@pytest.mark.parametrize("text", ["last Thursday", "next Thursday"])
def test_last_or_next_weekday_is_ambiguous_and_none(text):
    assert resolve_date(text, D(2022, 2, 8)) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("today", day(2022, 2, 8)), ("yesterday", day(2022, 2, 7)), ("tomorrow", day(2022, 2, 9))],
)
def test_today_yesterday_and_tomorrow_count_from_publication(text, expected):
    assert resolve_date(text, D(2022, 2, 8)) == expected


# --- Weeks, months, quarters, years ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        ("next week", D(2022, 2, 10), D(2022, 2, 14), D(2022, 2, 20)),
        ("last week", D(2022, 2, 8), D(2022, 1, 31), D(2022, 2, 6)),
        ("this week", D(2022, 2, 8), D(2022, 2, 7), D(2022, 2, 13)),
        ("this week", D(2022, 2, 13), D(2022, 2, 7), D(2022, 2, 13)),
        ("later this week", D(2022, 2, 10), D(2022, 2, 11), D(2022, 2, 13)),
    ],
)
def test_weeks_run_monday_to_sunday_around_publication(text, published, first, last):
    assert resolve_date(text, published) == DateValue(first, last, "week")


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        ("later this month", D(2022, 2, 8), D(2022, 2, 9), D(2022, 2, 28)),
        ("earlier this month", D(2022, 2, 8), D(2022, 2, 1), D(2022, 2, 7)),
        ("this month", D(2022, 2, 8), D(2022, 2, 1), D(2022, 2, 28)),
        ("next month", D(2022, 2, 8), D(2022, 3, 1), D(2022, 3, 31)),
        ("last month", D(2022, 2, 8), D(2022, 1, 1), D(2022, 1, 31)),
        ("last month", D(2022, 1, 10), D(2021, 12, 1), D(2021, 12, 31)),
        ("next month", D(2022, 12, 10), D(2023, 1, 1), D(2023, 1, 31)),
    ],
)
def test_this_next_and_last_month_are_calendar_months(text, published, first, last):
    assert resolve_date(text, published) == DateValue(first, last, "month")


@pytest.mark.parametrize("text", ["in February", "February", "mid-February", "in Feb."])
def test_a_month_named_in_the_publication_month_is_that_month(text):
    expected = DateValue(D(2022, 2, 1), D(2022, 2, 28), "month")
    assert resolve_date(text, D(2022, 2, 10)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "in February\u00a0last year",
        "in February last year",
        "February 2022",
        "in February of 2022",
    ],
)
def test_a_month_with_its_year_is_that_month(text):
    expected = DateValue(D(2022, 2, 1), D(2022, 2, 28), "month")
    assert resolve_date(text, D(2023, 3, 7)) == expected


def test_a_month_without_a_year_follows_the_same_year_rule():
    september_2023 = DateValue(D(2023, 9, 1), D(2023, 9, 30), "month")
    september_2022 = DateValue(D(2022, 9, 1), D(2022, 9, 30), "month")
    assert resolve_date("in September", D(2023, 4, 4)) == september_2023
    assert resolve_date("in September", D(2023, 1, 10)) == september_2022  # eight months ahead
    assert resolve_date("in September", D(2023, 1, 10), tense="future") == september_2023


def test_a_month_in_a_past_context_is_the_latest_one_begun_by_publication():
    # Lukashenko's announcement "in October", reported in 2023
    october_2022 = DateValue(D(2022, 10, 1), D(2022, 10, 31), "month")
    assert resolve_date("in October", D(2023, 4, 4)).earliest == D(2023, 10, 1)
    assert resolve_date("in October", D(2023, 4, 4), tense="past") == october_2022
    assert resolve_date("in October", D(2023, 10, 20), tense="past").earliest == D(2023, 10, 1)


@pytest.mark.parametrize("text", ["last February", "next February"])
def test_last_or_next_month_name_is_ambiguous_and_none(text):
    assert resolve_date(text, D(2023, 3, 7)) is None


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("in 2014", 2014),
        ("the 2018 poisoning", 2018),
        ("2014", 2014),
        ("this year", 2022),
        ("last year", 2021),
        ("next year", 2023),
    ],
)
def test_a_year_is_the_whole_year(text, year):
    assert resolve_date(text, D(2022, 2, 8)) == DateValue(D(year, 1, 1), D(year, 12, 31), "year")


@pytest.mark.parametrize(
    ("text", "published", "first", "last"),
    [
        ("in the first quarter of 2023", D(2023, 2, 8), D(2023, 1, 1), D(2023, 3, 31)),
        ("Q3 2022", D(2023, 2, 8), D(2022, 7, 1), D(2022, 9, 30)),
        ("the fourth quarter of last year", D(2023, 2, 8), D(2022, 10, 1), D(2022, 12, 31)),
        ("the last quarter of 2022", D(2023, 2, 8), D(2022, 10, 1), D(2022, 12, 31)),
        ("last quarter", D(2023, 2, 8), D(2022, 10, 1), D(2022, 12, 31)),
        ("the second quarter", D(2023, 2, 8), D(2023, 4, 1), D(2023, 6, 30)),
        ("the first quarter", D(2023, 11, 20), D(2024, 1, 1), D(2024, 3, 31)),
    ],
)
def test_a_quarter_is_three_calendar_months(text, published, first, last):
    assert resolve_date(text, published) == DateValue(first, last, "quarter")


# --- A publication day known only as a window ------------------------------------------------


def test_a_window_gives_one_month_when_both_ends_agree():
    expected = DateValue(D(2022, 2, 1), D(2022, 2, 28), "month")
    window = (D(2023, 1, 1), D(2023, 12, 31))
    assert resolve_date_window("in February\u00a0last year", *window) == expected


def test_a_window_gives_one_day_when_both_ends_agree():
    window = (D(2022, 2, 17), D(2022, 2, 18))
    assert resolve_date_window("on Thursday", *window) == day(2022, 2, 17)
    assert resolve_date_window("on Wednesday", *window) == day(2022, 2, 16)
    assert resolve_date_window("Fe. 10-20", *window, part="end") == day(2022, 2, 20)


def test_a_window_whose_ends_disagree_gives_their_union_at_a_coarser_precision():
    # "on Tuesday" in an article known only to be of 2023
    window = (D(2023, 1, 1), D(2023, 12, 31))
    assert resolve_date_window("on Tuesday", *window) == DateValue(
        D(2022, 12, 27), D(2023, 12, 26), "year"
    )
    two_days = (D(2022, 2, 10), D(2022, 2, 11))
    assert resolve_date_window("yesterday", *two_days) == DateValue(
        D(2022, 2, 9), D(2022, 2, 10), "week"
    )


def test_a_window_passes_on_part_and_tense_and_returns_none_when_either_end_does():
    window = (D(2022, 2, 8), D(2022, 2, 9))
    assert resolve_date_window("on Thursday", *window, tense="future") == day(2022, 2, 10)
    assert resolve_date_window("Feb. 10-20", *window) is None
    assert resolve_date_window("no date at all", *window) is None


def test_a_window_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="after the latest"):
        resolve_date_window("on Thursday", D(2022, 2, 18), D(2022, 2, 17))


# --- No date ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "nonsense",
        "the troops may march",
        "30,000 troops",
        "1,500-2,000 troops",
        "10-20 troops",
        "at 10:30",
        "No. 10",
        "Feb. 30",
        "2022-02-30",
        "2022-13-01",  # dateparser read it as Jan. 13
        "2022-00-10",
        "the 2010s",
        "2014-2018",
        "Q4'22",
        "Sat.",
        "on Feb. 10 and Feb. 20",
        "the drills began on Jan. 18 and end this Wednesday",
        "two days after Feb. 20",
        "a week ago",
        "the following day",
        "the day before yesterday",
        "the week of Feb. 14",
        "in the past week",
        "over the coming month",
    ],
)
def test_text_without_one_resolvable_date_is_none(text):
    assert resolve_date(text, D(2022, 2, 8)) is None


# --- Arguments and values --------------------------------------------------------------------


def test_unknown_part_or_tense_is_refused():
    with pytest.raises(ValueError, match="part must be"):
        resolve_date("Feb. 20", D(2022, 2, 8), part="middle")
    with pytest.raises(ValueError, match="tense must be"):
        resolve_date("Feb. 20", D(2022, 2, 8), tense="present")
    with pytest.raises(ValueError, match="end of the calendar"):
        resolve_date("tomorrow", D.max)


def test_a_date_value_refuses_an_unknown_precision_or_a_backwards_interval():
    with pytest.raises(ValueError, match="precision"):
        DateValue(D(2022, 2, 1), D(2022, 2, 28), "fortnight")
    with pytest.raises(ValueError, match="after the latest"):
        DateValue(D(2022, 2, 28), D(2022, 2, 1), "month")


def test_the_module_imports_neither_django_nor_dateparser():
    """Imported alone, it pulls in no Django, and no dateparser (no longer used at all)."""
    check = (
        "import sys, facts.domain.dates; "
        "assert not [m for m in sys.modules if m.split('.')[0] in ('django', 'dateparser')]"
    )
    root = Path(__file__).resolve().parents[1]
    subprocess.run([sys.executable, "-c", check], cwd=root, check=True)


# --- Properties ------------------------------------------------------------------------------


@given(published=PUBLICATION_DAYS, weekday=st.sampled_from(WEEKDAYS))
def test_a_past_weekday_lies_in_the_seven_days_up_to_publication(published, weekday):
    resolved = resolve_date(f"on {weekday}", published)
    assert resolved.precision == "day"
    assert resolved.earliest == resolved.latest
    assert published - timedelta(days=6) <= resolved.earliest <= published
    assert resolved.earliest.weekday() == WEEKDAYS.index(weekday)


@given(published=PUBLICATION_DAYS, weekday=st.sampled_from(WEEKDAYS))
def test_a_future_weekday_lies_in_the_seven_days_from_publication(published, weekday):
    resolved = resolve_date(weekday, published, tense="future")
    assert published <= resolved.earliest <= published + timedelta(days=6)
    assert resolved.earliest.weekday() == WEEKDAYS.index(weekday)


MOVING_TEXTS = [
    ("on Thursday", {}),
    ("on Thursday", {"tense": "future"}),
    ("this Wednesday", {}),
    ("later this month", {}),
    ("earlier this month", {}),
    ("last week", {}),
    ("Dec. 31", {}),
    ("Jul. 1", {}),
    ("Feb. 29", {}),
    ("Feb. 20", {"tense": "past"}),
    ("Dec. 28-Jan. 3", {"part": "end"}),
    ("in September", {}),
    ("in October", {"tense": "past"}),
    ("the first quarter", {}),
]


@settings(deadline=None)
@given(
    first=st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31)),
    gap=st.integers(min_value=0, max_value=800),
    case=st.sampled_from(MOVING_TEXTS),
)
def test_a_later_publication_day_never_moves_a_reading_back(first, gap, case):
    # This is why a window needs only its two ends: the days between read between them.
    text, options = case
    earlier = resolve_date(text, first, **options)
    later = resolve_date(text, first + timedelta(days=gap), **options)
    if earlier is None or later is None:
        # No reading on one of the days ("earlier this month" said on the 1st is no date, see
        # below): nothing to move back.
        return
    assert earlier.earliest <= later.earliest
    assert earlier.latest <= later.latest


def test_later_this_month_said_on_its_last_day_is_no_date():
    assert resolve_date("later this month", D(2022, 2, 28)) is None
    assert resolve_date("earlier this month", D(2022, 2, 1)) is None
