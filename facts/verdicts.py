"""Stored verdicts: turn claims into evidence for facts.agreement, and keep each fact's verdict
fresh in the same transaction as any change to its claims."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import transaction
from django.utils import timezone

from facts import agreement, units
from facts.models import VERDICT_FIELDS, Actor, Article, Claim, Fact, ValueKind

CLAIM_COLUMNS = (
    "id",
    "fact_id",
    "article_id",
    "status",
    "undisclosed",
    "number",
    "number_high",
    "unit",
    "bound",
    "lower",
    "upper",
    "date_earliest",
    "date_latest",
    "date_precision",
    "category",
    "as_of",
    "wording",
    "actor_id",
    "attribution_mode",
)


@lru_cache(maxsize=256)
def unit_factor(unit: str, canonical: str) -> float:
    """How many canonical units one unit is (multiplicative units only: no temperatures)."""
    return float(units.convert(Decimal(1), unit, canonical))


class Context:
    """What evidence needs beyond the claim row: originators, outlets, stories; loaded once."""

    def __init__(self, article_ids: Iterable[int] | None = None) -> None:
        actors = {a["id"]: a for a in Actor.objects.values("id", "parent_id", "name")}
        self.originators: dict[int, tuple[str, str]] = {}
        for actor_id in actors:
            node, seen = actors[actor_id], set()
            while node["parent_id"] is not None and node["parent_id"] not in seen:
                seen.add(node["id"])
                node = actors[node["parent_id"]]
            self.originators[actor_id] = (f"actor:{node['id']}", node["name"])
        articles = Article.objects.values(
            "id", "outlet_id", "outlet__name", "wire_source_id", "wire_source__name", "text_hash"
        )
        if article_ids is not None:
            articles = articles.filter(id__in=set(article_ids))
        self.articles = {a["id"]: a for a in articles}


def evidence_from_row(row: dict, fact: dict, context: Context) -> agreement.Evidence:
    """One claim row (CLAIM_COLUMNS) as evidence in the fact's canonical unit."""
    article = context.articles[row["article_id"]]
    own_voice = row["attribution_mode"] == Claim.AttributionMode.OWN_VOICE
    if own_voice:
        outlet_id = article["wire_source_id"] or article["outlet_id"]
        outlet_name = article["wire_source__name"] or article["outlet__name"]
        originator, originator_name = f"outlet:{outlet_id}", outlet_name
    else:
        originator, originator_name = context.originators[row["actor_id"]]
    as_of = row["as_of"].toordinal() if row["as_of"] else None
    common = {
        "claim_id": row["id"],
        "article_id": row["article_id"],
        "outlet_id": article["outlet_id"],
        "originator": originator,
        "originator_name": originator_name,
        "outlet_name": article["outlet__name"],
        "own_voice": own_voice,
        "story": article["text_hash"],
        "as_of": as_of,
        "label": row["wording"],
        "undisclosed": row["undisclosed"],
    }
    if row["undisclosed"]:
        return agreement.Evidence(**common)
    kind = fact["value_kind"]
    if kind == ValueKind.CATEGORICAL:
        return agreement.Evidence(**common, category=row["category"])
    if kind == ValueKind.DATE:
        low, high = row["date_earliest"].toordinal(), row["date_latest"].toordinal()
        return agreement.Evidence(
            **common,
            low=low,
            high=high,
            point=low if low == high else None,
            precision=agreement.date_precision(row["date_precision"]),
        )
    factor = unit_factor(row["unit"], fact["unit"]) if row["unit"] != fact["unit"] else 1.0
    low = -math.inf if row["lower"] is None else float(row["lower"]) * factor
    high = math.inf if row["upper"] is None else float(row["upper"]) * factor
    if row["bound"] == Claim.Bound.RANGE:
        point = (float(row["number"]) + float(row["number_high"])) / 2 * factor
    elif row["number"] is not None:
        point = float(row["number"]) * factor
    else:
        point = None
    return agreement.Evidence(
        **common,
        low=low,
        high=high,
        point=point,
        precision=agreement.quantity_precision(low, high, point),
    )


def formatters(fact: dict) -> dict:
    """How the verdict's reasons print this fact's values."""
    if fact["value_kind"] == ValueKind.DATE:
        return {"fmt": agreement.iso_day, "unit": ""}
    return {"fmt": agreement.plain_number, "unit": fact["unit"]}


def compute(fact: dict, rows: Iterable[dict], context: Context) -> agreement.Verdict:
    """The verdict of one fact (a dict with id, value_kind, unit) over the claim rows given."""
    evidence = [evidence_from_row(row, fact, context) for row in rows]
    return agreement.verdict(evidence, **formatters(fact))


def _bound(value: float, fact: dict) -> float | str | None:
    if value is None or math.isinf(value):
        return None
    if fact["value_kind"] == ValueKind.DATE:
        return date.fromordinal(int(value)).isoformat()
    return value


def detail(result: agreement.Verdict, fact: dict, *, include_drafts: bool = False) -> dict:
    """The verdict as JSON: groups with their claims and originators, typed differences."""
    return {
        "kind": result.kind,
        "summary": result.summary,
        "include_drafts": include_drafts,
        "counts": {
            "claims": result.claims,
            "articles": result.articles,
            "outlets": result.outlets,
            "originators": result.originators,
        },
        "groups": [
            {
                "role": group.role,
                "claims": [e.claim_id for e in group.members],
                "low": _bound(group.low, fact) if not group.category else None,
                "high": _bound(group.high, fact) if not group.category else None,
                "best": _bound(group.best, fact) if group.best is not None else None,
                "category": group.category,
                "originators": [
                    {"key": key, "name": name} for key, name in sorted(group.originators.items())
                ],
                "outlets": [
                    {"id": key, "name": name} for key, name in sorted(group.outlets.items())
                ],
                "articles": len({e.article_id for e in group.members}),
            }
            for group in result.groups
        ],
        "differences": [
            {
                "type": d.type,
                "groups": list(d.groups),
                "claims": list(d.claims),
                "reason": d.reason,
            }
            for d in result.differences
        ],
        "undisclosed": [e.claim_id for e in result.undisclosed],
        "unlisted_claims": result.unlisted_claims,
    }


def stored_fields(result: agreement.Verdict, fact: dict) -> dict:
    """The Fact columns that hold a verdict."""
    consensus = result.consensus
    interval = consensus is not None and not consensus.category

    def finite(value):
        return None if value is None or math.isinf(value) else value

    return {
        "verdict": result.kind,
        "verdict_summary": result.summary,
        "verdict_detail": detail(result, fact),
        "consensus_low": finite(consensus.low) if interval else None,
        "consensus_high": finite(consensus.high) if interval else None,
        "consensus_best": finite(consensus.best) if interval else None,
        "consensus_category": consensus.category if consensus is not None else "",
        "counted_claims": result.claims,
        "counted_articles": result.articles,
        "counted_outlets": result.outlets,
        "counted_originators": result.originators,
        "verdict_updated_at": timezone.now(),
    }


FACT_COLUMNS = ("id", "value_kind", "unit")


def verdict_for(fact: Fact, *, include_drafts: bool = False) -> agreement.Verdict:
    """Compute a fact's verdict now (not stored), over verified claims and drafts if asked."""
    rows = list(fact.claims.counted(include_drafts=include_drafts).values(*CLAIM_COLUMNS))
    context = Context(article_ids={row["article_id"] for row in rows})
    return compute({c: getattr(fact, c) for c in FACT_COLUMNS}, rows, context)


@transaction.atomic
def refresh(fact_ids: Iterable[int]) -> int:
    """Recompute and store the verdicts of these facts; return how many were refreshed."""
    fact_ids = {i for i in fact_ids if i is not None}
    if not fact_ids:
        return 0
    facts = {f["id"]: f for f in Fact.objects.filter(id__in=fact_ids).values(*FACT_COLUMNS)}
    rows: dict[int, list[dict]] = {fact_id: [] for fact_id in facts}
    for row in Claim.objects.verified().filter(fact_id__in=facts).values(*CLAIM_COLUMNS):
        rows[row["fact_id"]].append(row)
    article_ids = {row["article_id"] for claim_rows in rows.values() for row in claim_rows}
    context = Context(article_ids)
    for fact_id, fact in facts.items():
        result = compute(fact, rows[fact_id], context)
        Fact.objects.filter(id=fact_id).update(**stored_fields(result, fact))
    return len(facts)


def _claims_by_fact(batch: int) -> Iterator[tuple[int, list[dict]]]:
    """Every verified claim, fact by fact, streamed from the database in fact order."""
    current, rows = None, []
    claims = Claim.objects.verified().order_by("fact_id", "id").values_list(*CLAIM_COLUMNS)
    for values in claims.iterator(chunk_size=batch):
        row = dict(zip(CLAIM_COLUMNS, values, strict=True))
        if row["fact_id"] != current:
            if current is not None:
                yield current, rows
            current, rows = row["fact_id"], []
        rows.append(row)
    if current is not None:
        yield current, rows


def recompute_all(*, batch: int = 5000) -> int:
    """Recompute and store every fact's verdict; return how many facts were computed."""
    facts = {f["id"]: f for f in Fact.objects.values(*FACT_COLUMNS)}
    context = Context()
    pending: list[Fact] = []
    seen: set[int] = set()

    def flush() -> None:
        Fact.objects.bulk_update(pending, VERDICT_FIELDS, batch_size=500)
        pending.clear()

    with transaction.atomic():
        for fact_id, rows in _claims_by_fact(batch):
            seen.add(fact_id)
            fact = facts[fact_id]
            pending.append(Fact(id=fact_id, **stored_fields(compute(fact, rows, context), fact)))
            if len(pending) >= 500:
                flush()
        for fact_id in facts.keys() - seen:
            fact = facts[fact_id]
            pending.append(Fact(id=fact_id, **stored_fields(compute(fact, [], context), fact)))
            if len(pending) >= 500:
                flush()
        flush()
    return len(facts)
