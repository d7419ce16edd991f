"""Cursor pagination: stable and as fast on page 10,000 as on page 1."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import connections, models
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request

from facts.domain import storable

TAMPERED_CURSOR = "This cursor was not given by this list: follow the `next` or `previous` links."


class StableOrdering(OrderingFilter):
    """The ordering a client asks for, with the id to break ties: cursor pages need a total,
    deterministic order, or rows repeat and vanish between pages."""

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or [])
        if not any(field.lstrip("-") in ("id", "pk") for field in ordering):
            descending = bool(ordering) and ordering[0].startswith("-")
            ordering.append("-id" if descending else "id")
        return ordering


class CursorPage(CursorPagination):
    """Pages of `page_size` rows (at most API_MAX_PAGE_SIZE; more is refused, not cut)."""

    page_size = 50
    page_size_query_param = "page_size"
    ordering = "-id"

    model: type[models.Model] | None = None
    database = "default"

    def paginate_queryset(
        self, queryset: models.QuerySet, request: Request, view: Any = None
    ) -> list | None:
        # decode_cursor checks the cursor's position against the field it is a value of.
        self.model = queryset.model
        self.database = queryset.db
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request: Request) -> Cursor | None:
        """DRF's cursor, refused with a 400 on `cursor` (not DRF's 404) when it was not made
        here: its position must be a value that the ordering field can compare with, or the
        query fails in the database with a 500 ("p=abc" for an id, a NUL for PostgreSQL, a
        time that SQLite cannot turn to UTC)."""
        try:
            cursor = super().decode_cursor(request)
        except NotFound:
            raise ValidationError({"cursor": TAMPERED_CURSOR}) from None
        if cursor is not None and cursor.position is not None:
            self.check_position(cursor.position)
        return cursor

    def check_position(self, position: str) -> None:
        if self.model is None:
            return
        name = self.ordering[0].lstrip("-")
        try:
            field = self.model._meta.get_field(name)
            if storable.text_problem(position):
                raise ValueError(position)
            value = field.to_python(position)
            field.run_validators(value)
            if isinstance(value, datetime) and value.tzinfo is not None:
                # SQLite compares times in UTC, which overflows past year 9999; a list never
                # gives such a cursor, so it is refused on every database alike.
                value.astimezone(timezone.utc)
            # The conversion the query will make, so that it cannot fail in the database.
            field.get_db_prep_value(value, connections[self.database], prepared=False)
        except (FieldDoesNotExist, DjangoValidationError, ValueError, TypeError, OverflowError):
            raise ValidationError({"cursor": TAMPERED_CURSOR}) from None

    @property
    def max_page_size(self) -> int:
        return settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request) -> int:
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
