"""Cursor pages by keyset ("seek") over the list's whole ordering: every row once, forward and
backward, and as fast on page 10,000 as on page 1 (no OFFSET).

Written here rather than taken from a library, because none of the kept ones pages correctly
both ways over NULLs on SQLite and PostgreSQL:
- DRF's CursorPagination keeps the position of the first ordering field only, plus an offset
  into its ties: with many ties (claims ordered by `as_of`) or NULLs its `previous` links skip
  rows (issue 12 measured claims 102-104 never returned), and DRF reverted its NULL handling
  (encode/django-rest-framework#9381).
- django-cursor-pagination 0.3 joins the cursor's values with "|" (a name holding one breaks
  it) and compares them as text, which on SQLite is not how a date-time column orders.

A cursor holds the ordering it was made for, which way it goes and the position (the values of
the ordering's fields, the id last, in the row at the page's edge): the next page is the rows
after the last row's position, the previous one the rows before the first row's. Which way NULLs
sort is decided in facts.api.ordering (last, in either direction).
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, models
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from facts.api.ordering import Key, StableOrdering, order_by, ordering_keys, rows_after, rows_before
from facts.domain import storable

TAMPERED_CURSOR = "This cursor was not given by this list: follow the `next` or `previous` links."
OTHER_ORDERING = (
    "This cursor was given for another ordering: ask with the `ordering` of the page it came "
    "from (its `next` and `previous` links keep it)."
)
FORWARD, BACKWARD = "next", "previous"


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after (forward) or before (backward) a position; no position is
    the first page (forward) or the last (backward)."""

    ordering: str
    direction: str
    position: list[Any] | None


def as_json(value: Any) -> Any:
    """A field's value as the cursor keeps it."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_cursor(cursor: Cursor) -> str:
    position = None if cursor.position is None else [as_json(v) for v in cursor.position]
    text = json.dumps([cursor.ordering, cursor.direction, position], separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


class CursorPage(BasePagination):
    """Pages of `page_size` rows (at most API_MAX_PAGE_SIZE; more is refused, not cut), each
    with `next` and `previous` links and the bare cursors in them (`next_cursor`,
    `previous_cursor`) for clients whose list function takes a cursor. One query a page."""

    page_size = 50
    page_size_query_param = "page_size"
    cursor_query_param = "cursor"
    # The order of a list whose view offers none (background imports): newest first.
    ordering = ["-id"]

    def paginate_queryset(
        self, queryset: models.QuerySet, request: Request, view: Any = None
    ) -> list | None:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.size = self.get_page_size(request)
        self.database = queryset.db
        terms = self.get_ordering(request, queryset, view)
        self.ordering_text = ",".join(terms)
        self.keys = ordering_keys(queryset.model, terms)
        cursor = self.decode_cursor(request, queryset)
        self.cursor = cursor
        backward = cursor is not None and cursor.direction == BACKWARD
        rows = queryset
        if cursor is not None and cursor.position is not None:
            where = rows_before if backward else rows_after
            rows = rows.filter(where(self.keys, cursor.position))
        # One more row than the page: whether there is a page beyond, in the same query.
        page = list(rows.order_by(*order_by(self.keys, backward=backward))[: self.size + 1])
        beyond = len(page) > self.size
        page = page[: self.size]
        if backward:
            page.reverse()
            self.has_previous, self.has_next = beyond, cursor.position is not None
        else:
            self.has_next = beyond
            self.has_previous = cursor is not None and cursor.position is not None
        self.page = page
        return page

    def get_ordering(self, request: Request, queryset: models.QuerySet, view: Any) -> list[str]:
        """The view's ordering (asked or default, the id last); for rows of another model than
        the view's (a subject's facts), the queryset's own order, or the newest first."""
        view_model = getattr(getattr(view, "queryset", None), "model", None)
        terms: list[str] = []
        if view_model is queryset.model:
            for backend in getattr(view, "filter_backends", []):
                if issubclass(backend, StableOrdering):
                    return backend().get_ordering(request, queryset, view)
            default = getattr(view, "ordering", None) or []
            terms = [default] if isinstance(default, str) else list(default)
        if not terms:
            own = [term for term in queryset.query.order_by if isinstance(term, str)]
            terms = own or list(self.ordering)
        if not any(term.lstrip("-") in ("id", "pk") for term in terms):
            terms.append("-id" if terms[0].startswith("-") else "id")
        return terms

    # The cursor -------------------------------------------------------------------------

    def decode_cursor(self, request: Request, queryset: models.QuerySet) -> Cursor | None:
        """The cursor asked with, refused with a 400 on `cursor` when it was not made here for
        this ordering: each value of its position must be one its field can hold, or the
        query could fail in the database with a 500 (a word for an id, a NUL for PostgreSQL,
        a time that SQLite cannot turn to UTC)."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
            ordering, direction, position = json.loads(text)
            if direction not in (FORWARD, BACKWARD):
                raise ValueError(direction)
            if ordering != self.ordering_text:
                raise ValidationError({self.cursor_query_param: [OTHER_ORDERING]})
            if position is not None:
                if not isinstance(position, list) or len(position) != len(self.keys):
                    raise ValueError(position)
                position = [
                    self.value_of(queryset.model, key, value)
                    for key, value in zip(self.keys, position, strict=True)
                ]
        except (ValueError, TypeError, binascii.Error, UnicodeError, RecursionError):
            raise ValidationError({self.cursor_query_param: [TAMPERED_CURSOR]}) from None
        return Cursor(ordering=ordering, direction=direction, position=position)

    def value_of(self, model: type[models.Model], key: Key, value: Any) -> Any:
        """A position's value as its field holds it; ValueError if it cannot be one."""
        if value is None:
            if not key.nullable:
                raise ValueError(key.name)
            return None
        if not isinstance(value, str | int) or isinstance(value, bool):
            raise ValueError(value)
        try:
            field = model._meta.get_field(key.name)
            if isinstance(value, str) and storable.text_problem(value):
                raise ValueError(value)
            python = field.to_python(value)
            field.run_validators(python)
            if isinstance(python, datetime) and python.tzinfo is not None:
                # SQLite compares times in UTC, which overflows past year 9999; a list never
                # gives such a cursor, so it is refused on every database alike.
                python.astimezone(timezone.utc)
            # The conversion the query will make, so that it cannot fail in the database.
            field.get_db_prep_value(python, connections[self.database], prepared=False)
        except (FieldDoesNotExist, DjangoValidationError, TypeError, OverflowError):
            raise ValueError(value) from None
        return python

    def cursor_to(self, direction: str, row: models.Model | None) -> str:
        position = None if row is None else [getattr(row, key.name) for key in self.keys]
        return encode_cursor(Cursor(self.ordering_text, direction, position))

    def get_next_cursor(self) -> str | None:
        if not self.has_next:
            return None
        # After the last row; a page left empty going back is before everything: the first.
        return self.cursor_to(FORWARD, self.page[-1] if self.page else None)

    def get_previous_cursor(self) -> str | None:
        if not self.has_previous:
            return None
        # Before the first row; a page left empty going on is past everything: the last.
        return self.cursor_to(BACKWARD, self.page[0] if self.page else None)

    def get_next_link(self) -> str | None:
        return self.link(self.get_next_cursor())

    def get_previous_link(self) -> str | None:
        return self.link(self.get_previous_cursor())

    def link(self, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        return replace_query_param(self.base_url, self.cursor_query_param, cursor)

    # The response and its schema ----------------------------------------------------------

    def get_paginated_response(self, data: Any) -> Response:
        next_cursor, previous_cursor = self.get_next_cursor(), self.get_previous_cursor()
        return Response(
            {
                "next": self.link(next_cursor),
                "previous": self.link(previous_cursor),
                "next_cursor": next_cursor,
                "previous_cursor": previous_cursor,
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict) -> dict:
        def link(description: str) -> dict:
            return {"type": "string", "format": "uri", "nullable": True, "description": description}

        def token(description: str) -> dict:
            return {"type": "string", "nullable": True, "description": description}

        return {
            "type": "object",
            "required": ["next", "previous", "next_cursor", "previous_cursor", "results"],
            "properties": {
                "next": link("The next page; null on the last."),
                "previous": link("The previous page; null on the first."),
                "next_cursor": token(
                    "The `cursor` of the next page (ask with the same "
                    "filters and ordering); null on the last."
                ),
                "previous_cursor": token("The `cursor` of the previous page; null on the first."),
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The `next_cursor` or `previous_cursor` of a page (asked with "
                "the same ordering).",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": f"Rows a page: 1 to {self.max_page_size} (default "
                f"{self.page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    # The page size ------------------------------------------------------------------------

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            raise ValidationError({"page_size": "A whole number, please."}) from None
        if not 1 <= size <= self.max_page_size:
            raise ValidationError({"page_size": f"Ask for 1 to {self.max_page_size} rows a page."})
        return size

    def get_results(self, data: dict) -> list:
        return data["results"]
