"""Public and staff views: anonymous readers and clients without a claims permission read the
public record (facts, verified claims, verdicts, track records); drafts, candidates, rejected
claims, editors' notes (with their rejection reasons), captures and the desk's history are for
signed-in staff. A permission matrix over every route of the API (a new route without a row
fails), in JSON and in CSV, for five readers."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver
from rest_framework.authtoken.models import Token

from facts.api import urls as api_urls
from facts.models import Claim, ImportJob
from facts.services import records
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    SubjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Words that appear only where the desk's state does: a reader who is not staff must never get
# one, in any answer.
DRAFT = "draftwording"
CANDIDATE = "candidatewording"
REJECTED = "rejectedwording"
NOTE = "editorsnote-checked-by-phone"
REASON = "rejectionreason-misread-figure"
CAPTURE = "capturedmarkup-sidebar"
SECRETS = (DRAFT, CANDIDATE, REJECTED, NOTE, REASON, CAPTURE)
STAFF_ONLY_KEYS = {"note", "capture", "capture_type"}
TEXT = "The United States has said some 30,000 soldiers were being dispatched to Belarus."

PUBLIC_READERS = ["anonymous", "token_client"]
STAFF = ["editor", "reviewer", "admin"]
READERS = PUBLIC_READERS + STAFF


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


@dataclass
class Desk:
    """One of everything, with the desk's state planted where only staff may read it."""

    outlet: Any
    other_outlet: Any
    article: Any
    actor: Any
    subject: Any
    fact: Any
    verified: Claim
    draft: Claim
    candidate: Claim
    rejected: Claim
    job: ImportJob
    clients: dict[str, Client]


def token_client(user) -> Client:
    return Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})


def session_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def desk() -> Desk:
    outlet, other_outlet = OutletFactory(), OutletFactory()
    article = ArticleFactory(
        outlet=outlet,
        text=TEXT,
        capture=f"<html><aside>{CAPTURE}</aside><p>{TEXT}</p></html>",
        capture_type="html",
    )
    ClaimFactory(article=ArticleFactory(outlet=other_outlet))
    actor, subject = ActorFactory(), SubjectFactory()
    fact = FactFactory(subject=subject)
    verified = ClaimFactory(article=article, fact=fact, actor=actor, note=NOTE)
    # The desk's claims wait on an article whose text is not held yet (unanchored), so that
    # their wordings are nowhere in the public record.
    waiting = {"article": ArticleFactory(outlet=outlet, text=""), "fact": fact}
    unanchored = {**waiting, "anchor_state": Claim.AnchorState.UNANCHORED}
    draft = ClaimFactory(**unanchored, wording=DRAFT, status=Claim.Status.DRAFT)
    candidate = ClaimFactory(**unanchored, wording=CANDIDATE, status=Claim.Status.CANDIDATE)
    rejected = ClaimFactory(
        **unanchored,
        wording=REJECTED,
        status=Claim.Status.REJECTED,
        note=f"Rejected: {REASON}",
    )
    # A reader without a claims permission: may add outlets, through a token.
    client_user = UserFactory()
    client_user.user_permissions.add(Permission.objects.get(codename="add_outlet"))
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    admin = UserFactory(is_staff=True, is_superuser=True)
    job = ImportJob.objects.create(created_by=editor, rows_total=1, rows=[])
    clients = {
        "anonymous": Client(),
        "token_client": token_client(client_user),
        "editor": session_client(editor),
        "reviewer": token_client(reviewer),
        "admin": session_client(admin),
    }
    return Desk(
        outlet,
        other_outlet,
        article,
        actor,
        subject,
        fact,
        verified,
        draft,
        candidate,
        rejected,
        job,
        clients,
    )


@dataclass
class Row:
    """What each reader gets from one request to one route."""

    url: Callable[[Desk], str]
    params: dict[str, str] = field(default_factory=dict)
    method: str = "get"
    # The status by reader; 200 for any not named.
    status: dict[str, int] = field(default_factory=dict)
    # Secrets each staff reader finds here (in the JSON; in the CSV too when `csv`).
    staff_sees: tuple[str, ...] = ()
    csv: bool = False
    # The schema and its pages describe fields; they hold no rows.
    data: bool = True

    def status_for(self, reader: str) -> int:
        return self.status.get(reader, 200)


# Writes that only send (their permissions are tests/test_api_permissions.py's): an empty body
# is a 400 once the door lets the reader in.
INGEST = {"anonymous": 401, "token_client": 403, "editor": 400, "reviewer": 403, "admin": 400}
IMPORT = {"anonymous": 401, "token_client": 403, "editor": 400, "reviewer": 403, "admin": 400}
EVERY_CLAIM_SECRET = (DRAFT, CANDIDATE, REJECTED, NOTE, REASON)

MATRIX: dict[str, list[Row]] = {
    "api-root": [Row(lambda d: "/api/")],
    "outlet-list": [Row(lambda d: "/api/outlets/", csv=True)],
    "outlet-detail": [Row(lambda d: f"/api/outlets/{d.outlet.slug}/")],
    "outlet-agreement": [
        Row(lambda d: f"/api/outlets/{d.outlet.slug}/agreement/", {"with": "placeholder"})
    ],
    "outlet-record": [Row(lambda d: f"/api/outlets/{d.outlet.slug}/record/")],
    "article-list": [Row(lambda d: "/api/articles/", csv=True, staff_sees=(CAPTURE,))],
    "article-detail": [Row(lambda d: f"/api/articles/{d.article.id}/", staff_sees=(CAPTURE,))],
    "article-ingest": [Row(lambda d: "/api/articles/ingest/", method="post", status=INGEST)],
    "article-ingest-batch": [
        Row(lambda d: "/api/articles/ingest/batch/", method="post", status=INGEST)
    ],
    "actor-list": [Row(lambda d: "/api/actors/", csv=True)],
    "actor-detail": [Row(lambda d: f"/api/actors/{d.actor.slug}/")],
    "actor-record": [Row(lambda d: f"/api/actors/{d.actor.slug}/record/")],
    "subject-list": [Row(lambda d: "/api/subjects/", csv=True)],
    "subject-detail": [Row(lambda d: f"/api/subjects/{d.subject.slug}/")],
    "subject-facts": [Row(lambda d: f"/api/subjects/{d.subject.slug}/facts/")],
    "fact-list": [Row(lambda d: "/api/facts/", csv=True)],
    "fact-detail": [Row(lambda d: f"/api/facts/{d.fact.id}/")],
    "fact-comparison": [
        Row(lambda d: f"/api/facts/{d.fact.id}/comparison/"),
        Row(
            lambda d: f"/api/facts/{d.fact.id}/comparison/",
            {"include_drafts": "true"},
            status={"anonymous": 403, "token_client": 403},
            staff_sees=(DRAFT,),
        ),
    ],
    "fact-disputed": [Row(lambda d: "/api/facts/disputed/", csv=True)],
    "claim-list": [
        Row(lambda d: "/api/claims/", csv=True, staff_sees=EVERY_CLAIM_SECRET),
        Row(lambda d: "/api/claims/", {"status": "draft"}, csv=True, staff_sees=(DRAFT,)),
        Row(lambda d: "/api/claims/", {"status": "rejected"}, csv=True, staff_sees=(REASON,)),
        Row(lambda d: "/api/claims/", {"q": DRAFT}, csv=True, staff_sees=(DRAFT,)),
    ],
    "claim-detail": [
        Row(lambda d: f"/api/claims/{d.verified.id}/", staff_sees=(NOTE,)),
        Row(
            lambda d: f"/api/claims/{d.draft.id}/",
            status={"anonymous": 404, "token_client": 404},
            staff_sees=(DRAFT,),
        ),
        Row(
            lambda d: f"/api/claims/{d.candidate.id}/",
            status={"anonymous": 404, "token_client": 404},
            staff_sees=(CANDIDATE,),
        ),
        Row(
            lambda d: f"/api/claims/{d.rejected.id}/",
            status={"anonymous": 404, "token_client": 404},
            staff_sees=(REJECTED, REASON),
        ),
    ],
    "claim-bulk-import": [Row(lambda d: "/api/claims/import/", method="post", status=IMPORT)],
    "importjob-list": [Row(lambda d: "/api/imports/", status={"anonymous": 401})],
    # A job is its sender's (the editor's) and staff's in the admin's sense (is_staff).
    "importjob-detail": [
        Row(
            lambda d: f"/api/imports/{d.job.id}/",
            status={"anonymous": 401, "token_client": 404, "reviewer": 404},
        )
    ],
    "changes": [
        Row(
            lambda d: "/api/changes/",
            {"since": "2000-01-01T00:00:00Z", "expand": "object", "page_size": "1000"},
            staff_sees=SECRETS,
        )
    ],
    # Each signed-in reader lists its own token (admins everyone's, by their prefixes).
    "token-list": [Row(lambda d: "/api/tokens/", status={"anonymous": 401})],
    # Revoking a token of a user who has none: a 404 for each signed-in reader (the revocations
    # themselves, by owner and admin, are tests/test_api_tokens.py's).
    "token-detail": [
        Row(
            lambda d: "/api/tokens/999999/",
            method="delete",
            status={
                "anonymous": 401,
                "token_client": 404,
                "editor": 404,
                "reviewer": 404,
                "admin": 404,
            },
        )
    ],
    "schema": [Row(lambda d: "/api/schema/", data=False)],
    "docs": [Row(lambda d: "/api/docs/", data=False)],
    "redoc": [Row(lambda d: "/api/redoc/", data=False)],
}


def api_route_names() -> set[str]:
    """Every named route of the API's URL conf (the format-suffix twins share their names)."""
    names: set[str] = set()

    def walk(patterns: list) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(pattern.name)

    walk(api_urls.urlpatterns)
    return names


def keys_in(data: Any) -> set[str]:
    """Every key of a JSON document, at any depth."""
    if isinstance(data, dict):
        return set(data) | {key for value in data.values() for key in keys_in(value)}
    if isinstance(data, list):
        return {key for value in data for key in keys_in(value)}
    return set()


def ask(client: Client, row: Row, desk: Desk, *, csv: bool = False):
    url = row.url(desk)
    params = dict(row.params)
    if "with" in params:
        params["with"] = desk.other_outlet.slug
    if csv:
        params["format"] = "csv"
    if row.method == "post":
        return client.post(url, data="{}", content_type="application/json")
    if row.method == "delete":
        return client.delete(url)
    return client.get(url, params)


def test_every_route_of_the_api_has_a_row_in_the_matrix():
    assert set(MATRIX) == api_route_names()


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_each_reader_gets_what_the_matrix_says_and_the_public_no_desk_state(desk, route):
    failures = []
    for index, row in enumerate(MATRIX[route]):
        for reader in READERS:
            cache.clear()
            client = desk.clients[reader]
            answers = [ask(client, row, desk)]
            if row.csv:
                answers.append(ask(client, row, desk, csv=True))
            for answer in answers:
                where = f"{route}[{index}] {reader} {answer.get('Content-Type')}"
                if answer.status_code != row.status_for(reader):
                    failures.append(f"{where}: {answer.status_code}")
                    continue
                if not row.data:
                    continue
                body = answer.content.decode()
                if reader in PUBLIC_READERS:
                    failures += [f"{where}: shows {s}" for s in SECRETS if s in body]
                    if answer.get("Content-Type", "").startswith("application/json"):
                        leaked = keys_in(json.loads(body)) & STAFF_ONLY_KEYS
                        failures += [f"{where}: has the field {k}" for k in sorted(leaked)]
                elif answer.status_code == 200:
                    is_csv = answer.get("Content-Type", "").startswith("text/csv")
                    # The CSV of articles has no capture column.
                    wanted = [s for s in row.staff_sees if not (is_csv and s == CAPTURE)]
                    failures += [f"{where}: misses {s}" for s in wanted if s not in body]
    assert failures == []


# The failures the issue reported, one by one -----------------------------------------------


def test_an_anonymous_reader_finds_no_draft_candidate_or_rejected_claim(client, desk):
    listed = client.get("/api/claims/").json()["results"]

    assert [claim["id"] for claim in listed if claim["fact"] == desk.fact.id] == [desk.verified.id]
    for claim in (desk.draft, desk.candidate, desk.rejected):
        assert client.get(f"/api/claims/{claim.id}/").status_code == 404
    # A filter on a status outside the public record finds nothing, like any filter that
    # matches no row: no 403 that would say such claims exist.
    for status in ("draft", "candidate", "rejected"):
        answer = client.get("/api/claims/", {"status": status})
        assert (answer.status_code, answer.json()["results"]) == (200, [])


def test_an_anonymous_reader_reads_no_editors_note_and_no_rejection_reason(client, desk):
    detail = client.get(f"/api/claims/{desk.verified.id}/").json()
    streamed = client.get("/api/claims/", {"format": "csv", "all": "true"}).streaming_content
    table = b"".join(streamed).decode()

    assert "note" not in detail
    assert detail["wording"] == "some 30,000 soldiers"
    assert NOTE not in table and REASON not in table
    # The column stays, empty, so that every reader's table has the same columns.
    assert table.splitlines()[0].split(",").count("note") == 1


def test_a_token_client_without_a_claims_permission_reads_the_public_record_only(desk):
    client = desk.clients["token_client"]

    listed = client.get("/api/claims/", {"fact": desk.fact.id}).json()["results"]

    assert [claim["id"] for claim in listed] == [desk.verified.id]
    assert "note" not in listed[0]


def test_an_editor_reads_drafts_notes_and_rejection_reasons(desk):
    client = desk.clients["editor"]

    listed = client.get("/api/claims/", {"fact": desk.fact.id}).json()["results"]

    assert {claim["id"]: claim["note"] for claim in listed} == {
        desk.verified.id: NOTE,
        desk.draft.id: "",
        desk.candidate.id: "",
        desk.rejected.id: f"Rejected: {REASON}",
    }


def test_an_articles_capture_is_for_staff_only(desk):
    url = f"/api/articles/{desk.article.id}/"

    public = desk.clients["anonymous"].get(url).json()
    staff = desk.clients["editor"].get(url).json()

    assert "capture" not in public and "capture_type" not in public
    assert (staff["capture"], staff["capture_type"]) == (
        f"<html><aside>{CAPTURE}</aside><p>{TEXT}</p></html>",
        "html",
    )


def test_a_comparison_with_drafts_is_refused_to_the_public(client, desk):
    answer = client.get(f"/api/facts/{desk.fact.id}/comparison/", {"include_drafts": "true"})

    assert answer.status_code == 403
    assert answer["Content-Type"] == "application/problem+json"
    assert DRAFT not in answer.content.decode()


def changed_claims(client: Client) -> list[tuple[int, str]]:
    page = client.get("/api/changes/", {"since": "2000-01-01T00:00:00Z", "model": "claim"})
    return [(change["id"], change["action"]) for change in page.json()["changes"]]


def test_the_changes_feed_gives_the_public_no_draft_candidate_or_rejected_claim(client, desk):
    ours = {desk.verified.id, desk.draft.id, desk.candidate.id, desk.rejected.id}

    public = [event for event in changed_claims(client) if event[0] in ours]
    staff = [event for event in changed_claims(desk.clients["editor"]) if event[0] in ours]

    assert public == [(desk.verified.id, "created")]
    assert sorted(staff) == sorted((claim_id, "created") for claim_id in ours)


def test_a_claim_sent_back_to_draft_leaves_the_public_feed_as_a_deletion(client, desk):
    editor = desk.verified.history.latest().history_user or UserFactory(is_superuser=True)
    records.update_record(user=editor, row=desk.verified, values={"status": "draft"})
    claim = Claim.objects.get(pk=desk.verified.pk)
    assert claim.status == Claim.Status.DRAFT

    events = [event for event in changed_claims(client) if event[0] == claim.id]

    assert events == [(claim.id, "created"), (claim.id, "deleted")]
    assert client.get(f"/api/claims/{claim.id}/").status_code == 404


def test_the_schema_says_which_fields_are_staff_only(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()["components"]["schemas"]

    for component, name in (("Claim", "note"), ("Article", "capture"), ("Article", "capture_type")):
        assert schema[component]["properties"][name]["description"].startswith("Staff only")
        assert name not in schema[component]["required"]
    assert "wording" in schema["Claim"]["required"]
