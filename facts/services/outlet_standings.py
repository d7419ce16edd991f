"""Keep outlet standings (facts.models.outlet_standings) in step with the stored verdicts.

`refresh(after)` runs in every verdict refresh, in its transaction, with each refreshed fact's
outlets as its claims now place them (the verdict service has those claims and their sides in
hand): it reads the facts' stored rows, writes the rows that differ and moves the outlets'
summaries and the pairs' totals by the difference. Its cost follows the facts refreshed and
their outlets (a fact's pairs are recounted only when an outlet's sides on it moved), never an
outlet's size. `rebuild()` recounts everything from the claims, set-based: one INSERT ... SELECT
... GROUP BY for the outlets' facts, one for the summaries, and the pairs by bit sets.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection as default_connection
from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper

from facts.domain import outlet_standings as domain
from facts.domain.agreement import DISPUTES
from facts.models import Article, Claim, ClaimStatus, Fact, OutletFact, OutletPair, OutletSummary

BATCH = 1000

Rows = dict[int, dict[int, domain.OutletFact]]
FACT_COLUMNS = (
    "claims",
    "on_consensus",
    "against_consensus",
    "placed",
    "sides",
    "standing",
    "claim_ids",
)


def _stored(values: Mapping[str, Any]) -> domain.OutletFact:
    return domain.OutletFact(
        claims=values["claims"],
        on_consensus=values["on_consensus"],
        against_consensus=values["against_consensus"],
        placed=values["placed"],
        # Sorted: a rebuild on SQLite stores them in the order it met them.
        sides=tuple(sorted(values["sides"])),
        standing=values["standing"],
        claim_ids=tuple(sorted(values["claim_ids"])),
    )


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def refresh(after: Mapping[int, Mapping[int, domain.OutletFact]]) -> None:
    """Store these facts' outlets as given (fact id to outlet id to standing; a fact no outlet
    stands on any more maps to nothing) and move the summaries and pairs by the difference."""
    if not after:
        return
    with transaction.atomic(savepoint=False):
        for chunk in _chunks(sorted(after)):
            _refresh_chunk({fact_id: after[fact_id] for fact_id in chunk})


def _refresh_chunk(after: Mapping[int, Mapping[int, domain.OutletFact]]) -> None:
    before: Rows = defaultdict(dict)
    ids: dict[tuple[int, int], int] = {}
    for values in OutletFact.objects.filter(fact_id__in=list(after)).values(
        "id", "outlet_id", "fact_id", *FACT_COLUMNS
    ):
        before[values["fact_id"]][values["outlet_id"]] = _stored(values)
        ids[values["outlet_id"], values["fact_id"]] = values["id"]
    written: list[OutletFact] = []
    gone: list[int] = []
    summaries: dict[int, Counter[str]] = defaultdict(Counter)
    pairs: dict[domain.Pair, Counter[str]] = defaultdict(Counter)
    for fact_id, now in after.items():
        was = before.get(fact_id, {})
        for outlet_id in was.keys() | now.keys():
            old, new = was.get(outlet_id), now.get(outlet_id)
            if old == new:
                continue
            summaries[outlet_id].update(domain.summary(new))
            summaries[outlet_id].subtract(domain.summary(old))
            if new is None:
                gone.append(ids[outlet_id, fact_id])
            else:
                written.append(
                    OutletFact(
                        outlet_id=outlet_id,
                        fact_id=fact_id,
                        claims=new.claims,
                        on_consensus=new.on_consensus,
                        against_consensus=new.against_consensus,
                        placed=new.placed,
                        sides=list(new.sides),
                        standing=new.standing,
                        claim_ids=list(new.claim_ids),
                    )
                )
        for key, move in domain.pair_moves(was, now).items():
            pairs[key].update(move)
    if gone:
        OutletFact.objects.filter(id__in=gone).delete()
    if written:
        OutletFact.objects.bulk_create(
            written,
            update_conflicts=True,
            unique_fields=["outlet", "fact"],
            update_fields=list(FACT_COLUMNS),
        )
    _move(OutletSummary, ["outlet_id"], domain.SUMMARY_FIELDS, "facts", summaries)
    _move(OutletPair, ["outlet_id", "other_id"], domain.PAIR_FIELDS, "shared", pairs)


def _move(
    model: type[OutletSummary] | type[OutletPair],
    keys: list[str],
    fields: tuple[str, ...],
    count: str,
    moves: Mapping[Any, Counter[str]],
) -> None:
    """Add differences to summed rows: one insert of the missing rows, relative updates
    (n = n + d) in one prepared statement, then the rows left counting nothing deleted, so that
    the sums are what a rebuild gives."""
    moves = {k: m for k, m in moves.items() if any(m.values())}
    if not moves:
        return

    def key_of(key: int | tuple[int, ...]) -> tuple[int, ...]:
        return key if isinstance(key, tuple) else (key,)

    missing: list[Any] = [model(**dict(zip(keys, key_of(key), strict=True))) for key in moves]
    model.objects.bulk_create(missing, ignore_conflicts=True)
    quote = default_connection.ops.quote_name
    assignments = ", ".join(f"{quote(n)} = {quote(n)} + %s" for n in fields)
    where = " AND ".join(f"{quote(k)} = %s" for k in keys)
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {where}"
    # In key order: concurrent refreshes take the rows' locks in one order (no deadlock).
    params = [[moves[k][n] for n in fields] + list(key_of(k)) for k in sorted(moves)]
    with default_connection.cursor() as cursor:
        cursor.executemany(sql, params)
    if any(m[count] < 0 for m in moves.values()):
        model.objects.filter(**{f"{count}__lte": 0}).delete()


# Rebuilding ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Tables:
    """The tables a rebuild reads and writes, by name: the models' now, or a migration's."""

    claim: str
    article: str
    fact: str
    outlet_fact: str
    summary: str
    pair: str


def current_tables() -> Tables:
    return Tables(
        claim=Claim._meta.db_table,
        article=Article._meta.db_table,
        fact=Fact._meta.db_table,
        outlet_fact=OutletFact._meta.db_table,
        summary=OutletSummary._meta.db_table,
        pair=OutletPair._meta.db_table,
    )


@transaction.atomic
def rebuild() -> int:
    """Recount every outlet's standings from the verified claims and their stored sides (after
    a full verdict recompute, or to repair); return how many (outlet, fact) rows there are."""
    return rebuild_in(default_connection, current_tables())


def rebuild_in(connection: BaseDatabaseWrapper, t: Tables) -> int:
    """The rebuild in SQL on these tables (a migration passes its own): the outlets' facts by
    one INSERT ... SELECT ... GROUP BY over the verified claims, the summaries by one over
    those rows, the pairs from bit sets of each outlet's facts (facts.domain.outlet_standings
    .pair_totals: a few big-integer ANDs per pair, not a fact-by-fact walk)."""
    q = connection.ops.quote_name
    if connection.vendor == "postgresql":
        sides = (
            f"COALESCE(jsonb_agg(DISTINCT c.{q('verdict_side')}) "
            f"FILTER (WHERE c.{q('verdict_side')} IS NOT NULL), '[]'::jsonb)"
        )
        ids = f"jsonb_agg(c.{q('id')} ORDER BY c.{q('id')})"
    else:
        sides = (
            f"json_group_array(DISTINCT c.{q('verdict_side')}) "
            f"FILTER (WHERE c.{q('verdict_side')} IS NOT NULL)"
        )
        ids = f"json_group_array(c.{q('id')})"
    disputes = ", ".join(["%s"] * len(DISPUTES))
    side = f"c.{q('verdict_side')}"
    with connection.cursor() as cursor:
        for table in (t.pair, t.summary, t.outlet_fact):
            cursor.execute(f"DELETE FROM {q(table)}")
        cursor.execute(
            f"""
            INSERT INTO {q(t.outlet_fact)} ({q("outlet_id")}, {q("fact_id")}, {q("claims")},
                {q("on_consensus")}, {q("against_consensus")}, {q("placed")}, {q("sides")},
                {q("standing")}, {q("claim_ids")})
            SELECT a.{q("outlet_id")}, c.{q("fact_id")}, COUNT(*),
                SUM(CASE WHEN {side} = 0 THEN 1 ELSE 0 END),
                SUM(CASE WHEN {side} > 0 THEN 1 ELSE 0 END),
                SUM(CASE WHEN {side} IS NOT NULL THEN 1 ELSE 0 END),
                {sides},
                CASE WHEN f.{q("counted_outlets")} <= 1 THEN %s
                    WHEN f.{q("verdict")} IN ({disputes}) THEN %s ELSE %s END,
                {ids}
            FROM {q(t.claim)} c
            JOIN {q(t.article)} a ON a.{q("id")} = c.{q("article_id")}
            JOIN {q(t.fact)} f ON f.{q("id")} = c.{q("fact_id")}
            WHERE c.{q("status")} = %s
            GROUP BY a.{q("outlet_id")}, c.{q("fact_id")}, f.{q("counted_outlets")},
                f.{q("verdict")}
            """,
            [domain.ALONE, *DISPUTES, domain.DISPUTED, domain.AGREED, ClaimStatus.VERIFIED],
        )
        columns = ", ".join(q(n) for n in domain.SUMMARY_FIELDS)
        cursor.execute(
            f"""
            INSERT INTO {q(t.summary)} ({q("outlet_id")}, {columns})
            SELECT {q("outlet_id")}, SUM({q("claims")}), COUNT(*),
                SUM(CASE WHEN {q("standing")} = %s THEN 1 ELSE 0 END),
                SUM(CASE WHEN {q("standing")} = %s THEN 1 ELSE 0 END),
                SUM(CASE WHEN {q("standing")} = %s THEN 1 ELSE 0 END),
                SUM(CASE WHEN {q("on_consensus")} > 0 THEN 1 ELSE 0 END),
                SUM(CASE WHEN {q("on_consensus")} = 0 AND {q("against_consensus")} > 0
                    THEN 1 ELSE 0 END),
                SUM(CASE WHEN {q("placed")} > 0 THEN 1 ELSE 0 END)
            FROM {q(t.outlet_fact)} GROUP BY {q("outlet_id")}
            """,
            [domain.AGREED, domain.DISPUTED, domain.ALONE],
        )
        cursor.execute(
            f"SELECT {q('outlet_id')}, {q('fact_id')}, {q('sides')} FROM {q(t.outlet_fact)}"
        )
        facts_of: dict[int, int] = defaultdict(int)
        sides_of: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        rows = 0
        # Each fact a bit, numbered as met: the sets stay as long as there are facts.
        position: dict[int, int] = {}
        for outlet_id, fact_id, stored in _fetch(cursor):
            rows += 1
            bit = 1 << position.setdefault(fact_id, len(position))
            facts_of[outlet_id] |= bit
            for s in json.loads(stored) if isinstance(stored, str) else stored:
                sides_of[outlet_id][s] |= bit
        totals = domain.pair_totals(sides_of, facts_of)
        if totals:
            cursor.executemany(
                f"INSERT INTO {q(t.pair)} ({q('outlet_id')}, {q('other_id')}, "
                f"{q('shared')}, {q('agreed')}, {q('disagreed')}) VALUES (%s, %s, %s, %s, %s)",
                [[a, b, *(n[f] for f in domain.PAIR_FIELDS)] for (a, b), n in totals.items()],
            )
    return rows


def _fetch(cursor: CursorWrapper) -> Iterable[tuple[Any, ...]]:
    while batch := cursor.fetchmany(10_000):
        yield from batch


# Reads -------------------------------------------------------------------------------------


def summary_of(outlet_id: int) -> dict[str, int]:
    """An outlet's totals (zeros for an outlet with no verified claim)."""
    found = OutletSummary.objects.filter(outlet_id=outlet_id).values(*domain.SUMMARY_FIELDS)
    return next(iter(found), dict.fromkeys(domain.SUMMARY_FIELDS, 0))


def pair_of(outlet_id: int, other_id: int) -> dict[str, int]:
    """Two outlets' totals over the facts both reported, in one query."""
    if outlet_id == other_id:
        return domain.self_pair(summary_of(outlet_id))
    low, high = sorted((outlet_id, other_id))
    found = OutletPair.objects.filter(outlet_id=low, other_id=high).values(*domain.PAIR_FIELDS)
    return next(iter(found), dict.fromkeys(domain.PAIR_FIELDS, 0))
