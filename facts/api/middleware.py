"""Request handling outside DRF: body limits, a database that cannot answer, and JSON error
pages for the API's paths (RFC 9457 problem details, as every API error).

Imports nothing from DRF, so that loading the middleware cannot start DRF's settings before
they can import this app's classes.
"""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse

from facts.api.problem_detail import problem_json

HTTP_413_REQUEST_ENTITY_TOO_LARGE = 413
HTTP_503_SERVICE_UNAVAILABLE = 503
# When a client should try again after the database did not answer: long enough for a
# restart or a failover, short enough for a lock held by a long write.
DATABASE_RETRY_AFTER_SECONDS = 30


# The one path that reads larger bodies (up to IMPORT_MAX_BODY_BYTES): imports run as jobs.
IMPORT_PATH = "/api/claims/import/"


def body_limit(path: str) -> int:
    """The largest body this path reads."""
    return settings.IMPORT_MAX_BODY_BYTES if path == IMPORT_PATH else settings.API_MAX_BODY_BYTES


def too_large(limit: int, path: str) -> HttpResponse:
    return problem_json(
        status_code=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        detail=f"The request body is larger than {limit:,} bytes: send it in parts.",
        code="too_large",
        instance=path,
    )


class RequestBodyLimitMiddleware:
    """Refuse an API request whose body is larger than API_MAX_BODY_BYTES (IMPORT_MAX_BODY_BYTES
    for an import) with a 413, before anything reads it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return problem_json(
                    status_code=400,
                    detail="The Content-Length header is not a number.",
                    code="parse_error",
                    instance=request.path,
                )
            limit = body_limit(request.path)
            if length > limit:
                return too_large(limit, request.path)
        return self.get_response(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """A 503 with Retry-After: JSON under /api/, a plain page elsewhere (the admin)."""
    seconds = DATABASE_RETRY_AFTER_SECONDS
    message = f"The database is not answering just now: retry in {seconds} seconds."
    if request.path.startswith("/api/"):
        response: HttpResponse = problem_json(
            status_code=HTTP_503_SERVICE_UNAVAILABLE,
            detail=message,
            code="database_unavailable",
            instance=request.path,
        )
    else:
        response = HttpResponse(
            message, status=HTTP_503_SERVICE_UNAVAILABLE, content_type="text/plain; charset=utf-8"
        )
    response["Retry-After"] = str(seconds)
    return response


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether an error says the database could not be reached or could not answer (down,
    refusing connections, or locked) rather than that a request was wrong."""
    return isinstance(error, OperationalError | InterfaceError)


class DatabaseUnavailableMiddleware:
    """Answer 503 with Retry-After, not 500, when the database cannot be reached or is busy:
    the request was fine, and the same one will work once the database is back."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_database_unavailable(exception):
            return database_unavailable(request)
        return None


def api_not_found(request, exception=None):
    """Django's 404 for paths the router does not know: JSON under /api/, HTML elsewhere."""
    if request.path.startswith("/api/"):
        return problem_json(
            status_code=404, detail="Not found.", code="not_found", instance=request.path
        )
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def api_server_error(request):
    """Django's 500 page, as JSON under /api/ (it should never be seen); a 503 when the error
    is the database's, raised outside a view (in a middleware) where process_exception does not
    see it."""
    if is_database_unavailable(sys.exc_info()[1]):
        return database_unavailable(request)
    if request.path.startswith("/api/"):
        return problem_json(
            status_code=500,
            detail="Server error: the team has been told.",
            code="error",
            instance=request.path,
        )
    from django.views.defaults import server_error

    return server_error(request)
