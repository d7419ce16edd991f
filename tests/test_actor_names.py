"""Actors are matched by name and alias: a name or an alias that already names another actor is
refused with a pointer to it (issue 10, item 2, the "Viktar Khrenin" case)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from facts.domain.names import name_clashes, name_key
from facts.models import Actor
from facts.services import records
from facts.services.review import SYSTEM
from tests.factories import ActorFactory
from tests.problems import field_errors


def test_names_compare_without_case_or_extra_spaces():
    assert name_key("  Viktar   KHRENIN ") == name_key("viktar khrenin")


def test_a_name_that_is_another_actors_alias_clashes_with_a_pointer_to_it():
    clashes = name_clashes(
        name="Viktar Khrenin",
        aliases=[],
        others=[("Viktor Khrenin", ["Viktar Khrenin"]), ("NATO", [])],
    )
    assert clashes == {
        "name": "“Viktar Khrenin” already names Viktor Khrenin: credit that actor, or rename it "
        "there first."
    }


def test_an_alias_that_is_another_actors_name_clashes():
    clashes = name_clashes(name="Alliance", aliases=["nato"], others=[("NATO", [])])
    assert clashes == {"aliases": "“nato” already names NATO: an alias names one actor."}


def test_free_names_do_not_clash():
    assert name_clashes(name="Kremlin", aliases=["Moscow"], others=[("NATO", ["Alliance"])]) == {}


@pytest.mark.django_db
def test_creating_an_actor_under_another_actors_alias_is_refused_and_nothing_is_stored():
    ActorFactory(name="Viktor Khrenin", slug="viktor-khrenin", aliases=["Viktar Khrenin"])
    with pytest.raises(ValidationError) as refused:
        records.save_record(user=SYSTEM, row=Actor(name="Viktar Khrenin", kind="official"))
    assert "already names Viktor Khrenin" in refused.value.message_dict["name"][0]
    assert Actor.objects.count() == 1


@pytest.mark.django_db
def test_the_api_answers_a_400_on_name_for_an_actor_under_another_actors_alias(client):
    from tests.factories import UserFactory

    ActorFactory(name="Viktor Khrenin", slug="viktor-khrenin", aliases=["Viktar Khrenin"])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        "/api/actors/",
        {"name": "Viktar Khrenin", "kind": "official"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "already names Viktor Khrenin" in field_errors(response)["name"][0]


@pytest.mark.django_db
def test_an_actor_saved_again_does_not_clash_with_its_own_aliases():
    actor = ActorFactory(name="Viktor Khrenin", aliases=["Viktar Khrenin"])
    actor.description = "Belarus's defence minister."
    records.save_record(user=SYSTEM, row=actor)
    assert Actor.objects.get(pk=actor.pk).description == "Belarus's defence minister."
