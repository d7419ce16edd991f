"""PLACEHOLDER for the candidate extractor (issue 13, item 3), written by another helper on its
own branch: the lead takes that version at merge. This stand-in keeps the interface the ingest
service calls and proposes nothing. Pure Python, nothing from Django."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class KnownActor:
    key: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownFact:
    key: str
    subject: str
    property: str
    value_kind: str
    unit: str = ""


@dataclass(frozen=True)
class Candidate:
    kind: str
    start: int
    end: int
    wording: str
    number: Decimal | None = None
    number_high: Decimal | None = None
    unit: str = ""
    hedge: str = ""
    bound: str = ""
    date_earliest: date | None = None
    date_latest: date | None = None
    date_precision: str = ""
    category: str = ""
    actor_key: str = ""
    attribution_cue: str = ""
    attribution_mode: str = "own_voice"
    speaker: str = ""
    fact_key: str = ""
    fact_suggestion: str = ""


def propose(
    text: str,
    *,
    published: date | None,
    actors: Sequence[KnownActor] = (),
    facts: Sequence[KnownFact] = (),
) -> list[Candidate]:
    """The candidate claims in a news body (placeholder: none)."""
    return []
