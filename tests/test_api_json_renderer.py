"""The API's JSON is written by orjson for speed (issue 16) and reads byte for byte as DRF's
standard-library renderer wrote it: the expected bytes here are written out by hand, and the
seeds' pages are pinned in fixtures/expected/ (tests/test_api_claims_list_output.py)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy

from facts.api import renderers
from facts.api.renderers import JSONRenderer, ProblemJSONRenderer


def rendered(data: object, media_type: str = "application/json") -> bytes:
    return JSONRenderer().render(data, media_type, {})


def test_it_writes_a_page_of_claims_by_orjson(db, client, seeds, monkeypatch):
    calls: list[object] = []
    dumps = renderers.orjson.dumps

    def counted(*args, **kwargs):
        calls.append(args[0])
        return dumps(*args, **kwargs)

    monkeypatch.setattr(renderers.orjson, "dumps", counted)
    response = client.get("/api/claims/", {"page_size": 5})
    assert response.status_code == 200
    assert len(calls) == 1
    assert response.json()["results"]


def test_it_writes_dates_times_decimals_uuids_and_lazy_text_as_drfs_encoder_did():
    data = {
        "at": datetime(2025, 3, 4, 5, 6, 7, 123456, tzinfo=UTC),
        "whole": datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC),
        "day": date(2025, 3, 4),
        "clock": time(5, 6, 7, 891011),
        "amount": Decimal("12.50"),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "label": gettext_lazy("Not found."),
        "set": {3},
    }
    assert rendered(data) == (
        b'{"at":"2025-03-04T05:06:07.123456Z","whole":"2025-03-04T05:06:07Z",'
        b'"day":"2025-03-04","clock":"05:06:07.891011","amount":12.5,'
        b'"id":"12345678-1234-5678-1234-567812345678","label":"Not found.","set":[3]}'
    )


def test_it_writes_every_character_as_written_but_the_two_javascript_line_ends():
    data = {"text": 'é “ü” 🙂 \t\n"\\ / \x7f \u2028\u2029'}
    assert rendered(data) == ('{"text":"é “ü” 🙂 \\t\\n\\"\\\\ / \x7f \\u2028\\u2029"}'.encode())


def test_a_lone_surrogate_is_written_as_escapes_as_before():
    assert rendered({"text": "é\ud800"}) == b'{"text":"\\u00e9\\ud800"}'


def test_numbers_orjson_would_write_otherwise_are_written_as_python_writes_them():
    data = [1e16, 1e-05, 2.5e-07, 0.0001, 1234.5, -0.0, 2**70]
    assert rendered(data) == b"[1e+16,1e-05,2.5e-07,0.0001,1234.5,-0.0,1180591620717411303424]"


def test_keys_that_are_not_strings_are_written_as_python_writes_them():
    assert rendered({1: "a", None: "b", 2.5: "c"}) == b'{"1":"a","null":"b","2.5":"c"}'


def test_what_drfs_encoder_refuses_is_refused_as_before():
    with pytest.raises(TypeError):
        rendered({"thing": object()})


def test_an_indent_asked_for_is_written_as_before():
    body = rendered({"a": [1, {"b": None}]}, "application/json; indent=2")
    assert body == b'{\n  "a": [\n    1,\n    {\n      "b": null\n    }\n  ]\n}'


def test_nothing_is_written_as_nothing():
    assert rendered(None) == b""


def test_a_problem_detail_is_written_as_before():
    body = ProblemJSONRenderer().render(
        {"type": "about:blank", "status": 404, "detail": gettext_lazy("Not found.")},
        "application/problem+json",
        {},
    )
    assert body == b'{"type":"about:blank","status":404,"detail":"Not found."}'


def test_the_browsable_api_still_shows_the_page_indented(db, client, seeds):
    response = client.get("/api/claims/", {"page_size": 1}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert b"&quot;results&quot;: [" in response.content
