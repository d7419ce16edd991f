"""Export a part of the record as a self-contained fixture: a subject's facts (or the facts an
article reports) with every claim about them, and the articles, outlets, actors (with the bodies
above them) and subjects those claims need. Reads only."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.core import serializers
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, QuerySet

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject

Row = dict[str, Any]

# Timestamps and versions say when a row was written in the database exported from, not what
# the case is; loaded elsewhere, the rows get fresh ones.
VOLATILE_FIELDS = ("created_at", "updated_at", "version", "verdict_updated_at")


class NotFound(LookupError):
    """No subject or article has the slug given."""


def subject_fixture(*, slug: str) -> list[Row]:
    """The rows that hold a subject's facts and what their verdicts stand on."""
    if not Subject.objects.filter(slug=slug).exists():
        raise NotFound(f"No subject has the slug {slug!r}.")
    return _fixture(Fact.objects.filter(subject__slug=slug))


def article_fixture(*, slug: str) -> list[Row]:
    """The rows that hold the facts an article makes claims about, with every claim about
    them (from any article: a verdict stands on all of them) and what those claims need."""
    if not Article.objects.filter(slug=slug).exists():
        raise NotFound(f"No article has the slug {slug!r}.")
    return _fixture(Fact.objects.filter(claims__article__slug=slug).distinct())


def _fixture(facts: QuerySet[Fact]) -> list[Row]:
    fact_ids = set(facts.values_list("pk", flat=True))
    claims = Claim.objects.filter(fact_id__in=fact_ids).order_by("pk")
    article_ids = set(claims.values_list("article_id", flat=True))
    articles = Article.objects.filter(pk__in=article_ids).order_by("pk")
    outlet_ids = {
        pk
        for pair in articles.values_list("outlet_id", "wire_source_id")
        for pk in pair
        if pk is not None
    }
    actor_ids = _with_ancestors(set(claims.values_list("actor_id", flat=True)) - {None})
    # In the order the seed fixtures load: what a row points to comes before it.
    parts: list[Iterable[Model]] = [
        Outlet.objects.filter(pk__in=outlet_ids).order_by("pk"),
        articles,
        _parents_first(Actor.objects.filter(pk__in=actor_ids)),
        Subject.objects.filter(facts__in=fact_ids).distinct().order_by("pk"),
        Fact.objects.filter(pk__in=fact_ids).order_by("pk"),
        claims,
    ]
    rows: list[Row] = []
    for objects in parts:
        # Natural keys for what rows point to, so the fixture reads by slug; primary keys
        # kept, because a stored verdict names its claims, outlets and originators by id and
        # must stay true once the fixture is loaded into an empty database.
        for row in serializers.serialize("python", objects, use_natural_foreign_keys=True):
            for name in VOLATILE_FIELDS:
                row["fields"].pop(name, None)
            rows.append(row)
    return rows


def _with_ancestors(actor_ids: set[int]) -> set[int]:
    """These actors and every body above them: originators are counted at the top."""
    parents = dict(Actor.objects.values_list("pk", "parent_id"))
    found: set[int] = set()
    for actor_id in actor_ids:
        node: int | None = actor_id
        while node is not None and node not in found:
            found.add(node)
            node = parents.get(node)
    return found


def _parents_first(actors: QuerySet[Actor]) -> list[Actor]:
    """Actors ordered so that a body comes before those who speak for it."""
    pending = {actor.pk: actor for actor in actors.order_by("pk")}
    ordered: list[Actor] = []
    placed: set[int | None] = {None}
    while pending:
        ready = [a for a in pending.values() if a.parent_id in placed or a.parent_id not in pending]
        if not ready:
            # A cycle, which the model refuses but an old row could hold: keep the pk order.
            ready = list(pending.values())
        for actor in ready:
            ordered.append(actor)
            placed.add(actor.pk)
            del pending[actor.pk]
    return ordered


def render(rows: list[Row]) -> str:
    """The rows as a JSON fixture, the way Django's json serializer writes values."""
    return json.dumps(rows, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False) + "\n"
