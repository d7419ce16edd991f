"""Every error of the API as an RFC 9457 problem detail (`application/problem+json`): one shape
a generated client can type, with a field map for validation errors.

Written here rather than taken from a library: drf-standardized-errors, the kept one, answers
in its own format (`{"type": "validation_error", "errors": [{"code", "detail", "attr"}]}`), not
RFC 9457's, and the older drf-problems is unmaintained. What is needed is small: the members
the RFC defines, a `code` a program can switch on, and the field map.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from facts.api.errors import Conflict
from facts.api.problem_detail import PROBLEM_MEDIA_TYPE, problem
from facts.api.renderers import ProblemJSONRenderer


def flat_field_errors(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors as one map of field path to messages: nested objects and
    list items are named with dots ("aliases.0", "article.outlet"), so every value is a list of
    strings that a generated client can type."""
    found: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for name, inner in detail.items():
            # Django's key for the object as a whole is DRF's non_field_errors here.
            name = api_settings.NON_FIELD_ERRORS_KEY if name == NON_FIELD_ERRORS else name
            key = f"{prefix}.{name}" if prefix else str(name)
            for path, messages in flat_field_errors(inner, key).items():
                found.setdefault(path, []).extend(messages)
    elif isinstance(detail, Sequence) and not isinstance(detail, str):
        if all(not isinstance(item, Mapping | list) for item in detail):
            found[prefix or "body"] = [str(item) for item in detail]
        else:
            for index, inner in enumerate(detail):
                key = f"{prefix}.{index}" if prefix else str(index)
                for path, messages in flat_field_errors(inner, key).items():
                    found.setdefault(path, []).extend(messages)
    elif detail is not None:
        found[prefix or "body"] = [str(detail)]
    return {path: messages for path, messages in found.items() if messages}


def validation_summary(errors: Mapping[str, list[str]]) -> str:
    names = ", ".join(sorted(errors))
    if len(errors) == 1:
        return f"The request is not valid: see {names}."
    return f"The request is not valid in {len(errors)} places: see {names}."


def problem_response(
    request: Request | None,
    *,
    status_code: int,
    detail: str,
    code: str,
    errors: Any = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """A problem detail as a response, rendered as JSON whatever format the client asked for
    (an error in CSV would be read as data)."""
    instance = request.path if request is not None else ""
    body = problem(
        status_code=status_code, detail=detail, code=code, instance=instance, errors=errors
    )
    if request is not None:
        request.accepted_renderer = ProblemJSONRenderer()
        request.accepted_media_type = PROBLEM_MEDIA_TYPE
    return Response(body, status=status_code, headers=dict(headers or {}))


def api_exception(exc: Exception) -> Exception:
    """Django's own errors as the DRF exceptions whose status codes fit them."""
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(as_serializer_error(exc))
    if isinstance(exc, ProtectedError | RestrictedError):
        rows = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        kinds = ", ".join(sorted({str(row._meta.verbose_name_plural) for row in rows}))
        return Conflict(f"Still referred to by {kinds}: remove or move those first.")
    if isinstance(exc, IntegrityError):
        return Conflict(
            "The change conflicts with another row (a unique value taken, or a row in use)."
        )
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        return exceptions.PermissionDenied()
    return exc


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler (status codes, WWW-Authenticate, Retry-After), its body made a problem
    detail; never a 500 for anything a client can send."""
    exc = api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    request = context.get("request")
    if isinstance(exc, exceptions.ValidationError):
        errors = flat_field_errors(exc.detail)
        detail, code = validation_summary(errors), "invalid"
    else:
        errors = None
        detail = str(exc.detail) if not isinstance(exc.detail, list | dict) else str(exc)
        code = str(exc.default_code)
        if isinstance(exc, exceptions.Throttled):
            detail = f"Too many requests: retry in {exc.wait or 0:.0f} seconds."
    answer = problem_response(
        request,
        status_code=response.status_code,
        detail=detail,
        code=code,
        errors=errors,
        headers={name: value for name, value in response.items() if name != "Content-Type"},
    )
    return answer


class ProblemSerializer(serializers.Serializer):
    """An error, as RFC 9457 defines it (media type application/problem+json)."""

    type = serializers.CharField(help_text="'about:blank': the status code says what happened.")
    title = serializers.CharField(help_text="The status code's phrase, e.g. 'Not Found'.")
    status = serializers.IntegerField()
    detail = serializers.CharField(help_text="What went wrong and what to do, for a person.")
    code = serializers.CharField(
        help_text="For a program: 'invalid', 'not_found', 'not_authenticated', "
        "'permission_denied', 'conflict', 'precondition_failed', 'precondition_required', "
        "'throttled', 'parse_error', 'method_not_allowed', 'unsupported_media_type'."
    )
    instance = serializers.CharField(required=False, help_text="The path asked for.")


class ValidationProblemSerializer(ProblemSerializer):
    """A request the API refused (400): a body it could not read, or values it refused, with
    every problem by field."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Absent when the body could not be read at all (not JSON). Messages by field: a nested field or a list item is named with dots "
        "('article.outlet', 'aliases.0'); 'non_field_errors' for the object as a whole; a "
        "query parameter by its name.",
    )
