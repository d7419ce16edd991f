"""Bulk import of claims: all rows saved in one transaction, or none and every bad row reported."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.db import IntegrityError

from facts.api import importing
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.services import bulk_insert, verdicts
from tests.factories import (
    ARTICLE_TEXT,
    ActorFactory,
    ArticleFactory,
    FactFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/claims/import/"
EDITOR = ["add_claim", "add_article", "add_subject", "add_fact", "verify_claim"]
IMPORTED_TEXT = f"{ARTICLE_TEXT}\n\nImported."
MODELS = [Outlet, Article, Actor, Subject, Fact, Claim]


def user_with(*codenames: str):
    user = UserFactory()
    for codename in codenames:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    return user


def post(client, body, *, raw: bool = False):
    data = body if raw else json.dumps(body)
    return client.post(URL, data, content_type="application/json")


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in [*MODELS, *(m.history.model for m in MODELS)]
    }


def errors_by_index(response) -> dict[int | None, list[tuple[str, str]]]:
    found: dict[int | None, list[tuple[str, str]]] = {}
    for error in response.json()["errors"]:
        found.setdefault(error["index"], []).append((error["field"], error["message"]))
    return found


@pytest.fixture
def editor(client):
    client.force_login(user_with(*EDITOR))
    return client


@pytest.fixture
def stored():
    """An outlet, an actor, an article with its text and a quantity fact, all stored."""
    article = ArticleFactory()
    return {
        "outlet": article.outlet,
        "actor": ActorFactory(slug="us-government"),
        "article": article,
        "fact": FactFactory(),
        "categorical": FactFactory(categorical=True),
    }


def new_article(publisher: Outlet, slug: str = "imported-article", **fields) -> dict:
    """An article given in full, with the imported text."""
    return {
        "slug": slug,
        "outlet": publisher.slug,
        "headline": "Russia launches Belarus drills",
        "text": IMPORTED_TEXT,
        "published_earliest": "2022-02-10",
        "published_latest": "2022-02-10",
        "published_precision": "day",
        **fields,
    }


def quantity(article, fact, **fields) -> dict:
    """A row claiming "some 30,000 soldiers", credited to the United States."""
    return {
        "article": article,
        "fact": fact,
        "wording": "some 30,000 soldiers",
        "number": "30000",
        "bound": "approximate",
        "hedge": "some",
        "actor": "us-government",
        "attribution_mode": "indirect",
        "attribution_cue": "The United States has said",
        **fields,
    }


def fact_key(fact: Fact) -> list[str]:
    return [fact.subject.slug, fact.slug]


# Good imports -------------------------------------------------------------------------------


def test_it_creates_an_article_a_subject_and_a_fact_and_rows_that_refer_to_them(editor, stored):
    rows = [
        quantity(
            new_article(stored["outlet"]),
            {"slug": "troops-sent", "property": "Troops sent", "value_kind": "quantity"},
            subject={"slug": "allied-resolve", "name": "Allied Resolve 2022", "kind": "event"},
            status="verified",
        ),
        {
            "article": "imported-article",
            "fact": ["allied-resolve", "troops-sent"],
            "wording": "30,000 soldiers",
            "number": 30000,
            "bound": "exact",
            "status": "verified",
        },
        quantity(stored["article"].slug, ["allied-resolve", "troops-sent"], status="draft"),
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 3
    assert (body["articles_created"], body["subjects_created"], body["facts_created"]) == (1, 1, 1)
    claims = [Claim.objects.get(pk=pk) for pk in body["claims"]]
    article = Article.objects.get(slug="imported-article")
    fact = Fact.objects.get(subject__slug="allied-resolve", slug="troops-sent")
    assert [c.article for c in claims] == [article, article, stored["article"]]
    assert {c.fact for c in claims} == {fact}
    # The model found the offsets from the wording, and derived the bounds from the hedge.
    assert IMPORTED_TEXT[claims[0].start : claims[0].end] == "some 30,000 soldiers"
    assert (claims[0].lower, claims[0].upper) == (27000, 33000)
    assert claims[1].actor is None and claims[1].attribution_mode == "own_voice"
    # The stored verdict counts both verified claims, as a fresh computation does.
    fact.refresh_from_db()
    assert fact.counted_claims == 2
    assert fact.verdict != "no_claims"
    assert fact.verdict == verdicts.verdict_for(fact).kind


def test_an_article_given_in_full_with_the_stored_text_is_used_not_created(editor, stored):
    article = stored["article"]
    given = new_article(article.outlet, slug=article.slug, text=article.text)
    response = post(editor, {"claims": [quantity(given, fact_key(stored["fact"]))]})
    assert response.status_code == 201, response.json()
    assert response.json()["articles_created"] == 0
    assert Claim.objects.get().article == article


# All or none --------------------------------------------------------------------------------


def test_it_saves_nothing_when_one_row_is_bad(editor, stored):
    before = counts()
    verdict_before = Fact.objects.get(pk=stored["fact"].pk).verdict_updated_at
    rows = [
        quantity(stored["article"].slug, fact_key(stored["fact"])),
        quantity(
            new_article(stored["outlet"]),
            {"slug": "troops-sent", "property": "Troops sent", "value_kind": "quantity"},
            subject={"slug": "allied-resolve", "name": "Allied Resolve 2022"},
        ),
        quantity(stored["article"].slug, fact_key(stored["fact"]), wording="40,000 soldiers"),
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400
    assert list(errors_by_index(response)) == [2]
    assert counts() == before
    assert Fact.objects.get(pk=stored["fact"].pk).verdict_updated_at == verdict_before


def test_a_database_refusal_at_the_write_is_a_400_and_leaves_nothing(editor, stored, monkeypatch):
    # The checks passed, and then the database refuses the batch (another writer's row saved
    # meanwhile): the new article written before it is rolled back too.
    before = counts()

    def refused(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(bulk_insert, "insert", refused)
    rows = [
        quantity(new_article(stored["outlet"]), fact_key(stored["fact"])),
        quantity(stored["article"].slug, fact_key(stored["fact"]), status="verified"),
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["index"] is None
    assert "refused" in error["message"] and "send the import again" in error["message"]
    assert counts() == before


def test_a_row_that_repeats_an_earlier_one_is_refused(editor, stored):
    row = quantity(stored["article"].slug, fact_key(stored["fact"]))
    response = post(editor, {"claims": [row, row]})
    assert response.status_code == 400
    assert errors_by_index(response) == {
        1: [("row", "This wording is a claim on this fact by this actor already (row 0 gives it).")]
    }
    assert not Claim.objects.exists()


# Every bad row reported ---------------------------------------------------------------------


def test_it_reports_every_bad_row_with_its_index_field_and_message(editor, stored):
    article, fact = stored["article"].slug, fact_key(stored["fact"])
    categorical = {
        "article": article,
        "fact": fact_key(stored["categorical"]),
        "wording": "Russian troops will leave Belarus",
        "category": "all go home",
    }
    rows = [
        quantity(article, fact),
        quantity(article, fact, wording="some 40,000 soldiers"),
        quantity(article, [fact[0], "no-such-fact"]),
        quantity(new_article(stored["outlet"], outlet="no-such-outlet"), fact),
        quantity(article, fact, hedge="over", actor=None, attribution_mode="own_voice"),
        categorical,
        quantity(new_article(stored["outlet"], slug=article), fact),
        quantity("imported-article", fact),
        quantity(article, fact, wording="30,000"),
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400
    errors = errors_by_index(response)
    assert sorted(errors) == [1, 2, 3, 4, 5, 6, 7]
    assert errors[1] == [
        ("wording", "The wording does not stand in the article. Copy it exactly as written.")
    ]
    assert errors[2] == [("fact", f"There is no fact 'no-such-fact' of the subject {fact[0]!r}.")]
    assert errors[3] == [("article.outlet", "There is no outlet 'no-such-outlet'.")]
    assert errors[4] == [("bound", "The hedge 'over' means more than, not approximate.")]
    [(field, message)] = errors[5]
    assert field == "category"
    assert message.startswith("'all go home' is not one of the fact's categories")
    [(field, message)] = errors[6]
    assert field == "article.text"
    assert "stored already with another text" in message
    # A row that refers to an article an earlier row failed to create says which row.
    assert errors[7] == [
        (
            "article",
            "There is no article 'imported-article' (row 3, which gives it in full, has errors).",
        ),
    ]
    assert not Claim.objects.exists()
    assert not Article.objects.filter(slug="imported-article").exists()


def test_it_reports_wrong_types_field_by_field(editor, stored):
    row = {
        "article": 5,
        "fact": ["only-one"],
        "actor": ["x"],
        "wording": "some 30,000 soldiers",
        "number": "thirty thousand",
        "start": -1,
        "status": "approved",
        "undisclosed": "perhaps",
        "date_earliest": "Feb. 20",
        "colour": "red",
    }
    response = post(editor, {"claims": [row]})
    assert response.status_code == 400
    fields = {field for field, _ in errors_by_index(response)[0]}
    assert fields == {
        "article",
        "fact",
        "actor",
        "number",
        "start",
        "status",
        "undisclosed",
        "date_earliest",
        "colour",
    }


def test_a_bad_value_repeated_on_rows_is_reported_on_each_row(editor, stored):
    article, fact = stored["article"].slug, fact_key(stored["fact"])
    rows = [quantity(article, fact, bound="roughly", wording=w) for w in ("some", "30,000")]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400
    message = '"roughly" is not a valid choice.'
    assert errors_by_index(response) == {0: [("bound", message)], 1: [("bound", message)]}


def test_values_equal_in_python_but_of_other_json_types_are_read_each_by_its_type(editor, stored):
    # true == 1 in Python: a note of true is refused, and one of 1 is read as the text "1".
    article, fact = stored["article"].slug, fact_key(stored["fact"])
    rows = [quantity(article, fact, note=True), quantity(article, fact, note=1)]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400
    assert errors_by_index(response) == {0: [("note", "Not a valid string.")]}


def test_null_characters_are_refused_as_a_400_even_inside_lists(editor, stored):
    row = quantity(
        stored["article"].slug,
        {"slug": "stay", "property": "Who stays", "value_kind": "categorical"},
        subject={"slug": "drills", "name": "Drills", "aliases": ["dr\u0000ills"]},
        note="a note\u0000",
    )
    row["fact"]["categories"] = ["none stay", "some\u0000stay"]
    response = post(editor, {"claims": [row]})
    assert response.status_code == 400
    fields = {field for field, _ in errors_by_index(response)[0]}
    assert fields == {"note", "subject.aliases", "fact.categories"}


def test_a_fact_given_in_full_needs_the_rows_subject(editor, stored):
    fact = {"slug": "troops", "property": "Troops", "value_kind": "quantity"}
    response = post(editor, {"claims": [quantity(stored["article"].slug, fact)]})
    assert response.status_code == 400
    assert errors_by_index(response) == {
        0: [("subject", "A fact given in full needs the row's subject.")]
    }


def test_an_article_given_in_full_is_checked_by_its_model(editor, stored):
    article = new_article(stored["outlet"], published_latest="2022-02-01", url="not a url")
    response = post(editor, {"claims": [quantity(article, fact_key(stored["fact"]))]})
    assert response.status_code == 400
    fields = {field for field, _ in errors_by_index(response)[0]}
    assert fields == {"article.url"}
    article = new_article(stored["outlet"], published_latest="2022-02-01")
    response = post(editor, {"claims": [quantity(article, fact_key(stored["fact"]))]})
    assert errors_by_index(response)[0] == [
        ("article.published_latest", "A date's latest day cannot come before its earliest.")
    ]


def test_the_import_can_be_run_without_the_api(stored):
    row = quantity(stored["article"].slug, fact_key(stored["fact"]))
    superuser = UserFactory(is_superuser=True)
    result = importing.import_claims(rows=[row], user=superuser)
    assert result.created == 1
    assert Claim.objects.get().pk == result.claim_ids[0]
    with pytest.raises(importing.ImportRejected) as rejected:
        importing.import_claims(rows=[row, "not a row"], user=superuser)
    assert [(e.index, e.field) for e in rejected.value.errors] == [(0, "row"), (1, "row")]
    with pytest.raises(importing.ImportForbidden):
        importing.import_claims(rows=[row], user=UserFactory())
    assert Claim.objects.count() == 1


# Who may import ---------------------------------------------------------------------------


def test_an_anonymous_client_gets_401(client, stored):
    response = post(
        client, {"claims": [quantity(stored["article"].slug, fact_key(stored["fact"]))]}
    )
    assert response.status_code == 401


def test_a_signed_in_user_without_the_permission_to_add_claims_gets_403(client, stored):
    client.force_login(user_with("add_article", "add_subject", "add_fact"))
    response = post(
        client, {"claims": [quantity(stored["article"].slug, fact_key(stored["fact"]))]}
    )
    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_importing_a_verified_claim_without_the_permission_to_verify_gets_403(client, stored):
    client.force_login(user_with("add_claim"))
    rows = [
        quantity(stored["article"].slug, fact_key(stored["fact"])),
        quantity(stored["article"].slug, fact_key(stored["categorical"]), status="verified"),
    ]
    response = post(client, {"claims": rows})
    assert response.status_code == 403
    body = response.json()
    assert "facts.verify_claim (row 1)" in body["detail"]
    assert body["errors"] == [
        {
            "index": 1,
            "field": "status",
            "message": "Importing a claim as verified needs the permission facts.verify_claim.",
        }
    ]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("missing", ["add_article", "add_subject", "add_fact"])
def test_creating_a_row_needs_the_permission_to_add_it(client, stored, missing):
    client.force_login(user_with(*(c for c in EDITOR if c != missing)))
    row = quantity(
        new_article(stored["outlet"]),
        {"slug": "troops-sent", "property": "Troops sent", "value_kind": "quantity"},
        subject={"slug": "allied-resolve", "name": "Allied Resolve 2022"},
    )
    response = post(client, {"claims": [row]})
    assert response.status_code == 403
    assert f"facts.{missing} (row 0)" in response.json()["detail"]
    assert not Claim.objects.exists()


def test_naming_stored_rows_needs_no_permission_to_create_them(client, stored):
    client.force_login(user_with("add_claim"))
    row = quantity(stored["article"].slug, fact_key(stored["fact"]))
    response = post(client, {"claims": [row]})
    assert response.status_code == 201, response.json()


# Malformed requests -------------------------------------------------------------------------


def test_more_rows_than_a_job_takes_are_refused(editor, stored, settings):
    settings.IMPORT_SYNC_MAX_ROWS = 2
    settings.IMPORT_MAX_ROWS = 3
    row = quantity(stored["article"].slug, fact_key(stored["fact"]))
    response = post(editor, {"claims": [row] * 4})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (None, "claims")
    assert "at most 3" in error["message"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ("this is not JSON", "body"),
        ("[]", "body"),
        ('"claims"', "body"),
        ("null", "body"),
        ("{}", "claims"),
        ('{"claims": "all of them"}', "claims"),
        ('{"claims": {"0": {}}}', "claims"),
        ('{"claims": null}', "claims"),
        ('{"claims": []}', "claims"),
    ],
)
def test_a_malformed_body_is_a_400_with_the_field_at_fault(editor, body, field):
    response = post(editor, body, raw=True)
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (None, field)


def test_rows_that_are_not_objects_are_each_reported(editor, stored):
    good = quantity(stored["article"].slug, fact_key(stored["fact"]))
    response = post(editor, {"claims": [good, "a claim", None, [good], 7]})
    assert response.status_code == 400
    errors = errors_by_index(response)
    assert sorted(errors) == [1, 2, 3, 4]
    assert errors[1] == [("row", "Each claim is a JSON object; got a string.")]
    assert not Claim.objects.exists()


# Cost ---------------------------------------------------------------------------------------


def test_the_queries_grow_with_the_rows_and_no_faster(
    editor, stored, django_assert_max_num_queries
):
    facts = [FactFactory(subject=stored["fact"].subject) for _ in range(20)]
    rows = [quantity(stored["article"].slug, fact_key(fact), status="verified") for fact in facts]
    # About 75 statements a row, two thirds of them savepoints: full_clean checks each
    # constraint with a query in a savepoint of its own, and the save writes the history and
    # refreshes the verdict. A query per row more is fine; a query per row per row is not.
    with django_assert_max_num_queries(20 * 85 + 30):
        response = post(editor, {"claims": rows})
    assert response.status_code == 201, response.json()
    assert Fact.objects.filter(pk__in=[f.pk for f in facts], counted_claims=1).count() == 20
