"""Whom claims are credited to, in a hierarchy of bodies and their spokespeople."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from facts.domain import names
from facts.models.base import (
    Named,
    check_aliases,
    named_constraints,
)

# Actors ----------------------------------------------------------------------------------


class ActorKind(models.TextChoices):
    GOVERNMENT = "government", "government"
    ALLIANCE = "alliance", "alliance"
    MILITARY = "military", "military"
    OFFICIAL = "official", "official"
    MEDIA = "media", "media"
    ANONYMOUS = "anonymous", "anonymous"
    ORGANISATION = "organisation", "organisation"
    PERSON = "person", "person"


class Actor(Named):
    """Whoever a claim is credited to; a spokesman belongs to the body he speaks for."""

    Kind = ActorKind

    kind = models.CharField(max_length=20, choices=Kind.choices)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The body this actor speaks for: the Kremlin for its spokesman.",
    )
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta(Named.Meta):
        constraints = [
            *named_constraints(kind_choices=ActorKind),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="actor_not_own_parent",
                violation_error_message="An actor cannot be its own parent.",
            ),
        ]

    def ancestors(self) -> list[Actor]:
        """The chain of bodies above this actor, nearest first."""
        chain, seen, node = [], {self.pk}, self.parent
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.parent
        return chain

    def originator(self) -> Actor:
        """The independent originator this actor speaks for: the top of its chain."""
        return originator_of(self)

    def descendants(self) -> set[int]:
        """The ids of this actor and every actor below it."""
        found, frontier = {self.pk}, {self.pk}
        while frontier:
            frontier = set(Actor.objects.filter(parent__in=frontier).values_list("pk", flat=True))
            frontier -= found
            found |= frontier
        return found

    def clean(self) -> None:
        check_aliases(self.aliases)
        # Matched by name and alias, so that "Viktar Khrenin" is not a second originator beside
        # the Viktor Khrenin who has it as an alias. Actors number in the thousands at most.
        others = Actor.objects.exclude(pk=self.pk).values_list("name", "aliases")
        clashes = names.name_clashes(
            name=self.name, aliases=self.aliases, others=((n, a or []) for n, a in others)
        )
        if clashes:
            raise ValidationError(clashes)
        if self.parent_id is not None:
            if self.pk is not None and self.parent_id == self.pk:
                raise ValidationError({"parent": "An actor cannot be its own parent."})
            if self.pk is not None and any(a.pk == self.pk for a in self.parent.ancestors()):
                raise ValidationError({"parent": "That parent would make a cycle."})


def originator_of(actor: Any) -> Any:
    """The top of an actor's chain of bodies (a loop in it stops where it comes round): of an
    Actor, or of a listed row of one (facts.models.listed_rows), whose parents are nested as
    far as the listing read them; a parent beyond is read as an Actor, as an Actor's
    deferred parent would be."""
    seen, node = {actor.pk}, actor
    while True:
        if isinstance(node, dict) and "parent" not in node:
            parent = None if node["parent_id"] is None else Actor.objects.get(pk=node["parent_id"])
        else:
            parent = node.parent
        if parent is None or parent.pk in seen:
            return node
        seen.add(parent.pk)
        node = parent
