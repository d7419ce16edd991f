"""Who may write what: every write on every resource, for an anonymous client, a signed-in user
without permissions, an editor with the model permission, and a superuser; reads for everyone;
verifying a claim needs facts.verify_claim; session and token authentication."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from tests.api_bodies import writable_part
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    SubjectFactory,
    UserFactory,
)
from tests.problems import field_errors

pytestmark = pytest.mark.django_db

MODELS = {
    "outlets": Outlet,
    "articles": Article,
    "actors": Actor,
    "subjects": Subject,
    "facts": Fact,
    "claims": Claim,
}
ROLES = ["anonymous", "no_permissions", "editor", "superuser"]
OPERATIONS = ["create", "put", "patch", "delete"]
PERMISSION_OF = {"create": "add", "put": "change", "patch": "change", "delete": "delete"}
SUCCESS = {"create": 201, "put": 200, "patch": 200, "delete": 204}
# Token authentication comes first in REST_FRAMEWORK, so an unauthenticated write gets a 401
# with a WWW-Authenticate challenge.
ANONYMOUS_WRITE_STATUS = 401
# A field each resource lets an editor change, with a new value.
CHANGE = {
    "outlets": ("name", "Renamed Outlet"),
    "articles": ("headline", "A new headline"),
    "actors": ("description", "Speaks for the ministry."),
    "subjects": ("description", "A joint exercise."),
    "facts": ("description", "Counted by the organisers."),
    "claims": ("note", "Checked against the original."),
}


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def user_with(*codenames, **fields):
    user = UserFactory(**fields)
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="facts", codename__in=codenames)
    )
    return user


def model_name(resource: str) -> str:
    return MODELS[resource]._meta.model_name


def sign_in(client, role: str, resource: str, operation: str) -> None:
    if role == "no_permissions":
        client.force_login(UserFactory())
    elif role == "editor":
        client.force_login(user_with(f"{PERMISSION_OF[operation]}_{model_name(resource)}"))
    elif role == "superuser":
        client.force_login(UserFactory(is_superuser=True, is_staff=True))


def existing(resource: str):
    """A row that can be changed and deleted (nothing refers to it)."""
    return {
        "outlets": OutletFactory,
        "articles": ArticleFactory,
        "actors": ActorFactory,
        "subjects": SubjectFactory,
        "facts": FactFactory,
        "claims": lambda: ClaimFactory(status=Claim.Status.DRAFT),
    }[resource]()


def new_body(resource: str) -> dict:
    """A valid body to create a row, naming its slug (or a claim's offsets) explicitly."""
    if resource == "outlets":
        return {"name": "Kyiv Post", "slug": "kyiv-post", "kind": "newspaper", "country": "UA"}
    if resource == "articles":
        return {
            "outlet": OutletFactory().slug,
            "slug": "new-article",
            "headline": "Drills begin",
            "text": "Drills began on Thursday near Brest.",
            "published_earliest": "2022-02-10",
            "published_latest": "2022-02-10",
            "published_precision": "day",
        }
    if resource == "actors":
        return {"name": "Jake Sullivan", "slug": "jake-sullivan", "kind": "official"}
    if resource == "subjects":
        return {"name": "Zapad 2021", "slug": "zapad-2021", "kind": "event"}
    if resource == "facts":
        return {
            "subject": SubjectFactory().slug,
            "slug": "tanks-sent",
            "property": "Tanks sent",
            "value_kind": "quantity",
        }
    article = ArticleFactory()
    start = article.text.index("some 30,000 soldiers")
    return {
        "fact": FactFactory().id,
        "article": article.id,
        "wording": "some 30,000 soldiers",
        "start": start,
        "end": start + len("some 30,000 soldiers"),
        "number": 30000,
        "bound": "approximate",
        "hedge": "some",
        "actor": ActorFactory().id,
        "attribution_mode": "indirect",
        "attribution_cue": "The United States has said",
    }


def write(client, resource: str, operation: str, **headers):
    """Do one write; returns the response and the row written to (None for a create)."""
    if operation == "create":
        url = f"/api/{resource}/"
        return client.post(url, new_body(resource), content_type="application/json"), None
    row = existing(resource)
    url = f"/api/{resource}/{row.id}/"
    # The row as staff read it: a draft claim's detail is a 404 to a reader who is not staff
    # (tests/test_public_and_staff_views.py), and the write must meet the door first.
    staff = Client()
    staff.force_login(UserFactory(is_superuser=True))
    read = staff.get(url)
    assert read.status_code == 200
    match = {"If-Match": read["ETag"], **headers}
    field, value = CHANGE[resource]
    if operation == "delete":
        return client.delete(url, headers=match), row
    if operation == "patch":
        body = {field: value}
        return client.patch(url, body, content_type="application/json", headers=match), row
    body = {**writable_part(resource, read.json()), field: value}
    return client.put(url, body, content_type="application/json", headers=match), row


# The matrix --------------------------------------------------------------------------------


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("resource", list(MODELS))
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix_of_every_write(client, role, resource, operation):
    sign_in(client, role, resource, operation)
    model = MODELS[resource]
    before = model.objects.count()
    response, row = write(client, resource, operation)
    if role in ("editor", "superuser"):
        assert response.status_code == SUCCESS[operation], response.content
    else:
        expected = ANONYMOUS_WRITE_STATUS if role == "anonymous" else 403
        assert response.status_code == expected, response.content
        assert response.json()["detail"]
        # Nothing changed.
        if row is None:
            assert model.objects.count() == before
        else:
            assert model.objects.get(id=row.id).version == row.version
        return
    if operation == "create":
        assert model.objects.count() == before + 1
    elif operation == "delete":
        assert not model.objects.filter(id=row.id).exists()
    else:
        field, value = CHANGE[resource]
        assert getattr(model.objects.get(id=row.id), field) == value


@pytest.mark.parametrize("operation", OPERATIONS)
def test_an_anonymous_write_is_refused_with_the_same_status_on_every_resource(client, operation):
    statuses = {write(client, resource, operation)[0].status_code for resource in MODELS}
    assert statuses == {ANONYMOUS_WRITE_STATUS}


def test_an_anonymous_write_says_credentials_are_needed(client):
    response = client.post("/api/outlets/", new_body("outlets"), content_type="application/json")
    assert response.status_code == ANONYMOUS_WRITE_STATUS
    assert "credentials" in response.json()["detail"]


@pytest.mark.parametrize("resource", list(MODELS))
def test_an_editor_with_another_models_permissions_cannot_write(client, resource):
    others = [
        f"{action}_{model._meta.model_name}"
        for name, model in MODELS.items()
        if name != resource
        for action in ("add", "change", "delete")
    ]
    client.force_login(user_with(*others))
    for operation in OPERATIONS:
        response, _ = write(client, resource, operation)
        assert response.status_code == 403, (operation, response.content)


@pytest.mark.parametrize("resource", list(MODELS))
def test_an_editor_who_may_add_may_not_change_or_delete(client, resource):
    client.force_login(user_with(f"add_{model_name(resource)}"))
    assert write(client, resource, "create")[0].status_code == 201
    for operation in ("put", "patch", "delete"):
        assert write(client, resource, operation)[0].status_code == 403


# Reads -------------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(MODELS))
@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_every_list_and_detail(client, role, resource):
    sign_in(client, role, resource, "create")
    # The public record: a verified claim (drafts are staff's, tests/test_public_and_staff_views).
    row = ClaimFactory() if resource == "claims" else existing(resource)
    assert client.get(f"/api/{resource}/").status_code == 200
    response = client.get(f"/api/{resource}/{row.id}/")
    assert response.status_code == 200
    assert response.json()["id"] == row.id


def test_anyone_reads_the_cross_source_views_and_the_changes_feed(client):
    claim = ClaimFactory()
    other = OutletFactory()
    for url in [
        f"/api/facts/{claim.fact_id}/comparison/",
        "/api/facts/disputed/",
        f"/api/outlets/{claim.article.outlet_id}/agreement/?with={other.slug}",
        f"/api/outlets/{claim.article.outlet_id}/record/",
        f"/api/subjects/{claim.fact.subject_id}/facts/",
        "/api/changes/?since=2020-01-01T00:00:00Z",
    ]:
        assert client.get(url).status_code == 200, url


# Verifying claims --------------------------------------------------------------------------


def patch_status(client, claim, status):
    url = f"/api/claims/{claim.id}/"
    tag = client.get(url)["ETag"]
    return client.patch(
        url, {"status": status}, content_type="application/json", headers={"If-Match": tag}
    )


@pytest.mark.parametrize("status", ["verified", "rejected"])
def test_an_editor_without_verify_claim_cannot_verify_or_reject_a_claim(client, status):
    client.force_login(user_with("change_claim"))
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    response = patch_status(client, claim, status)
    assert response.status_code in (400, 403)
    assert "reviewer" in str(field_errors(response).get("status") or response.json()["detail"])
    claim.refresh_from_db()
    assert claim.status == "draft"


@pytest.mark.parametrize("status", ["verified", "rejected"])
def test_an_editor_with_verify_claim_verifies_or_rejects_a_claim(client, status):
    client.force_login(user_with("change_claim", "verify_claim"))
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    response = patch_status(client, claim, status)
    assert response.status_code == 200, response.content
    claim.refresh_from_db()
    assert claim.status == status


def test_verifying_a_claim_counts_it_in_its_facts_verdict(client):
    client.force_login(user_with("change_claim", "verify_claim"))
    claim = ClaimFactory(status=Claim.Status.DRAFT)
    assert client.get(f"/api/facts/{claim.fact_id}/").json()["verdict"]["kind"] == "no_claims"
    assert patch_status(client, claim, "verified").status_code == 200
    verdict = client.get(f"/api/facts/{claim.fact_id}/").json()["verdict"]
    assert verdict["kind"] == "single_originator"
    assert verdict["counts"]["claims"] == 1


def test_an_editor_without_verify_claim_cannot_create_a_verified_claim(client):
    client.force_login(user_with("add_claim"))
    body = {**new_body("claims"), "status": "verified"}
    response = client.post("/api/claims/", body, content_type="application/json")
    assert response.status_code in (400, 403)
    assert field_errors(response)["status"]
    assert not Claim.objects.exists()


@pytest.mark.parametrize("status", ["candidate", "draft"])
def test_an_editor_without_verify_claim_moves_a_claim_between_draft_and_candidate(client, status):
    client.force_login(user_with("change_claim"))
    claim = ClaimFactory(status="candidate" if status == "draft" else "draft")
    assert patch_status(client, claim, status).status_code == 200
    claim.refresh_from_db()
    assert claim.status == status


def test_an_editor_without_verify_claim_edits_a_verified_claims_note(client):
    client.force_login(user_with("change_claim"))
    claim = ClaimFactory(status=Claim.Status.VERIFIED)
    url = f"/api/claims/{claim.id}/"
    tag = client.get(url)["ETag"]
    body = {"note": "typo fixed", "status": "verified"}
    response = client.patch(url, body, content_type="application/json", headers={"If-Match": tag})
    assert response.status_code == 200, response.content


def test_a_superuser_verifies_a_claim(client):
    client.force_login(UserFactory(is_superuser=True))
    claim = ClaimFactory(status=Claim.Status.CANDIDATE)
    assert patch_status(client, claim, "verified").status_code == 200


# Authentication ----------------------------------------------------------------------------


def token_client(user) -> Client:
    key = Token.objects.create(user=user).key
    return Client(headers={"Authorization": f"Token {key}"})


def test_an_editors_token_creates_a_row(db):
    client = token_client(user_with("add_outlet"))
    response = client.post("/api/outlets/", new_body("outlets"), content_type="application/json")
    assert response.status_code == 201, response.content
    assert Outlet.objects.filter(slug="kyiv-post").exists()


def test_an_editors_token_updates_and_deletes_with_if_match(db):
    client = token_client(user_with("change_outlet", "delete_outlet"))
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    tag = client.get(url)["ETag"]
    response = client.patch(
        url, {"name": "By token"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert response.status_code == 200
    assert client.delete(url, headers={"If-Match": response["ETag"]}).status_code == 204
    assert not Outlet.objects.filter(id=outlet.id).exists()


def test_a_token_of_a_user_without_permissions_cannot_write(db):
    client = token_client(UserFactory())
    response = client.post("/api/outlets/", new_body("outlets"), content_type="application/json")
    assert response.status_code == 403
    assert not Outlet.objects.exists()


def test_a_wrong_token_is_refused_and_says_so(client):
    response = client.post(
        "/api/outlets/",
        new_body("outlets"),
        content_type="application/json",
        headers={"Authorization": "Token 0000000000000000000000000000000000000000"},
    )
    assert response.status_code == ANONYMOUS_WRITE_STATUS
    assert "token" in response.json()["detail"].lower()
    assert not Outlet.objects.exists()


def test_a_token_of_an_inactive_user_is_refused(db):
    client = token_client(user_with("add_outlet", is_active=False))
    response = client.post("/api/outlets/", new_body("outlets"), content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Outlet.objects.exists()


def test_a_signed_in_session_must_send_the_csrf_token(db):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user_with("add_outlet"))
    response = client.post("/api/outlets/", new_body("outlets"), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not Outlet.objects.exists()


def test_a_token_needs_no_csrf_token(db):
    user = user_with("add_outlet")
    key = Token.objects.create(user=user).key
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Token {key}"})
    response = client.post("/api/outlets/", new_body("outlets"), content_type="application/json")
    assert response.status_code == 201
