"""POST /api/articles/ingest/ (issue 13, items 1 and 6): editors with the add_article
permission ingest a capture; bad captures are 400 problem details and nothing is saved; the
same article twice is a 200 with the stored one; the query count stays bounded."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facts.domain import candidates
from facts.models import Article
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    FactFactory,
    OutletFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/articles/ingest/"
NEWS = (
    "Russia and Belarus launched joint military drills Thursday that heightened tensions and "
    "added urgency to diplomatic efforts by NATO leaders to avert a feared invasion of Ukraine."
)
# Lines of seed 003 (Washington Examiner) around the news: a promotional headline of another
# story and a "CLICK HERE" line.
CAPTURE = (
    f"{NEWS}\n"
    "BIDEN DEPLOYING 3,000 TROOPS TO FORTIFY EUROPE AMID RUSSIA-UKRAINE STANDOFF\n"
    "Kyiv denounced the war games as psychological pressure.\n"
    "CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER\n"
)
BODY = f"{NEWS}\n\nKyiv denounced the war games as psychological pressure."


@pytest.fixture
def outlet():
    return OutletFactory(slug="washington-examiner")


def post(client, body):
    return client.post(URL, body, content_type="application/json")


def test_an_editor_ingests_a_capture_and_gets_the_article_back(editor_client, outlet):
    response = post(
        editor_client,
        {
            "outlet": "washington-examiner",
            "content": CAPTURE,
            "published": "2022-02-08",
            "url": "https://www.washingtonexaminer.com/a",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["created"] is True and body["duplicate_of"] == ""
    assert body["article"]["text"] == BODY
    assert body["article"]["published_earliest"] == "2022-02-08"
    assert body["article"]["outlet"] == "washington-examiner"
    assert body["removed"] == [
        "BIDEN DEPLOYING 3,000 TROOPS TO FORTIFY EUROPE AMID RUSSIA-UKRAINE STANDOFF",
        "CLICK HERE TO READ MORE FROM THE WASHINGTON EXAMINER",
    ]
    assert (body["candidates"], body["skipped"], body["copies"]) == (1, [], [])
    # The page as received is the staff's (an editor is staff: tests/test_public_and_staff_views).
    assert (body["article"]["capture"], body["article"]["capture_type"]) == (CAPTURE, "text")
    assert response["ETag"] == f'"{body["article"]["id"]}-1"'


def test_the_same_article_sent_twice_is_a_200_with_the_stored_one(editor_client, outlet):
    first = post(editor_client, {"outlet": "washington-examiner", "content": CAPTURE})
    again = post(editor_client, {"outlet": "washington-examiner", "content": CAPTURE})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["duplicate_of"] == "text"
    assert again.json()["article"]["id"] == first.json()["article"]["id"]
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "The capture is empty: send the article's text or HTML."),
        (
            "Ukraine\u00e2\u20ac\u2122s border",
            "The capture is wrongly encoded (replacement characters or UTF-8 read as "
            "Latin-1, such as 'â€™'): send it as UTF-8.",
        ),
        (
            f"{NEWS}<script>alert(1)</script>",
            "The text holds scripts or active markup (<script>, on...= handlers, javascript: "
            "links): send the article's text, or its page as HTML.",
        ),
        (
            "Kyiv\x01\x02\x03 and more",
            "The capture holds control characters, as a binary file does: send the "
            "article's text or HTML.",
        ),
    ],
)
def test_a_bad_capture_is_a_400_problem_detail_and_nothing_is_saved(
    editor_client, outlet, content, message
):
    response = post(editor_client, {"outlet": "washington-examiner", "content": content})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"]["content"] == [message]
    assert not Article.objects.exists()


def test_a_capture_over_the_limit_is_a_400(editor_client, outlet, settings):
    settings.INGEST_MAX_BYTES = 2048
    response = post(editor_client, {"outlet": "washington-examiner", "content": "x" * 3000})
    assert response.status_code == 400
    assert response.json()["errors"]["content"] == [
        "The capture is 3,000 bytes; at most 2,048 are taken (INGEST_MAX_BYTES)."
    ]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"content": CAPTURE}, "outlet", "This field is required."),
        (
            {"outlet": "nobody", "content": CAPTURE},
            "outlet",
            "Object with slug=nobody does not exist.",
        ),
        (
            {"outlet": "washington-examiner", "content": 12},
            "content",
            "Expected text, got a number.",
        ),
        (
            {"outlet": "washington-examiner", "content": CAPTURE, "content_type": "pdf"},
            "content_type",
            '"pdf" is not a valid choice.',
        ),
        (
            {"outlet": "washington-examiner", "content": CAPTURE, "published": "8 Feb"},
            "published",
            "Date has wrong format. Use one of these formats instead: YYYY-MM-DD.",
        ),
        (
            {"outlet": "washington-examiner", "content": CAPTURE, "text": "x"},
            "text",
            "Unknown field. The fields are: outlet, content, content_type, url, published, "
            "headline, byline.",
        ),
    ],
)
def test_a_bad_request_is_a_400_by_field(editor_client, outlet, body, field, message):
    response = post(editor_client, body)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]
    assert not Article.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(editor_client, outlet):
    response = post(editor_client, ["not", "an", "object"])
    assert response.status_code == 400
    assert not Article.objects.exists()


def test_only_editors_with_add_article_may_ingest(client, outlet):
    assert post(client, {"outlet": "washington-examiner", "content": CAPTURE}).status_code in (
        401,
        403,
    )
    user = UserFactory()
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)
    assert post(client, {"outlet": "washington-examiner", "content": CAPTURE}).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_article"))
    client.force_login(user)
    assert post(client, {"outlet": "washington-examiner", "content": CAPTURE}).status_code == 201


def ingest_queries(client, content) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = post(client, {"outlet": "washington-examiner", "content": content})
    assert response.status_code == 201, response.content
    return len(queries)


def test_an_ingest_costs_the_same_queries_whatever_the_record_holds(
    editor_client, outlet, monkeypatch
):
    # The plumbing's queries: each candidate stored costs its own save on top (the texts
    # here would give some), so the extractor proposes nothing in this test.
    monkeypatch.setattr(candidates, "propose", lambda text, **known: [])
    # Warm up the session and permission caches with a first article.
    post(editor_client, {"outlet": "washington-examiner", "content": "Another story.\n\n" + NEWS})
    small = ingest_queries(editor_client, CAPTURE)
    for _ in range(20):
        ArticleFactory(outlet=outlet)
        ActorFactory()
        FactFactory()
    other = "Truss took a tough message to Moscow on Thursday, urging it to withdraw its forces."
    large = ingest_queries(editor_client, CAPTURE.replace(NEWS, other))
    # Measured at 26 on SQLite: the session and permissions, the outlet, the rules, the
    # stored-already checks (URL, hash, story), the slug, the save with its history and story
    # index, the known actors and facts (one query each), and the answer.
    assert small == large
    assert small <= 26


# Batches as background jobs -------------------------------------------------------------------

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
BATCH = "/api/articles/ingest/batch/"
OTHER = "Truss took a tough message to Moscow on Thursday, urging it to withdraw its forces."


def test_a_batch_is_a_job_that_ingests_every_capture(
    editor_client, outlet, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    body = {
        "articles": [
            {"outlet": "washington-examiner", "content": CAPTURE, "published": "2022-02-08"},
            {"outlet": "washington-examiner", "content": OTHER, "content_type": "text"},
            {"outlet": "washington-examiner", "content": CAPTURE},
        ]
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_to(editor_client, BATCH, body)
    assert response.status_code == 202, response.content
    assert response.json()["kind"] == "articles"
    polled = editor_client.get(response["Location"]).json()
    assert polled["state"] == "succeeded", polled
    first, second = Article.objects.order_by("pk")
    assert polled["result"] == {
        "created": 2,
        "found": 1,
        "candidates": 1,
        "articles": [first.pk, second.pk, first.pk],
    }
    assert polled["detail"] == "2 article(s) ingested, 1 stored already."
    assert first.text == BODY and str(first.published_earliest) == "2022-02-08"


def test_a_batch_with_a_capture_refused_when_it_runs_fails_and_saves_nothing(
    editor_client, outlet, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = IMMEDIATE
    body = {
        "articles": [
            {"outlet": "washington-examiner", "content": CAPTURE},
            {"outlet": "washington-examiner", "content": f"{OTHER}<script>x()</script>"},
        ]
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = post_to(editor_client, BATCH, body)
    polled = editor_client.get(response["Location"]).json()
    assert polled["state"] == "failed"
    assert polled["errors"][0]["index"] == 1 and polled["errors"][0]["field"] == "content"
    assert polled["errors"][0]["message"].startswith("The text holds scripts")
    assert polled["detail"] == "Capture 1 was refused; nothing was saved."
    assert not Article.objects.exists()


def test_a_batch_with_a_capture_refused_at_once_is_a_400_naming_it(editor_client, outlet):
    body = {
        "articles": [
            {"outlet": "washington-examiner", "content": CAPTURE},
            {"outlet": "washington-examiner", "content": ""},
        ]
    }
    response = post_to(editor_client, BATCH, body)
    assert response.status_code == 400
    assert response.json()["errors"]["articles.1.content"] == [
        "The capture is empty: send the article's text or HTML."
    ]
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"articles": []}, "articles", "Send at least one article."),
        ({"articles": "x"}, "articles", "Expected a list, got text."),
        ({"articles": [], "more": 1}, "more", "Unknown field. The fields are: articles."),
    ],
)
def test_a_bad_batch_is_a_400(editor_client, outlet, body, field, message):
    response = post_to(editor_client, BATCH, body)
    assert response.status_code == 400
    assert response.json()["errors"][field] == [message]


def test_a_batch_over_the_limit_is_a_400(editor_client, outlet, settings):
    settings.INGEST_BATCH_MAX = 1
    two = [{"outlet": "washington-examiner", "content": CAPTURE}] * 2
    response = post_to(editor_client, BATCH, {"articles": two})
    assert response.status_code == 400
    assert response.json()["errors"]["articles"] == ["Send at most 1 articles at a time."]


def post_to(client, url, body):
    return client.post(url, body, content_type="application/json")
