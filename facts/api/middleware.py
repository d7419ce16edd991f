"""Request handling outside DRF: body limits and JSON error pages for the API's paths.

Imports nothing from DRF, so that loading the middleware cannot start DRF's settings before
they can import this app's classes.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse

HTTP_413_REQUEST_ENTITY_TOO_LARGE = 413


def too_large() -> JsonResponse:
    limit = settings.API_MAX_BODY_BYTES
    return JsonResponse(
        {"detail": f"The request body is larger than {limit:,} bytes: send it in parts."},
        status=HTTP_413_REQUEST_ENTITY_TOO_LARGE,
    )


class RequestBodyLimitMiddleware:
    """Refuse an API request whose body is larger than API_MAX_BODY_BYTES with a 413, before
    anything reads it."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/"):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                return JsonResponse(
                    {"detail": "The Content-Length header is not a number."}, status=400
                )
            if length > settings.API_MAX_BODY_BYTES:
                return too_large()
        return self.get_response(request)


def api_not_found(request, exception=None):
    """Django's 404 for paths the router does not know: JSON under /api/, HTML elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception)


def api_server_error(request):
    """Django's 500 page, as JSON under /api/ (it should never be seen)."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Server error: the team has been told."}, status=500)
    from django.views.defaults import server_error

    return server_error(request)
