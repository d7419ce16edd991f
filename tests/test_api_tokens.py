"""API tokens (issue 15, item 2): listed by their prefix and revoked by their owner or an
admin, never shown in full after they were made; wrong tokens throttled per address."""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

# Hand-written keys: 40 hex digits, as DRF makes them.
ED_KEY = "0123456789abcdef0123456789abcdef01234567"
REV_KEY = "fedcba9876543210fedcba9876543210fedcba98"


@pytest.fixture
def ed():
    user = UserFactory(username="ed")
    Token.objects.create(user=user, key=ED_KEY)
    return user


@pytest.fixture
def rev():
    user = UserFactory(username="rev")
    Token.objects.create(user=user, key=REV_KEY)
    return user


def token_client(key: str) -> Client:
    return Client(headers={"Authorization": f"Token {key}"})


def token_admin(username: str = "admin") -> Client:
    user = UserFactory(username=username)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="authtoken", codename__in=["view_token", "delete_token"]
        )
    )
    key = "a" * 40
    Token.objects.create(user=user, key=key)
    return token_client(key)


def test_an_owner_lists_their_token_by_its_prefix(ed, rev, django_assert_num_queries):
    client = token_client(ED_KEY)
    # The token that signs in, the user's permissions (own and by group), the list: as many
    # for a list of one as of a hundred (select_related).
    with django_assert_num_queries(4):
        response = client.get("/api/tokens/")
    assert response.status_code == 200
    assert response.json() == [
        {
            "id": ed.pk,
            "user": "ed",
            "prefix": "01234567…",
            "created": response.json()[0]["created"],
        }
    ]
    assert ED_KEY not in response.content.decode()


def test_an_admin_lists_everyones_tokens_by_their_prefixes(ed, rev):
    response = token_admin().get("/api/tokens/")
    assert [(row["user"], row["prefix"]) for row in response.json()] == [
        ("admin", "aaaaaaaa…"),
        ("ed", "01234567…"),
        ("rev", "fedcba98…"),
    ]
    assert ED_KEY not in response.content.decode() and REV_KEY not in response.content.decode()


def test_an_anonymous_client_lists_no_token(client, ed):
    assert client.get("/api/tokens/").status_code == 401


def test_an_owner_revokes_their_token_and_it_stops_working(ed, django_assert_num_queries):
    client = token_client(ED_KEY)
    # The token that signs in, the permissions (2), the token to revoke, its delete.
    with django_assert_num_queries(5):
        response = client.delete(f"/api/tokens/{ed.pk}/")
    assert response.status_code == 204
    assert not Token.objects.filter(user=ed).exists()
    assert client.get("/api/tokens/").status_code == 401


def test_a_user_cannot_revoke_anothers_token_nor_learn_it_exists(ed, rev):
    response = token_client(ED_KEY).delete(f"/api/tokens/{rev.pk}/")
    assert response.status_code == 404
    assert Token.objects.filter(user=rev).exists()


def test_an_admin_revokes_anyones_token(ed):
    response = token_admin().delete(f"/api/tokens/{ed.pk}/")
    assert response.status_code == 204
    assert not Token.objects.filter(user=ed).exists()


def test_a_signed_in_editor_revokes_their_token_from_the_browser(ed):
    client = Client()
    client.force_login(ed)
    assert client.get("/api/tokens/").json()[0]["prefix"] == "01234567…"
    assert client.delete(f"/api/tokens/{ed.pk}/").status_code == 204


def test_a_revoked_token_is_logged_by_its_prefix_only(ed, caplog):
    with caplog.at_level(logging.DEBUG):
        token_client(ED_KEY).delete(f"/api/tokens/{ed.pk}/")
    assert "API token 01234567… of user" in caplog.text
    assert ED_KEY not in caplog.text


def test_a_request_with_a_token_logs_no_token(ed, caplog):
    with caplog.at_level(logging.DEBUG):
        token_client(ED_KEY).get("/api/facts/")
        token_client(ED_KEY[:-1] + "0").post("/api/outlets/", {}, content_type="application/json")
    assert ED_KEY not in caplog.text
    assert ED_KEY[:-1] not in caplog.text


def test_wrong_tokens_are_throttled_per_address_and_then_even_the_right_one_is_refused(
    ed, settings
):
    settings.TOKEN_FAILURE_RATE = "5/minute"
    guesses = [f"{n:040x}" for n in range(5)]
    for guess in guesses:
        response = token_client(guess).get("/api/facts/", REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 401
    refused = token_client(ED_KEY).get("/api/facts/", REMOTE_ADDR="203.0.113.7")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    # Another address, and the right token from it, are not held back.
    assert token_client(ED_KEY).get("/api/facts/", REMOTE_ADDR="198.51.100.9").status_code == 200


def test_forty_wrong_tokens_are_not_all_answered(ed):
    answers = [
        token_client(f"{n:040x}").get("/api/facts/", REMOTE_ADDR="203.0.113.7").status_code
        for n in range(40)
    ]
    assert answers.count(401) == 20  # THROTTLE_TOKEN_FAILURES' default: 20 a minute
    assert answers.count(429) == 20


def test_a_spoofed_forwarded_for_does_not_escape_the_token_throttle(ed, settings):
    settings.TOKEN_FAILURE_RATE = "3/minute"
    for n in range(3):
        token_client(f"{n:040x}").get(
            "/api/facts/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"
        )
    response = token_client(f"{9:040x}").get(
        "/api/facts/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.99"
    )
    assert response.status_code == 429


ADMIN_PASSWORD = "a long enough password"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="boss", is_staff=True, is_superuser=True))
    return client


def test_the_admin_lists_tokens_by_their_prefix(admin_client, ed):
    response = admin_client.get("/admin/facts/apitoken/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "01234567…" in page
    assert ED_KEY not in page


def test_the_admin_shows_a_new_token_in_full_once_and_logs_only_its_prefix(admin_client, rev):
    from django.contrib.admin.models import LogEntry

    made = UserFactory(username="newcomer")
    response = admin_client.post("/admin/facts/apitoken/add/", {"user": made.pk})
    key = Token.objects.get(user=made).key
    assert response.status_code == 200
    assert f'<code id="new-token">{key}</code>' in response.content.decode()
    assert LogEntry.objects.get().object_repr == f"{key[:8]}…"
    listing = admin_client.get("/admin/facts/apitoken/").content.decode()
    history = admin_client.get("/admin/").content.decode()  # the recent actions
    assert key not in listing and key not in history


def test_the_admin_revokes_a_token_without_showing_it(admin_client, ed):
    page = admin_client.get(f"/admin/facts/apitoken/{ed.pk}/delete/").content.decode()
    assert "01234567…" in page and ED_KEY not in page
    response = admin_client.post(f"/admin/facts/apitoken/{ed.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.filter(user=ed).exists()
