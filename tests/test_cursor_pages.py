"""Cursor pages never skip (issue 12): following `next` from the first page, or `previous` from
the last, gives every row exactly once, in the order the database gives for the whole ordering
(the fields asked for, NULLs last either way, the id breaking ties), in every list's every
ordering, with ties and NULLs; and the bare cursors beside the links work the same."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.factories import ClaimFactory
from tests.hypothesis_budget import examples
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

# Each list and the fields it offers to order by (the views' ordering_fields, written out).
ORDERINGS: dict[str, tuple[type, list[str]]] = {
    "outlets": (Outlet, ["id", "name", "updated_at"]),
    "articles": (Article, ["id", "published_earliest", "updated_at"]),
    "actors": (Actor, ["id", "name", "updated_at"]),
    "subjects": (Subject, ["id", "name", "updated_at"]),
    "facts": (Fact, ["id", "updated_at", "counted_originators", "verdict_updated_at"]),
    "claims": (Claim, ["id", "as_of", "updated_at", "start"]),
}
ROWS = 9
# Few distinct values, so that most rows tie with others; None where the field may be NULL.
DAYS = [None, dt.date(2022, 2, 10), dt.date(2022, 2, 11)]
TIMES = [dt.datetime(2022, 2, 10, 12, 0, second, tzinfo=dt.timezone.utc) for second in (0, 0, 30)]
NULL_TIMES = [None, *TIMES]
NAMES = ["Alpha", "alpha", "Beta", "Zed", "beta", "Ölberg", "Omega", "omega", "Ulm", "Ärger"]


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def walk(client: Client, url: str, link: str) -> tuple[list[int], str]:
    """Follow `link` (next or previous) from the page at `url` to the end: the ids met, in
    list order, and the URL of the page the walk ended on."""
    pages = []
    while True:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        pages.append(body["results"])
        assert len(pages) <= 2 * ROWS + 2, "the walk does not end"
        if body[link] is None:
            break
        url = body[link]
    if link == "previous":
        pages.reverse()
    return [row["id"] for page in pages for row in page], url


def both_ways(client: Client, resource: str, params: dict) -> tuple[list[int], list[int]]:
    """Every id forward from the first page, and every id backward from the last."""
    forward, last = walk(client, f"/api/{resource}/?{urlencode(params)}", "next")
    backward, _ = walk(client, last, "previous")
    return forward, backward


def database_order(model: type, ordering: list[str]) -> list[int]:
    """The oracle: the database's own order for the whole ordering, NULLs last either way and
    the id last, written out here rather than asked of the code under test."""
    terms = []
    for term in ordering:
        column = F(term.lstrip("-"))
        descending = term.startswith("-")
        terms.append(column.desc(nulls_last=True) if descending else column.asc(nulls_last=True))
    if not any(term.lstrip("-") == "id" for term in ordering):
        terms.append(F("id").desc() if ordering[0].startswith("-") else F("id").asc())
    return list(model.objects.order_by(*terms).values_list("id", flat=True))


@st.composite
def orderings(draw: Any, resource: str) -> list[str]:
    fields = ORDERINGS[resource][1]
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=2, unique=True))
    return [draw(st.sampled_from([name, f"-{name}"])) for name in chosen]


def scramble(draw: Any, resource: str) -> None:
    """Give the rows random values, with ties and NULLs, in the fields the list orders by."""
    model = ORDERINGS[resource][0]
    ids = list(model.objects.order_by("id").values_list("id", flat=True))
    names = draw(st.permutations(NAMES))  # names are unique: a permutation
    for index, pk in enumerate(ids):
        values: dict[str, Any] = {"updated_at": draw(st.sampled_from(TIMES))}
        if resource in ("outlets", "actors", "subjects"):
            values["name"] = names[index % len(names)] + str(index // len(names) or "")
        if resource == "articles":
            day = draw(st.sampled_from(DAYS))
            values.update(
                published_earliest=day,
                published_latest=day,
                published_precision="day" if day else "",
            )
        if resource == "facts":
            values["counted_originators"] = draw(st.integers(0, 2))
            values["verdict_updated_at"] = draw(st.sampled_from(NULL_TIMES))
        if resource == "claims":
            start = draw(st.sampled_from([None, 0, 5]))
            values.update(
                as_of=draw(st.sampled_from(DAYS)),
                start=start,
                end=None if start is None else start + len("some 30,000 soldiers"),
                anchor_state="orphaned",
            )
        model.objects.filter(pk=pk).update(**values)


@pytest.fixture
def rows(db) -> None:
    """ROWS claims, each with its own fact, article, outlet, actor and subject."""
    ClaimFactory.create_batch(ROWS, wording="some 30,000 soldiers")


@pytest.mark.parametrize("resource", list(ORDERINGS))
def test_every_ordering_pages_every_row_once_forward_and_backward(
    client: Client, rows: None, resource: str
) -> None:
    @settings(
        max_examples=examples(25),
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    @given(data=st.data())
    def check(data: Any) -> None:
        ordering = data.draw(orderings(resource), label="ordering")
        page_size = data.draw(st.integers(1, 4), label="page_size")
        cache.clear()
        with transaction.atomic():
            scramble(data.draw, resource)
            expected = database_order(ORDERINGS[resource][0], ordering)
            params = {"ordering": ",".join(ordering), "page_size": page_size}
            forward, backward = both_ways(client, resource, params)
            transaction.set_rollback(True)
        assert forward == expected
        assert backward == expected

    check()


def test_nulls_come_last_whichever_way_a_field_is_ordered(client: Client, rows: None) -> None:
    claims = list(Claim.objects.order_by("id"))
    days = [None, dt.date(2022, 2, 11), None, dt.date(2022, 2, 10)] + [dt.date(2022, 2, 10)] * 5
    for claim, day in zip(claims, days, strict=True):
        Claim.objects.filter(pk=claim.pk).update(as_of=day)
    # NULLs last both ways; the id breaks ties in the first field's direction.
    ids, _ = walk(client, "/api/claims/?ordering=as_of&page_size=2", "next")
    tenth = [claims[3].id] + [c.id for c in claims[4:]]
    assert ids == [*tenth, claims[1].id, claims[0].id, claims[2].id]
    ids, _ = walk(client, "/api/claims/?ordering=-as_of&page_size=2", "next")
    assert ids == [claims[1].id, *tenth[::-1], claims[2].id, claims[0].id]


def test_going_back_from_the_last_page_by_as_of_in_sevens_returns_every_claim(
    client: Client, seeds: None
) -> None:
    """The issue's case: on the seeds, ordering=as_of&page_size=7, following `previous` from
    the last page never gave claims 102-104."""
    params = {"ordering": "as_of", "page_size": 7}
    forward, backward = both_ways(client, "claims", params)
    every = sorted(Claim.objects.values_list("id", flat=True))
    assert sorted(backward) == every
    assert backward == forward
    assert {102, 103, 104} <= set(backward)


def test_the_bare_cursors_page_like_the_links(client: Client, rows: None) -> None:
    first = client.get("/api/claims/", {"page_size": 4, "ordering": "-updated_at"}).json()
    assert first["previous_cursor"] is None
    second = client.get(
        "/api/claims/",
        {"page_size": 4, "ordering": "-updated_at", "cursor": first["next_cursor"]},
    ).json()
    assert second == client.get(first["next"]).json()
    back = client.get(
        "/api/claims/",
        {"page_size": 4, "ordering": "-updated_at", "cursor": second["previous_cursor"]},
    ).json()
    assert [row["id"] for row in back["results"]] == [row["id"] for row in first["results"]]
    assert back["previous"] is None


def test_a_cursor_asked_with_another_ordering_is_a_400_on_cursor(
    client: Client, rows: None
) -> None:
    first = client.get("/api/claims/", {"page_size": 2, "ordering": "as_of"}).json()
    response = client.get("/api/claims/", {"ordering": "start", "cursor": first["next_cursor"]})
    assert response.status_code == 400
    assert "another ordering" in field_errors(response)["cursor"][0]
