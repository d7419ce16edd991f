"""A claim's value as its source gave it, for verdict summaries: 'as many as 50,000', 'several
weeks', 'in 2014'. Summaries quote these instead of inventing a midpoint no source gave."""

from __future__ import annotations

import calendar
from datetime import date

from facts.domain.agreement import plain_number, plural

# Bounds whose words do not say the interval they were read as: 'some 30,000' is compared as
# 27,000 to 33,000, 'several weeks' as 21 to 63 days; a summary shows that interval beside them.
READ_AS_INTERVAL = frozenset({"approximate", "vague"})
QUARTERS = ("first", "second", "third", "fourth")


def quantity_phrase(
    *, hedge: str, bound: str, number: float | None, number_high: float | None, unit: str
) -> str:
    """'as many as 50,000', 'more than 100,000', 'several weeks', '12 miles'."""
    if bound == "vague":
        if not hedge:
            return ""
        return f"{hedge} {plural(unit)}" if unit else hedge
    if number is None:
        return ""
    if bound == "range" and number_high is not None:
        value = f"{plain_number(number)} to {plain_number(number_high)}"
        one = False
    else:
        value = plain_number(number)
        one = number == 1
    words = f"{hedge} {value}" if hedge else value
    if unit:
        words += f" {unit if one else plural(unit)}"
    return words


def date_phrase(earliest: date | None, latest: date | None, precision: str) -> str:
    """'in 2014', 'in February 2022', 'in the first quarter of 2022'; '' when the interval is
    not one whole period of the precision given (then the dates themselves are the value)."""
    if earliest is None or latest is None:
        return ""
    if precision == "year" and (earliest, latest) == (
        date(earliest.year, 1, 1),
        date(earliest.year, 12, 31),
    ):
        return f"in {earliest.year}"
    if precision == "month":
        last = calendar.monthrange(earliest.year, earliest.month)[1]
        if (earliest.day, latest) == (1, date(earliest.year, earliest.month, last)):
            return f"in {calendar.month_name[earliest.month]} {earliest.year}"
    if precision == "quarter" and earliest.day == 1 and (earliest.month - 1) % 3 == 0:
        quarter = (earliest.month - 1) // 3
        end_month = earliest.month + 2
        end = date(earliest.year, end_month, calendar.monthrange(earliest.year, end_month)[1])
        if latest == end:
            return f"in the {QUARTERS[quarter]} quarter of {earliest.year}"
    if precision == "week" and (latest - earliest).days == 6:
        return f"in the week of {earliest.isoformat()}"
    return ""
