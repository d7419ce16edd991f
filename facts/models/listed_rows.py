"""Rows of a listing read as values, not model instances: a page of the claims list is 50 claims
with their fact, subject, article, outlet, wire source and actor chain, and building the ~7
model instances a row (Model.__init__ with its deferred fields, a descriptor's checks for each
related row set) cost more than the joined query itself (docs/PERFORMANCE.md, the claims list,
issue 16).

A listed row is a dict of the model's fields by attribute name (a foreign key's id under its
`attname`, `fact_id`), with each related row the listing reads nested under the relation's
name as a listed row of its own (None when there is none), and any value derived from the row
(`derived`, computed once by the function the model's own method uses). It reads by key and by
attribute alike, so that what reads a model instance by attribute (the paginator's cursor, a
serializer's method field) reads a listed row the same way.

The same one query as `select_related(...).only(...)` of the same fields: `values_list` over the
same paths, the same joins; Django's converters give the same Python values (dates, decimals,
aware datetimes)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cached_property
from operator import itemgetter
from typing import Any

from django.db import models
from django.db.models.query import ValuesListIterable

from facts.models.planning import joins_as_written as joins_as_written_on


class ListedRow(dict):
    """A row read as values: its fields as keys and as attributes."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def pk(self) -> Any:
        # Every model of the record has its primary key in `id`.
        return self["id"]


# Builds one listed row (the model's, or a related row's) from a query's tuple of values.
Builder = Callable[[tuple], ListedRow]


def _builder(
    keys: tuple[str, ...],
    values: Callable[[tuple], tuple],
    children: tuple[tuple[str, int, Builder], ...],
    derived: tuple[tuple[str, Callable[[ListedRow], Any]], ...],
) -> Builder:
    def build(row_values: tuple) -> ListedRow:
        row = ListedRow(zip(keys, values(row_values), strict=True))
        for name, id_index, child in children:
            # A nullable relation left empty: its id (and every column of its LEFT JOIN) null.
            row[name] = None if row_values[id_index] is None else child(row_values)
        for name, derive in derived:
            row[name] = derive(row)
        return row

    return build


def _getter(indexes: list[int]) -> Callable[[tuple], tuple]:
    if len(indexes) == 1:
        index = indexes[0]
        return lambda values: (values[index],)
    return itemgetter(*indexes)


class ListedShape:
    """The columns a listing reads (the model's concrete fields and `related`: for each
    relation path, as select_related names it, the fields read of its rows) and how its values
    nest into listed rows."""

    def __init__(
        self,
        model: type[models.Model],
        related: dict[str, list[str]],
        *,
        derived: dict[str, Callable[[ListedRow], Any]] | None = None,
        joins_as_written: bool = False,
    ) -> None:
        self.model, self.related, self.derived = model, related, derived or {}
        # Whether the listing's query plans its joins in the order written (PostgreSQL):
        # facts.models.planning.joins_as_written says when that is right.
        self.joins_as_written = joins_as_written

    @cached_property
    def columns(self) -> list[str]:
        # Made on first use: the models' relations are known once the app registry is ready.
        return self._plan[0]

    @cached_property
    def iterable(self) -> type[ValuesListIterable]:
        build = self._plan[1]
        joins_as_written = self.joins_as_written

        class Rows(ValuesListIterable):
            """The queryset's tuples (in `columns`' order) as listed rows."""

            def __iter__(self) -> Iterator[Any]:  # type: ignore[override]
                if not joins_as_written or self.chunked_fetch:
                    # Read in chunks (.iterator()), the rows are read while the caller works
                    # on them: no planner setting is held over the caller's own queries.
                    for values in super().__iter__():
                        yield build(values)
                    return
                # Read whole under the setting (the query runs on the first row asked for),
                # built after it.
                with joins_as_written_on(self.queryset.db):
                    rows = list(super().__iter__())
                for values in rows:
                    yield build(values)

        return Rows

    @cached_property
    def _plan(self) -> tuple[list[str], Builder]:
        columns: list[str] = []
        root, _ = self._node(self.model, "", columns, self.derived)
        return columns, root

    def _node(
        self,
        model: type[models.Model],
        path: str,
        columns: list[str],
        derived: dict[str, Callable[[ListedRow], Any]],
    ) -> tuple[Builder, int]:
        """The builder of the rows at `path` and the index of their id's column."""
        related = self.related
        prefix = f"{path}__" if path else ""
        names = (
            related[path] if path else [field.name for field in model._meta.concrete_fields]  # type: ignore[union-attr]
        )
        keys, indexes, children = [], [], []
        for name in names:
            field = model._meta.get_field(name)
            column = f"{prefix}{name}"
            # A foreign key's column is its id (values() gives the id), under its attname.
            keys.append(getattr(field, "attname", name))
            indexes.append(len(columns))
            columns.append(column)
            if column in related:
                target = field.related_model
                assert isinstance(target, type)
                child, id_index = self._node(target, column, columns, {})
                children.append((name, id_index, child))
        build = _builder(tuple(keys), _getter(indexes), tuple(children), tuple(derived.items()))
        return build, indexes[keys.index("id")]

    def read(self, queryset: models.QuerySet) -> models.QuerySet:
        """The rows of an unfiltered queryset (the model's manager, on one database) as listed
        rows: still a queryset, to filter, order and slice. The values query (for the claims,
        70 columns over 9 joins) is built once a process and copied for each listing: building
        it cost a tenth of a page, and DRF's model permissions build the view's queryset twice
        a request (once only to learn its model)."""
        query = queryset.query
        if query.where or query.is_sliced or query.order_by or query.annotations:
            raise ValueError("Start a listing from the manager, then filter it.")
        template = self._templates.get(queryset.db)
        if template is None:
            template = queryset.values_list(*self.columns)
            template._iterable_class = self.iterable
            self._templates[queryset.db] = template
        return template.all()

    @cached_property
    def _templates(self) -> dict[str, models.QuerySet]:
        # Never evaluated (their copies are): no rows are kept here.
        return {}
