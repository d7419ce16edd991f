"""A client that has only facts can import them: articles known by their URL, outlets and
actors given inline, hedges without bounds, counted nouns, periods and relative days read by
the server, every problem of every row in one answer, and a retried import that changes
nothing. The figures come from the 38-page load about the 2022 drills (issue 11)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.services import articles
from tests.factories import ActorFactory, FactFactory, SubjectFactory, UserFactory
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

URL = "/api/claims/import/"
EDITOR = ["add_claim", "add_article", "add_subject", "add_fact", "add_outlet", "add_actor"]
MODELS = [Outlet, Article, Actor, Subject, Fact, Claim]

# What the client has: the page's address and what it says, not the page's text.
REUTERS_URL = "https://www.reuters.com/world/europe/russia-belarus-drills-2022-02-09/"


def post(client, body):
    return client.post(URL, json.dumps(body), content_type="application/json")


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in [*MODELS, *(m.history.model for m in MODELS)]
    }


@pytest.fixture
def editor(client):
    user = UserFactory()
    for codename in EDITOR:
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)
    return client


@pytest.fixture
def drills():
    subject = SubjectFactory(slug="allied-resolve-2022", name="Allied Resolve 2022")
    return {
        "troops": FactFactory(subject=subject, slug="russian-troops", unit=""),
        "start": FactFactory(subject=subject, slug="start-date", value_kind="date", unit=""),
        "end": FactFactory(subject=subject, slug="end-date", value_kind="date", unit=""),
    }


def reuters_article(**fields) -> dict:
    """The article as the client knows it: its URL, outlet and day, but no text."""
    return {
        "url": REUTERS_URL,
        "outlet": {"name": "Reuters", "kind": "wire", "domain": "reuters.com"},
        "headline": "Russia and Belarus begin drills",
        "published_earliest": "2022-02-09",
        "published_latest": "2022-02-09",
        "published_precision": "day",
        **fields,
    }


def test_a_client_with_only_facts_imports_them_in_one_request(editor, drills):
    rows = [
        {
            # No text, an outlet and an actor given inline, a hedge with no bound, a count noun.
            "article": reuters_article(),
            "fact": ["allied-resolve-2022", "russian-troops"],
            "wording": "some 30,000 troops",
            "number": 30000,
            "hedge": "some",
            "unit": "troops",
            "actor": {"name": "NATO", "kind": "alliance"},
            "attribution_mode": "indirect",
            "attribution_cue": "according to NATO",
        },
        {
            # A period, read by the server into the start and the end day.
            "article": {"url": REUTERS_URL, "outlet": "reuters"},
            "fact": ["allied-resolve-2022", "start-date"],
            "end_fact": ["allied-resolve-2022", "end-date"],
            "wording": "February 10-20",
        },
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 3
    assert (body["articles_created"], body["outlets_created"], body["actors_created"]) == (1, 1, 1)

    article = Article.objects.get(url=REUTERS_URL)
    assert article.text == "" and article.outlet.name == "Reuters"
    troops = Claim.objects.get(fact=drills["troops"])
    assert troops.anchor_state == Claim.AnchorState.UNANCHORED
    assert (troops.start, troops.end) == (None, None)
    assert troops.bound == Claim.Bound.APPROXIMATE
    assert (troops.lower, troops.upper) == (Decimal(27000), Decimal(33000))
    assert troops.unit == "troops"
    assert troops.actor.name == "NATO"
    start = Claim.objects.get(fact=drills["start"])
    end = Claim.objects.get(fact=drills["end"])
    assert (start.date_earliest, start.date_latest) == (date(2022, 2, 10), date(2022, 2, 10))
    assert (end.date_earliest, end.date_latest) == (date(2022, 2, 20), date(2022, 2, 20))


def test_a_future_weekday_reads_forward_from_the_publication_day(editor, drills):
    # Wednesday 2022-02-09: "will start on Thursday" is the next day, not the Thursday before.
    response = post(
        editor,
        {
            "claims": [
                {
                    "article": reuters_article(),
                    "fact": ["allied-resolve-2022", "start-date"],
                    "wording": "will start on Thursday",
                }
            ]
        },
    )
    assert response.status_code == 201, response.json()
    claim = Claim.objects.get()
    assert (claim.date_earliest, claim.date_latest) == (date(2022, 2, 10), date(2022, 2, 10))


def test_an_unanchored_claim_is_anchored_when_the_text_arrives(editor, drills, admin_user):
    row = {
        "article": reuters_article(),
        "fact": ["allied-resolve-2022", "russian-troops"],
        "wording": "some 30,000 troops",
        "number": 30000,
        "bound": "approximate",
        "hedge": "some",
    }
    assert post(editor, {"claims": [row]}).status_code == 201
    article = Article.objects.get(url=REUTERS_URL)
    text = "Moscow has sent some 30,000 troops to Belarus for the drills."
    articles.update_article_text(user=admin_user, article=article, text=text)
    claim = Claim.objects.get()
    assert claim.anchor_state == Claim.AnchorState.ANCHORED
    assert text[claim.start : claim.end] == "some 30,000 troops"


def test_an_article_needs_its_text_or_its_url(editor, drills):
    article = reuters_article()
    del article["url"]
    row = {
        "article": {**article, "slug": "no-text-no-url"},
        "fact": ["allied-resolve-2022", "russian-troops"],
        "wording": "some 30,000 troops",
        "number": 30000,
        "bound": "approximate",
    }
    response = post(editor, {"claims": [row]})
    assert response.status_code == 400
    assert {e["field"] for e in response.json()["errors"]} == {"article"}
    assert "URL" in response.json()["errors"][0]["message"]


def test_an_actor_given_under_another_actors_alias_is_refused_with_a_pointer(editor, drills):
    ActorFactory(name="Viktor Khrenin", slug="viktor-khrenin", aliases=["Viktar Khrenin"])
    before = counts()
    row = {
        "article": reuters_article(),
        "fact": ["allied-resolve-2022", "russian-troops"],
        "wording": "30,000",
        "number": 30000,
        "bound": "exact",
        "actor": {"name": "Viktar Khrenin", "kind": "person"},
        "attribution_mode": "indirect",
    }
    response = post(editor, {"claims": [row]})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "actor.name"
    assert "Viktor Khrenin" in error["message"]
    assert counts() == before


def test_every_problem_of_every_row_comes_in_one_answer(editor, drills):
    # Before, the text was reported first and the outlet only once the text was fixed.
    rows = [
        {
            "article": {**reuters_article(), "outlet": "no-such-outlet", "published_latest": "x"},
            "fact": ["allied-resolve-2022", "russian-troops"],
            "wording": "30,000",
            "number": "many",
            "bound": "exact",
        },
        {
            "article": reuters_article(url="https://example.org/2"),
            "fact": ["allied-resolve-2022", "no-such-fact"],
            "wording": "30,000",
            "number": 30000,
            "bound": "exact",
        },
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400
    found = {(e["index"], e["field"]) for e in response.json()["errors"]}
    assert {(0, "number"), (0, "article.published_latest"), (1, "fact")} <= found
    assert not Claim.objects.exists()


def test_sending_the_same_import_again_in_upsert_mode_changes_nothing(editor, drills):
    rows = [
        {
            "article": reuters_article(),
            "fact": ["allied-resolve-2022", "russian-troops"],
            "wording": "some 30,000 troops",
            "number": 30000,
            "bound": "approximate",
            "hedge": "some",
            "actor": {"name": "NATO", "kind": "alliance"},
            "attribution_mode": "indirect",
        }
    ]
    first = post(editor, {"claims": rows, "mode": "upsert"})
    assert first.status_code == 201, first.json()
    before = counts()
    again = post(editor, {"claims": rows, "mode": "upsert"})
    assert again.status_code == 200, again.json()
    assert again.json()["created"] == 0
    assert again.json()["unchanged"] == first.json()["claims"]
    assert counts() == before


def test_sending_the_same_import_again_without_upsert_is_refused_as_duplicates(editor, drills):
    row = {
        "article": reuters_article(),
        "fact": ["allied-resolve-2022", "russian-troops"],
        "wording": "30,000",
        "number": 30000,
        "bound": "exact",
    }
    assert post(editor, {"claims": [row]}).status_code == 201
    again = post(editor, {"claims": [row]})
    assert again.status_code == 400
    assert "already" in again.json()["errors"][0]["message"]


def test_an_upsert_updates_a_claim_whose_value_changed(editor, drills):
    row = {
        "article": reuters_article(),
        "fact": ["allied-resolve-2022", "russian-troops"],
        "wording": "30,000",
        "number": 30000,
        "bound": "exact",
    }
    first = post(editor, {"claims": [row], "mode": "upsert"}).json()
    again = post(editor, {"claims": [{**row, "note": "checked"}], "mode": "upsert"})
    assert again.status_code == 200, again.json()
    assert again.json()["updated"] == first["claims"]
    assert Claim.objects.get().note == "checked"


def test_the_queries_of_an_import_do_not_grow_with_its_rows(
    editor, drills, django_assert_max_num_queries
):
    def rows(count: int) -> list[dict]:
        text = " ".join(f"Officials counted {1000 + i:,} troops." for i in range(count))
        article = {**reuters_article(), "text": text}
        return [
            {
                "article": article,
                "fact": ["allied-resolve-2022", "russian-troops"],
                "wording": f"{1000 + i:,}",
                "number": 1000 + i,
                "bound": "exact",
            }
            for i in range(count)
        ]

    # One outlet and one article created through their services, then every claim at once.
    with django_assert_max_num_queries(150) as small:
        assert post(editor, {"claims": rows(5)}).status_code == 201
    Claim.objects.all().delete()
    Claim.history.model.objects.all().delete()
    Article.objects.all().delete()
    Outlet.objects.all().delete()
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert post(editor, {"claims": rows(200)}).status_code == 201


# Idempotency-Key ------------------------------------------------------------------------------


def post_with_key(client, body, key: str, **query):
    path = URL + ("?async=true" if query.get("background") else "")
    return client.post(
        path, json.dumps(body), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def troops_row(**fields) -> dict:
    return {
        "article": reuters_article(),
        "fact": ["allied-resolve-2022", "russian-troops"],
        "wording": "30,000",
        "number": 30000,
        "bound": "exact",
        **fields,
    }


def test_an_import_sent_again_with_its_key_is_not_made_twice(editor, drills):
    body = {"claims": [troops_row()]}
    first = post_with_key(editor, body, "7f3c2a9e-import-1")
    assert first.status_code == 201, first.json()
    before = counts()
    again = post_with_key(editor, body, "7f3c2a9e-import-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert counts() == before


def test_a_key_sent_with_another_body_is_a_422(editor, drills):
    assert post_with_key(editor, {"claims": [troops_row()]}, "key-a").status_code == 201
    other = post_with_key(editor, {"claims": [troops_row(note="other")]}, "key-a")
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert Claim.objects.count() == 1


def test_a_refused_import_is_not_remembered_so_the_corrected_one_goes_through(editor, drills):
    bad = {"claims": [troops_row(number="many")]}
    assert post_with_key(editor, bad, "key-b").status_code == 400
    # The client fixes the row and sends it with another body but the same key: a refused
    # import wrote nothing, so its key holds nothing either.
    assert post_with_key(editor, {"claims": [troops_row()]}, "key-b").status_code == 201


def test_a_job_sent_again_with_its_key_is_queued_once(editor, drills):
    from facts.models import ImportJob

    body = {"claims": [troops_row()]}
    first = post_with_key(editor, body, "key-c", background=True)
    assert first.status_code == 202, first.json()
    again = post_with_key(editor, body, "key-c", background=True)
    assert again.status_code == 202
    assert again["Location"] == first["Location"]
    assert ImportJob.objects.count() == 1


def test_keys_are_each_users_own(client, drills):
    users = []
    for _ in range(2):
        user = UserFactory()
        for codename in EDITOR:
            user.user_permissions.add(Permission.objects.get(codename=codename))
        users.append(user)
    client.force_login(users[0])
    assert post_with_key(client, {"claims": [troops_row()]}, "shared").status_code == 201
    client.force_login(users[1])
    row = troops_row(article=reuters_article(url="https://example.org/other"))
    response = post_with_key(client, {"claims": [row]}, "shared")
    assert response.status_code == 201, response.json()
    assert "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", " ", "x" * 256])
def test_a_bad_key_is_a_400(editor, drills, key):
    response = post_with_key(editor, {"claims": [troops_row()]}, key)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"


def test_the_same_import_indented_otherwise_is_the_same_for_its_key(editor, drills):
    body = {"claims": [troops_row()]}
    first = post_with_key(editor, body, "key-d")
    assert first.status_code == 201
    again = editor.post(
        URL,
        json.dumps(body, indent=4),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="key-d",
    )
    assert again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"


def test_a_fact_named_by_its_slug_alone_is_the_rows_subjects(editor, drills):
    row = {**troops_row(), "fact": "russian-troops", "subject": "allied-resolve-2022"}
    response = post(editor, {"claims": [row]})
    assert response.status_code == 201, response.json()
    assert Claim.objects.get().fact == drills["troops"]


def test_a_fact_named_by_its_slug_with_no_subject_is_refused_not_dropped(editor, drills):
    # Before, the row was dropped in silence: 201 with nothing created.
    response = post(editor, {"claims": [{**troops_row(), "fact": "russian-troops"}]})
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert error["field"] == "fact" and "subject" in error["message"]
    assert not Claim.objects.exists()


def test_a_text_that_arrives_without_a_wording_orphans_that_claim(editor, drills, admin_user):
    # Before, the database refused the text (409): an orphan had to keep offsets it never had.
    row = {**troops_row(), "wording": "some 30,000 troops", "bound": "approximate"}
    assert post(editor, {"claims": [row]}).status_code == 201
    article = Article.objects.get(url=REUTERS_URL)
    articles.update_article_text(
        user=admin_user, article=article, text="Russia and Belarus began drills on Thursday."
    )
    claim = Claim.objects.get()
    assert claim.anchor_state == Claim.AnchorState.ORPHANED
    assert (claim.start, claim.end) == (None, None)
    assert Article.objects.get(pk=article.pk).text.startswith("Russia")


def test_a_row_with_a_wrong_field_still_has_its_references_checked(editor, drills):
    # Before, the unknown actor was reported only once the number was fixed.
    row = {**troops_row(), "number": "many", "actor": "no-such-actor"}
    response = post(editor, {"claims": [row]})
    found = {(e["field"], e["index"]) for e in response.json()["errors"]}
    assert found == {("number", 0), ("actor", 0)}


def test_a_claim_credited_to_an_actor_with_no_mode_is_an_indirect_report(editor, drills):
    row = {**troops_row(), "actor": {"name": "NATO", "kind": "alliance"}}
    assert post(editor, {"claims": [row]}).status_code == 201
    assert Claim.objects.get().attribution_mode == Claim.AttributionMode.INDIRECT


def test_a_claim_made_through_the_api_on_an_article_with_no_text_is_unanchored(editor, drills):
    # The single-claim API, not the import: the claim waits unanchored as well.
    assert post(editor, {"claims": [troops_row()]}).status_code == 201
    article = Article.objects.get(url=REUTERS_URL)
    Claim.objects.all().delete()
    user = UserFactory(is_superuser=True, is_staff=True)
    editor.force_login(user)
    response = editor.post(
        "/api/claims/",
        json.dumps(
            {
                "article": article.pk,
                "fact": drills["troops"].pk,
                "wording": "30,000",
                "number": 30000,
                "bound": "exact",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    assert field_errors(response)["anchor_state"] == "unanchored"
    assert field_errors(response)["start"] is None


def test_an_actor_named_by_the_alias_of_an_actor_the_same_import_creates_is_refused(editor, drills):
    rows = [
        {
            **troops_row(),
            "actor": {"name": "Viktor Khrenin", "kind": "person", "aliases": ["Viktar Khrenin"]},
        },
        {
            **troops_row(
                wording="30,000 troops", article=reuters_article(url="https://example.org/k")
            ),
            "actor": {"name": "Viktar Khrenin", "kind": "person"},
        },
    ]
    response = post(editor, {"claims": rows})
    assert response.status_code == 400, response.json()
    [error] = response.json()["errors"]
    assert (error["index"], error["field"]) == (1, "actor.name")
    assert "Viktor Khrenin" in error["message"]
    assert not Actor.objects.exists()
