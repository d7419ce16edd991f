"""Hints to a database's planner, where one without statistics chooses badly."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections, models, transaction
from django.db.models import Q


class Common(models.Func):
    """A condition a large share of the rows meets (`share`, 0 to 1), said so to SQLite.

    SQLite keeps no statistics of a column's values (Python's build has no STAT4), so it takes
    an index on a column for any `IN (...)` on it, collects every match and sorts them for one
    page: the facts list with `?disputed=true` sorted 4,229 of 10,000 facts, 204 ms at 1M
    claims, where walking the facts in id order finds a page after about 120 (0.4 ms).
    `likelihood()` is SQLite's own hint for this. Elsewhere the condition goes as it is:
    PostgreSQL has its statistics."""

    output_field = models.BooleanField()

    def __init__(self, condition: Q, *, share: float) -> None:
        if not 0.0 <= share <= 1.0:
            raise ValueError("A share is from 0 to 1.")
        self.share = float(share)
        super().__init__(condition)

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return compiler.compile(self.get_source_expressions()[0])

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        # Written into the SQL, not bound: SQLite wants the share as a constant.
        return f"likelihood({sql}, {self.share!r})", params


@contextmanager
def joins_as_written(using: str) -> Iterator[None]:
    """On PostgreSQL, the queries run inside plan their joins in the order their SQL writes them
    (`join_collapse_limit = 1`, for this transaction only); elsewhere nothing changes.

    For a query of many joins whose written order is the order the planner takes anyway: the
    claims list's page joins ten tables (the claim, its fact and subject, article, outlet and
    wire source, the actor's chain of four), and PostgreSQL searched the orders of ten
    tables again for every page, 6.3 ms of a 7 ms query at 1M claims (EXPLAIN ANALYZE's
    Planning Time); in the written order, 1 ms, the same plans for the list's filters but for
    one whose condition is on a joined table (docs/PERFORMANCE.md, issue 16). Not set for the
    connection: it would fix the order of every other query too. Not a prepared statement's generic plan either: one plan for every
    value of a filter read the hot fact's claims, a subject's or a `q`'s 30-200 times slower.

    Outside a transaction this is one (BEGIN, the setting, the queries, COMMIT); inside one, the
    setting is put back after the queries, for those that follow in the same transaction."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    inside_another = connection.in_atomic_block
    # No savepoint: nothing here is to be undone on its own; a failing query fails the
    # transaction it is in, as it would without this.
    with transaction.atomic(using=using, savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('join_collapse_limit'),"
                " set_config('join_collapse_limit', '1', true)"
            )
            (before, _) = cursor.fetchone()
        yield
        if inside_another:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('join_collapse_limit', %s, true)", [before])
