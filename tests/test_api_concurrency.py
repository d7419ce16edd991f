"""Optimistic concurrency: ETags on responses, 304 for a client that has the current version,
and If-Match on every write so that no update is ever lost."""

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.test import Client

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

FACTORIES = {
    "outlets": OutletFactory,
    "articles": ArticleFactory,
    "actors": ActorFactory,
    "subjects": SubjectFactory,
    "facts": FactFactory,
    "claims": lambda: ClaimFactory(status=Claim.Status.DRAFT),
}
MODELS = {
    "outlets": Outlet,
    "articles": Article,
    "actors": Actor,
    "subjects": Subject,
    "facts": Fact,
    "claims": Claim,
}
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


def new_editor():
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="facts").exclude(codename="verify_claim")
    )
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(new_editor())
    return client


def patch(client, url, body, tag=None):
    headers = {} if tag is None else {"If-Match": tag}
    return client.patch(url, body, content_type="application/json", headers=headers)


def put(client, url, body, tag=None):
    headers = {} if tag is None else {"If-Match": tag}
    return client.put(url, body, content_type="application/json", headers=headers)


def delete(client, url, tag=None):
    return client.delete(url, headers={} if tag is None else {"If-Match": tag})


def write(client, resource, row, method, tag):
    url = f"/api/{resource}/{row.id}/"
    field, value = CHANGE[resource]
    if method == "DELETE":
        return delete(client, url, tag)
    if method == "PATCH":
        return patch(client, url, {field: value}, tag)
    body = {**writable_part(resource, client.get(url).json()), field: value}
    return put(client, url, body, tag)


# ETags and 304 -----------------------------------------------------------------------------


@pytest.mark.parametrize("resource", list(FACTORIES))
def test_a_detail_carries_a_strong_etag_of_the_version(editor_client, resource):
    # An editor: a factory's claim is a draft, which the public does not see.
    client = editor_client
    row = FACTORIES[resource]()
    response = client.get(f"/api/{resource}/{row.id}/")
    tag = response["ETag"]
    assert tag.startswith('"') and tag.endswith('"')
    assert not tag.startswith("W/")
    assert client.get(f"/api/{resource}/{row.id}/")["ETag"] == tag, "stable between reads"


def test_two_rows_have_different_etags(client):
    one, two = OutletFactory(), OutletFactory()
    assert (
        client.get(f"/api/outlets/{one.id}/")["ETag"]
        != client.get(f"/api/outlets/{two.id}/")["ETag"]
    )


def test_a_create_answers_with_the_etag_of_the_new_row(editor_client):
    response = editor_client.post(
        "/api/outlets/", {"name": "Meduza", "slug": "meduza"}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    url = f"/api/outlets/{response.json()['id']}/"
    assert response["ETag"] == editor_client.get(url)["ETag"]


@pytest.mark.parametrize("resource", list(FACTORIES))
def test_if_none_match_of_the_current_etag_is_a_304(editor_client, resource):
    client = editor_client
    row = FACTORIES[resource]()
    url = f"/api/{resource}/{row.id}/"
    tag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": tag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == tag


def test_if_none_match_among_several_etags_is_a_304(client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    tag = client.get(url)["ETag"]
    response = client.get(url, headers={"If-None-Match": f'"0-0", {tag}'})
    assert response.status_code == 304


def test_if_none_match_of_a_stale_etag_gets_the_new_version(client, editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    stale = client.get(url)["ETag"]
    assert patch(editor_client, url, {"name": "Changed"}, stale).status_code == 200
    response = client.get(url, headers={"If-None-Match": stale})
    assert response.status_code == 200
    assert response.json()["name"] == "Changed"
    assert response["ETag"] != stale


# If-Match on writes ------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("resource", list(FACTORIES))
def test_a_write_without_if_match_is_a_428_and_changes_nothing(editor_client, resource, method):
    row = FACTORIES[resource]()
    response = write(editor_client, resource, row, method, tag=None)
    assert response.status_code == 428
    assert "If-Match" in response.json()["detail"]
    stored = MODELS[resource].objects.get(id=row.id)
    assert stored.version == row.version
    assert getattr(stored, CHANGE[resource][0]) == getattr(row, CHANGE[resource][0])


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("resource", list(FACTORIES))
def test_a_write_with_a_stale_etag_is_a_412_and_changes_nothing(editor_client, resource, method):
    row = FACTORIES[resource]()
    url = f"/api/{resource}/{row.id}/"
    stale = editor_client.get(url)["ETag"]
    MODELS[resource].objects.get(id=row.id).save()  # someone else saves it meanwhile
    current = MODELS[resource].objects.get(id=row.id)
    response = write(editor_client, resource, row, method, tag=stale)
    assert response.status_code == 412
    assert response.json()["detail"]
    stored = MODELS[resource].objects.get(id=row.id)
    assert stored.version == current.version
    assert getattr(stored, CHANGE[resource][0]) == getattr(current, CHANGE[resource][0])


@pytest.mark.parametrize("method", ["PUT", "PATCH"])
@pytest.mark.parametrize("resource", list(FACTORIES))
def test_an_update_with_the_current_etag_succeeds_with_a_new_etag(editor_client, resource, method):
    row = FACTORIES[resource]()
    url = f"/api/{resource}/{row.id}/"
    tag = editor_client.get(url)["ETag"]
    response = write(editor_client, resource, row, method, tag=tag)
    assert response.status_code == 200, response.content
    assert response["ETag"] != tag
    assert response["ETag"] == editor_client.get(url)["ETag"]
    assert field_errors(response)["version"] == row.version + 1
    field, value = CHANGE[resource]
    assert getattr(MODELS[resource].objects.get(id=row.id), field) == value


@pytest.mark.parametrize("resource", list(FACTORIES))
def test_a_delete_with_the_current_etag_succeeds(editor_client, resource):
    row = FACTORIES[resource]()
    url = f"/api/{resource}/{row.id}/"
    response = delete(editor_client, url, editor_client.get(url)["ETag"])
    assert response.status_code == 204
    assert editor_client.get(url).status_code == 404


def test_the_old_etag_no_longer_passes_after_an_update(editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    first = editor_client.get(url)["ETag"]
    second = patch(editor_client, url, {"name": "Once"}, first)["ETag"]
    assert patch(editor_client, url, {"name": "Twice"}, first).status_code == 412
    assert patch(editor_client, url, {"name": "Twice"}, second).status_code == 200


def test_two_clients_writing_the_same_version_lose_no_update(db):
    outlet = OutletFactory(name="Original")
    url = f"/api/outlets/{outlet.id}/"
    alice, bob = Client(), Client()
    alice.force_login(new_editor())
    bob.force_login(new_editor())
    alice_read, bob_read = alice.get(url), bob.get(url)
    assert alice_read["ETag"] == bob_read["ETag"]

    assert patch(alice, url, {"name": "Alice's"}, alice_read["ETag"]).status_code == 200
    response = patch(bob, url, {"domain": "bob.example.org"}, bob_read["ETag"])
    assert response.status_code == 412

    outlet.refresh_from_db()
    assert outlet.name == "Alice's"
    assert outlet.domain != "bob.example.org"
    # Bob reads again and retries: both changes stand.
    fresh = bob.get(url)
    assert fresh.json()["name"] == "Alice's"
    assert patch(bob, url, {"domain": "bob.example.org"}, fresh["ETag"]).status_code == 200
    outlet.refresh_from_db()
    assert (outlet.name, outlet.domain) == ("Alice's", "bob.example.org")


def test_a_delete_after_someone_elses_update_is_a_412(db):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    alice, bob = Client(), Client()
    alice.force_login(new_editor())
    bob.force_login(new_editor())
    seen = bob.get(url)["ETag"]
    assert patch(alice, url, {"name": "Kept"}, alice.get(url)["ETag"]).status_code == 200
    assert delete(bob, url, seen).status_code == 412
    assert Outlet.objects.filter(id=outlet.id, name="Kept").exists()


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE"])
def test_if_match_star_passes(editor_client, method):
    row = OutletFactory()
    MODELS["outlets"].objects.get(id=row.id).save()  # whatever version it is now
    response = write(editor_client, "outlets", row, method, tag="*")
    assert response.status_code in (200, 204), response.content


def test_if_match_among_several_etags_passes_when_one_is_current(editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    tag = editor_client.get(url)["ETag"]
    response = patch(editor_client, url, {"name": "Listed"}, f'"{outlet.id}-999", {tag}')
    assert response.status_code == 200


def test_a_weak_etag_never_matches_if_match(editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    tag = editor_client.get(url)["ETag"]
    assert patch(editor_client, url, {"name": "Weak"}, f"W/{tag}").status_code == 412


def test_a_refused_update_is_checked_before_its_body(editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    response = patch(editor_client, url, {"kind": "not-a-kind"}, '"0-0"')
    assert response.status_code == 412


def test_an_invalid_update_with_the_current_etag_keeps_the_version(editor_client):
    outlet = OutletFactory()
    url = f"/api/outlets/{outlet.id}/"
    tag = editor_client.get(url)["ETag"]
    assert patch(editor_client, url, {"kind": "not-a-kind"}, tag).status_code == 400
    assert editor_client.get(url)["ETag"] == tag
    assert patch(editor_client, url, {"kind": "wire"}, tag).status_code == 200
