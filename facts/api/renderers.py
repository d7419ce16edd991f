"""CSV for every list, for the spreadsheets data journalists live in."""

from __future__ import annotations

from typing import Any

from rest_framework import renderers
from rest_framework_csv.renderers import CSVRenderer as BaseCSVRenderer

# A cell starting with one of these is a formula to a spreadsheet: quote it as text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class CSVRenderer(BaseCSVRenderer):
    """A page's rows (or one row) as CSV: nested fields flattened ('outlet.name'), columns in
    the API's order, and text that a spreadsheet would run as a formula made inert."""

    def render(self, data, media_type=None, renderer_context=None, writer_opts=None):
        renderer_context = renderer_context or {}
        if isinstance(data, dict) and isinstance(data.get("results"), list):
            data = data["results"]
        if data == [] and "header" not in renderer_context:
            # An empty page is still a table: its header row, from the serializer's fields.
            view = renderer_context.get("view")
            if view is not None and hasattr(view, "get_serializer"):
                renderer_context = {
                    **renderer_context,
                    "header": list(view.get_serializer().fields),
                }
        return super().render(data, media_type, renderer_context, writer_opts)

    def tablize(self, data, header=None, labels=None):
        if data and not header:
            # Columns in the API's order, from every row: a null nested value in the first
            # row must not hide the columns the others fill.
            header = list(dict.fromkeys(key for item in data for key in self.flatten_item(item)))
        for row in super().tablize(data, header=header, labels=labels):
            yield [
                f"'{cell}" if isinstance(cell, str) and cell.startswith(FORMULA_STARTS) else cell
                for cell in row
            ]


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, with every character as written (UNICODE_JSON) where it can be: a lone
    surrogate stored before the API refused them cannot be encoded as UTF-8, and would make
    every page that shows its row a 500; such a page is sent with \\u escapes instead, which
    is still valid JSON."""

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            escaped = renderers.JSONRenderer()
            escaped.ensure_ascii = True
            return escaped.render(data, accepted_media_type, renderer_context)


class ProblemJSONRenderer(JSONRenderer):
    """An error as RFC 9457's problem detail: JSON under its own media type."""

    media_type = "application/problem+json"
