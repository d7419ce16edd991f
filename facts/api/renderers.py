"""The API's renderers: JSON, and the CSV media type of the lists (facts.api.csv_export)."""

from __future__ import annotations

from typing import Any

from csp.constants import UNSAFE_INLINE
from rest_framework import renderers


class CSVRenderer(renderers.BaseRenderer):
    """text/csv for the lists that offer it (?format=csv or Accept: text/csv). The rows are
    written by the list itself (facts.api.csv_export), from its fixed columns; what reaches
    this renderer is an answer that is not a table, an error, which is sent as JSON."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if data is None:
            return b""
        response = (renderer_context or {}).get("response")
        if response is not None and response.get("Content-Type", "").startswith("text/csv"):
            response["Content-Type"] = "application/json"
        return JSONRenderer().render(data, "application/json", renderer_context)


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


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML pages for people, under the site's Content-Security-Policy with one
    allowance: DRF's templates lay out a few elements with style attributes (a float, a
    width), which the policy refuses everywhere else, so these pages alone allow style
    attributes (style-src-attr). Never scripts, nor style elements: a style attribute runs no
    code, and with images, fonts and connections held to this site it sends nothing away.

    DRF also inlines Pygments' CSS (a <style> element) when Pygments is installed, for the
    code blocks of Markdown descriptions; without the markdown package there are none, so it
    is left out rather than allowed."""

    def get_context(
        self, data: Any, accepted_media_type: str | None, renderer_context: dict
    ) -> dict:
        context = super().get_context(data, accepted_media_type, renderer_context)
        context["code_style"] = None
        return context

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> Any:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_update = {"style-src-attr": [UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
