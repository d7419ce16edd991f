"""Logs are JSON lines with the request's id, and never hold a token or a password."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.db import connection

from factsite.log_format import JsonFormatter, redact
from tests.factories import UserFactory

TOKEN = "xyz0ed1f7c2a9b8e4d5c6a7b8c9d0e1f2a3b4c5d6"
PASSWORD = "correct-horse-battery-staple-41"


@pytest.fixture
def logged():
    """What the configured console handler writes (settings.LOGGING), at DEBUG, SQL included."""
    handler = next(
        h for h in logging.getLogger().handlers if isinstance(h.formatter, JsonFormatter)
    )
    buffer = io.StringIO()
    previous_stream = handler.setStream(buffer)
    root, sql = logging.getLogger(), logging.getLogger("django.db.backends")
    levels = root.level, sql.level
    root.setLevel(logging.DEBUG)
    sql.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True  # SQL is logged as with DEBUG on
    try:
        yield buffer
    finally:
        connection.force_debug_cursor = False
        root.setLevel(levels[0])
        sql.setLevel(levels[1])
        handler.setStream(previous_stream)


def lines(buffer: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def test_a_request_with_a_token_logs_no_token(db, client, logged):
    response = client.get("/api/outlets/", headers={"Authorization": f"Token {TOKEN}"})
    assert response.status_code == 401
    written = logged.getvalue()
    assert "authtoken_token" not in written or "[a query on sign-in data" in written
    assert TOKEN not in written
    assert TOKEN[:12] not in written
    refused = [line for line in lines(logged) if line["message"] == "Unauthorized: /api/outlets/"]
    assert len(refused) == 1
    assert refused[0]["level"] == "WARNING"
    assert refused[0]["request_id"] == response["X-Request-ID"]


def test_a_valid_token_is_not_logged_either(db, client, logged):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=UserFactory(), key=TOKEN[:40])
    assert client.get("/api/", headers={"Authorization": f"Token {token.key}"}).status_code == 200
    assert TOKEN[:40] not in logged.getvalue()


def test_signing_in_logs_no_password_nor_its_hash(db, client, logged):
    user = UserFactory(is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    signed_in = client.post(
        "/admin/login/?next=/admin/", {"username": user.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    client.post("/admin/login/", {"username": user.username, "password": PASSWORD + "x"})
    written = logged.getvalue()
    assert written  # the queries were logged
    assert PASSWORD not in written
    assert user.password.split("$")[-1] not in written
    assert client.session.session_key not in written


def test_every_line_is_json_with_a_time_a_level_and_a_logger(db, client, logged):
    client.get("/api/outlets/", headers={"Authorization": f"Token {TOKEN}"})
    for line in lines(logged):
        assert {"time", "level", "logger", "message"} <= set(line)


def test_a_clients_request_id_is_kept_and_returned(db, client):
    sent = "6a0f1e5c2b7d4e3f9a8b7c6d5e4f3a2b"
    response = client.get("/api/", headers={"X-Request-ID": sent})
    assert response["X-Request-ID"] == sent


def test_a_request_id_that_is_not_a_uuid_is_replaced(db, client):
    response = client.get("/api/", headers={"X-Request-ID": '"}, {"level": "CRITICAL'})
    assert len(response["X-Request-ID"]) == 32
    assert "CRITICAL" not in response["X-Request-ID"]


def test_credentials_in_any_text_are_redacted():
    assert redact("Authorization: Token abc123 sent") == "Authorization: Token [redacted] sent"
    assert redact("Bearer eyJhbGci.x.y") == "Bearer [redacted]"
    assert redact("/login?next=/&password=hunter2&x=1") == "/login?next=/&password=[redacted]&x=1"
    assert redact("{'token': 'abc123'}") == "{'token': '[redacted]'}"
    assert redact("3 claims imported") == "3 claims imported"
