"""Reading the API's errors in tests: one place that knows their shape."""

from __future__ import annotations

from typing import Any


def field_errors(response: Any) -> dict[str, Any]:
    """The messages by field of a 400 (a validation error), whatever envelope carries them."""
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("errors"), dict):
        return body["errors"]
    return body
