"""The claims list's JSON on the seeds, pinned byte for byte (fixtures/expected/): its reads
were made lean for speed (issue 16), and what it says must not move with them. The files were
written by the list as it stood before that work and read through by hand; the row times
(created_at, updated_at: when the test loaded the seeds) are checked for their form and then
set aside. On PostgreSQL the ids are set aside too: its sequences outlive the tests' rolled
back transactions, so the seeds' ids there depend on the tests run before. Regenerate on purpose only, with the change that moves the output:
`REWRITE_EXPECTED=1 pytest tests/test_api_claims_list_output.py`."""

import os
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

EXPECTED = Path(__file__).resolve().parent.parent / "fixtures" / "expected"
ROW_TIME = re.compile(rb'"(created_at|updated_at)":"([^"]*)"')
ROW_ID = re.compile(rb'"(id|fact|article|actor)":\d+')
ISO_UTC = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z")


def comparable(body: bytes) -> bytes:
    for match in ROW_TIME.finditer(body):
        assert ISO_UTC.fullmatch(match.group(2)), match.group(0)
    body = ROW_TIME.sub(rb'"\1":"(time)"', body)
    if connection.vendor == "postgresql":
        body = ROW_ID.sub(rb'"\1":0', body)
    return body


def assert_pinned(body: bytes, name: str) -> None:
    path = EXPECTED / name
    if os.environ.get("REWRITE_EXPECTED"):
        path.write_bytes(comparable(body))
    expected = path.read_bytes()
    if connection.vendor == "postgresql":
        expected = ROW_ID.sub(rb'"\1":0', expected)
    assert comparable(body) == expected


def test_it_answers_the_public_claims_list_of_the_seeds_byte_for_byte_as_before(client, seeds):
    response = client.get("/api/claims/", {"page_size": 500})
    assert response.status_code == 200
    assert_pinned(response.content, "claims_list_public.json")


def test_it_answers_the_staff_claims_list_of_the_seeds_byte_for_byte_as_before(staff_client, seeds):
    response = staff_client.get("/api/claims/", {"page_size": 500, "ordering": "-as_of"})
    assert response.status_code == 200
    assert_pinned(response.content, "claims_list_staff.json")


def test_it_answers_a_claim_of_the_seeds_byte_for_byte_as_before(client, seeds):
    first = client.get("/api/claims/", {"page_size": 1}).json()["results"][0]
    response = client.get(f"/api/claims/{first['id']}/")
    assert response.status_code == 200
    assert_pinned(response.content, "claim_detail_public.json")


@pytest.mark.parametrize("params", [{"verdict": "agreed"}, {"status": "verified"}])
def test_it_filters_claims_by_a_choice_without_select_distinct(client, seeds, params):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/claims/", params)
    assert response.status_code == 200
    assert response.json()["results"]
    assert not [q["sql"] for q in queries if "DISTINCT" in q["sql"].upper()]
