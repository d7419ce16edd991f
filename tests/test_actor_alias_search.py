"""Actors are found by their aliases too (issue 10, item 2): `q` on /api/actors/ and the admin's
search find "Viktar Khrenin", the Belarusian spelling of a minister stored under his title, on
SQLite and on PostgreSQL alike (run this file with DATABASE_URL set too)."""

import pytest
from django.urls import reverse

from facts.models import Actor
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def minister() -> Actor:
    return ActorFactory(
        name="Belarusian Defense Minister",
        slug="belarusian-defense-minister",
        kind=Actor.Kind.OFFICIAL,
        aliases=["Viktar Khrenin", "Віктар Хрэнін"],
        description="",
    )


@pytest.fixture
def others() -> list[Actor]:
    return [
        ActorFactory(name="Kremlin", slug="kremlin", aliases=["Russian presidency"]),
        # Two aliases that hold the searched words only between them.
        ActorFactory(name="Minsk", slug="minsk", aliases=["Viktar", "Khrenin's office"]),
    ]


def api_names(client, q: str) -> list[str]:
    response = client.get("/api/actors/", {"q": q})
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_q_on_actors_finds_khrenin_by_his_alias(client, minister):
    ActorFactory(name="Kremlin", slug="kremlin", aliases=["Russian presidency"])
    assert api_names(client, "Khrenin") == ["Belarusian Defense Minister"]


@pytest.mark.parametrize("q", ["Viktar Khrenin", "viktar  KHRENIN", "Хрэнін", "хрэнін"])
def test_q_on_actors_finds_an_actor_by_an_alias(client, minister, others, q):
    assert api_names(client, q) == ["Belarusian Defense Minister"]


def test_q_on_actors_finds_every_actor_with_the_word_in_an_alias(client, minister, others):
    assert sorted(api_names(client, "khrenin")) == ["Belarusian Defense Minister", "Minsk"]


def test_q_on_actors_still_finds_names_and_descriptions(client, minister, others):
    assert api_names(client, "Defense Minister") == ["Belarusian Defense Minister"]
    assert api_names(client, "presidency") == ["Kremlin"]


def test_q_on_actors_does_not_match_words_split_between_two_aliases(client, minister, others):
    assert api_names(client, "Viktar Khrenin's") == []
    assert api_names(client, "Khrenin Viktar") == []


def test_an_actor_without_aliases_is_searched_by_name(client):
    ActorFactory(name="NATO", slug="nato", aliases=[])
    assert api_names(client, "NATO") == ["NATO"]
    assert api_names(client, "Khrenin") == []


def admin_names(client, q: str) -> list[str]:
    response = client.get(reverse("admin:facts_actor_changelist"), {"q": q})
    assert response.status_code == 200
    return sorted(actor.name for actor in response.context["cl"].result_list)


def test_the_admin_search_finds_an_actor_by_an_alias(admin_client_logged_in, minister, others):
    assert admin_names(admin_client_logged_in, "Khrenin") == [
        "Belarusian Defense Minister",
        "Minsk",
    ]
    assert admin_names(admin_client_logged_in, "Хрэнін") == ["Belarusian Defense Minister"]
    assert admin_names(admin_client_logged_in, "Viktar Khrenin") == [
        "Belarusian Defense Minister",
        "Minsk",
    ]
    assert admin_names(admin_client_logged_in, "presidency") == ["Kremlin"]


def test_the_admin_autocomplete_finds_an_actor_by_an_alias(admin_client_logged_in, minister):
    response = admin_client_logged_in.get(
        reverse("admin:autocomplete"),
        {
            "term": "Хрэнін",
            "app_label": "facts",
            "model_name": "actor",
            "field_name": "parent",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Belarusian Defense Minister"]
