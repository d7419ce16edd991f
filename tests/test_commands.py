"""The set-up commands: seeds load once, the sign-in is made once and its password shown once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from facts.models import Article, Claim
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_the_seeds_load_into_an_empty_database():
    assert "loaded" in run("load_seeds", "--if-empty")
    assert Article.objects.count() == 5
    assert Claim.objects.count() > 50


def test_the_seeds_are_not_loaded_over_an_editors_work():
    ArticleFactory()
    assert "not loaded again" in run("load_seeds", "--if-empty")
    assert Article.objects.count() == 1


def test_it_creates_a_sign_in_and_shows_its_password_once():
    first = run("ensure_editor_account")
    password = first.split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="admin")
    assert user.is_superuser and user.check_password(password)
    second = run("ensure_editor_account")
    assert password not in second
    assert "changepassword admin" in second


def test_the_seeds_have_a_history_so_the_changes_feed_lists_them(client):
    run("load_seeds")
    assert Claim.history.count() == Claim.objects.count()
    response = client.get("/api/changes/", {"since": "2000-01-01T00:00:00Z", "model": "article"})
    assert [c["action"] for c in response.json()["changes"]] == ["created"] * 5
