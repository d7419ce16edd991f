"""RFC 9457's problem detail, the body of every error the API answers with. Imports nothing
from DRF, so that the middleware can answer with it too (facts.api.middleware)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.http import JsonResponse

PROBLEM_MEDIA_TYPE = "application/problem+json"
# RFC 9457: "about:blank" says the problem is no more than its status code; the `code` member
# then tells problems of one status apart ("invalid", "precondition_failed", "throttled").
BLANK = "about:blank"


def title_of(status_code: int) -> str:
    return HTTPStatus(status_code).phrase


def problem(
    *, status_code: int, detail: str, code: str, instance: str = "", errors: Any = None
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": BLANK,
        "title": title_of(status_code),
        "status": status_code,
        "detail": detail,
        "code": code,
    }
    if instance:
        body["instance"] = instance
    if errors is not None:
        body["errors"] = errors
    return body


def problem_json(*, status_code: int, detail: str, code: str, instance: str = "") -> JsonResponse:
    """A problem detail answered outside DRF (middleware, Django's error handlers)."""
    return JsonResponse(
        problem(status_code=status_code, detail=detail, code=code, instance=instance),
        status=status_code,
        content_type=PROBLEM_MEDIA_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
