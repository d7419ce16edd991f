"""Cursor pagination: stable and as fast on page 10,000 as on page 1."""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination


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
