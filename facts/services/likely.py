"""The likely value of facts: truth discovery (facts.domain.truth, the CRH-style `likely`)
over every fact's counted claims at once, so that each originator is weighed by its track
record over all facts. Stored beside the verdict (Fact.likely_*), never in its place.

Recomputed with every verdict by recompute_all (and `manage.py recompute_likely`), not by the
refresh that follows each write: one claim moves its originator's weight and so, in principle,
every fact's likely value; a per-write recomputation would read the whole table each time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from django.db import connection, transaction
from django.db.models import QuerySet

from facts.domain import agreement, truth
from facts.models import LIKELY_FIELDS, Claim, Fact, ValueKind
from facts.services.verdicts import FACT_COLUMNS, Context, Row, claim_rows, evidence_from_row

METHOD = "likely: originators weighed by their track records (CRH-style), weighted vote"


def vote_of(
    evidence: agreement.Evidence, item: str, within: agreement.CategoryNesting | None = None
) -> truth.Vote | None:
    """A claim as a vote of its originator; an undisclosed value gives none. In a fact that
    nests its categories (`category_within`, {"Minsk": "Belarus"}), a category's members are
    itself and every category it lies within, so that the likely value reads nesting as the
    verdict does: a claim of "Belarus" ({Belarus}) backs "Minsk" ({Minsk, Belarus}) as less
    precise (truth.support), as a shorter author list backs a longer one."""
    if evidence.undisclosed:
        return None
    if evidence.category:
        members = (
            [evidence.category, *agreement.broader(evidence.category, within)[0]] if within else []
        )
        value = truth.category(evidence.category, members, nests=bool(within))
    else:
        value = truth.Value(low=evidence.low, high=evidence.high, point=evidence.point)
    return truth.Vote(item=item, source=evidence.originator, value=value)


def votes(
    claims: QuerySet[Claim], facts: Mapping[int, Row], names: dict[str, str] | None = None
) -> list[truth.Vote]:
    """The claims as votes, item = the fact's id as text, source = the resolved originator
    (a spokesman under his body, an outlet's own voice as the outlet or its wire), read in one
    query for the claims and one for their articles; `names` collects the originators' names."""
    rows = list(claim_rows(claims))
    context = Context({row["article_id"] for row in rows})
    found = []
    for row in rows:
        fact = facts.get(row["fact_id"])
        if fact is None:
            continue
        evidence = evidence_from_row(row, fact, context)
        vote = vote_of(evidence, str(row["fact_id"]), fact.get("category_within") or None)
        if vote is not None:
            found.append(vote)
            if names is not None:
                names[evidence.originator] = evidence.originator_name
    return found


def _shown(number: float | None, fact: Row) -> float | str | None:
    if number is None or math.isinf(number):
        return None
    if fact["value_kind"] == ValueKind.DATE:
        return date.fromordinal(int(number)).isoformat()
    return number


def value_json(value: truth.Value, fact: Row) -> Row:
    """The likely value in the fact's own terms, as the verdict's consensus is shown."""
    if fact["value_kind"] == ValueKind.CATEGORICAL:
        return {"category": value.category}
    return {
        "low": _shown(value.low, fact),
        "best": _shown(value.number, fact),
        "high": _shown(value.high, fact),
    }


def stored_fields(
    estimate: truth.Estimate | None,
    fact: Row,
    fact_votes: list[truth.Vote],
    weights: Mapping[str, float],
    names: Mapping[str, str],
) -> Row:
    """The Fact columns that hold a likely value (empty when no claim counts)."""
    if estimate is None:
        return {"likely_value": None, "likely_confidence": None, "likely_detail": {}}
    backing = {source for source, _ in estimate.supporters}
    originators = sorted({v.source for v in fact_votes}, key=lambda s: (-weights.get(s, 0), s))
    return {
        "likely_value": value_json(estimate.value, fact),
        "likely_confidence": round(estimate.confidence, 6),
        "likely_detail": {
            "method": METHOD,
            "tied": estimate.tied,
            "rivals": estimate.rivals,
            "originators": [
                {
                    "key": source,
                    "name": names.get(source, source),
                    "weight": round(weights.get(source, 0.0), 6),
                    "supports": source in backing,
                }
                for source in originators
            ],
        },
    }


@transaction.atomic
def recompute_likely() -> int:
    """Recompute and store every fact's likely value over its verified claims; return how
    many facts have one. Reads the claims in one query (plus one for articles, one for
    actors), whatever the number of facts."""
    computed = compute_likely()
    store(computed)
    return sum(1 for _, fields in computed if fields["likely_value"] is not None)


def refresh_likely_after_writes() -> int:
    """What the background task runs after writes: every fact's likely value, computed
    outside any transaction and stored in a short one, so that on SQLite the one write lock is
    held for the UPDATEs only, not for the whole computation. A write that commits meanwhile
    has enqueued the next refresh (facts.services.jobs.request_likely_refresh), which reads it."""
    computed = compute_likely()
    with transaction.atomic():
        store(computed)
    return sum(1 for _, fields in computed if fields["likely_value"] is not None)


def compute_likely() -> list[tuple[int, Row]]:
    """Every fact's likely columns, computed now from the verified claims; writes nothing."""
    facts = {f["id"]: f for f in Fact.objects.values(*FACT_COLUMNS)}
    names: dict[str, str] = {}
    every_vote = votes(Claim.objects.verified(), facts, names)
    result = truth.likely(every_vote)
    by_fact: dict[str, list[truth.Vote]] = {}
    for vote in every_vote:
        by_fact.setdefault(vote.item, []).append(vote)
    computed = [
        (
            fact_id,
            stored_fields(
                result.estimates.get(str(fact_id)),
                fact,
                by_fact.get(str(fact_id), []),
                result.weights,
                names,
            ),
        )
        for fact_id, fact in facts.items()
    ]
    return computed


def store(computed: list[tuple[int, Row]]) -> None:
    """Write the likely columns fact by fact in one prepared statement (as verdicts.store):
    no version and no history, since they are derived like the verdict."""
    fields = [Fact._meta.get_field(name) for name in LIKELY_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr,arg-type]
    sql = f"UPDATE {quote(Fact._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    params = [
        [f.get_db_prep_save(values[f.name], connection) for f in fields]  # type: ignore[union-attr]
        + [fact_id]
        for fact_id, values in computed
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)
