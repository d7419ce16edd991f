"""Date expressions as news articles write them, resolved to intervals of days: nothing from Django.

An article says "on Thursday", "Feb. 10-20" or "in February last year"; what it means depends on
the day the article was published. `resolve_date` turns one such expression into a `DateValue`:
the first and last day it can mean, and the calendar unit it names (its precision).

The rules, each in a small function below:

- Year. A day or month written without its year is in the publication year, unless that puts it
  more than about six months away (183 days for a day; 6 calendar months for a month or quarter);
  then it is in the nearer year ("Dec. 31" in an article of 2022-02-08 is 2021-12-31). A tense
  stated by the caller overrides this: "past" takes the latest one that begins on or before the
  publication day, "future" the earliest that ends on or after it. A tense only read from the
  words around the date (tense.py) is a lean, not a rule: among the years no more than the limits
  above away, the one that fits it; else the rule without a tense. "Were scheduled for Feb. 10"
  in an article of Feb. 8 is still Feb. 10 of that year, not of the year before.
- Weekdays. "Thursday" and "on Thursday" are the latest Thursday on or before the publication day
  (news reports the recent past), or with tense="future" the earliest on or after it; either way
  the publication day itself if it is a Thursday. A lean to the future reads it as the future
  tense does ("will start on Thursday"). "this Thursday" is the one in the publication
  week; "this past"/"this coming Thursday" exclude the publication day. "last Thursday" and
  "next Thursday" mean different days to different readers, so they give None.
- Weeks run Monday to Sunday. "later"/"earlier this week" (month, quarter, year) keep the unit's
  precision but cut its interval just after (before) the publication day: said on Tuesday, Feb. 8,
  "later this month" starts on Feb. 9.
- Ranges ("Feb. 10-20", "from Feb. 10 to Feb. 20") are two values, so they need part="start" or
  part="end"; `read_period` reads both ends at once, and says when a wording is not a period. A range without a year gets one by the year rule, applied to the whole period (a
  period under way on the publication day is in its year); it runs into the next year when its
  second month comes before its first ("Dec. 28-Jan. 3").
- Anything not read unambiguously gives None: no date, two dates, an offset from a date ("two days
  after Feb. 20", "a week ago"), an anchor other than the publication day ("the following day").

The absolute fragments these patterns isolate (month, day, written year) are checked against
the calendar here, and ISO days ("2022-02-10") are read by the standard library. dateparser,
which read both before, is not trusted with any of it: it reads "2022-13-01" as Jan. 13,
"next week" as one day a week later and "Feb 10-20" as 2020-02-10, does not read "in
February", "Thursday" or "Fe. 10", and fills a missing year with the current one even when that
is eleven months away.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from facts.domain.values import DATE_PRECISIONS

PARTS = ("start", "end")
TENSES = ("past", "future")

# How far a day or month without its year may lie from the publication day before the nearer
# year is taken instead of the publication year ("more than about six months").
_FAR_DAYS = 183
_FAR_MONTHS = 6

# The longest interval each precision can name, to say how precise a union of two readings is.
_SPAN_DAYS = {"day": 1, "week": 7, "month": 31, "quarter": 92, "year": 366}

# How many years either side of publication to search for a day, month or quarter without its
# year. Eight covers a Feb. 29 across a century year that is not a leap year (2096 -> 2104).
_YEARS_AROUND = 8
# Publication days far enough from the ends of Python's calendar for all of the above.
_PUBLISHABLE = (date(100, 1, 1), date(9899, 12, 31))


class OutsideCalendar(ValueError):
    """A publication day too near an end of the calendar (years 1 to 9999) to read a date
    against: "last month" of 0001-01-05 is no date Python or a database can hold."""


@dataclass(frozen=True)
class DateValue:
    """An interval of days, earliest to latest inclusive, and the calendar unit it names."""

    earliest: date
    latest: date
    precision: str

    def __post_init__(self) -> None:
        if self.precision not in DATE_PRECISIONS:
            raise ValueError(f"Unknown precision {self.precision!r}; use one of {DATE_PRECISIONS}.")
        if self.earliest > self.latest:
            raise ValueError(f"The earliest day {self.earliest} is after the latest {self.latest}.")


@dataclass(frozen=True)
class _Range:
    """A period written as two ends ("Feb. 10-20"): two values, never one uncertain date."""

    start: DateValue
    end: DateValue


class _NotADate:
    """A pattern matched words that turn out not to be a date ("may" the verb, "10-20 troops")."""


_NOT_A_DATE = _NotADate()

# None means the words are a date expression that cannot be resolved without guessing.
_Reading = DateValue | _Range | _NotADate | None
_Interval = tuple[date, date]
# Month, day and year of an absolute date, the year None when the text does not write it.
_MonthDay = tuple[int, int, int | None]


@dataclass(frozen=True)
class _Context:
    text: str
    published: date
    tense: str | None
    lean: str | None = None


def resolve_date(
    text: str,
    published: date,
    *,
    part: str | None = None,
    tense: str | None = None,
    lean: str | None = None,
) -> DateValue | None:
    """Resolve one date expression of an article against its publication day; None if unsure.

    tense is a tense the caller knows ("past" or "future"), followed as a rule; lean is one read
    from the words around the date (tense.infer_tense), followed where it keeps the reading
    near the publication day (see the module's docstring). tense wins over lean.
    """
    _check_options(part, tense)
    _check_options(None, lean)
    reading = _read(text, _publishable(published), tense, lean)
    if isinstance(reading, _Range):
        if part is None:
            return None
        return reading.start if part == "start" else reading.end
    return reading if isinstance(reading, DateValue) else None


def _publishable(published: date) -> date:
    """The publication day as a date, refused when too near an end of the calendar."""
    if isinstance(published, datetime):  # a datetime is a date, but cannot be compared with one
        published = published.date()
    if not _PUBLISHABLE[0] <= published <= _PUBLISHABLE[1]:
        # Room for the arithmetic around it: "tomorrow" of 9999-12-31 is not a date.
        raise OutsideCalendar(
            f"A publication day of {published} is too near the end of the calendar."
        )
    return published


def resolve_date_window(
    text: str, earliest: date, latest: date, **kwargs: str | None
) -> DateValue | None:
    """Resolve a date expression for an article published on some day from earliest to latest."""
    if earliest > latest:
        raise ValueError(f"The earliest publication day {earliest} is after the latest {latest}.")
    first = resolve_date(text, earliest, **kwargs)
    # Published on one known day (most articles): one reading serves both ends.
    last = first if latest == earliest else resolve_date(text, latest, **kwargs)
    if first is None or last is None:
        return None
    return _union(first, last)


def _union(first: DateValue, last: DateValue) -> DateValue:
    """One reading for a publication day from one end of a window to the other."""
    if first == last:
        return first
    # Every rule moves its reading forward (never back) as the publication day moves forward, so
    # the readings for the days in between lie inside the union of the readings for the two ends.
    low = min(first.earliest, last.earliest)
    high = max(first.latest, last.latest)
    coarser = max(first.precision, last.precision, key=DATE_PRECISIONS.index)
    return DateValue(low, high, _precision_spanning(low, high, coarser))


def read_period(
    wording: str,
    published_earliest: date,
    published_latest: date,
    tense: str | None = None,
    *,
    sentence: str = "",
) -> tuple[DateValue, DateValue] | None:
    """The start and end of a period a wording names ("February 10-20", "Feb. 28 - March 3",
    "from Feb. 10 to Feb. 20", "between 10 and 20 February", "Dec. 28 - Jan. 3"), read for an
    article published on some day from published_earliest to published_latest; None when the
    wording is not one period (a single date, two dates, no date) or cannot be read without a
    guess ("Feb. 10-30").

    tense, when given, is followed as a rule; else the tense is read from the wording (and the
    sentence it stands in, when given) by tense.infer_tense and followed as a lean. A period
    without its year gets one by the year rule, applied to the whole period.
    """
    if published_earliest > published_latest:
        raise ValueError(
            f"The earliest publication day {published_earliest} is after the latest "
            f"{published_latest}."
        )
    _check_options(None, tense)
    lean = None
    if tense is None:
        from facts.domain.tense import infer_tense

        lean = infer_tense(wording, sentence)
    first = _read(wording, _publishable(published_earliest), tense, lean)
    # Published on one known day (most articles): one reading serves both ends.
    last = (
        first
        if published_latest == published_earliest
        else _read(wording, _publishable(published_latest), tense, lean)
    )
    if not (isinstance(first, _Range) and isinstance(last, _Range)):
        return None
    return _union(first.start, last.start), _union(first.end, last.end)


def _check_options(part: str | None, tense: str | None) -> None:
    if part is not None and part not in PARTS:
        raise ValueError(f"part must be None, 'start' or 'end', not {part!r}.")
    if tense is not None and tense not in TENSES:
        raise ValueError(f"tense must be None, 'past' or 'future', not {tense!r}.")


def _precision_spanning(earliest: date, latest: date, at_least: str) -> str:
    """The finest precision, no finer than at_least, whose unit is as long as the interval."""
    days = (latest - earliest).days + 1
    for precision in DATE_PRECISIONS[DATE_PRECISIONS.index(at_least) :]:
        if days <= _SPAN_DAYS[precision]:
            return precision
    return "year"  # the coarsest there is; the interval itself says how wide it really is


# --- Reading the text ---------------------------------------------------------------------------

# Hyphens, dashes and minus signs all join the ends of a range ("Feb 10 – 20").
_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"
)


def _normalise(text: str) -> str:
    """Lower case, one plain space between words, one kind of dash, no wrapping punctuation."""
    # NFKC turns the no-break spaces of the seed texts ("in February\u00a0last year") into spaces.
    text = unicodedata.normalize("NFKC", text).translate(_DASHES).lower()
    # A final full stop stays: it may end an abbreviation ("Wed.").
    return re.sub(r"\s+", " ", text).strip(" \"'“”‘’()[],;:!?")


def _read(text: str, published: date, tense: str | None, lean: str | None = None) -> _Reading:
    """The one date expression in text, read against the publication day."""
    normal = _normalise(text)
    if not normal or _regex(_OFFSET).search(normal):
        return None
    context = _Context(normal, published, tense, lean if tense is None else None)
    found: dict[tuple[int, int], _Reading] = {}
    for pattern, handler in _PATTERNS:
        for match in _regex(pattern).finditer(normal):
            reading = handler(match, context)
            if reading is not _NOT_A_DATE:
                found.setdefault(match.span(), reading)  # the earlier pattern wins a tie
    # "Feb. 10-20" also holds "Feb. 10", "in February last year" holds "last year": keep the
    # longest. Two expressions side by side (or overlapping) are two dates, and a guess.
    outermost = [
        span
        for span in found
        if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in found)
    ]
    if len(outermost) != 1:
        return None
    return found[outermost[0]]


def find_expressions(text: str) -> list[tuple[int, int]]:
    """Where a text holds date expressions, as (start, end) offsets into it, in order: the
    outermost span of each, read by the same patterns as resolve_date, so that every span found
    here is one that resolve_date (or read_period, for a range) is asked about.

    Words the patterns match but that are no date ("may" the verb, "10-20 troops") are left out;
    an expression that cannot be resolved without a guess ("next Thursday") is kept, since an
    editor can still give its day.
    """
    # The same folding as _normalise, character for character so that offsets stay the text's:
    # no-break spaces become spaces, dashes one dash, letters lower case.
    spaced = text.replace("\u00a0", " ").translate(_DASHES)
    folded = spaced.lower()
    # Lowered at once unless a letter lowers to two characters ("İ") or by its context (a
    # final sigma): then letter by letter, each kept when it does not lower to one.
    if len(folded) != len(spaced) or "Σ" in spaced:
        folded = "".join(low if len(low := char.lower()) == 1 else char for char in spaced)
    spans: list[tuple[int, int]] = []
    for pattern, handler in _PATTERNS:
        for match in _regex(pattern).finditer(folded):
            # The handler only says whether the words are a date; any publication day will do.
            context = _Context(match[0], date(2000, 6, 15), None)
            if handler(match, context) is not _NOT_A_DATE and _names_a_date(match[0]):
                spans.append(match.span())
    outermost = {
        span
        for span in spans
        if not any(o != span and o[0] <= span[0] and span[1] <= o[1] for o in spans)
    }
    # Overlapping but not nested ("Feb. 10-20 and 25"): the earlier, longer one is kept.
    kept: list[tuple[int, int]] = []
    for span in sorted(outermost, key=lambda s: (s[0], -s[1])):
        if kept and span[0] < kept[-1][1]:
            continue
        kept.append(span)
    return kept


def _names_a_date(words: str) -> bool:
    """Whether matched words hold a month, a weekday, a relative word or a year, not only
    numbers and joining words ("5 and 6", "10 to 20" are counts, not days)."""
    rest = re.sub(
        r"\b(?:from|between|to|through|thru|until|till|and|the|of|st|nd|rd|th)\b", "", words
    )
    return bool(re.search(r"[a-z]|\b(?:1[89]|20)\d\d\b", rest))


# --- Words --------------------------------------------------------------------------------------

_MONTH_NAMES = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_MONTH_WORDS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)} | {
    name[:3]: number for number, name in enumerate(_MONTH_NAMES, 1)
}
_MONTH_WORDS["sept"] = 9

# Abbreviations that name something else ("No. 10" is a number, not November 10).
_NOT_MONTHS = frozenset({"no"})


def _month_typos() -> dict[str, int]:
    """Cut-short month names that fit one month only ("fe." for February), seen as typos."""
    typos = {}
    for number, name in enumerate(_MONTH_NAMES, 1):
        for length in range(2, len(name)):
            prefix = name[:length]
            if prefix in _MONTH_WORDS or prefix in _NOT_MONTHS:
                continue
            if sum(other.startswith(prefix) for other in _MONTH_NAMES) == 1:
                typos[prefix] = number
    return typos


_MONTH_TYPOS = _month_typos()

# Abbreviated weekdays only with their dot: "sat", "sun", "wed" and "mon" are also other words.
_WEEKDAY_WORDS = {name: number for number, name in enumerate(_WEEKDAY_NAMES)} | {
    "mon.": 0,
    "tue.": 1,
    "tues.": 1,
    "wed.": 2,
    "thu.": 3,
    "thur.": 3,
    "thurs.": 3,
    "fri.": 4,
}


def _either(words: Iterable[str]) -> str:
    """A regex alternation of words, longest first so that "february" is not read as "feb"."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))


def _month_number(token: str) -> int:
    token = token.rstrip(".")
    return _MONTH_WORDS.get(token) or _MONTH_TYPOS[token]


def _weekday_number(token: str) -> int:
    return _WEEKDAY_WORDS[token]


# --- Patterns -----------------------------------------------------------------------------------
# Regex sources, each compiled by _regex when first used.

_MONTH = rf"\b(?:{_either(_MONTH_WORDS)})\b\.?"
# Typos only where a day number follows, and only with their dot ("Fe. 10-20").
_MONTH_OR_TYPO = rf"(?:{_MONTH}|\b(?:{_either(_MONTH_TYPOS)})\.)"
_WEEKDAY = (
    rf"\b(?:(?:{_either(_WEEKDAY_NAMES)})\b|(?:{_either(k for k in _WEEKDAY_WORDS if '.' in k)}))"
)
# A day of the month, not part of a time ("10:30"), a decimal or a larger number.
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\w:]|[.,]\d)"
# A year of modern news, not part of a larger number, a percentage or a year range ("2014-18").
_YEAR = r"(?:1[89]\d\d|20\d\d)(?![\w%]|[.,:]\d|-\d)"
# Nothing that makes a number part of a bigger one may come just before a day or year.
_STARTS_NUMBER = r"(?<![\w:.,/$£€-])"
_OF_YEAR = rf"(?:,?\s+(?:of\s+)?(?P<year>{_YEAR}|(?:this|last|next)\s+year\b))"

_MONTH_DAY = (
    rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?P<month>{_MONTH_OR_TYPO})\s*(?P<day>{_DAY})"
    rf"(?:,?\s+(?P<year>{_YEAR}))?"
)
_DAY_MONTH = (
    rf"(?:(?P<weekday>{_WEEKDAY}),?\s+)?(?:the\s+)?(?P<day>{_DAY})(?:\s+of)?\s+"
    rf"(?P<month>{_MONTH_OR_TYPO})(?:,?\s+(?P<year>{_YEAR}))?"
)
_BARE_DAY = rf"(?P<day>{_DAY})(?:,?\s+(?P<year>{_YEAR}))?"


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    """The pattern compiled on first use: compiling them all would slow every import by 25 ms."""
    return re.compile(pattern)


def _unnamed(pattern: str) -> str:
    """The pattern without its group names, to use it twice in one regex."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


_SIDE = rf"(?:{_unnamed(_MONTH_DAY)}|{_unnamed(_DAY_MONTH)}|{_unnamed(_BARE_DAY)})"
_SIDE_FORMS = (
    (_MONTH_DAY, "MDY"),
    (_DAY_MONTH, "DMY"),
    (_BARE_DAY, "DMY"),
)

_RANGE = (
    rf"(?:\b(?P<lead>from|between)\s+)?{_STARTS_NUMBER}(?P<start>{_SIDE})"
    rf"(?P<link>\s*-\s*|\s+(?:to|through|thru|until|till|and)\s+)(?P<end>{_SIDE})"
)
_SINGLE_MONTH_DAY = _MONTH_DAY
_SINGLE_DAY_MONTH = _STARTS_NUMBER + _DAY_MONTH
_ISO_DAY = r"(?<![\w.-])(?P<iso>\d{4}-\d{2}-\d{2})(?![\w-])"
_WEEKDAY_PHRASE = (
    r"(?:\b(?P<modifier>this\s+coming|this\s+past|this|last|next|coming|past)\s+)?"
    rf"(?P<weekday>{_WEEKDAY})"
)
_NEARBY_DAY = r"\b(?P<word>today|tonight|yesterday|tomorrow)\b"
_RELATIVE_UNIT = (
    r"\b(?:(?P<cut>later|earlier)\s+)?(?P<which>this|next|last|past|coming)\s+"
    r"(?P<unit>week|month|quarter|year)\b"
)
_MONTH_PHRASE = (
    r"(?:\b(?P<lead>in|during|since|until|till|by|from|through|throughout|of|for|before|after"
    r"|early|mid|late|this|last|next)[\s-]+)?"
    # Not followed by a day: "Feb. 20" is a day, read by the patterns above.
    rf"(?P<month>{_MONTH})(?!\.?\s*{_DAY}){_OF_YEAR}?"
)
_QUARTER_PHRASE = (
    r"\b(?:the\s+)?(?P<ordinal>first|second|third|fourth|final|last|1st|2nd|3rd|4th)\s+quarter\b"
    + _OF_YEAR
    + "?"
)
# "Q4'22" has a year we do not read; it must not pass for a Q4 without one.
_QUARTER_CODE = rf"\bq(?P<ordinal>[1-4])(?:(?:\s+|-|')?(?P<year>{_YEAR}))?(?![\w'-])"
_YEAR_ALONE = rf"{_STARTS_NUMBER}(?P<year>{_YEAR})"

_COUNT = (
    r"\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|(?:a\s+)?few"
    r"|(?:a\s+)?couple\s+of|several|some|many"
)
_UNIT = r"(?:day|week|weekend|fortnight|month|quarter|year)"
# Dates counted from another date or from an unnamed day: not resolvable against publication.
_OFFSET = (
    rf"\b(?:{_COUNT})\s+{_UNIT}s?\b(?!-)"  # "two days after Feb. 20", "a week ago"
    r"|\bago\b"
    rf"|\b(?:following|previous|preceding|prior|same|that)\s+{_UNIT}\b"  # "the following day"
    r"|\bthe\s+(?:next|last|past|coming)\s+(?:day|week|weekend|month|year)s?\b"  # rolling spans
    rf"|\b{_UNIT}s?\s+(?:before|after|earlier|later)\b"  # "the week before"
    r"|\bweek(?:end)?\s+of\b"  # "the week of Feb. 14" is a week, not that day
)


# --- Handlers: one per pattern, from a match to a reading ---------------------------------------


def _on_range(match: re.Match[str], context: _Context) -> _Reading:
    if match["link"].strip() == "and" and match["lead"] != "between":
        return None  # "Feb. 10 and Feb. 20": two dates, not a period
    start, end = _read_side(match["start"]), _read_side(match["end"])
    if start is None or end is None:
        return None
    # "Feb. 10-20" and "10-20 February": the end without a month shares the other's.
    start_month = start.month or end.month
    end_month = end.month or start.month
    if start_month is None or end_month is None:
        return _NOT_A_DATE  # "10-20 troops"
    first = _read_absolute(start.day, start_month, start.year, start.order)
    last = _read_absolute(end.day, end_month, end.year, end.order)
    if first is None or last is None:
        return None  # "Feb. 10-30"
    days = _days_of_range(first, last, context)
    if days is None:
        return None
    first_day, last_day = days
    if not (_weekday_fits(first_day, start.weekday) and _weekday_fits(last_day, end.weekday)):
        return None
    return _Range(DateValue(first_day, first_day, "day"), DateValue(last_day, last_day, "day"))


@dataclass(frozen=True)
class _Side:
    """One end of a written range: its day, and its month, year and weekday if written."""

    day: str
    month: int | None
    year: str | None
    weekday: int | None
    order: str


def _read_side(text: str) -> _Side | None:
    for pattern, order in _SIDE_FORMS:
        match = _regex(pattern).fullmatch(text)
        if match:
            groups = match.groupdict()
            return _Side(
                day=groups["day"],
                month=_month_number(groups["month"]) if groups.get("month") else None,
                year=groups["year"],
                weekday=_weekday_number(groups["weekday"]) if groups.get("weekday") else None,
                order=order,
            )
    return None


def _days_of_range(first: _MonthDay, last: _MonthDay, context: _Context) -> _Interval | None:
    """The first and last day of a range, its year chosen for the whole period like a day's."""
    (start_month, start_day, start_year), (end_month, end_day, end_year) = first, last
    rolls_over = 1 if end_month < start_month else 0  # "Dec. 28-Jan. 3" ends in the next year

    def in_year(year: int) -> _Interval | None:
        """The range that starts in year."""
        return _interval(
            _make_date(year, start_month, start_day),
            _make_date(year + rolls_over, end_month, end_day),
        )

    if start_year is not None and end_year is not None:
        return _interval(
            _make_date(start_year, start_month, start_day), _make_date(end_year, end_month, end_day)
        )
    if start_year is not None:
        return in_year(start_year)
    if end_year is not None:
        return in_year(end_year - rolls_over)  # "Dec. 28-Jan. 3, 2023"
    # A period that is under way on the publication day ("the drills, scheduled from Feb. 10-20")
    # is at no distance from it, and fits either tense.
    return _choose_year(in_year, context, too_far=_days_too_far)


def _interval(first: date | None, last: date | None) -> _Interval | None:
    if first is None or last is None or first > last:
        return None  # "Feb. 20 to 10" is backwards, not a period
    return first, last


def _on_month_day(match: re.Match[str], context: _Context) -> _Reading:
    return _single_day(match, "MDY", context)


def _on_day_month(match: re.Match[str], context: _Context) -> _Reading:
    return _single_day(match, "DMY", context)


def _single_day(match: re.Match[str], order: str, context: _Context) -> _Reading:
    read = _read_absolute(match["day"], _month_number(match["month"]), match["year"], order)
    if read is None:
        return None  # "Feb. 30"
    month, day, year = read
    if year is None:
        chosen = _choose_year(_day_in(month, day), context, too_far=_days_too_far)
        if chosen is None:
            return None
        written = chosen[0]
    else:
        written = date(year, month, day)
    weekday = _weekday_number(match["weekday"]) if match["weekday"] else None
    if not _weekday_fits(written, weekday):
        return None  # "Thursday, Feb. 11, 2022": one of the two is wrong, and we cannot say which
    return DateValue(written, written, "day")


def _on_iso_day(match: re.Match[str], context: _Context) -> _Reading:
    # The standard library, not dateparser: an ISO day has one reading, and dateparser, told
    # the order is year-month-day, still swapped a month over 12 with the day ("2022-13-01"
    # read as Jan. 13). `date.fromisoformat` refuses it, and "2022-02-30" too.
    try:
        written = date.fromisoformat(match["iso"])
    except ValueError:
        return None
    return DateValue(written, written, "day")


def _on_weekday(match: re.Match[str], context: _Context) -> _Reading:
    weekday = _weekday_number(match["weekday"])
    modifier = re.sub(r"\s+", " ", match["modifier"] or "")
    published = context.published
    if modifier in ("last", "next"):
        return None  # "next Thursday" said on a Tuesday: this week's or the week after's?
    if modifier == "this":
        day = _monday_of(published) + timedelta(days=weekday)
    elif modifier in ("this past", "past"):
        day = _latest_weekday(weekday, published - timedelta(days=1))
    elif modifier in ("this coming", "coming"):
        day = _earliest_weekday(weekday, published + timedelta(days=1))
    elif context.tense == "future" or context.lean == "future":
        day = _earliest_weekday(weekday, published)
    else:
        day = _latest_weekday(weekday, published)
    return DateValue(day, day, "day")


def _on_nearby_day(match: re.Match[str], context: _Context) -> _Reading:
    offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}[match["word"]]
    day = context.published + timedelta(days=offset)
    return DateValue(day, day, "day")


def _on_relative_unit(match: re.Match[str], context: _Context) -> _Reading:
    which, unit = match["which"], match["unit"]
    if which in ("past", "coming"):
        return None  # "the past week" and "the coming month" are rolling spans, not units
    shift = {"this": 0, "next": 1, "last": -1}[which]
    first, last = _unit_around(unit, context.published, shift)
    # "Later this month" is after the day it is said, "earlier this month" before it.
    if which == "this" and match["cut"] == "later":
        first = context.published + timedelta(days=1)
    elif which == "this" and match["cut"] == "earlier":
        last = context.published - timedelta(days=1)
    if first > last:
        return None  # "later this month" on its last day
    return DateValue(first, last, unit)


def _on_month(match: re.Match[str], context: _Context) -> _Reading:
    lead, year_words = match["lead"], match["year"]
    if not lead and not year_words and match.span() != (0, len(context.text)):
        # A month word with nothing that makes it a date: "may" and "march" are also verbs.
        return _NOT_A_DATE
    if lead in ("last", "next"):
        return None  # "last February" said in March: this year's or last year's?
    month = _month_number(match["month"])
    if lead == "this":
        year_words = "this year"
    year = _year_from_words(year_words, context.published)
    if year is not None:
        first, last = _month_interval(year, month)
    else:
        chosen = _choose_year(lambda y: _month_interval(y, month), context, too_far=_months_too_far)
        if chosen is None:
            return None
        first, last = chosen
    return DateValue(first, last, "month")


def _on_quarter(match: re.Match[str], context: _Context) -> _Reading:
    ordinal, year_words = match["ordinal"], match["year"]
    if ordinal in ("final", "last"):
        if not year_words:
            return _NOT_A_DATE  # "the last quarter" is the previous one, read as a relative unit
        quarter = 4
    else:
        quarter = int(ordinal[0]) if ordinal[0].isdigit() else _ORDINALS[ordinal]
    year = _year_from_words(year_words, context.published)
    if year is not None:
        first, last = _quarter_interval(year, quarter)
    else:
        chosen = _choose_year(
            lambda y: _quarter_interval(y, quarter), context, too_far=_months_too_far
        )
        if chosen is None:
            return None
        first, last = chosen
    return DateValue(first, last, "quarter")


_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}


def _on_year(match: re.Match[str], context: _Context) -> _Reading:
    first, last = _year_interval(int(match["year"]))
    return DateValue(first, last, "year")


# Earlier patterns win when two read exactly the same words.
_PATTERNS: tuple[tuple[str, Callable[[re.Match[str], _Context], _Reading]], ...] = (
    (_RANGE, _on_range),
    (_ISO_DAY, _on_iso_day),
    (_SINGLE_MONTH_DAY, _on_month_day),
    (_SINGLE_DAY_MONTH, _on_day_month),
    (_WEEKDAY_PHRASE, _on_weekday),
    (_NEARBY_DAY, _on_nearby_day),
    (_QUARTER_PHRASE, _on_quarter),
    (_QUARTER_CODE, _on_quarter),
    (_RELATIVE_UNIT, _on_relative_unit),
    (_MONTH_PHRASE, _on_month),
    (_YEAR_ALONE, _on_year),
)


# --- Absolute dates ------------------------------------------------------------------------------


def _read_absolute(day: str, month: int, year: str | None, order: str) -> _MonthDay | None:
    """Month, day and written year of a day; None if the calendar has no such day ("Feb. 30").

    The patterns have isolated the parts already (a day of 1 to 31 with an ordinal suffix or
    none, a month by its number, a year of four digits): what is left is the calendar's check,
    done here. dateparser read these fragments before and gave the same answers (checked for
    every day, suffix, month and order, with no year and with leap and common years), at a
    cost that made it most of the extractor's time on the seeds. order is kept for callers:
    the parts are named already, so it changes nothing."""
    del order
    number = int(day.rstrip("stndrh"))
    written = int(year) if year else None
    # A day without its year is checked in a leap year, so that Feb. 29 passes (its year is
    # chosen later, and may reject it then).
    if _make_date(2000 if written is None else written, month, number) is None:
        return None
    return month, number, written


# --- Calendar rules -----------------------------------------------------------------------------


def _make_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:  # Feb. 29 outside a leap year, or a year out of range
        return None


def _day_in(month: int, day: int) -> Callable[[int], _Interval | None]:
    """The day of a given year, as a one-day interval, or None if that year lacks it."""

    def in_year(year: int) -> _Interval | None:
        found = _make_date(year, month, day)
        return None if found is None else (found, found)

    return in_year


def _choose_year(
    in_year: Callable[[int], _Interval | None],
    context: _Context,
    *,
    too_far: Callable[[date, _Interval], bool],
) -> _Interval | None:
    """The year of a day, month or quarter written without one: see the module's docstring."""
    published = context.published
    years = range(published.year - _YEARS_AROUND, published.year + _YEARS_AROUND + 1)
    candidates = sorted(found for year in years if (found := _safe(in_year, year)) is not None)
    if not candidates:
        return None
    if context.tense == "past":
        return max((c for c in candidates if c[0] <= published), default=None)
    if context.tense == "future":
        return min((c for c in candidates if c[1] >= published), default=None)
    if context.lean is not None:
        # The nearest that fits the lean, among those not too far away; else the rule below.
        fitting = [
            c
            for c in candidates
            if not too_far(published, c)
            and (c[0] <= published if context.lean == "past" else c[1] >= published)
        ]
        if fitting:
            return min(fitting, key=lambda c: (_days_away(published, c), c[0]))
    same_year = _safe(in_year, published.year)
    if same_year is not None and not too_far(published, same_year):
        return same_year
    # The nearer year; on a tie the earlier, since news more often looks back than ahead.
    return min(candidates, key=lambda c: (_days_away(published, c), c[0]))


def _safe(in_year: Callable[[int], _Interval | None], year: int) -> _Interval | None:
    try:
        return in_year(year)
    except ValueError:  # a year outside 1..9999
        return None


def _days_away(published: date, interval: _Interval) -> int:
    """Days from the publication day to the nearest day of the interval; 0 inside it."""
    first, last = interval
    if published < first:
        return (first - published).days
    if published > last:
        return (published - last).days
    return 0


def _days_too_far(published: date, interval: _Interval) -> bool:
    return _days_away(published, interval) > _FAR_DAYS


def _months_too_far(published: date, interval: _Interval) -> bool:
    # Counted in calendar months, so that "in August" from any day of February is six months off.
    here = published.year * 12 + published.month
    first = interval[0].year * 12 + interval[0].month
    last = interval[1].year * 12 + interval[1].month
    away = first - here if here < first else here - last if here > last else 0
    return away > _FAR_MONTHS


def _year_from_words(words: str | None, published: date) -> int | None:
    """The year of "2022", "this year", "last year" or "next year"; None when not written."""
    if not words:
        return None
    words = re.sub(r"\s+", " ", words)
    relative = {"this year": 0, "last year": -1, "next year": 1}
    if words in relative:
        return published.year + relative[words]
    return int(words)


def _weekday_fits(day: date, weekday: int | None) -> bool:
    return weekday is None or day.weekday() == weekday


def _latest_weekday(weekday: int, on_or_before: date) -> date:
    return on_or_before - timedelta(days=(on_or_before.weekday() - weekday) % 7)


def _earliest_weekday(weekday: int, on_or_after: date) -> date:
    return on_or_after + timedelta(days=(weekday - on_or_after.weekday()) % 7)


def _monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _month_interval(year: int, month: int) -> _Interval:
    first = date(year, month, 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, following - timedelta(days=1)


def _quarter_interval(year: int, quarter: int) -> _Interval:
    first_month = 3 * (quarter - 1) + 1
    return date(year, first_month, 1), _month_interval(year, first_month + 2)[1]


def _year_interval(year: int) -> _Interval:
    return date(year, 1, 1), date(year, 12, 31)


def _unit_around(unit: str, published: date, shift: int) -> _Interval:
    """The week, month, quarter or year of the publication day, moved by shift units."""
    if unit == "week":
        monday = _monday_of(published) + timedelta(weeks=shift)
        return monday, monday + timedelta(days=6)
    if unit == "month":
        index = published.year * 12 + published.month - 1 + shift
        return _month_interval(index // 12, index % 12 + 1)
    if unit == "quarter":
        index = published.year * 4 + (published.month - 1) // 3 + shift
        return _quarter_interval(index // 4, index % 4 + 1)
    return _year_interval(published.year + shift)
