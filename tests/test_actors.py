"""Actors: a spokesman counts under the body he speaks for."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from facts.models import Actor
from tests.factories import ActorFactory

pytestmark = pytest.mark.django_db


def test_a_spokesman_originates_under_the_body_he_speaks_for():
    kremlin = ActorFactory(name="Kremlin")
    peskov = ActorFactory(name="Dmitry Peskov", kind="official", parent=kremlin)
    assert peskov.originator() == kremlin
    assert kremlin.originator() == kremlin
    assert peskov.ancestors() == [kremlin]


def test_it_refuses_a_parent_that_makes_a_cycle():
    top = ActorFactory()
    middle = ActorFactory(parent=top)
    top.parent = middle
    with pytest.raises(ValidationError) as refused:
        top.full_clean()
    assert "cycle" in refused.value.message_dict["parent"][0]


def test_the_database_refuses_an_actor_as_its_own_parent():
    actor = ActorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.filter(pk=actor.pk).update(parent=actor)


def test_aliases_are_a_list_of_names():
    actor = ActorFactory.build(aliases="Moscow")
    with pytest.raises(ValidationError, match="list of names"):
        actor.full_clean()


def test_the_database_refuses_an_unknown_kind():
    actor = ActorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Actor.objects.filter(pk=actor.pk).update(kind="deity")
