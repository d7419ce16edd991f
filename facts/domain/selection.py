"""Words an editor selects in an article, read as the ingest reads a text: pure Python, nothing
from Django.

The claim form opened from a selection is filled from what `candidates.propose` finds in the
article (the same parsers the ingest runs, so "around 30,000 troops" is approximate 30,000 here
as there): the value that the selection covers, the attribution nearest it in its sentence
(else just before it in its paragraph), the fact the value's words name. Nothing is guessed that
the ingest would not propose.

`value_contradiction` holds a claim's value to the value its wording states, by the same
reading: the wording "around 30,000" with the value 3,000 is a contradiction to warn of.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from facts.domain.candidates import Candidate, KnownActor, KnownFact, propose
from facts.domain.tense import sentence_around

# How far before a selection (in characters, within its paragraph) an attribution may stand to
# be suggested when its own sentence has none: "The Kremlin said on Monday. About 30,000 …" is
# rare; a paragraph's attribution usually covers the sentences after it.
ATTRIBUTION_REACH = 300
VALUE_KINDS = ("quantity", "date")


@dataclass(frozen=True)
class SelectionReading:
    """What the ingest's parsers read in and around the selected words."""

    sentence: str
    sentence_start: int
    # The quantity or date candidate the selection covers most, if any.
    value: Candidate | None = None
    # The attribution (or quotation) that credits the selection, if any.
    attribution: Candidate | None = None
    fact_key: str | None = None
    suggested_fact_keys: tuple[str, ...] = ()
    fact_suggestion: str = ""


@dataclass(frozen=True)
class StatedValue:
    """A claim's value as an editor gives it, for comparison with its wording."""

    value_kind: str
    number: Decimal | None = None
    number_high: Decimal | None = None
    bound: str = ""
    date_earliest: date | None = None
    date_latest: date | None = None
    undisclosed: bool = False


def _overlap(candidate: Candidate, start: int, end: int) -> int:
    return min(candidate.end, end) - max(candidate.start, start)


def values_in_span(found: Sequence[Candidate], start: int, end: int, kind: str) -> list[Candidate]:
    """The candidates of a kind that share characters with start-end, the most shared first."""
    hits = [c for c in found if c.kind == kind and _overlap(c, start, end) > 0]
    return sorted(hits, key=lambda c: -_overlap(c, start, end))


def read_selection(
    text: str,
    start: int,
    end: int,
    *,
    published: date | None,
    published_latest: date | None = None,
    actors: Sequence[KnownActor] = (),
    facts: Sequence[KnownFact] = (),
) -> SelectionReading:
    """Read the selection text[start:end] with the ingest's parsers run over the whole text (an
    attribution may refer back: "he said")."""
    if not 0 <= start < end <= len(text):
        raise ValueError(f"The span {start}-{end} is not inside a text of {len(text)} characters.")
    sentence, sentence_start = sentence_around(text, start, end)
    found = propose(
        text,
        published=published,
        published_latest=published_latest,
        actors=actors,
        facts=facts,
    )
    value = next(
        iter(
            sorted(
                (c for kind in VALUE_KINDS for c in values_in_span(found, start, end, kind)),
                key=lambda c: -_overlap(c, start, end),
            )
        ),
        None,
    )
    attribution = _nearest_attribution(
        text, found, start, end, sentence_start, sentence_start + len(sentence)
    )
    fact_key = value.fact_key if value else None
    return SelectionReading(
        sentence=sentence,
        sentence_start=sentence_start,
        value=value,
        attribution=attribution,
        fact_key=fact_key,
        suggested_fact_keys=value.suggested_fact_keys if value else (),
        fact_suggestion=value.fact_suggestion if value else "",
    )


def _nearest_attribution(
    text: str,
    found: Sequence[Candidate],
    start: int,
    end: int,
    sentence_start: int,
    sentence_end: int,
) -> Candidate | None:
    """A quotation holding the selection, with its speaker; else the credited attribution
    nearest the selection in its sentence; else the nearest before it in its paragraph."""
    for quote in found:
        if quote.kind == "quotation" and quote.actor_key and _overlap(quote, start, end) > 0:
            return quote
    credited = [c for c in found if c.kind == "attribution" and c.actor_key]

    def distance(c: Candidate) -> int:
        return max(c.start - end, start - c.end, 0)

    in_sentence = [c for c in credited if sentence_start <= c.start and c.end <= sentence_end]
    if in_sentence:
        return min(in_sentence, key=distance)
    paragraph_start = text.rfind("\n\n", 0, start) + 1
    before = [
        c
        for c in credited
        if c.end <= start and c.start >= max(paragraph_start, start - ATTRIBUTION_REACH)
    ]
    return min(before, key=distance) if before else None


def read_wording(
    text: str,
    start: int,
    end: int,
    *,
    published: date | None,
    published_latest: date | None = None,
) -> list[Candidate]:
    """The values the ingest reads in text[start:end], with the text around it: a number needs
    the noun after it ("around 30,000" is a count only with "troops" after it)."""
    found = propose(text, published=published, published_latest=published_latest)
    return [c for kind in VALUE_KINDS for c in values_in_span(found, start, end, kind)]


def value_contradiction(read: Sequence[Candidate], given: StatedValue) -> str | None:
    """Why a claim's value contradicts what its wording states (None when it agrees, or when
    the wording states no value the parsers read: then there is nothing to hold it to)."""
    if given.undisclosed:
        return None
    stated = [c for c in read if c.kind == given.value_kind and not c.undisclosed]
    if given.value_kind == "quantity":
        stated = [c for c in stated if c.number is not None or c.bound == "vague"]
        if not stated or any(_same_quantity(c, given) for c in stated):
            return None
        return (
            f"The wording says “{stated[0].wording}”, read as {_quantity_words(stated[0])}; "
            f"the value given is {_given_words(given)}."
        )
    if given.value_kind == "date":
        stated = [c for c in stated if c.date_earliest is not None and c.date_latest is not None]
        if not stated or given.date_earliest is None or given.date_latest is None:
            return None
        if any(_dates_meet(c, given) for c in stated):
            return None
        read_as = stated[0]
        return (
            f"The wording says “{read_as.wording}”, read as {_days(read_as.date_earliest, read_as.date_latest)}; "
            f"the value given is {_days(given.date_earliest, given.date_latest)}."
        )
    return None


def _same_quantity(read: Candidate, given: StatedValue) -> bool:
    if read.bound == "vague" or given.bound == "vague":
        return read.bound == given.bound
    same_numbers = read.number == given.number and read.number_high == given.number_high
    # A bound left empty is completed from the wording's hedge when the claim is saved.
    same_bound = not given.bound or not read.bound or read.bound == given.bound
    return same_numbers and same_bound


def _dates_meet(read: Candidate, given: StatedValue) -> bool:
    assert read.date_earliest and read.date_latest and given.date_earliest and given.date_latest
    return read.date_earliest <= given.date_latest and given.date_earliest <= read.date_latest


def _number(value: Decimal | None) -> str:
    if value is None:
        return "?"
    normal = value.normalize()
    return f"{int(normal):,}" if normal == normal.to_integral() else f"{normal:,f}"


def _bound_words(bound: str) -> str:
    return bound.replace("_", " ") if bound else "exact"


def _quantity_words(read: Candidate) -> str:
    if read.bound == "vague":
        return f"vague ({read.hedge})"
    if read.number_high is not None:
        return f"{_number(read.number)} to {_number(read.number_high)}"
    return f"{_bound_words(read.bound)} {_number(read.number)}"


def _given_words(given: StatedValue) -> str:
    if given.bound == "vague":
        return "vague"
    if given.number_high is not None:
        return f"{_number(given.number)} to {_number(given.number_high)}"
    return f"{_bound_words(given.bound)} {_number(given.number)}"


def _days(earliest: date | None, latest: date | None) -> str:
    if earliest is None or latest is None:
        return "no day"
    if earliest == latest:
        return earliest.isoformat()
    return f"{earliest.isoformat()} to {latest.isoformat()}"
