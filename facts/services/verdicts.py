"""Stored verdicts: turn claims into evidence for facts.domain.agreement, and keep each fact's verdict
fresh: in the same transaction as any change to its claims, or, for a busy fact (more counted
claims than settings.VERDICT_INLINE_MAX_CLAIMS), by a job that the write leaves, the fact marked
stale meanwhile (refresh_or_defer)."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, FloatField, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from facts.domain import agreement, phrases, units
from facts.domain import outlet_standings as standings
from facts.models import LIKELY_FIELDS, VERDICT_FIELDS, Actor, Article, Claim, Fact, ValueKind
from facts.services import jobs, outlet_standings, track_records

# A row of values() from the database: column name to value.
Row = dict[str, Any]

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
    "hedge",
    "actor_id",
    "attribution_mode",
    # The side stored with the last verdict: a refresh writes only the sides that moved.
    "verdict_side",
    *(f"{name}_float" for name in NUMBERS),
)


def claim_rows(claims: QuerySet[Claim]) -> QuerySet[Claim, Row]:
    """The columns evidence needs, numbers cast to floats in SQL: far cheaper than Decimals."""
    floats = {f"{name}_float": Cast(name, FloatField()) for name in NUMBERS}
    rows: QuerySet[Claim, Row] = claims.annotate(**floats).values(*CLAIM_COLUMNS)
    return rows


@lru_cache(maxsize=256)
def unit_factor(unit: str, canonical: str) -> float:
    """How many canonical units one unit is (multiplicative units only: no temperatures)."""
    return float(units.convert(Decimal(1), unit, canonical))


class Context:
    """What evidence needs beyond the claim row: originators, outlets, stories; loaded once."""

    def __init__(self, article_ids: Iterable[int] | None = None) -> None:
        actors = {a["id"]: a for a in Actor.objects.values("id", "parent_id", "name", "kind")}
        # Each actor's originator: the body at the top of its parent chain, whose kind says
        # whether it is an interested party.
        self.originators: dict[int, tuple[str, str, bool]] = {}
        for actor_id in actors:
            node, seen = actors[actor_id], set()
            while node["parent_id"] is not None and node["parent_id"] not in seen:
                seen.add(node["id"])
                node = actors[node["parent_id"]]
            party = agreement.is_interested_party(node["kind"])
            self.originators[actor_id] = (f"actor:{node['id']}", node["name"], party)
        articles = Article.objects.values(
            "id",
            "outlet_id",
            "outlet__name",
            "wire_source_id",
            "wire_source__name",
            "text_hash",
            "story__key",
        )
        if article_ids is not None:
            articles = articles.filter(id__in=set(article_ids))
        self.articles = {a["id"]: a for a in articles}


def evidence_from_row(row: Row, fact: Row, context: Context) -> agreement.Evidence:
    """One claim row (see claim_rows) as evidence in the fact's canonical unit."""
    article = context.articles[row["article_id"]]
    own_voice = row["attribution_mode"] == Claim.AttributionMode.OWN_VOICE
    if own_voice:
        outlet_id = article["wire_source_id"] or article["outlet_id"]
        outlet_name = article["wire_source__name"] or article["outlet__name"]
        originator, originator_name, party = f"outlet:{outlet_id}", outlet_name, False
    else:
        originator, originator_name, party = context.originators[row["actor_id"]]
    low, high, point, precision, category = -math.inf, math.inf, None, 0, ""
    phrase, read_as_interval = "", False
    kind = fact["value_kind"]
    if row["undisclosed"]:
        pass
    elif kind == ValueKind.CATEGORICAL:
        category = row["category"]
    elif kind == ValueKind.DATE:
        low, high = row["date_earliest"].toordinal(), row["date_latest"].toordinal()
        point = low if low == high else None
        precision = agreement.date_precision(row["date_precision"])
        phrase = phrases.date_phrase(
            row["date_earliest"], row["date_latest"], row["date_precision"]
        )
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
        phrase = phrases.quantity_phrase(
            hedge=row["hedge"],
            bound=row["bound"],
            number=row["number_float"],
            number_high=row["number_high_float"],
            unit=row["unit"],
        )
        read_as_interval = row["bound"] in phrases.READ_AS_INTERVAL
    return agreement.Evidence(
        claim_id=row["id"],
        article_id=row["article_id"],
        outlet_id=article["outlet_id"],
        originator=originator,
        originator_name=originator_name,
        outlet_name=article["outlet__name"],
        own_voice=own_voice,
        # Copies of one story (nearly the same texts) share a key; an article not indexed
        # yet (loaded raw from a fixture) is a story of its own, as its text hash says; one whose
        # text is not held yet is a story of its own too.
        story=article["story__key"] or article["text_hash"] or f"article:{article['id']}",
        as_of=row["as_of"].toordinal() if row["as_of"] else None,
        low=low,
        high=high,
        point=point,
        precision=precision,
        category=category,
        undisclosed=row["undisclosed"],
        label=row["wording"],
        phrase=phrase,
        phrase_read_as_interval=read_as_interval,
        bound=row["bound"] if kind == ValueKind.QUANTITY else "",
        party=party,
    )


def formatters(fact: Row) -> Row:
    """How the verdict's reasons print this fact's values."""
    if fact["value_kind"] == ValueKind.DATE:
        return {"fmt": agreement.iso_day, "unit": ""}
    return {"fmt": agreement.plain_number, "unit": fact["unit"]}


def compute(fact: Row, rows: Iterable[Row], context: Context) -> agreement.Verdict:
    """The verdict of one fact (a dict with id, value_kind, unit) over the claim rows given."""
    evidence = [evidence_from_row(row, fact, context) for row in rows]
    return agreement.verdict(evidence, within=fact.get("category_within") or {}, **formatters(fact))


def _bound(value: float, fact: Row) -> float | str | None:
    if value is None or math.isinf(value):
        return None
    if fact["value_kind"] == ValueKind.DATE:
        return date.fromordinal(int(value)).isoformat()
    return value


def detail(result: agreement.Verdict, fact: Row, *, include_drafts: bool = False) -> Row:
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
                # Originators behind this side: its own and those of coarser claims that
                # contain its value.
                "support": group.support,
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
        "margin": {
            "leading": result.margin.leading,
            "runner_up": result.margin.runner_up,
            "margin": result.margin.margin,
        },
    }


def stored_fields(result: agreement.Verdict, fact: Row) -> Row:
    """The Fact columns that hold a verdict."""
    consensus = result.consensus

    def finite(value: float | None) -> float | None:
        return None if value is None or math.isinf(value) else value

    low = high = best = None
    if consensus is not None and not consensus.category:
        low, high, best = finite(consensus.low), finite(consensus.high), finite(consensus.best)

    return {
        "verdict": result.kind,
        "verdict_summary": result.summary,
        "verdict_detail": detail(result, fact),
        "consensus_low": low,
        "consensus_high": high,
        "consensus_best": best,
        "consensus_category": consensus.category if consensus is not None else "",
        "counted_claims": result.claims,
        "counted_articles": result.articles,
        "counted_outlets": result.outlets,
        "counted_originators": result.originators,
        "verdict_updated_at": timezone.now(),
        # Computed now from the claims: fresh.
        "verdict_stale": False,
    }


FACT_COLUMNS = ("id", "value_kind", "unit", "category_within")


def initial_fields(fact: Fact) -> Row:
    """The stored verdict of a fact that no claim counts for yet."""
    columns = {c: getattr(fact, c) for c in FACT_COLUMNS}
    return stored_fields(agreement.verdict([], **formatters(columns)), columns)


def verdict_for(fact: Fact, *, include_drafts: bool = False) -> agreement.Verdict:
    """Compute a fact's verdict now (not stored), over verified claims and drafts if asked."""
    rows = list(claim_rows(fact.claims.counted(include_drafts=include_drafts)))
    context = Context(article_ids={row["article_id"] for row in rows})
    return compute({c: getattr(fact, c) for c in FACT_COLUMNS}, rows, context)


_deferred: ContextVar[set[int] | None] = ContextVar("deferred_verdicts", default=None)


def request_refresh(fact_ids: Iterable[int]) -> None:
    """Refresh these facts' verdicts now (a busy fact's by a job: refresh_or_defer), or at the
    end of the deferred_refresh block around."""
    pending = _deferred.get()
    if pending is None:
        refresh_or_defer(fact_ids)
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
    refresh_or_defer(pending)


# The stored columns that say something about the verdict: when none of them changes, the
# fact is left alone (no write, no new version, no history row), so a version means a change.
# A stale verdict made fresh is a change: readers saw it marked stale.
MEANINGFUL_FIELDS = [*agreement.STORED_COLUMNS, "verdict_stale"]


def refresh_or_defer(fact_ids: Iterable[int]) -> int:
    """Refresh these facts' verdicts now, except a busy fact's: that one is marked stale and a
    job refreshes it once this write has committed. Returns how many verdicts changed now.

    Why: a refresh reads, computes and stores all of a fact's counted claims (its verdict JSON
    lists every claim, its track standings and sides every originator and claim), so a write to
    a fact of 10,000 claims took six times one to a fact of 36 (issue 16). Deferred, the write
    costs the same whatever the fact's size, and many writes in a burst cost one refresh.

    Which facts are busy: those whose stored verdict counts more claims than
    settings.VERDICT_INLINE_MAX_CLAIMS, read with the facts locked (as refresh locks them). A
    fact marked stale gets a new version (its ETag changes: the representation says stale) and
    a history row; the refresh that makes it fresh gives it the next (refresh). Until then its
    verdict and its claims' sides are those of the last refresh.
    """
    fact_ids = sorted({i for i in fact_ids if i is not None})
    if not fact_ids:
        return 0
    # The caller's transaction (a write's), without a savepoint of its own: an error here
    # fails the write, which rolls back whole anyway.
    with transaction.atomic(savepoint=False):
        return _refresh_or_defer(fact_ids)


def _refresh_or_defer(fact_ids: list[int]) -> int:
    limit = settings.VERDICT_INLINE_MAX_CLAIMS
    locked = Fact.objects.select_for_update().filter(id__in=fact_ids).order_by("id")
    busy = {
        fact_id: stale
        for fact_id, claims, stale in locked.values_list("id", "counted_claims", "verdict_stale")
        if claims > limit
    }
    if busy:
        mark_stale([fact_id for fact_id, stale in busy.items() if not stale])
        # On every such write, not only the first: a job lost (a queue down) is replaced by
        # the next write's, and one waiting to start already is not doubled (jobs.py).
        transaction.on_commit(jobs.request_verdict_refresh, robust=True)
    return refresh([fact_id for fact_id in fact_ids if fact_id not in busy])


def mark_stale(fact_ids: list[int]) -> None:
    """Mark these (locked) facts' verdicts stale: a new version and a history row each, so
    that ETags and the changes feed tell readers the verdict is being refreshed."""
    if not fact_ids:
        return
    now = timezone.now()
    Fact.objects.filter(id__in=fact_ids).update(
        verdict_stale=True, version=F("version") + 1, updated_at=now
    )
    record_history(fact_ids, reason="Verdict refresh queued", at=now)


def record_history(fact_ids: list[int], *, reason: str, at: datetime) -> None:
    """A history row for each of these facts as stored now (the changes feed reads them). The
    verdict and likely columns are not kept in history: left unread (a busy fact's verdict
    JSON is tens of kilobytes)."""
    facts = Fact.objects.filter(id__in=fact_ids).defer(*VERDICT_FIELDS, *LIKELY_FIELDS)
    Fact.history.bulk_history_create(
        list(facts), update=True, default_change_reason=reason, default_date=at
    )


def refresh_stale() -> int:
    """Refresh every verdict left stale by a write (the job's body); returns how many changed.
    One transaction per fact, so that a busy fact is locked only for its own refresh; refresh
    locks it and reads its claims after the lock, so a write committed before counts, and a
    write waiting on the lock marks it stale again after and leaves another job."""
    changed = 0
    for fact_id in (
        Fact.objects.filter(verdict_stale=True).order_by("id").values_list("id", flat=True)
    ):
        changed += refresh([fact_id])
    return changed


@transaction.atomic
def refresh(fact_ids: Iterable[int]) -> int:
    """Recompute the verdicts of these facts and store those that changed; return how many
    changed.

    The facts' rows are locked first (FOR UPDATE on PostgreSQL; SQLite lets one writer in at a
    time anyway), so two writers refreshing one fact take turns, and the second reads the
    first one's committed claims: no verdict is computed from a stale snapshot.
    """
    fact_ids = sorted({i for i in fact_ids if i is not None})
    if not fact_ids:
        return 0
    locked = Fact.objects.select_for_update().filter(id__in=fact_ids).order_by("id")
    facts = {f["id"]: f for f in locked.values(*FACT_COLUMNS, *MEANINGFUL_FIELDS)}
    rows: dict[int, list[Row]] = {fact_id: [] for fact_id in facts}
    for row in claim_rows(Claim.objects.verified().filter(fact_id__in=facts)):
        rows[row["fact_id"]].append(row)
    article_ids = {row["article_id"] for claim_rows in rows.values() for row in claim_rows}
    context = Context(article_ids)
    results = {fact_id: compute(fact, rows[fact_id], context) for fact_id, fact in facts.items()}
    computed = ((fact_id, stored_fields(results[fact_id], fact)) for fact_id, fact in facts.items())
    changed = store_changed(computed, facts)
    sides = {fact_id: sides_of(result) for fact_id, result in results.items()}
    store_sides(moved for fact_id in facts for moved in moved_sides(sides[fact_id], rows[fact_id]))
    outlet_standings.refresh(
        {
            fact_id: outlets_of(results[fact_id], sides[fact_id], rows[fact_id], context)
            for fact_id in facts
        }
    )
    track_records.refresh(facts, context=context)
    # The likely values weigh originators over every fact: a job refreshes them once this
    # write has committed (robust: a queue that cannot be reached never fails a saved write).
    transaction.on_commit(jobs.request_likely_refresh, robust=True)
    return changed


def changed_verdicts(
    computed: Iterable[tuple[int, Row]], stored: dict[int, Row]
) -> Iterator[tuple[int, Row]]:
    """The computed verdicts that differ from the stored ones in a meaningful column."""
    for fact_id, fields in computed:
        before = stored[fact_id]
        if any(_differs(fields[name], before[name]) for name in MEANINGFUL_FIELDS):
            yield fact_id, fields


def _differs(new: object, old: object) -> bool:
    # A float read back from the database may differ from the computed one in its last bit on
    # some backends; a difference that small is no change of verdict.
    if isinstance(new, float) and isinstance(old, float):
        return not math.isclose(new, old, rel_tol=1e-12, abs_tol=1e-12)
    return new != old


def store_changed(computed: Iterable[tuple[int, Row]], stored: dict[int, Row]) -> int:
    """Store the verdicts that changed, raise those facts' versions and record the change in
    their history, which the changes feed reads. Returns how many changed."""
    changed = list(changed_verdicts(computed, stored))
    if changed:
        store(changed, bump_versions=True)
        record_history(
            [fact_id for fact_id, _ in changed], reason="Verdict refreshed", at=timezone.now()
        )
    return len(changed)


# A claim's side, and the claim: a row of the prepared UPDATE store_sides runs.
MovedSide = tuple[int | None, int]


def sides_of(result: agreement.Verdict) -> dict[int, int]:
    """Each claim's side in this verdict (facts.domain.agreement.claim_sides)."""
    return agreement.claim_sides(
        (group.role, (e.claim_id for e in group.members)) for group in result.groups
    )


def outlets_of(
    result: agreement.Verdict, sides: dict[int, int], rows: Iterable[Row], context: Context
) -> dict[int, standings.OutletFact]:
    """How each outlet stands on this fact, from its verified claims (rows of claim_rows) and
    their sides in its verdict: what facts.services.outlet_standings keeps."""
    # Grouped in one pass with the lookups bound: this runs over every claim of the fact.
    articles, side_of = context.articles, sides.get
    groups: dict[tuple[int, int | None], list[int]] = defaultdict(list)
    for row in rows:
        claim_id = row["id"]
        groups[articles[row["article_id"]]["outlet_id"], side_of(claim_id)].append(claim_id)
    return standings.grouped(groups, standings.fact_standing(result.kind, result.outlets))


def moved_sides(sides: dict[int, int], rows: Iterable[Row]) -> list[MovedSide]:
    """The claims (rows of claim_rows) whose side (sides_of a verdict) differs from the one
    stored on them. Sides are kept on the claims so that the outlet paths count them in SQL rather than
    decode each fact's verdict JSON (issue 16); comparing first keeps a refresh's writes to the
    claims that moved (usually none: a new claim joins a side, the others stay)."""
    return [
        (sides.get(row["id"]), row["id"])
        for row in rows
        if sides.get(row["id"]) != row["verdict_side"]
    ]


def store_sides(moved: Iterable[MovedSide]) -> None:
    """Write claims' sides in one prepared statement (none when no side moved)."""
    params = [list(row) for row in moved]
    if not params:
        return
    quote = connection.ops.quote_name
    table, side, pk = quote(Claim._meta.db_table), quote("verdict_side"), quote("id")
    if connection.vendor == "postgresql":
        # One statement for them all, the sides and ids as two arrays: a statement a claim
        # costs a round trip each through psycopg's pipeline (60 s of 110 s for a full
        # recompute of 100,000 claims, the server idle between them).
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {side} = moved.side FROM unnest(%s::smallint[], "
                f"%s::bigint[]) AS moved(side, id) WHERE {table}.{pk} = moved.id",
                [[row[0] for row in params], [row[1] for row in params]],
            )
        return
    # SQLite: the prepared statement runs in process, with no round trip to save.
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {side} = %s WHERE {pk} = %s", params)


def store(verdicts: Iterable[tuple[int, Row]], *, bump_versions: bool = False) -> None:
    """Write verdict columns fact by fact in one prepared statement: bulk_update's CASE
    expressions cost more than the verdicts themselves. With bump_versions, the fact's
    version goes up by one and its updated_at moves, so ETags and the changes feed see it."""
    fields = [Fact._meta.get_field(name) for name in VERDICT_FIELDS]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(f.column)} = %s" for f in fields)  # type: ignore[union-attr,arg-type]
    if bump_versions:
        version = quote("version")
        assignments += f", {version} = {version} + 1, {quote('updated_at')} = %s"
    sql = f"UPDATE {quote(Fact._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
    updated_at = Fact._meta.get_field("updated_at")
    now = updated_at.get_db_prep_save(timezone.now(), connection)
    params = [
        [f.get_db_prep_save(values[f.name], connection) for f in fields]  # type: ignore[union-attr]
        + ([now] if bump_versions else [])
        + [fact_id]
        for fact_id, values in verdicts
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def _claims_by_fact(batch: int) -> Iterator[tuple[int, list[Row]]]:
    """Every verified claim, fact by fact, streamed from the database in fact order."""
    current: int | None = None
    rows: list[Row] = []
    claims = claim_rows(Claim.objects.verified().order_by("fact_id", "id"))
    for row in claims.iterator(chunk_size=batch):
        if row["fact_id"] != current:
            if current is not None:
                yield current, rows
            current, rows = row["fact_id"], []
        rows.append(row)
    if current is not None:
        yield current, rows


def _every_verdict(
    batch: int, facts: dict[int, Row], moved: list[MovedSide] | None = None
) -> Iterator[tuple[int, Row]]:
    """Every fact's verdict computed now from its verified claims, streamed fact by fact; the
    claims whose side moved are added to `moved` when given."""
    context = Context()
    seen: set[int] = set()
    for fact_id, rows in _claims_by_fact(batch):
        seen.add(fact_id)
        result = compute(facts[fact_id], rows, context)
        if moved is not None:
            moved.extend(moved_sides(sides_of(result), rows))
        yield fact_id, stored_fields(result, facts[fact_id])
    for fact_id in sorted(facts.keys() - seen):
        yield fact_id, stored_fields(compute(facts[fact_id], [], context), facts[fact_id])


def _chunks(items: Iterable[tuple[int, Row]], size: int) -> Iterator[list[tuple[int, Row]]]:
    chunk: list[tuple[int, Row]] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def recompute_all(*, batch: int = 5000, record_changes: bool = True) -> int:
    """Recompute every fact's verdict; return how many facts were computed.

    With record_changes (the repair command), only the verdicts that differ are written, and
    each of those facts gets a new version and a history row, as with any refresh. Without it
    (loading fixtures, whose creation is recorded afterwards), every verdict is written as is.
    """
    columns = (*FACT_COLUMNS, *MEANINGFUL_FIELDS) if record_changes else FACT_COLUMNS
    with transaction.atomic():
        facts = {f["id"]: f for f in Fact.objects.values(*columns)}
        moved: list[MovedSide] = []
        for chunk in _chunks(_every_verdict(batch, facts, moved), 1000):
            if record_changes:
                store_changed(chunk, facts)
            else:
                store(chunk)
            store_sides(moved)
            moved.clear()
        outlet_standings.rebuild()
        track_records.recompute_all()
        # Beside the verdicts, the likely values (imported here: likely reads evidence from
        # this module); the seed record stores them too, so loaddata and load_seeds agree.
        from facts.services import likely

        likely.recompute_likely()
    return len(facts)


@dataclass(frozen=True)
class Drift:
    """A fact whose stored verdict differs from the one its claims give now."""

    fact_id: int
    fields: tuple[str, ...]
    stored: str
    computed: str


def drifted(*, batch: int = 5000) -> list[Drift]:
    """Every fact whose stored verdict differs from a fresh computation, with the columns that
    differ. Writes nothing."""
    facts = {f["id"]: f for f in Fact.objects.values(*FACT_COLUMNS, *MEANINGFUL_FIELDS)}
    found = []
    for fact_id, fields in _every_verdict(batch, facts):
        before = facts[fact_id]
        differing = tuple(n for n in MEANINGFUL_FIELDS if _differs(fields[n], before[n]))
        if differing:
            found.append(
                Drift(
                    fact_id=fact_id,
                    fields=differing,
                    stored=f"{before['verdict']} over {before['counted_claims']} claim(s)",
                    computed=f"{fields['verdict']} over {fields['counted_claims']} claim(s)",
                )
            )
    return found
