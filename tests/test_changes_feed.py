"""The changes feed for mirrors (issue 12): `next` is an absolute URL that never runs out (a
"resume from here" at the end), `has_more` says whether to follow it now, and ?expand=object
embeds each changed row as its resource shows it, so that a mirror needs one request a page."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from facts.models import Claim, Outlet
from tests.factories import ClaimFactory, OutletFactory, SubjectFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

RESOURCES = {
    "outlet": "outlets",
    "article": "articles",
    "actor": "actors",
    "subject": "subjects",
    "fact": "facts",
    "claim": "claims",
}


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def a_moment_ago() -> str:
    return (timezone.now() - dt.timedelta(milliseconds=1)).isoformat()


def get(client: Client, url: str, params: dict | None = None) -> dict:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_next_is_an_absolute_url_even_on_the_last_page_and_resumes_from_there(client):
    since = a_moment_ago()
    first, second = OutletFactory(), OutletFactory()
    page = get(client, "/api/changes/", {"since": since, "page_size": 1, "model": "outlet"})
    assert [c["id"] for c in page["changes"]] == [first.id]
    assert page["has_more"] is True
    assert page["next"].startswith("http://testserver/api/changes/?")
    query = parse_qs(urlsplit(page["next"]).query)
    assert query == {"cursor": [page["next_cursor"]], "page_size": ["1"], "model": ["outlet"]}
    last = get(client, page["next"])
    assert [c["id"] for c in last["changes"]] == [second.id]
    assert last["has_more"] is True  # a full page: there may be more, so ask
    end = get(client, last["next"])
    assert end["changes"] == []
    assert end["has_more"] is False
    assert end["next"] == last["next"], "an empty page resumes from where it was asked"
    later = OutletFactory()
    assert [c["id"] for c in get(client, end["next"])["changes"]] == [later.id]


def test_a_page_that_is_not_full_has_no_more_but_still_a_next(client):
    since = a_moment_ago()
    outlet = OutletFactory()
    page = get(client, "/api/changes/", {"since": since, "model": "outlet"})
    assert [c["id"] for c in page["changes"]] == [outlet.id]
    assert page["has_more"] is False
    assert page["next"] is not None
    later = OutletFactory()
    assert [c["id"] for c in get(client, page["next"])["changes"]] == [later.id]


def test_an_empty_feed_since_a_time_resumes_from_that_time(client):
    since = a_moment_ago()
    page = get(client, "/api/changes/", {"since": since})
    assert page["changes"] == []
    assert page["has_more"] is False
    outlet = OutletFactory()
    changed = get(client, page["next"])["changes"]
    assert [(c["model"], c["id"]) for c in changed] == [("outlet", outlet.id)]


def test_expand_object_embeds_each_row_as_its_detail_shows_it_now_and_null_once_deleted(client):
    since = a_moment_ago()
    claim = ClaimFactory()
    Outlet.objects.filter(pk=claim.article.outlet_id).update(name="Meduza")
    gone = SubjectFactory()
    gone_id = gone.id
    gone.delete()
    page = get(client, "/api/changes/", {"since": since, "expand": "object"})
    for change in page["changes"]:
        if (change["model"], change["id"]) == ("subject", gone_id):
            assert change["object"] is None
        else:
            detail = get(client, f"/api/{RESOURCES[change['model']]}/{change['id']}/")
            assert change["object"] == detail
    outlets = [c["object"] for c in page["changes"] if c["model"] == "outlet"]
    assert outlets and all(o["name"] == "Meduza" for o in outlets)
    claims = [c["object"] for c in page["changes"] if c["model"] == "claim"]
    assert [o["wording"] for o in claims] == ["some 30,000 soldiers"]


def test_without_expand_no_event_has_an_object(client):
    since = a_moment_ago()
    OutletFactory()
    (change,) = get(client, "/api/changes/", {"since": since})["changes"]
    assert "object" not in change


def test_expanding_costs_one_query_per_model_in_the_page_whatever_its_size(
    client, django_assert_num_queries
):
    since = a_moment_ago()
    ClaimFactory.create_batch(6)  # 42 events: 7 per claim, over six models
    # Six history tables read, then the rows of the six models present.
    with django_assert_num_queries(12):
        page = get(client, "/api/changes/", {"since": since, "expand": "object", "page_size": 7})
    assert {c["model"] for c in page["changes"]} == set(RESOURCES)
    with django_assert_num_queries(12):
        page = get(client, "/api/changes/", {"since": since, "expand": "object"})
    assert len(page["changes"]) == 42
    # Claims only: their history, then the claims.
    with django_assert_num_queries(2):
        page = get(client, "/api/changes/", {"since": since, "expand": "object", "model": "claim"})
    assert len(page["changes"]) == 6


def test_mirroring_231_changes_takes_one_request_a_page(client):
    since = a_moment_ago()
    # Each claim makes seven events: its outlet, article, actor, subject and fact created, the
    # claim created, and its fact updated by the new verdict.
    ClaimFactory.create_batch(33)
    page_size = 50
    mirror: dict[tuple[str, int], Any] = {}
    requests, events = 0, 0
    url, params = "/api/changes/", {"since": since, "expand": "object", "page_size": page_size}
    while True:
        page = get(client, url, params)
        requests += 1
        events += len(page["changes"])
        for change in page["changes"]:
            mirror[(change["model"], change["id"])] = change["object"]
        if not page["has_more"]:
            break
        url, params = page["next"], None
    assert events == 231
    assert requests == math.ceil(231 / page_size) == 5
    assert len(mirror) == 33 * 6
    claim = Claim.objects.order_by("id").last()
    assert mirror[("claim", claim.id)]["id"] == claim.id
    assert mirror[("fact", claim.fact_id)]["verdict"]["kind"] == claim.fact.verdict


@pytest.mark.parametrize("expand", ["objects", "", "object,changes"])
def test_an_unknown_expand_is_a_400_on_expand(client, expand):
    response = client.get("/api/changes/", {"since": a_moment_ago(), "expand": expand})
    assert response.status_code == 400
    assert "object" in field_errors(response)["expand"][0]


def test_the_schema_types_each_events_object_by_its_model(client):
    schemas = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert schemas["Change"]["discriminator"]["propertyName"] == "model"
    assert schemas["Change"]["discriminator"]["mapping"]["claim"].endswith("/ClaimChange")
    claim_object = schemas["ClaimChange"]["properties"]["object"]
    assert claim_object["allOf"] == [{"$ref": "#/components/schemas/Claim"}]
    assert claim_object["nullable"] is True
    assert "object" not in schemas["ClaimChange"]["required"]
    page = schemas["ChangesPage"]
    assert set(page["required"]) == {"changes", "next", "next_cursor", "has_more"}
    assert page["properties"]["next"]["format"] == "uri"
