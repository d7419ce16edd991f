"""Inserting many rows of one model at once, for the bulk import.

Django's bulk_create prepares every value of every row through its field (about 8 µs a value:
a claim has 37 columns, its history row 44), which made the inserts most of an import's time.
Here each column is prepared once per row only when its type needs it (decimals, dates, JSON);
plain texts, numbers and booleans go to the driver as they are; and the rows go by COPY on
PostgreSQL, by multi-row INSERTs on SQLite. The rows are validated before
(facts.services.imports), and the database's constraints stand behind that.
"""

from __future__ import annotations

import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache, lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

# Field types whose Python value the drivers (sqlite3, psycopg) take as it is.
PLAIN_TYPES = frozenset(
    {
        "AutoField",
        "BigAutoField",
        "BigIntegerField",
        "BooleanField",
        "CharField",
        "ForeignKey",
        "IntegerField",
        "PositiveBigIntegerField",
        "PositiveIntegerField",
        "PositiveSmallIntegerField",
        "SlugField",
        "SmallIntegerField",
        "TextField",
        "URLField",
    }
)


def _converter(field: models.Field[Any, Any], database: Any) -> Callable[[Any], Any] | None:
    """How a column's Python value becomes the driver's, or None when it goes as it is.
    Decimals go as they are: both drivers take them (Django's SQLite backend registers an
    adapter), and the model's validation has kept them to the column's digits."""
    kind = field.get_internal_type()
    if kind in PLAIN_TYPES or kind == "DecimalField":
        return None
    ops = database.ops
    # Days and moments repeat across an import's rows (its timestamp, the publication days):
    # each is adapted once.
    adapt: Callable[[Any], Any]
    if kind == "DateField":
        adapt = lru_cache(maxsize=4096)(ops.adapt_datefield_value)
    elif kind == "DateTimeField":
        adapt = lru_cache(maxsize=4096)(ops.adapt_datetimefield_value)
    else:

        def adapt(value: Any) -> Any:
            return field.get_db_prep_save(value, database)

    def prepare(value: Any) -> Any:
        return None if value is None else adapt(value)

    return prepare


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids for new rows, taken from the table's sequence (PostgreSQL) or past its highest id
    (SQLite, whose one writer at a time is this transaction), so that the rows can be inserted
    with executemany and still be known by their ids."""
    if count == 0:
        return []
    table = model._meta.db_table
    pk = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "
            f"COALESCE((SELECT MAX({quote(pk)}) FROM {quote(table)}), 0))",
            [table],
        )
        highest = cursor.fetchone()[0]
    return list(range(highest + 1, highest + 1 + count))


def insert(model: type[models.Model], rows: Sequence[models.Model]) -> None:
    """Insert the rows, each with an id from reserve_ids (which it keeps), so that what refers
    to them, their history rows first, can be written next."""
    if not rows:
        return
    for row, pk in zip(rows, reserve_ids(model, len(rows)), strict=True):
        row.pk = pk
        row._state.adding = False
        row._state.db = connection.alias
    fields = list(model._meta.concrete_fields)
    insert_values(model, fields, _values(rows, fields))


def _values(
    rows: Sequence[models.Model], fields: Sequence[models.Field[Any, Any]]
) -> Iterator[list[Any]]:
    """Each row's values of these fields, read from the instance's dict at C speed: through
    getattr, a relation's id attribute is a descriptor run in Python (a claim has 37 columns;
    this took 50 ms a 10,000 claims, now 10). A field not in the dict (deferred) by getattr."""
    attnames = [f.attname for f in fields]
    read = operator.itemgetter(*attnames)
    for row in rows:
        try:
            values = read(row.__dict__)
        except KeyError:
            yield [getattr(row, name) for name in attnames]
            continue
        yield list(values) if len(attnames) > 1 else [values]


@cache
def history_model(model: type[models.Model]) -> type[models.Model]:
    """django-simple-history's model of `model`, looked up once: its `history` descriptor
    makes a new manager class on every access (a millisecond an ingest)."""
    found: type[models.Model] = model.history.model  # type: ignore[attr-defined]
    return found


def insert_history(model: type[models.Model], rows: Sequence[models.Model], **extra: Any) -> None:
    """A history row (django-simple-history's model of `model`) for each row just inserted, as
    bulk_history_create writes them: the row's columns, copied by the database itself
    (INSERT ... SELECT: no value travels twice), and `extra` (history_date, history_type,
    history_user_id, history_change_reason), the same for all."""
    if not rows:
        return
    history = history_model(model)
    fields = [f for f in history._meta.concrete_fields if not f.primary_key]
    own = {f.attname: f for f in model._meta.concrete_fields}
    missing = {f.attname for f in fields} - own.keys() - extra.keys()
    if missing:
        raise ValueError(f"Give the history columns {sorted(missing)}.")
    database = connections[DEFAULT_DB_ALIAS]
    quote = database.ops.quote_name
    chosen, params = [], []
    for field in fields:
        if field.attname in own:
            chosen.append(quote(own[field.attname].column))  # type: ignore[arg-type]
        else:
            convert = _converter(field, database)
            value = extra[field.attname]
            chosen.append("%s")
            params.append(value if convert is None else convert(value))
    columns = ", ".join(quote(str(f.column)) for f in fields)
    pk = quote(str(model._meta.pk.column))
    head = (
        f"INSERT INTO {quote(str(history._meta.db_table))} ({columns}) "
        f"SELECT {', '.join(chosen)} FROM {quote(model._meta.db_table)} WHERE "
    )
    ids = sorted(row.pk for row in rows)
    with connection.cursor() as cursor:
        if ids[-1] - ids[0] + 1 == len(ids):
            # Ids reserved in one run (reserve_ids): a range, one statement.
            cursor.execute(f"{head}{pk} BETWEEN %s AND %s", [*params, ids[0], ids[-1]])
            return
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"{head}{pk} IN ({marks})", [*params, *chunk])


# SQLite: rows a multi-row INSERT at most (a statement's text stays under a megabyte or so).
ROWS_A_STATEMENT = 500


def insert_values(
    model: type[models.Model], fields: Sequence[models.Field[Any, Any]], rows: Iterable[list[Any]]
) -> None:
    """Insert rows given as lists of Python values, one per field, in the fields' order."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)  # type: ignore[arg-type]
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES "
    # The connection itself, not django.db.connection's per-thread proxy (a lookup a value).
    database = connections[DEFAULT_DB_ALIAS]
    converters = [
        (i, c) for i, c in enumerate(_converter(f, database) for f in fields) if c is not None
    ]
    params = []
    for values in rows:
        for i, convert in converters:
            values[i] = convert(values[i])
        params.append(values)
    if not params:
        return
    if database.vendor == "postgresql":
        # COPY: the rows stream to the server as data, with no SQL text to build or parse
        # (psycopg parses a long parameterised statement with a regular expression, and that
        # cost more than the insert itself).
        table = quote(model._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for values in params:
                copy.write_row(values)
        return
    # SQLite: multi-row INSERTs, as many rows a statement as its variables allow (in process,
    # no round trips). Not executemany, one run of the statement a row: a run that fires a
    # trigger opens a statement savepoint, and at each one the FTS5 search indexes (the
    # triggers of migration 0022) write their pending rows out as a segment of their own and
    # merge segments. An ingest's 25 claims took 3.2 ms so, 0.8 ms in one statement (both
    # with the triggers: the same rows, ids and index).
    with connection.cursor() as cursor:
        # Up to ROWS_A_STATEMENT rows, as this SQLite's limit of variables allows (32,766 by
        # default since 3.32; Django assumes 999, which would be a statement a 27 claims).
        limit = cursor.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        size = max(1, min(ROWS_A_STATEMENT, limit // len(fields)))
        for start in range(0, len(params), size):
            chunk = params[start : start + size]
            marks = ", ".join([row_marks] * len(chunk))
            cursor.execute(head + marks, [value for values in chunk for value in values])
