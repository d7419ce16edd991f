"""Sign-in protection (issue 15, item 2): django-axes locks out a username from an address
after AXES_FAILURE_LIMIT wrong passwords, says so on the admin's sign-in page, and the
`axes_reset_*` commands lift the lockout."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from facts.security.client_address import client_address
from tests.factories import UserFactory

PASSWORD = "a long enough password"  # tests.factories.UserFactory's
LOGIN = reverse("admin:login")


def sign_in(client: Client, username: str, password: str, address: str = "203.0.113.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", is_staff=True)


def test_forty_wrong_passwords_then_the_right_one_does_not_sign_in(client, editor):
    for attempt in range(40):
        sign_in(client, "ed", f"wrong guess {attempt}")
    response = sign_in(client, "ed", PASSWORD)
    assert not signed_in(client)
    assert response.status_code == 429


def test_the_lockout_comes_at_the_configured_number_of_failures(client, editor, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert sign_in(client, "ed", "wrong").status_code == 200  # the form, with its error
    assert sign_in(client, "ed", "wrong").status_code == 429
    assert sign_in(client, "ed", PASSWORD).status_code == 429
    assert not signed_in(client)


def test_a_few_wrong_passwords_then_the_right_one_signs_in(client, editor):
    for _ in range(4):  # one under the default limit of 5
        sign_in(client, "ed", "wrong")
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    assert signed_in(client)


def test_the_locked_out_page_says_what_happened_and_when_to_try_again(client, editor):
    for _ in range(5):
        sign_in(client, "ed", "wrong")
    response = sign_in(client, "ed", PASSWORD)
    page = " ".join(response.content.decode().split())  # as read: spaces, not line breaks
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert 'id="locked-out"' in page
    assert "locked out from your address after 5 wrong passwords" in page
    assert "Try again in 1 hour" in page
    assert "ask an administrator to unlock it" in page
    assert "<title>Sign-in locked | Factsite</title>" in page  # the admin's page, not bare text


def test_the_lockout_holds_the_pair_and_not_the_user_elsewhere_nor_others_here(client, editor):
    UserFactory(username="rev", is_staff=True)
    for _ in range(5):
        sign_in(client, "ed", "wrong", address="203.0.113.7")
    assert sign_in(Client(), "ed", PASSWORD, address="198.51.100.9").status_code == 302
    assert sign_in(Client(), "rev", PASSWORD, address="203.0.113.7").status_code == 302
    assert sign_in(Client(), "ed", PASSWORD, address="203.0.113.7").status_code == 429


def test_a_spoofed_forwarded_for_does_not_escape_the_lockout(client, editor):
    for attempt in range(5):
        client.post(
            LOGIN,
            {"username": "ed", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}",
        )
    response = client.post(
        LOGIN,
        {"username": "ed", "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="10.0.0.99",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("command", "arguments"),
    [
        ("axes_reset_username", ["ed"]),
        ("axes_reset_ip", ["203.0.113.7"]),
        ("axes_reset_ip_username", ["203.0.113.7", "ed"]),
        ("axes_reset", []),
    ],
)
def test_an_unlock_command_lets_the_user_sign_in_again(client, editor, command, arguments):
    for _ in range(5):
        sign_in(client, "ed", "wrong")
    assert sign_in(client, "ed", PASSWORD).status_code == 429
    out = StringIO()
    call_command(command, *arguments, stdout=out)
    assert "removed" in out.getvalue()
    assert sign_in(client, "ed", PASSWORD).status_code == 302
    assert signed_in(client)


class FakeRequest:
    def __init__(self, **meta: str) -> None:
        self.META = meta


def test_with_no_trusted_proxy_the_client_is_the_socket_address(settings):
    settings.NUM_PROXIES = 0
    request = FakeRequest(REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.1.1.1")
    assert client_address(request) == "203.0.113.7"


def test_behind_one_proxy_the_client_is_the_address_it_saw(settings):
    settings.NUM_PROXIES = 1
    request = FakeRequest(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.7")
    assert client_address(request) == "203.0.113.7"
    settings.NUM_PROXIES = 2
    assert client_address(request) == "10.1.1.1"
    settings.NUM_PROXIES = 5  # more proxies than addresses: the leftmost, as DRF reads it
    assert client_address(request) == "10.1.1.1"
    assert client_address(FakeRequest(REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"
