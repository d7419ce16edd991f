"""The API's renderers: JSON, and the CSV media type of the lists (facts.api.csv_export)."""

from __future__ import annotations

from typing import Any

import orjson
from csp.constants import UNSAFE_INLINE
from rest_framework import renderers

# orjson, a well-kept JSON library in Rust (a wheel for every platform we run), writes a page
# of 50 claims in 0.10 ms where the standard library's json with DRF's encoder takes 0.63 ms
# (a twentieth of the list's server CPU under load, docs/PERFORMANCE.md; 0.35 ms with the
# check below). The same bytes as
# DRF's renderer, by three rules: dates and times go to DRF's encoder as before (orjson's own
# would keep microseconds and write +00:00 for Z), as does every type orjson does not know
# (Decimal, lazy strings, UUID's subclasses); whatever orjson refuses (a key that is not a
# string, an integer past 64 bits, a lone surrogate, what DRF's encoder refuses too) is
# written by the standard library, which answers as it did; and a page holding a number that
# orjson writes otherwise than Python (an exponent: 1e16 for 1e+16, 0.00001 for 1e-05) is
# written by the standard library too. (NaN and infinities, which DRF's strict JSON refuses,
# orjson writes as null; the API writes none: values are stored finite, and unbounded
# interval ends are null already.)
ORJSON_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS
# How a page is told to hold such a number: orjson writes a float otherwise than Python only
# with an exponent (a digit, then "e") or below 1e-4 in full ("0.00001"). Digits are read as
# "0" and everything else but "e" as a space, so that one search finds "0e"; a string's text
# may match too ("2e"), which only costs that page the slower path. A regular expression took
# a millisecond a page, more than orjson saves; this, a quarter of one.
DIGITS_AND_E = bytes(
    ord("0") if chr(byte).isdigit() and byte < 128 else byte if byte == ord("e") else ord(" ")
    for byte in range(256)
)


def written_otherwise(written: bytes) -> bool:
    return b"0.0000" in written or b"0e" in written.translate(DIGITS_AND_E)


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
        fast = self.fast(data, accepted_media_type, renderer_context or {})
        if fast is not None:
            return fast
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            escaped = renderers.JSONRenderer()
            escaped.ensure_ascii = True
            return escaped.render(data, accepted_media_type, renderer_context)

    def fast(self, data: Any, accepted_media_type: str | None, context: dict) -> bytes | None:
        """The compact JSON by orjson, or None where DRF's renderer writes it (an indent: the
        browsable API's, `; indent=`) or where orjson would write other bytes (above)."""
        if data is None or self.ensure_ascii or not self.compact:
            return None
        if self.get_indent(accepted_media_type or "", context) is not None:
            return None
        try:
            written = orjson.dumps(
                data, default=self.encoder_class().default, option=ORJSON_OPTIONS
            )
        except orjson.JSONEncodeError:
            return None
        if written_otherwise(written):
            return None
        # DRF escapes these two, so that the JSON is also JavaScript.
        return written.replace(b"\xe2\x80\xa8", b"\\u2028").replace(b"\xe2\x80\xa9", b"\\u2029")


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
