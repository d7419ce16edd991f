"""A bulk load into big tables (manage.py generate_corpus): the secondary indexes and SQLite's
search triggers set aside while the rows go in, and made again once, from all the rows, at the
end, all in one transaction.

Keeping an index while a million rows go in costs an index insertion a row, in random order;
building it at the end is one sort. The search indexes cost most: each claim's wording and
each article's 6 KB text cut into trigrams as it is inserted (SQLite's FTS5 triggers, PostgreSQL's
pg_trgm GIN indexes). Made at the end they are the same indexes (the same SQL: the search
triggers from facts.services.search_index, as migration 0022 makes them; the other indexes from
the database's own definition, read before they are dropped).

One transaction: a load that fails leaves the tables as they were, with their indexes and
triggers (DDL is transactional on both databases). Unique indexes and those behind constraints
stay, so the database checks every row as it goes in.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction

from facts.services import search_index

# SQLite's page cache for the load (KiB, as PRAGMA cache_size takes a negative number): the
# indexes kept (unique ones) and the FTS rebuild's segments stay in memory.
SQLITE_CACHE_KIB = 512 * 1024
# PostgreSQL's memory for each index build at the end: a GIN index over 1M wordings sorts
# its trigrams in memory rather than in batches flushed to disk.
MAINTENANCE_WORK_MEM = "1GB"


@contextmanager
def bulk_load(*, tables: Sequence[str]) -> Iterator[None]:
    """Run the block in one transaction with the secondary (non-unique) indexes of `tables` and
    SQLite's search triggers set aside, and make them again at its end."""
    if connection.vendor == "postgresql":
        with transaction.atomic(), _postgresql_indexes_aside(tables):
            yield
    elif connection.vendor == "sqlite":
        with _sqlite_pragmas(), transaction.atomic(), _sqlite_indexes_aside(tables):
            yield
    else:
        with transaction.atomic():
            yield


@contextmanager
def _postgresql_indexes_aside(tables: Sequence[str]) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = ANY(%s) AND pg_table_is_visible(t.oid) "
            "AND NOT x.indisunique AND NOT x.indisprimary "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid) "
            "ORDER BY i.relname",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        # Django's foreign keys are checked at commit (INITIALLY DEFERRED): a table with
        # checks still queued cannot take CREATE INDEX, and a million queued checks take
        # memory. Checked at each statement's end instead, as the rows go in.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
        for _, definition in indexes:
            cursor.execute(definition)
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def _sqlite_indexes_aside(tables: Sequence[str]) -> Iterator[None]:
    searched = {
        search: (table, columns)
        for search, (table, columns) in search_index.SQLITE_SEARCHES.items()
        if table in tables
    }
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(tables))
        # sql is null for the indexes behind a table's UNIQUE or PRIMARY KEY clause.
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ({marks}) "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' ORDER BY name",
            list(tables),
        )
        indexes = cursor.fetchall()
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        existing = {row[0] for row in cursor.fetchall()}
        searched = {search: found for search, found in searched.items() if search in existing}
        for search, (table, _columns) in searched.items():
            for statement in search_index.drop_sqlite_triggers(table, search=search):
                cursor.execute(statement)
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, definition in indexes:
            cursor.execute(definition)
        for search, (table, columns) in searched.items():
            cursor.execute(search_index.rebuild_sqlite_search(table, search=search))
            for statement in search_index.sqlite_triggers(table, columns, search=search):
                cursor.execute(statement)


@contextmanager
def _sqlite_pragmas() -> Iterator[None]:
    """No fsync and a large page cache for the load, and a rollback journal rather than the
    write-ahead log: the pages of an empty database's new rows are written once, where in WAL
    mode the whole load goes to the log and is copied again at the checkpoint. The settings
    are put back after (factsite.settings opens every connection in WAL mode). Inside a
    transaction (a test's) only the cache can change."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        cache_size = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}")
        outside = not connection.in_atomic_block
        if outside:
            cursor.execute("PRAGMA synchronous")
            synchronous = cursor.fetchone()[0]
            cursor.execute("PRAGMA journal_mode")
            journal_mode = cursor.fetchone()[0]
            cursor.execute("PRAGMA synchronous = OFF")
            if journal_mode == "wal":
                cursor.execute("PRAGMA journal_mode = DELETE")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {cache_size}")
            if outside:
                if journal_mode == "wal":
                    cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute(f"PRAGMA synchronous = {synchronous}")
