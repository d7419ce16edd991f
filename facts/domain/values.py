"""Claim values and the intervals they stand for: pure Python, nothing from Django.

A quantity is stored as written (number, hedge, bound kind, unit); its lower and upper
bounds are derived by the rules in data/hedges.json, never guessed. A date is an interval
of days with a precision. Both are checked here so that the model, the API and the ingest
give the same messages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

HEDGES_PATH = Path(__file__).parent / "data" / "hedges.json"

BOUND_KINDS = (
    "exact",
    "approximate",
    "at_least",
    "more_than",
    "at_most",
    "less_than",
    "range",
    "vague",
)
DATE_PRECISIONS = ("day", "week", "month", "quarter", "year")


class InvalidValue(ValueError):
    """A value that cannot be stored, with the field it concerns."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class HedgeRules:
    """The rules of data/hedges.json, as loaded."""

    bound_kinds: dict[str, Any]
    hedges: dict[str, Any]
    vague: dict[str, Any]

    def bound_for_hedge(self, hedge: str) -> str | None:
        """Return the bound kind a hedge word implies, if the rules know it."""
        key = normalise_hedge(hedge)
        if key in self.vague:
            return "vague"
        rule = self.hedges.get(key)
        return rule["bound"] if rule else None

    def leading_hedge(self, wording: str) -> str | None:
        """The hedge a wording starts with, as its key in the rules ("Some 30,000 troops" ->
        "some"), or None.

        The longest known phrase wins ("some time" over "some", "more than" over "more"), whole
        words only ("overall" is not "over"), case and spacing ignored. A hedge with a number
        ("about", "over") counts only when a number follows it: "over the border, 30,000 troops"
        does not start with one. A vague word ("thousands", "several") needs no number.
        """
        folded = normalise_hedge(wording)
        for key in sorted({*self.hedges, *self.vague}, key=len, reverse=True):
            if not folded.startswith(key):
                continue
            rest = folded[len(key) :]
            if rest and (rest[0].isalnum() or rest[0] in "-_"):
                continue  # a longer word: "overall", "sometimes"
            if key in self.vague or _NUMBER_START.match(rest.lstrip()):
                return key
        return None

    def complete_bound(
        self,
        *,
        bound: str,
        hedge: str,
        wording: str = "",
        has_number_high: bool = False,
    ) -> tuple[str, str]:
        """The (hedge, bound) of a quantity, what the writer left out derived from the rest.

        - A bound given is kept as given: whether it fits the hedge is quantity_bounds' to say,
          so a contradiction is refused with a message, not silently replaced.
        - A hedge without a bound gives the hedge's bound ("some" -> approximate, "thousands" ->
          vague); a hedge the rules do not know gives no bound ("" is returned for it), since
          guessing one would be a guess.
        - Neither: the hedge the wording starts with, if any ("some 30,000 troops" -> "some",
          approximate); else a range when a second number is given, and exact otherwise.
        """
        if bound:
            return hedge, bound
        if hedge:
            return hedge, self.bound_for_hedge(hedge) or ""
        found = self.leading_hedge(wording) if wording else None
        if found is not None:
            return found, self.bound_for_hedge(found) or ""
        return "", "range" if has_number_high else "exact"


# What may follow a hedge with a number ("some 30,000", "about a dozen", "over $2 million"): a
# hedge word that is not followed by a number is some other use of the word ("over the border").
_NUMBER_START = re.compile(
    r"[$£€]?\d|(?:(?:a|an)\s+)?(?:dozen|hundred|thousand|million|billion)\b"
    r"|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)\b",
    re.IGNORECASE,
)


def normalise_hedge(hedge: str) -> str:
    """Fold a hedge as written ("Some", "more\u00a0than") to its key in the rules."""
    return " ".join(hedge.replace("\u00a0", " ").lower().split())


@lru_cache(maxsize=1)
def load_rules(path: str | None = None) -> HedgeRules:
    """Load the hedge rules (cached; pass a path to use another file)."""
    data = json.loads(Path(path or HEDGES_PATH).read_text(encoding="utf-8"))
    return HedgeRules(bound_kinds=data["bound_kinds"], hedges=data["hedges"], vague=data["vague"])


def complete_bound(
    *,
    bound: str,
    hedge: str,
    wording: str = "",
    has_number_high: bool = False,
    rules: HedgeRules | None = None,
) -> tuple[str, str]:
    """The (hedge, bound) of a quantity with what is missing derived: HedgeRules.complete_bound
    by the rules of data/hedges.json (or those given)."""
    return (rules or load_rules()).complete_bound(
        bound=bound, hedge=hedge, wording=wording, has_number_high=has_number_high
    )


def _factor(value: object) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def quantity_bounds(
    *,
    bound: str,
    number: Decimal | None,
    number_high: Decimal | None = None,
    hedge: str = "",
    rules: HedgeRules | None = None,
) -> tuple[Decimal | None, Decimal | None]:
    """Derive (lower, upper) for a quantity as written; None is unbounded.

    Raises InvalidValue naming the field at fault when the value is incomplete.
    """
    rules = rules or load_rules()
    if bound not in BOUND_KINDS:
        raise InvalidValue("bound", f"Unknown bound kind {bound!r}.")
    key = normalise_hedge(hedge)
    if bound == "vague":
        if key not in rules.vague:
            known = ", ".join(sorted(rules.vague))
            raise InvalidValue(
                "hedge",
                f"A vague quantity needs a known vague word ({known}); got {hedge!r}.",
            )
        if number is not None:
            raise InvalidValue("number", "A vague quantity has no number as written.")
        rule = rules.vague[key]
        return _factor(rule["low"]), _factor(rule["high"])
    if number is None:
        raise InvalidValue(
            "number", f"A quantity that is {bound.replace('_', ' ')} needs a number."
        )
    if number < 0:
        raise InvalidValue("number", "A quantity cannot be negative.")
    if bound == "range":
        if number_high is None:
            raise InvalidValue("number_high", "A range needs its second number.")
        if number_high < number:
            raise InvalidValue(
                "number_high",
                "A range's second number cannot be smaller than its first.",
            )
        return number, number_high
    if number_high is not None:
        raise InvalidValue("number_high", "Only a range has a second number.")
    rule = dict(rules.bound_kinds[bound])
    hedge_rule = rules.hedges.get(key)
    if hedge_rule is not None:
        if hedge_rule["bound"] != bound:
            raise InvalidValue(
                "bound",
                f"The hedge {hedge!r} means {hedge_rule['bound'].replace('_', ' ')}, "
                f"not {bound.replace('_', ' ')}.",
            )
        rule.update({k: v for k, v in hedge_rule.items() if k.endswith("_factor")})
    low, high = _factor(rule["low_factor"]), _factor(rule["high_factor"])
    return (
        None if low is None else number * low,
        None if high is None else number * high,
    )


def check_date_interval(earliest: date | None, latest: date | None, precision: str) -> None:
    """Refuse a date value that is incomplete or runs backwards.

    The precision is how finely the date is stated; the interval is what it may be, so
    "Feb. 17 or 18" is precise to the day and two days wide.
    """
    if earliest is None or latest is None:
        raise InvalidValue("date_earliest", "A date needs its earliest and latest day.")
    if earliest > latest:
        raise InvalidValue("date_latest", "A date's latest day cannot come before its earliest.")
    if precision not in DATE_PRECISIONS:
        raise InvalidValue("date_precision", f"Unknown date precision {precision!r}.")


def anchor_problem(
    text: str, *, wording: str, start: int, end: int, prefix: str, suffix: str
) -> str | None:
    """Say why a wording does not stand in the text at its offsets, or None if it does."""
    if not wording:
        return "The wording cannot be empty."
    if start < 0 or end > len(text) or end - start != len(wording):
        return (
            f"The offsets {start}-{end} do not fit a wording of {len(wording)} characters "
            f"in a text of {len(text)}."
        )
    found = text[start:end]
    if found != wording:
        return f"The article has {found!r} at {start}-{end}, not {wording!r}."
    if prefix and text[max(0, start - len(prefix)) : start] != prefix:
        return "The prefix does not match the text before the wording."
    if suffix and text[end : end + len(suffix)] != suffix:
        return "The suffix does not match the text after the wording."
    return None


def occurrences(text: str, wording: str, *, prefix: str = "") -> list[int]:
    """Every start offset of a wording in a text, matched exactly (digits and spaces too);
    only those right after `prefix` when any are."""
    starts = []
    position = text.find(wording) if wording else -1
    while position != -1:
        starts.append(position)
        position = text.find(wording, position + 1)
    if prefix:
        matching = [s for s in starts if text[max(0, s - len(prefix)) : s] == prefix]
        if matching:
            return matching
    return starts


def find_anchor(
    text: str, wording: str, *, near: int | None = None, prefix: str = ""
) -> tuple[int, int]:
    """Locate a wording in a text: the occurrence after `prefix`, else the one nearest `near`.

    Raises LookupError when the wording does not occur.
    """
    starts = occurrences(text, wording, prefix=prefix)
    if not starts:
        raise LookupError(f"{wording!r} does not occur in the text.")
    if near is not None:
        starts.sort(key=lambda s: abs(s - near))
    return starts[0], starts[0] + len(wording)


CONTEXT_CHARS = 32


def anchor_context(text: str, start: int, end: int, width: int = CONTEXT_CHARS) -> tuple[str, str]:
    """Return the prefix and suffix (up to `width` characters) around an anchored wording."""
    return text[max(0, start - width) : start], text[end : end + width]


def relocate(text: str, *, wording: str, prefix: str, suffix: str) -> tuple[int, int] | None:
    """Where a wording stands in a changed text, found as a W3C Web Annotation quote is: its
    exact characters, told apart from other occurrences by the prefix and suffix kept with it.

    Returns None when the wording is gone, or when its context cannot tell which occurrence is
    meant: a claim is orphaned then rather than moved onto another number.
    """
    starts = occurrences(text, wording)

    def before_matches(start: int) -> bool:
        return text[max(0, start - len(prefix)) : start] == prefix

    def after_matches(start: int) -> bool:
        end = start + len(wording)
        return text[end : end + len(suffix)] == suffix

    for matching in (
        [s for s in starts if before_matches(s) and after_matches(s)],
        [s for s in starts if before_matches(s) or after_matches(s)],
    ):
        if len(matching) == 1:
            return matching[0], matching[0] + len(wording)
        if len(matching) > 1:
            return None
    return None
