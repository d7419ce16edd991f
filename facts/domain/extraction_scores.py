"""How candidate claims score against curated ones: pure Python, nothing from Django.

A candidate is found when its span overlaps a curated claim's wording of its kind, and right
when its value agrees too (the number, or the days, or the actor credited). Precision is the
share of candidates that match some curated claim, recall the share of curated claims that some
candidate matches; both are given for "found" (spans only, as the libraries the issue compares
against were measured) and for "right" (span and value).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from facts.domain.candidates import KINDS, Candidate
from facts.domain.units import convert
from facts.domain.values import normalise_hedge


@dataclass(frozen=True)
class Curated:
    """A curated claim as scored: its kind here, where its wording stands, and its value."""

    kind: str
    start: int
    end: int
    wording: str
    number: Decimal | None = None
    unit: str = ""
    hedge: str = ""
    date_earliest: date | None = None
    date_latest: date | None = None
    actor_key: str | None = None
    undisclosed: bool = False


@dataclass(frozen=True)
class Score:
    """The figures of one kind."""

    kind: str
    candidates: int
    curated: int
    found_candidates: int
    found_curated: int
    right_candidates: int
    right_curated: int

    @property
    def precision(self) -> float:
        return self.found_candidates / self.candidates if self.candidates else 0.0

    @property
    def recall(self) -> float:
        return self.found_curated / self.curated if self.curated else 0.0

    @property
    def right_precision(self) -> float:
        return self.right_candidates / self.candidates if self.candidates else 0.0

    @property
    def right_recall(self) -> float:
        return self.right_curated / self.curated if self.curated else 0.0


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def value_agrees(candidate: Candidate, curated: Curated) -> bool:
    """Whether a candidate states the curated value (its kind's part of it)."""
    if candidate.kind == "quantity":
        if candidate.undisclosed or curated.undisclosed:
            return candidate.undisclosed and curated.undisclosed
        if curated.number is None or candidate.number is None:
            return (
                curated.number is None
                and candidate.number is None
                and normalise_hedge(candidate.hedge) == normalise_hedge(curated.hedge)
            )
        if candidate.number == curated.number:
            return True
        # "150 kilometers (93 miles)" is one candidate; the curated "93 miles" agrees with it
        # when it converts to the candidate's number (within the rounding of the conversion).
        if "(" in candidate.wording and candidate.unit and curated.unit:
            try:
                converted = convert(curated.number, curated.unit, candidate.unit)
            except Exception:  # units that do not convert: no agreement
                return False
            return abs(converted - candidate.number) <= candidate.number * Decimal("0.02")
        return False
    if candidate.kind == "date":
        return (candidate.date_earliest, candidate.date_latest) == (
            curated.date_earliest,
            curated.date_latest,
        )
    return candidate.actor_key is not None and candidate.actor_key == curated.actor_key


def score(
    kind: str,
    candidates: Sequence[Candidate],
    curated: Sequence[Curated],
    agrees: Callable[[Candidate, Curated], bool] = value_agrees,
) -> Score:
    """The figures of one kind over all articles' candidates and curated claims; both carry
    offsets into their own article, so each list holds one article's or pairs are keyed alike."""
    mine = [c for c in candidates if c.kind == kind]
    theirs = [c for c in curated if c.kind == kind]

    def found(c: Candidate, t: Curated) -> bool:
        return overlaps(c.start, c.end, t.start, t.end)

    return Score(
        kind=kind,
        candidates=len(mine),
        curated=len(theirs),
        found_candidates=sum(any(found(c, t) for t in theirs) for c in mine),
        found_curated=sum(any(found(c, t) for c in mine) for t in theirs),
        right_candidates=sum(any(found(c, t) and agrees(c, t) for t in theirs) for c in mine),
        right_curated=sum(any(found(c, t) and agrees(c, t) for c in mine) for t in theirs),
    )


def add(scores: Sequence[Score]) -> list[Score]:
    """Per-article scores summed by kind, in the order of KINDS."""
    total = []
    for kind in KINDS:
        of_kind = [s for s in scores if s.kind == kind]
        total.append(
            Score(
                kind,
                *(
                    sum(getattr(s, name) for s in of_kind)
                    for name in (
                        "candidates",
                        "curated",
                        "found_candidates",
                        "found_curated",
                        "right_candidates",
                        "right_curated",
                    )
                ),
            )
        )
    return total
