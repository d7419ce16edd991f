"""Keep track records in step with the stored verdicts (see facts.models.track_records).

`refresh(fact_ids)` runs at the end of every verdict refresh, in its transaction, for every fact
refreshed (not only those whose verdict changed: an article's new publication year moves a
standing without changing any verdict); `recompute_all()` rebuilds everything after a full
verdict recompute. Both read in batches: a fixed number of queries per 1,000 facts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from typing import Any

from django.db import connection, transaction

from facts.domain import track_records as domain
from facts.models import Claim, Fact, TrackRecord, TrackStanding
from facts.services import verdicts

BATCH = 1000

Entry = tuple[domain.Key, str]


def _sources(fact_ids: list[int], context: verdicts.Context) -> dict[int, dict[int, Any]]:
    """The counted claims of these facts, by fact and claim id, as the classifier reads them."""
    rows = (
        Claim.objects.verified()
        .filter(fact_id__in=fact_ids)
        .values_list(
            "id",
            "fact_id",
            "actor_id",
            "attribution_mode",
            "article__outlet_id",
            "article__wire_source_id",
            "article__published_earliest",
        )
    )
    found: dict[int, dict[int, Any]] = defaultdict(dict)
    for claim_id, fact_id, actor_id, mode, outlet_id, wire_id, published in rows:
        if mode == Claim.AttributionMode.OWN_VOICE or actor_id is None:
            # The verdict engine's own rule (facts.services.verdicts.evidence_from_row): a claim
            # in the outlet's own voice is the outlet's, or its wire agency's.
            originator = f"outlet:{wire_id or outlet_id}"
        else:
            originator = context.originators[actor_id][0]
        found[fact_id][claim_id] = domain.ClaimSource(
            outlet_id=outlet_id,
            originator=originator,
            year=published.year if published else None,
        )
    return found


def _computed(details: dict[int, Any], context: verdicts.Context) -> dict[int, list[Entry]]:
    """Each fact's standings now, from its stored verdict detail."""
    counted = [i for i, detail in details.items() if domain.counts(detail or {})]
    sources = _sources(counted, context) if counted else {}
    return {
        fact_id: sorted(domain.standings(detail or {}, sources.get(fact_id, {})).items(), key=repr)
        for fact_id, detail in details.items()
    }


def _stored_form(entries: list[Entry]) -> list[list[Any]]:
    return [[t, i, year, standing] for (t, i, year), standing in entries]


def _entries(stored: Iterable[list[Any]]) -> list[Entry]:
    return [((t, i, year), standing) for t, i, year, standing in stored]


def _chunks(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start : start + BATCH]


def refresh(fact_ids: Iterable[int], *, context: verdicts.Context | None = None) -> None:
    """Recompute these facts' standings and move the records by the difference. Runs inside the
    verdict refresh's transaction (no savepoint of its own: a fixed, small number of queries);
    `context` is the refresh's, whose actors give each claim's originator."""
    ids = sorted({i for i in fact_ids if i is not None})
    if not ids:
        return
    context = context or verdicts.Context(article_ids=())
    with transaction.atomic(savepoint=False):
        for chunk in _chunks(ids):
            _refresh_chunk(chunk, context)


def _refresh_chunk(chunk: list[int], context: verdicts.Context) -> None:
    rows = Fact.objects.filter(id__in=chunk).values_list(
        "id", "verdict_detail", "track_standing__standings"
    )
    details, before = {}, {}
    for fact_id, detail, standings in rows:
        details[fact_id] = detail
        before[fact_id] = _entries(standings or [])
    after = _computed(details, context)
    changed = [i for i in details if after[i] != before[i]]
    if not changed:
        return
    delta: Counter[Entry] = Counter()
    for fact_id in changed:
        delta.update(after[fact_id])
        delta.subtract(before[fact_id])
    # A fact whose standings are gone keeps an empty row: one upsert, no delete.
    TrackStanding.objects.bulk_create(
        (TrackStanding(fact_id=i, standings=_stored_form(after[i])) for i in changed),
        update_conflicts=True,
        unique_fields=["fact"],
        update_fields=["standings"],
    )
    _apply(delta)


def _apply(delta: Counter[Entry]) -> None:
    """Add a difference of standings to the summed records: one insert of the missing rows, then
    relative updates (count = count + n) in one prepared statement, as verdicts.store writes
    verdicts: concurrent refreshes of other facts never overwrite each other's counts."""
    by_key: dict[domain.Key, Counter[str]] = defaultdict(Counter)
    for (key, standing), number in delta.items():
        if number:
            by_key[key][standing] += number
    if not by_key:
        return
    TrackRecord.objects.bulk_create(
        (TrackRecord(subject_type=t, subject_id=i, year=year) for t, i, year in by_key),
        ignore_conflicts=True,
    )
    quote = connection.ops.quote_name
    names = ["facts", *(domain.FIELDS[s] for s in domain.STANDINGS)]
    assignments = ", ".join(f"{quote(n)} = {quote(n)} + %s" for n in names)
    update = f"UPDATE {quote(TrackRecord._meta.db_table)} SET {assignments} WHERE "
    update += f"{quote('subject_type')} = %s AND {quote('subject_id')} = %s AND "
    for has_year in (False, True):
        params: list[list[int | str | None]] = []
        for (subject_type, subject_id, year), moves in by_key.items():
            if (year is not None) != has_year:
                continue
            numbers = [moves[s] for s in domain.STANDINGS]
            row: list[int | str | None] = [sum(numbers), *numbers, subject_type, subject_id]
            params.append(row + ([year] if has_year else []))
        if params:
            where = f"{quote('year')} = %s" if has_year else f"{quote('year')} IS NULL"
            with connection.cursor() as cursor:
                cursor.executemany(update + where, params)


@transaction.atomic
def recompute_all() -> int:
    """Rebuild every standing and record from the stored verdicts; return how many facts count."""
    TrackStanding.objects.all().delete()
    TrackRecord.objects.all().delete()
    context = verdicts.Context(article_ids=())
    totals: Counter[Entry] = Counter()
    counting = 0
    ids = list(Fact.objects.order_by("id").values_list("id", flat=True))
    for chunk in _chunks(ids):
        details = dict(Fact.objects.filter(id__in=chunk).values_list("id", "verdict_detail"))
        computed = _computed(details, context)
        rows = [
            TrackStanding(fact_id=i, standings=_stored_form(entries))
            for i, entries in computed.items()
            if entries
        ]
        counting += len(rows)
        TrackStanding.objects.bulk_create(rows)
        for entries in computed.values():
            totals.update(entries)
    numbers: dict[domain.Key, dict[str, int]] = defaultdict(dict)
    for (key, standing), number in totals.items():
        numbers[key][standing] = number
    TrackRecord.objects.bulk_create(
        (
            TrackRecord(
                subject_type=t,
                subject_id=i,
                year=year,
                **asdict(domain.record(counts)),
            )
            for (t, i, year), counts in numbers.items()
        ),
        batch_size=BATCH,
    )
    return counting


# Reads -------------------------------------------------------------------------------------


Records = tuple[domain.Record, list[tuple[int, domain.Record]]]


def records_of(subject_types: list[str], subject_id: int) -> dict[str, Records]:
    """The records of one id as each of these subject types (an outlet as publisher and as
    originator), overall and by year of publication (oldest first), in one query."""
    found: dict[str, Records] = {t: (domain.Record(), []) for t in subject_types}
    rows = TrackRecord.objects.filter(subject_type__in=subject_types, subject_id=subject_id)
    for row in sorted(rows, key=lambda r: (r.year is not None, r.year or 0)):
        subject_type, year = row.subject_type, row.year
        record = domain.record({s: getattr(row, domain.FIELDS[s]) for s in domain.STANDINGS})
        if year is None:
            found[subject_type] = (record, found[subject_type][1])
        elif record.facts:
            found[subject_type][1].append((year, record))
    return found
