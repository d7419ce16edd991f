"""Cursor pagination: stable and as fast on page 10,000 as on page 1."""

from django.conf import settings
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination


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
