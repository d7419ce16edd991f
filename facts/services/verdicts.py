"""Stored verdicts: turn claims into evidence for facts.domain.agreement, and keep each fact's verdict
fresh in the same transaction as any change to its claims."""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection, transaction
from django.db.models import FloatField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from facts.domain import agreement, units
from facts.models import VERDICT_FIELDS, Actor, Article, Claim, Fact, ValueKind

NUMBERS = ("number", "number_high", "lower", "upper")
CLAIM_COLUMNS = (
    "id",
    "fact_id",
    "article_id",
    "undisclosed",
    "unit",
    "bound",
    "date_earliest",
    "date_latest",
    "date_precision",
    "category",
    "as_of",
    "wording",
    "actor_id",
    "attribution_mode",
    *(f"{name}_float" for name in NUMBERS),
)


def claim_rows(claims: QuerySet) -> QuerySet:
    """The columns evidence needs, numbers cast to floats in SQL: far cheaper than Decimals."""
    floats = {f"{name}_float": Cast(name, FloatField()) for name in NUMBERS}
    return claims.annotate(**floats).values(*CLAIM_COLUMNS)


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
    """One claim row (see claim_rows) as evidence in the fact's canonical unit."""
    article = context.articles[row["article_id"]]
    own_voice = row["attribution_mode"] == Claim.AttributionMode.OWN_VOICE
    if own_voice:
        outlet_id = article["wire_source_id"] or article["outlet_id"]
        outlet_name = article["wire_source__name"] or article["outlet__name"]
        originator, originator_name = f"outlet:{outlet_id}", outlet_name
    else:
        originator, originator_name = context.originators[row["actor_id"]]
    low, high, point, precision, category = -math.inf, math.inf, None, 0, ""
    kind = fact["value_kind"]
    if row["undisclosed"]:
        pass
    elif kind == ValueKind.CATEGORICAL:
        category = row["category"]
    elif kind == ValueKind.DATE:
        low, high = row["date_earliest"].toordinal(), row["date_latest"].toordinal()
        point = low if low == high else None
        precision = agreement.date_precision(row["date_precision"])
    else:
        factor = 1.0 if row["unit"] == fact["unit"] else unit_factor(row["unit"], fact["unit"])
        if row["lower_float"] is not None:
            low = row["lower_float"] * factor
        if row["upper_float"] is not None:
            high = row["upper_float"] * factor
        if row["bound"] == Claim.Bound.RANGE:
            point = (row["number_float"] + row["number_high_float"]) / 2 * factor
        elif row["number_float"] is not None:
            point = row["number_float"] * factor
        precision = agreement.quantity_precision(low, high, point)
    return agreement.Evidence(
        claim_id=row["id"],
        article_id=row["article_id"],
        outlet_id=article["outlet_id"],
        originator=originator,
        originator_name=originator_name,
        outlet_name=article["outlet__name"],
        own_voice=own_voice,
        story=article["text_hash"],
        as_of=row["as_of"].toordinal() if row["as_of"] else None,
        low=low,
        high=high,
        point=point,
        precision=precision,
        category=category,
        undisclosed=row["undisclosed"],
        label=row["wording"],
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
    rows = list(claim_rows(fact.claims.counted(include_drafts=include_drafts)))
    context = Context(article_ids={row["article_id"] for row in rows})
    return compute({c: getattr(fact, c) for c in FACT_COLUMNS}, rows, context)


_deferred: ContextVar[set[int] | None] = ContextVar("deferred_verdicts", default=None)


def request_refresh(fact_ids: Iterable[int]) -> None:
    """Refresh these facts' verdicts now, or at the end of the deferred_refresh block around."""
    pending = _deferred.get()
    if pending is None:
        refresh(fact_ids)
    else:
        pending.update(fact_ids)


@contextmanager
def deferred_refresh() -> Iterator[None]:
    """Refresh each verdict touched inside the block once, when it ends without error (still
    inside the caller's transaction): a bulk write recomputes a fact once, not per claim."""
    pending: set[int] = set()
    token = _deferred.set(pending)
    try:
        yield
    finally:
        _deferred.reset(token)
    refresh(pending)


@transaction.atomic
def refresh(fact_ids: Iterable[int]) -> int:
    """Recompute and store the verdicts of these facts; return how many were refreshed."""
    fact_ids = {i for i in fact_ids if i is not None}
    if not fact_ids:
        return 0
    facts = {f["id"]: f for f in Fact.objects.filter(id__in=fact_ids).values(*FACT_COLUMNS)}
    rows: dict[int, list[dict]] = {fact_id: [] for fact_id in facts}
    for row in claim_rows(Claim.objects.verified().filter(fact_id__in=facts)):
        rows[row["fact_id"]].append(row)
    article_ids = {row["article_id"] for claim_rows in rows.values() for row in claim_rows}
    context = Context(article_ids)
    store(
        (fact_id, stored_fields(compute(fact, rows[fact_id], context), fact))
        for fact_id, fact in facts.items()
    )
    return len(facts)


def store(verdicts: Iterable[tuple[int, dict]]) -> None:
    """Write verdict columns fact by fact in one prepared statement: bulk_update's CASE
    expressions cost more than the verdicts themselves. No history, no version: a verdict
    is derived, not edited."""
    fields = [Fact._meta.get_field(name) for name in VERDICT_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)
    sql = f"UPDATE {quote(Fact._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    params = [
        [f.get_db_prep_save(values[f.name], connection) for f in fields] + [fact_id]
        for fact_id, values in verdicts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _claims_by_fact(batch: int) -> Iterator[tuple[int, list[dict]]]:
    """Every verified claim, fact by fact, streamed from the database in fact order."""
    current, rows = None, []
    claims = claim_rows(Claim.objects.verified().order_by("fact_id", "id"))
    for row in claims.iterator(chunk_size=batch):
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
    pending: list[tuple[int, dict]] = []
    seen: set[int] = set()

    def add(fact_id: int, rows: list[dict]) -> None:
        fact = facts[fact_id]
        pending.append((fact_id, stored_fields(compute(fact, rows, context), fact)))
        if len(pending) >= 1000:
            store(pending)
            pending.clear()

    with transaction.atomic():
        for fact_id, rows in _claims_by_fact(batch):
            seen.add(fact_id)
            add(fact_id, rows)
        for fact_id in facts.keys() - seen:
            add(fact_id, [])
        store(pending)
    return len(facts)
