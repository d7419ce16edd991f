"""Logs as one JSON object a line, each with the request id of the request it was written in,
and never a token or a password (settings.LOGGING uses these; gunicorn's access log too).

The request id is django-guid's: the client's X-Request-ID when it sends a UUID (a proxy's
or a client's, so that one request can be followed from the proxy to the app), else a new
one; returned in the response's X-Request-ID.

Secrets kept out, in three places a log could take them from:
- SQL (django.db.backends, at DEBUG with DEBUG on): a query is logged with its values filled
  in, and the token lookup holds the token, a user's row its password hash, a session's its
  key: such a query is logged without its text;
- the request Django adds to an error's record: only its method and path (no query string, no
  headers) are logged;
- any text: an "Authorization"-like scheme and its credential (Token, Bearer, Basic), and
  `password=`, `token=`, `secret=`, `key=` pairs, are written as [redacted].
"""

from __future__ import annotations

import logging
import re
from typing import Any

from pythonjsonlogger.json import JsonFormatter as LibraryJsonFormatter

REDACTED = "[redacted]"

# Tables whose rows hold secrets: API tokens, password hashes, session keys.
SECRET_TABLES = re.compile(r"authtoken_token|auth_user\b|django_session", re.IGNORECASE)

SECRET_TEXT = [
    # An Authorization header's credential.
    (re.compile(r"\b(Token|Bearer|Basic)\s+[^\s'\",;]+", re.IGNORECASE), rf"\1 {REDACTED}"),
    # A secret in a query string, a form body or a repr: password=..., "token": "...".
    (
        re.compile(
            r"(\b(?:password|passwd|token|secret|api_key|key|sessionid|csrftoken)\b['\"]?\s*[=:]\s*['\"]?)[^\s'\"&,;}]+",
            re.IGNORECASE,
        ),
        rf"\1{REDACTED}",
    ),
]


def redact(text: str) -> str:
    for pattern, replacement in SECRET_TEXT:
        text = pattern.sub(replacement, text)
    return text


class SqlWithoutSecrets(logging.Filter):
    """A query on a table of secrets is logged without its text (its values filled in)."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = getattr(record, "sql", None)
        if isinstance(sql, str) and SECRET_TABLES.search(sql):
            record.sql = "[a query on sign-in data, not logged]"
            record.params = REDACTED
            duration = getattr(record, "duration", 0.0)
            record.msg = "(%.3f) %s; alias=%s"
            record.args = (duration, record.sql, getattr(record, "alias", ""))
        return True


class AccessLogFields(logging.Filter):
    """gunicorn's access log as fields: its record's arguments are the request's atoms."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, dict) and "s" in atoms:
            record.method = atoms.get("m")
            record.path = atoms.get("U")
            record.status = atoms.get("s")
            record.duration_ms = atoms.get("M")
            record.address = atoms.get("h")
            request_id = atoms.get("{x-request-id}o")
            record.request_id = request_id if request_id not in (None, "-") else None
        return True


class JsonFormatter(LibraryJsonFormatter):
    """python-json-logger's formatter with the secrets taken out of every value."""

    def add_fields(
        self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]
    ) -> None:
        super().add_fields(log_data, record, message_dict)
        request = log_data.pop("request", None)
        if request is not None and hasattr(request, "method"):
            log_data["method"] = request.method
            log_data["path"] = getattr(request, "path", "")
        # A socket or a request object in `extra` becomes its repr; gunicorn's atoms are
        # already fields (AccessLogFields).
        log_data.pop("args", None)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: scrub(value) for key, value in log_data.items()}


def scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list | tuple):
        return [scrub(item) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item) for key, item in value.items()}
    if isinstance(value, int | float | bool) or value is None:
        return value
    return redact(str(value))
