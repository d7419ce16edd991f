"""Errors as JSON with field messages, and the status codes that fit them; never a 500 for
anything a client can send."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.serializers import as_serializer_error
from rest_framework.views import exception_handler as drf_exception_handler


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = "The resource has changed since you read it: read it again, then retry."
    default_code = "precondition_failed"


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag you read in an If-Match header, so that no one else's change is lost."
    )
    default_code = "precondition_required"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the stored data."
    default_code = "conflict"


def exception_handler(exc, context):
    """DRF's handler, with Django's own errors mapped to the 4xx that fits them."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        rows = getattr(exc, "protected_objects", None) or getattr(exc, "restricted_objects", ())
        kinds = ", ".join(sorted({str(row._meta.verbose_name_plural) for row in rows}))
        exc = Conflict(f"Still referred to by {kinds}: remove or move those first.")
    elif isinstance(exc, IntegrityError):
        exc = Conflict(
            "The change conflicts with another row (a unique value taken, or a row in use)."
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.Throttled):
        response.data["detail"] = f"Too many requests: retry in {exc.wait:.0f} seconds."
    return response
