"""The order of a list: strict about what a client may ask for, total (the id breaks ties) and
the same on SQLite and PostgreSQL, so that cursor pages (facts.api.pagination) can resume
exactly where they stopped.

Where NULLs go: after every value, whichever way a field is ordered (`as_of` and `-as_of`
both end with the claims that have no date). The databases disagree by default (PostgreSQL
puts NULLs last going up and first going down; SQLite the other way round), so every ORDER
BY says NULLS LAST, and the cursor's comparisons (`rows_after`, `rows_before`) treat a NULL as
greater than any value in that field's direction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import F, Q
from django.db.models.expressions import OrderBy
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

# The longest ordering value quoted back in an error: enough to recognise, not an echo chamber.
QUOTED = 60


@dataclass(frozen=True)
class Key:
    """One column of an ordering: its field, which way it goes, whether it may be NULL."""

    name: str
    descending: bool
    nullable: bool

    @property
    def term(self) -> str:
        return f"-{self.name}" if self.descending else self.name


def ordering_keys(model: type[models.Model], ordering: list[str]) -> list[Key]:
    """The keys of an ordering such as ["-as_of", "id"] (plain fields of the model only)."""
    keys = []
    for term in ordering:
        name = term.lstrip("-")
        field = model._meta.pk if name == "pk" else model._meta.get_field(name)
        keys.append(Key(name=field.name, descending=term.startswith("-"), nullable=field.null))
    return keys


def order_by(keys: list[Key], *, backward: bool = False) -> list[OrderBy]:
    """The ORDER BY of the keys, NULLs last; backward: the exact reverse (NULLs first). A
    column that cannot be NULL is ordered plainly: a NULLS clause that SQLite does not take
    by default keeps it from reading the order off the column's index."""
    expressions = []
    for key in keys:
        descending = key.descending != backward
        column = F(key.name)
        if not key.nullable:
            expressions.append(column.desc() if descending else column.asc())
        elif backward:
            expressions.append(
                column.desc(nulls_first=True) if descending else column.asc(nulls_first=True)
            )
        else:
            expressions.append(
                column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
            )
    return expressions


def _same(key: Key, value: Any) -> Q:
    if value is None:
        return Q(**{f"{key.name}__isnull": True})
    return Q(**{key.name: value})


def rows_after(keys: list[Key], position: list[Any]) -> Q:
    """The rows strictly after a position (one value per key) in the order of the keys: those
    equal on the first keys and beyond it on the next one, for each key in turn. A NULL is
    beyond every value; nothing is beyond a NULL."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, position, strict=True):
        if value is not None:
            beyond = Q(**{f"{key.name}__{'lt' if key.descending else 'gt'}": value})
            if key.nullable:
                beyond |= Q(**{f"{key.name}__isnull": True})
            condition |= equal & beyond
        equal &= _same(key, value)
    return condition & _seek(keys[0], position[0], after=True)


def _seek(key: Key, value: Any, *, after: bool) -> Q:
    """A bound on the first key alone that the condition implies: said on its own it lets the
    database seek to the position in the column's index instead of scanning up to it (an OR
    of keys is not a range that SQLite's planner can seek by)."""
    if value is None:
        return Q(**{f"{key.name}__isnull": True}) if after else Q()
    bound = Q(**{f"{key.name}__{'lte' if key.descending == after else 'gte'}": value})
    if after and key.nullable:
        bound |= Q(**{f"{key.name}__isnull": True})
    return bound


def rows_before(keys: list[Key], position: list[Any]) -> Q:
    """The rows strictly before a position in the order of the keys (the mirror of
    rows_after): every value comes before a NULL; a NULL comes before nothing."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, position, strict=True):
        if value is None:
            beyond = Q(**{f"{key.name}__isnull": False})
        else:
            # A comparison with NULL is never true, so NULLs are left out, as they should be.
            beyond = Q(**{f"{key.name}__{'gt' if key.descending else 'lt'}": value})
        condition |= equal & beyond
        equal &= _same(key, value)
    return condition & _seek(keys[0], position[0], after=False)


class StableOrdering(OrderingFilter):
    """The ordering a client asks for (`?ordering=-as_of,start`), with the id to break ties:
    cursor pages need a total, deterministic order, or rows repeat and vanish between pages.

    Strict: a field the list does not offer, an empty part or a field given twice is a 400
    on `ordering` that names it and lists the allowed values (DRF's filter drops them
    silently, so a typo gave another order than asked, with a 200)."""

    def allowed(self, view: Any) -> list[str]:
        """The fields the view offers, ascending then descending: id, -id, as_of, -as_of..."""
        fields = getattr(view, "ordering_fields", None) or []
        if isinstance(fields, str):  # "__all__": not used by any view; offer the id only
            fields = ["id"]
        names = [item if isinstance(item, str) else item[0] for item in fields]
        return [term for name in names for term in (name, f"-{name}")]

    def asked(self, raw: str, view: Any) -> list[str]:
        allowed = self.allowed(view)
        ordering: list[str] = []
        for part in raw.split(","):
            term = part.strip()
            if term not in allowed:
                shown = repr(term[:QUOTED]) if term else "an empty part"
                raise ValidationError(
                    {
                        self.ordering_param: [
                            f"Cannot order by {shown}: choose from {', '.join(allowed)} "
                            "(several separated by commas)."
                        ]
                    }
                )
            if term.lstrip("-") in {earlier.lstrip("-") for earlier in ordering}:
                raise ValidationError(
                    {self.ordering_param: [f"{term.lstrip('-')!r} is given twice: give it once."]}
                )
            ordering.append(term)
        return ordering

    def get_ordering(self, request: Request, queryset: Any, view: Any) -> list[str]:
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            ordering = list(self.get_default_ordering(view) or [])
        else:
            ordering = self.asked(raw, view)
        if not any(term.lstrip("-") in ("id", "pk") for term in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-id" if descending else "id")
        return ordering

    def filter_queryset(self, request: Request, queryset: Any, view: Any) -> Any:
        keys = ordering_keys(queryset.model, self.get_ordering(request, queryset, view))
        return queryset.order_by(*order_by(keys))

    def get_template_context(self, request: Request, queryset: Any, view: Any) -> dict:
        # The browsable API draws its ordering menu even above a refused ordering's 400.
        try:
            current = self.get_ordering(request, queryset, view)[0]
        except ValidationError:
            current = None
        options = [
            (term, f"{term.lstrip('-')} - {'descending' if term[0] == '-' else 'ascending'}")
            for term in self.allowed(view)
        ]
        return {
            "request": request,
            "current": current,
            "param": self.ordering_param,
            "options": options,
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        allowed = self.allowed(view)
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "The field to order by, `-` before it for descending; several "
                "separated by commas. The id breaks ties; NULLs come last either way. Any "
                "other value is a 400.",
                "schema": {"type": "string", "enum": allowed} if allowed else {"type": "string"},
            }
        ]
