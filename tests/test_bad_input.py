"""One bad value must not take the API down (issue 8, item 6): bad input gets a 400 that names
the field and says what is wrong, nothing is stored, and a database that does not answer gets a
503 with Retry-After. Every test here runs on SQLite and on PostgreSQL."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse

from facts.api.middleware import api_server_error
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    SubjectFactory,
    UserFactory,
    unsaved_claim,
)
from tests.problems import messages

pytestmark = pytest.mark.django_db

MODELS = [Outlet, Article, Actor, Subject, Fact, Claim]
LISTS = ["outlets", "articles", "actors", "subjects", "facts", "claims"]


@pytest.fixture
def editor_client(client: Client) -> Client:
    user = UserFactory()
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="facts"))
    client.force_login(user)
    return client


def counts() -> dict[str, int]:
    """Rows of every model and of its history: a refused write changes none of them."""
    return {
        name: model.objects.count()
        for m in MODELS
        for name, model in [(m.__name__, m), (f"{m.__name__} history", m.history.model)]
    }


def post(client: Client, url: str, body: dict | str) -> Any:
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(url, data, content_type="application/json")


def patch(client: Client, url: str, body: dict) -> Any:
    tag = client.get(url)["ETag"]
    return client.patch(
        url, json.dumps(body), content_type="application/json", headers={"If-Match": tag}
    )


def cursor(query: str) -> str:
    """A list cursor as DRF writes it, holding whatever query is given."""
    return base64.b64encode(query.encode()).decode()


# Texts -------------------------------------------------------------------------------------


def test_it_refuses_a_lone_surrogate_in_an_alias_with_a_400(editor_client: Client) -> None:
    before = counts()
    body = {"name": "Kremlin", "kind": "government", "aliases": ["Mos\ud800cow"]}
    response = post(editor_client, "/api/actors/", body)
    assert response.status_code == 400
    assert "lone surrogate (U+D800)" in messages(response, "aliases")
    assert counts() == before


def test_it_refuses_a_nul_in_an_alias_with_a_400(editor_client: Client) -> None:
    before = counts()
    body = {"name": "Kremlin", "kind": "government", "aliases": ["Mos\x00cow"]}
    response = post(editor_client, "/api/actors/", body)
    assert response.status_code == 400
    assert "Null characters are not allowed" in messages(response, "aliases.0")
    assert counts() == before


def test_it_refuses_a_nul_nested_in_a_subjects_aliases_with_a_400(editor_client: Client) -> None:
    subject = SubjectFactory(aliases=["Union Resolve"])
    before = counts()
    response = patch(editor_client, f"/api/subjects/{subject.id}/", {"aliases": ["ok", "b\x00d"]})
    assert response.status_code == 400
    assert "Null characters are not allowed" in messages(response, "aliases.1")
    assert counts() == before
    subject.refresh_from_db()
    assert (subject.aliases, subject.version) == (["Union Resolve"], 1)


@pytest.mark.parametrize("bad", ["stay\ud800", "stay\udfff", "stay\x00"])
def test_it_refuses_a_bad_text_in_a_facts_categories_with_a_400(
    editor_client: Client, bad: str
) -> None:
    subject = SubjectFactory()
    before = counts()
    body = {
        "subject": subject.slug,
        "property": "Who stays",
        "value_kind": "categorical",
        "categories": ["none stay", bad],
    }
    response = post(editor_client, "/api/facts/", body)
    assert response.status_code == 400
    if "\x00" in bad:
        assert "Null characters are not allowed" in messages(response, "categories.1")
    else:
        assert "Item [1] holds a lone surrogate" in messages(response, "categories")
    assert counts() == before


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "govern\ud800ment"), ("parent", "\udc00"), ("aliases", ["\ud83d"])],
)
def test_it_refuses_a_lone_surrogate_in_any_text_with_a_400_that_names_the_field(
    editor_client: Client, field: str, value: str
) -> None:
    """A choice or a slug that is not one would be quoted in DRF's message, which could not
    be sent; a lone high surrogate at the end of a text is no emoji either."""
    before = counts()
    body = {"name": "Kremlin", "kind": "government", field: value}
    response = post(editor_client, "/api/actors/", body)
    assert response.status_code == 400
    assert "lone surrogate" in messages(response, field)
    assert counts() == before


def test_it_refuses_a_lone_surrogate_in_an_import_row_with_a_400(editor_client: Client) -> None:
    article = ArticleFactory()
    before = counts()
    row = {
        "article": article.slug,
        "subject": {"slug": "drills", "name": "Drills", "aliases": ["dr\ud800ills"]},
        "fact": {"slug": "troops", "property": "Troops", "value_kind": "quantity"},
        "wording": "some 30,000 soldiers",
        "bound": "approximate",
        "hedge": "some",
        "number": 30000,
        "attribution_mode": "own_voice",
    }
    response = post(editor_client, "/api/claims/import/", {"claims": [row]})
    assert response.status_code == 400
    problems = response.json()["errors"]
    assert any(
        problem["field"] == "claims"
        and "[0]['subject']['aliases'][0] holds a lone surrogate" in problem["message"]
        for problem in problems
    ), problems
    assert counts() == before


def test_the_models_refuse_a_bad_text_so_the_admin_and_imports_do_too() -> None:
    actor = Actor(name="Kremlin", slug="kremlin", kind="government", aliases=["a\ud800b"])
    with pytest.raises(ValidationError) as refused:
        actor.full_clean()
    assert "lone surrogate" in " ".join(refused.value.message_dict["aliases"])
    outlet_fields = {"name": "TA\x00SS", "slug": "tass", "kind": "wire", "country": "RU"}
    with pytest.raises(ValidationError) as refused:
        Outlet(**outlet_fields).full_clean()
    assert "NUL character" in " ".join(refused.value.message_dict["name"])


def test_the_admin_refuses_a_lone_surrogate_in_aliases_with_a_form_error(
    admin_client_logged_in: Client,
) -> None:
    before = counts()
    data = {
        "name": "Kremlin",
        "slug": "kremlin",
        "kind": "government",
        "aliases": '["Mos\\ud800cow"]',
        "description": "",
    }
    response = admin_client_logged_in.post(reverse("admin:facts_actor_add"), data)
    assert response.status_code == 200
    assert "lone surrogate (U+D800)" in response.content.decode()
    assert counts() == before


# Numbers -----------------------------------------------------------------------------------


def test_the_limit_is_the_most_digits_that_every_database_gives_back_unchanged() -> None:
    """Measured: stored, read back and compared. 15 digits come back on SQLite (an 8-byte
    float, read to 15 digits) and PostgreSQL (numeric(24, 6)); 16 do not on SQLite."""
    claim = ClaimFactory(bound="exact", hedge="", number=Decimal(1))
    allowed = [
        Decimal("999999999999999"),
        Decimal("123456789.123456"),
        Decimal("987654321098765"),
        Decimal("0.000001"),
        Decimal("100000000000000"),
    ]
    for number in allowed:
        unsaved_claim(bound="exact", hedge="", number=number).full_clean()
        Claim.objects.filter(pk=claim.pk).update(number=number, lower=number, upper=number)
        stored = Claim.objects.values_list("number", flat=True).get(pk=claim.pk)
        assert stored == number
    refused = [Decimal("1000000000000000"), Decimal("12345678901.23456"), Decimal("1.2E+17")]
    for number in refused:
        with pytest.raises(ValidationError) as too_long:
            unsaved_claim(bound="exact", hedge="", number=number).full_clean()
        assert "at most 15 significant digits" in " ".join(too_long.value.message_dict["number"])


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("number", 123456789012345678),
        ("number", 999999999999999999),
        ("number", 1234567890.123456),
        ("number", 1000000000000000),
    ],
)
def test_it_refuses_a_number_with_more_digits_than_the_database_keeps_with_a_400(
    editor_client: Client, field: str, value: float
) -> None:
    claim = ClaimFactory()
    before = counts()
    response = patch(editor_client, f"/api/claims/{claim.id}/", {field: value})
    assert response.status_code == 400
    assert "at most 15 significant digits" in messages(response, field)
    assert counts() == before
    claim.refresh_from_db()
    assert (claim.number, claim.version) == (Decimal(30000), 1)


def test_it_refuses_a_range_whose_second_number_is_too_long_with_a_400(
    editor_client: Client,
) -> None:
    claim = ClaimFactory()
    before = counts()
    body = {"bound": "range", "hedge": "", "number": 10, "number_high": 99999999999999999}
    response = patch(editor_client, f"/api/claims/{claim.id}/", body)
    assert response.status_code == 400
    assert "at most 15 significant digits" in messages(response, "number_high")
    assert counts() == before


def test_model_validation_refuses_a_number_too_long_so_the_admin_and_imports_do_too() -> None:
    claim = unsaved_claim(number=Decimal("1234567890123456"))
    with pytest.raises(ValidationError) as refused:
        claim.full_clean()
    assert "at most 15 significant digits" in " ".join(refused.value.message_dict["number"])


def test_the_database_refuses_a_number_too_large_that_slips_past_validation() -> None:
    claim = ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(number=10**15, upper=2 * 10**15)
    assert Claim.objects.get(pk=claim.pk).number == Decimal(30000)


# Dates -------------------------------------------------------------------------------------


def test_a_relative_date_in_an_article_of_year_1_is_a_400_on_the_date(
    editor_client: Client,
) -> None:
    day = dt.date(1, 1, 5)
    article = ArticleFactory(
        published_earliest=day,
        published_latest=day,
        text="The drills ended last month, the ministry said.",
    )
    fact = FactFactory(date=True)
    before = counts()
    body = {
        "fact": fact.id,
        "article": article.id,
        "status": "draft",
        "wording": "last month",
        "attribution_mode": "own_voice",
    }
    response = post(editor_client, "/api/claims/", body)
    assert response.status_code == 400
    assert "give the date itself" in messages(response, "date_earliest")
    assert counts() == before


# JSON nesting ------------------------------------------------------------------------------


def test_it_refuses_json_nested_deeper_than_32_levels_with_a_400(editor_client: Client) -> None:
    before = counts()
    aliases = "[" * 500 + "]" * 500
    body = f'{{"name": "Deep", "kind": "government", "aliases": {aliases}}}'
    response = post(editor_client, "/api/actors/", body)
    assert response.status_code == 400
    assert "more than 32 levels deep" in messages(response, "aliases")
    assert counts() == before


def test_json_at_32_levels_is_read_and_at_33_refused(editor_client: Client) -> None:
    """The body is level 1 and the aliases list level 2, so 31 more lists inside it reach 33."""
    before = counts()

    def body(levels: int) -> str:
        inner = "[" * (levels - 1) + "]" * (levels - 1)
        return f'{{"name": "Deep", "kind": "government", "description": {inner}}}'

    at_limit = post(editor_client, "/api/actors/", body(32))
    assert at_limit.status_code == 400
    assert "nested" not in messages(at_limit, "description")  # refused by the field instead
    over = post(editor_client, "/api/actors/", body(33))
    assert over.status_code == 400
    assert "more than 32 levels deep" in messages(over, "description")
    assert counts() == before


# Cursors and the changes feed --------------------------------------------------------------


TAMPERED = [
    pytest.param(cursor("p=abc"), "", id="a word for an id"),
    pytest.param("cD1hYmM%3D", "", id="the reported cursor"),
    pytest.param(cursor("p=\x00"), "ordering=name", id="a NUL for a name"),
    pytest.param(cursor("p=1e400"), "", id="an id past any integer"),
    pytest.param(
        cursor("p=9999-12-31 23:59:59-14:00"), "ordering=updated_at", id="a time past year 9999"
    ),
    pytest.param(cursor("p=2022-02-30 00:00:00+00:00"), "ordering=updated_at", id="no such day"),
    pytest.param("!!not base64!!", "", id="not base64"),
    pytest.param(cursor("o=-5"), "", id="a negative offset"),
]


@pytest.mark.parametrize("resource", LISTS)
@pytest.mark.parametrize(("tampered", "query"), TAMPERED)
def test_a_tampered_cursor_on_any_list_is_a_400_on_the_cursor(
    client: Client, resource: str, tampered: str, query: str
) -> None:
    ClaimFactory()
    if resource in ("articles", "facts", "claims") and query == "ordering=name":
        query = ""  # they offer no name ordering; the id ordering gets a NUL instead
        tampered = cursor("p=\x00")
    response = client.get(f"/api/{resource}/?cursor={tampered}&{query}")
    assert response.status_code == 400
    assert "not given by this list" in messages(response, "cursor")


def test_a_cursor_past_year_9999_is_a_400_while_the_lists_own_cursors_work(
    client: Client,
) -> None:
    for _ in range(3):
        ClaimFactory()
    first = client.get("/api/claims/?page_size=2&ordering=updated_at")
    assert first.status_code == 200
    second = client.get(first.json()["next"])
    assert second.status_code == 200
    assert len(second.json()["results"]) == 1
    tampered = cursor("p=9999-12-31 23:59:59.999999-00:01")
    response = client.get(f"/api/claims/?page_size=2&ordering=updated_at&cursor={tampered}")
    assert response.status_code == 400
    assert "not given by this list" in messages(response, "cursor")


def feed_cursor(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "moment",
    ["9999-12-31T23:59:59-14:00", "9999-12-31T23:59:59.999999-00:01", "0001-01-01T00:00:00+14:00"],
)
def test_a_cursor_with_a_time_past_the_calendar_in_utc_is_a_400_on_the_changes_feed(
    client: Client, moment: str
) -> None:
    ClaimFactory()
    response = client.get("/api/changes/", {"cursor": feed_cursor(f"{moment}|claim|1")})
    assert response.status_code == 400
    assert "not given by this feed" in messages(response, "cursor")


def test_since_past_the_end_of_the_calendar_is_an_empty_page(client: Client) -> None:
    ClaimFactory()
    response = client.get("/api/changes/", {"since": "9999-12-31T23:59:59-14:00"})
    assert response.status_code == 200
    assert response.json()["changes"] == []
    assert response.json()["has_more"] is False


def test_since_before_the_start_of_the_calendar_lists_every_change(client: Client) -> None:
    ClaimFactory()
    response = client.get("/api/changes/", {"since": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 200
    models = {change["model"] for change in response.json()["changes"]}
    assert models == {"outlet", "article", "actor", "subject", "fact", "claim"}


# A database that does not answer -----------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Make every later connection attempt fail as a stopped server's does."""

    def stop(message: str) -> None:
        def refuse() -> None:
            raise OperationalError(message)

        monkeypatch.setattr(connection, "ensure_connection", refuse)

    return stop


REFUSED = 'connection to server at "127.0.0.1", port 1 failed: Connection refused'


@pytest.mark.parametrize(
    "url", ["/api/facts/", "/api/claims/", "/api/actors/", "/api/changes/?since=2022-01-01"]
)
def test_a_database_that_is_down_is_a_503_with_retry_after_on_the_api(
    client: Client, database_down: Callable[[str], None], url: str
) -> None:
    ClaimFactory()
    database_down(REFUSED)
    response = client.get(url)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "database is not answering" in response.json()["detail"]


def test_a_database_that_is_down_is_a_503_for_a_write_and_stores_nothing(
    editor_client: Client, database_down: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = counts()
    database_down(REFUSED)
    response = post(editor_client, "/api/outlets/", {"name": "New", "slug": "new"})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    monkeypatch.undo()  # the database is back
    assert counts() == before


def test_a_database_that_is_down_is_a_plain_503_page_in_the_admin(
    admin_client_logged_in: Client, database_down: Callable[[str], None]
) -> None:
    database_down(REFUSED)
    response = admin_client_logged_in.get(reverse("admin:facts_claim_changelist"))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/plain")
    assert int(response["Retry-After"]) > 0
    assert "database" in response.content.decode()


def test_a_locked_database_is_a_503_with_retry_after(client: Client) -> None:
    ClaimFactory()

    def locked(execute: object, sql: str, params: object, many: bool, context: object) -> None:
        raise OperationalError("database is locked")

    with connection.execute_wrapper(locked):
        response = client.get("/api/claims/")
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0


def test_a_database_error_outside_a_view_is_a_503_too() -> None:
    """A middleware's query fails outside the view: Django's 500 handler answers it."""
    for path, kind in [("/api/claims/", "application/problem+json"), ("/admin/", "text/plain")]:
        request = RequestFactory().get(path)
        try:
            raise OperationalError(REFUSED)
        except OperationalError:
            response = api_server_error(request)
        assert response.status_code == 503
        assert response["Content-Type"].startswith(kind)
        assert int(response["Retry-After"]) > 0
