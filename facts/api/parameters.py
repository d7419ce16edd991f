"""Strict query parameters: a parameter the operation does not take, or a format it does not
answer in, is a 400 naming it, not silently ignored (a misspelt filter that returns every row
looks like an answer)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

# Every list pages by cursor.
PAGING = frozenset({"cursor", "page_size"})
FORMAT = "format"


def unknown_parameters(request: Request, allowed: set[str]) -> dict[str, str]:
    """The query parameters an operation does not take, each with what it does take."""
    offered = ", ".join(sorted(allowed)) or "none"
    return {
        name: f"Unknown query parameter. This operation takes: {offered}."
        for name in sorted(set(request.query_params) - allowed)
    }


def unknown_format(request: Request, formats: list[str]) -> ValidationError:
    asked = request.query_params.get(FORMAT, "")
    return ValidationError(
        {FORMAT: f"No format {asked!r} here: choose {', '.join(formats)}, or leave it out."}
    )


class StrictQueryMixin:
    """For a view: refuse unknown query parameters and formats with a 400."""

    # The actions that list rows: they take the filters, the ordering and the cursor.
    listing_actions: frozenset[str] = frozenset({"list"})
    # The parameters of each action beyond those: one place, read by this check and by the
    # schema (facts.api.schema.FactsAutoSchema).
    action_parameters: dict[str, list[OpenApiParameter]] = {}

    def allowed_query_parameters(self) -> set[str]:
        action = getattr(self, "action", None)
        allowed = {FORMAT} | {
            parameter.name
            for parameter in self.action_parameters.get(action or "", [])
            if parameter.location == OpenApiParameter.QUERY
        }
        if action in self.listing_actions:
            allowed |= PAGING
            for backend in getattr(self, "filter_backends", ()):
                if issubclass(backend, DjangoFilterBackend):
                    filterset = getattr(self, "filterset_class", None)
                    allowed |= set(filterset.base_filters) if filterset else set()
                elif issubclass(backend, OrderingFilter):
                    allowed.add(backend.ordering_param)
        return allowed

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        unknown = unknown_parameters(request, self.allowed_query_parameters())
        if unknown:
            raise ValidationError(unknown)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        try:
            return super().perform_content_negotiation(request, force)  # type: ignore[misc]
        except Http404:
            formats = [renderer.format for renderer in self.get_renderers()]  # type: ignore[attr-defined]
            raise unknown_format(request, formats) from None
