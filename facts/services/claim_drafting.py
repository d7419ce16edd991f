"""A claim as an editor drafts it: what the selected words suggest, and what to warn of before
it is saved. Reads only; the save itself is facts.services.claims.save_claim's.

The rules live here, once: the claim form shows them (facts.workspace.claim_form), and any
other desk that drafts claims can ask the same questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from facts.domain import selection
from facts.domain.candidates import Candidate
from facts.models import Actor, Article, Claim, Fact
from facts.models.subjects import ValueKind
from facts.services.ingest import KnownRecord


@dataclass(frozen=True)
class ClaimSuggestion:
    """What the ingest's parsers suggest for a claim on the selected words."""

    sentence: str
    sentence_start: int
    fact: Fact | None = None
    # Facts that fit equally, or a fact only suggested (a statement's): the editor chooses.
    suggested_facts: tuple[Fact, ...] = ()
    fact_suggestion: str = ""
    actor: Actor | None = None
    attribution_mode: str = Claim.AttributionMode.OWN_VOICE
    attribution_cue: str = ""
    value_kind: str = ""
    # The value's fields as a Claim stores them (number, bound, hedge, date_earliest …).
    value: dict[str, Any] = field(default_factory=dict)


def suggest_claim(*, article: Article, start: int, end: int) -> ClaimSuggestion:
    """Read the words article.text[start:end] as the ingest would (two queries for the known
    actors and facts, one for the rows it names). Raises ValueError for a span outside the
    text."""
    known = KnownRecord.read()
    reading = selection.read_selection(
        article.text,
        start,
        end,
        published=article.published_earliest,
        published_latest=article.published_latest,
        # The ingest's own reading of the record: the same actors and facts it matches.
        actors=known.actors,
        facts=known.facts,
    )
    fact_keys = [k for k in (reading.fact_key, *reading.suggested_fact_keys) if k]
    attribution = reading.attribution
    actor_key = attribution.actor_key if attribution else None
    facts = Fact.objects.select_related("subject").in_bulk([int(k) for k in fact_keys])
    actor = Actor.objects.filter(slug=actor_key).first() if actor_key else None
    fact = facts.get(int(reading.fact_key)) if reading.fact_key else None
    value = reading.value
    value_kind = fact.value_kind if fact else _kind_of(value)
    suggestion = ClaimSuggestion(
        sentence=reading.sentence,
        sentence_start=reading.sentence_start,
        fact=fact,
        suggested_facts=tuple(
            facts[int(k)] for k in reading.suggested_fact_keys if int(k) in facts
        ),
        fact_suggestion=reading.fact_suggestion,
        actor=actor,
        attribution_mode=_mode_of(attribution)
        if attribution and actor
        else Claim.AttributionMode.OWN_VOICE,
        attribution_cue=(attribution.attribution_cue or attribution.wording)[:300]
        if attribution and actor
        else "",
        value_kind=value_kind,
        value=_value_fields(value, value_kind),
    )
    return suggestion


def _kind_of(value: Candidate | None) -> str:
    if value is None:
        return ""
    return ValueKind.DATE if value.kind == "date" else ValueKind.QUANTITY


def _mode_of(attribution: Candidate) -> str:
    if attribution.kind == "quotation":
        return Claim.AttributionMode.DIRECT_QUOTE
    return attribution.attribution_mode


def _value_fields(value: Candidate | None, value_kind: str) -> dict[str, Any]:
    """The candidate's value as a Claim's fields, when it is of the fact's kind."""
    if value is None or _kind_of(value) != value_kind:
        return {}
    if value_kind == ValueKind.QUANTITY:
        if value.undisclosed:
            return {"undisclosed": True}
        return {
            "number": value.number,
            "number_high": value.number_high,
            "unit": value.unit,
            "hedge": value.hedge,
            "bound": value.bound,
        }
    if value.date_earliest is None:
        return {}
    return {
        "date_earliest": value.date_earliest,
        "date_latest": value.date_latest,
        "date_precision": value.date_precision,
    }


# Warnings before saving -------------------------------------------------------------------


@dataclass(frozen=True)
class ClaimWarning:
    """Something an editor should see before saving a claim; they may save it all the same."""

    code: str
    message: str
    # The form field it concerns (None: the claim as a whole).
    field: str | None = None
    # The other claims it concerns, for links.
    claims: tuple[Claim, ...] = ()


CONTRADICTS_WORDING = "contradicts_wording"
DUPLICATE = "duplicate"
OVERLAP = "overlap"


def claim_warnings(*, claim: Claim) -> tuple[ClaimWarning, ...]:
    """A value that contradicts its wording, a claim that repeats another (same article, fact,
    value and actor: two actors an article credits with one value are two claims), a wording that overlaps another claim's in the same article. The claim is
    validated already (its offsets found, its bound completed); it need not be saved."""
    warnings: list[ClaimWarning] = []
    contradiction = wording_contradiction(claim=claim)
    if contradiction:
        warnings.append(ClaimWarning(CONTRADICTS_WORDING, contradiction, field=_value_field(claim)))
    others = Claim.objects.filter(article_id=claim.article_id).exclude(pk=claim.pk)
    same_fact = [
        other
        for other in others.filter(fact_id=claim.fact_id, actor_id=claim.actor_id).select_related(
            "fact__subject", "actor"
        )
        if _same_value(other, claim)
    ]
    if same_fact:
        warnings.append(
            ClaimWarning(
                DUPLICATE,
                "This article has a claim of this value on this fact by this actor already.",
                claims=tuple(same_fact),
            )
        )
    if claim.start is not None and claim.end is not None:
        overlapping = list(
            others.filter(start__lt=claim.end, end__gt=claim.start)
            .exclude(pk__in=[c.pk for c in same_fact])
            .select_related("fact__subject", "actor")
        )
        if overlapping:
            warnings.append(
                ClaimWarning(
                    OVERLAP,
                    "These words overlap the words of other claims in this article.",
                    claims=tuple(overlapping),
                )
            )
    return tuple(warnings)


def wording_contradiction(*, claim: Claim) -> str | None:
    """Why the claim's value contradicts its wording, read by the ingest's parsers in the
    article (the words after it too: a number is a count by the noun that follows it)."""
    if claim.value_kind not in (ValueKind.QUANTITY, ValueKind.DATE) or not claim.wording:
        return None
    article = claim.article
    text, start, end = article.text, claim.start, claim.end
    if not text or start is None or end is None or text[start:end] != claim.wording:
        text, start, end = claim.wording, 0, len(claim.wording)
    read = selection.read_wording(
        text,
        start,
        end,
        published=article.published_earliest,
        published_latest=article.published_latest,
    )
    return selection.value_contradiction(
        read,
        selection.StatedValue(
            value_kind=claim.value_kind,
            number=claim.number,
            number_high=claim.number_high,
            bound=claim.bound,
            date_earliest=claim.date_earliest,
            date_latest=claim.date_latest,
            undisclosed=claim.undisclosed,
        ),
    )


def _value_field(claim: Claim) -> str:
    return "number" if claim.value_kind == ValueKind.QUANTITY else "date_earliest"


# What makes two claims' values the same: the unit and hedge as written may differ ("troops",
# "soldiers"; "some", "about") for one value.
SAME_VALUE_FIELDS = (
    "undisclosed",
    "number",
    "number_high",
    "bound",
    "date_earliest",
    "date_latest",
    "category",
)


def _same_value(other: Claim, claim: Claim) -> bool:
    return all(getattr(other, name) == getattr(claim, name) for name in SAME_VALUE_FIELDS)
