"""Hints to a database's planner, where one without statistics chooses badly."""

from __future__ import annotations

from typing import Any

from django.db import models
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
