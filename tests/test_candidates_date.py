"""Date candidates: found in the text and resolved against the publication day with the tense
of their sentence, periods as a start and an end, the day a statement was made kept on its
attribution, and no date read from a year inside a name. Pure: no database. The sentences are
copied from the seed articles (shared/seeds/README.md quotes their wordings); the days are
read from a calendar by hand (2022-02-08 was a Tuesday)."""

from datetime import date

import pytest

from facts.domain.candidates import Candidate, KnownActor, propose

TUESDAY = date(2022, 2, 8)
THURSDAY = date(2022, 2, 10)
KREMLIN = KnownActor("kremlin", "The Kremlin", ("Moscow",))


def dates(text: str, published: date | None, **kwargs) -> list[Candidate]:
    found = [c for c in propose(text, published=published, **kwargs) if c.kind == "date"]
    for candidate in found:
        assert text[candidate.start : candidate.end] == candidate.wording
    return found


def values(found: list[Candidate]) -> list[tuple[str, date | None, date | None, str, str]]:
    return [(c.wording, c.date_earliest, c.date_latest, c.date_precision, c.part) for c in found]


def test_it_resolves_the_days_of_the_drills_against_a_tuesday():
    text = (
        "After the combat readiness phase that kicked off on Jan. 18 ends this Wednesday, the "
        "active phase of “Allied Resolve” is scheduled to resume on Thursday and end on Feb. 20."
    )
    assert values(dates(text, TUESDAY)) == [
        ("on Jan. 18", date(2022, 1, 18), date(2022, 1, 18), "day", ""),
        ("this Wednesday", date(2022, 2, 9), date(2022, 2, 9), "day", ""),
        # The future of "is scheduled to resume": the Thursday after the Tuesday.
        ("on Thursday", date(2022, 2, 10), date(2022, 2, 10), "day", ""),
        ("on Feb. 20", date(2022, 2, 20), date(2022, 2, 20), "day", ""),
    ]


def test_it_reads_will_start_on_thursday_as_the_next_thursday():
    found = dates("The active phase will start on Thursday.", TUESDAY)
    assert values(found) == [("on Thursday", date(2022, 2, 10), date(2022, 2, 10), "day", "")]


def test_it_reads_a_weekday_in_the_past_tense_as_the_last_one():
    text = "Russia and Belarus launched joint military drills Thursday that heightened tensions"
    assert values(dates(text, THURSDAY)) == [
        ("Thursday", date(2022, 2, 10), date(2022, 2, 10), "day", "")
    ]


@pytest.mark.parametrize(
    ("text", "wording"),
    [
        ("drills which are scheduled from Fe. 10-20, remain unclear.", "from Fe. 10-20"),
        ("the drills, scheduled for Feb. 10-20, remain unclear.", "Feb. 10-20"),
    ],
)
def test_it_reads_a_period_as_its_start_and_its_end(text, wording):
    assert values(dates(text, date(2022, 2, 17))) == [
        (wording, date(2022, 2, 10), date(2022, 2, 10), "day", "start"),
        (wording, date(2022, 2, 20), date(2022, 2, 20), "day", "end"),
    ]


def test_it_reads_until_a_day():
    text = "Kyiv denounced the war games — set to run until Feb. 20 — as “psychological pressure”"
    found = dates(text, THURSDAY)
    assert values(found) == [("until Feb. 20", date(2022, 2, 20), date(2022, 2, 20), "day", "")]


def test_it_resolves_months_and_years_relative_to_the_publication_day():
    text = (
        "The last time Belarus and Russia forces held joint exercises, in February\u00a0last "
        "year, many of those Russian forces went on to cross the Ukrainian border. Russian "
        "troops will leave Belarus after the end of joint military exercises later this month."
    )
    assert values(dates(text, date(2023, 2, 7))) == [
        ("in February\u00a0last year", date(2022, 2, 1), date(2022, 2, 28), "month", ""),
        ("later this month", date(2023, 2, 8), date(2023, 2, 28), "month", ""),
    ]


def test_it_reads_in_september_of_a_day_in_spring_as_this_september():
    text = (
        "the joint Union Shield 2023 exercises the two countries will hold in Russia in September."
    )
    assert values(dates(text, date(2023, 4, 4))) == [
        ("in September", date(2023, 9, 1), date(2023, 9, 30), "month", "")
    ]


def test_it_resolves_a_weekday_over_a_publication_window_to_the_days_it_may_be():
    found = dates(
        "In a decree published Tuesday, Putin tasked the ministers",
        date(2023, 1, 3),
        published_latest=date(2023, 1, 12),
    )
    # Jan. 3 and Jan. 10 are the Tuesdays of the window: eight days, more than a week.
    assert values(found) == [("Tuesday", date(2023, 1, 3), date(2023, 1, 10), "month", "")]


def test_it_proposes_a_date_unresolved_when_the_publication_day_is_unknown():
    assert values(dates("The drills are set to run until Feb. 20.", None)) == [
        ("until Feb. 20", None, None, "", "")
    ]


def test_it_keeps_the_day_a_statement_was_made_on_its_attribution_not_as_a_date():
    text = "Russian troops will leave Belarus, the Kremlin said Tuesday."
    found = propose(text, published=TUESDAY, actors=[KREMLIN])
    assert [c.kind for c in found] == ["attribution"]
    assert (found[0].wording, found[0].date_earliest, found[0].date_latest) == (
        "the Kremlin said",
        TUESDAY,
        TUESDAY,
    )


@pytest.mark.parametrize(
    "text",
    [
        "the joint Russian-Belarusian Union Resolve 2022 — also translated as “Allied Resolve "
        "2022” — drills",
        "preparation for the joint Union Shield 2023 exercises",
    ],
)
def test_it_reads_no_date_from_a_year_in_a_name(text):
    assert dates(text, TUESDAY) == []


@pytest.mark.parametrize(
    ("text", "wording", "earliest", "latest", "precision"),
    [
        (
            "after the 2018 poisoning of former Russian double agent Sergei Skripal",
            "2018",
            date(2018, 1, 1),
            date(2018, 12, 31),
            "year",
        ),
        (
            "has claimed more than 14,000 lives since breaking out in 2014.",
            "in 2014",
            date(2014, 1, 1),
            date(2014, 12, 31),
            "year",
        ),
    ],
)
def test_it_reads_a_year_that_dates_an_event(text, wording, earliest, latest, precision):
    assert values(dates(text, THURSDAY)) == [(wording, earliest, latest, precision, "")]
