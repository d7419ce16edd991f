"""Reading the API's errors in tests: one place that knows their shape."""

from __future__ import annotations

from typing import Any


def field_errors(response: Any) -> dict[str, Any]:
    """The messages by field of a 400 (a validation error), whatever envelope carries them."""
    body = response.json()
    if isinstance(body, dict) and isinstance(body.get("errors"), dict):
        return body["errors"]
    return body


PROBLEM_MEMBERS = {"type", "title", "status", "detail", "code"}


def is_problem(response: Any) -> bool:
    """An RFC 9457 problem detail, as every error of the API is."""
    if response["Content-Type"].split(";")[0] != "application/problem+json":
        return False
    body = response.json()
    return set(body) >= PROBLEM_MEMBERS and body["status"] == response.status_code


def detail_of(response: Any) -> str:
    """An error's message for a person."""
    assert is_problem(response), (response.status_code, response["Content-Type"])
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    return detail


def messages(response: Any, field: str) -> str:
    """The messages of one field of a validation error, as one text."""
    assert is_problem(response), (response.status_code, response["Content-Type"])
    found = field_errors(response)[field]
    assert found and all(isinstance(m, str) and m for m in found), found
    return " ".join(found)
