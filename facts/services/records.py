"""Writes of any row of the record: the one entry point for the admin, the API, the importers
and the history's revert. Claims and articles have rules of their own (facts.services.claims,
facts.services.articles); outlets, actors, subjects and facts are validated, saved only when
something changed, and the verdicts that depend on them are refreshed in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.db.models import Q

from facts.models import Actor, Article, ArticleStory, Claim, Fact, Outlet, Tracked
from facts.services import articles, claim_placement, claims, stories, verdicts
from facts.services.base import Saved, change_reason, changed_fields, stored_copy
from facts.services.review import PermissionHolder

# The fields of each model that the verdicts of dependent facts read.
COUNTED_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Outlet: frozenset({"name"}),
    Actor: frozenset({"name", "parent_id"}),
    Fact: frozenset({"value_kind", "unit", "categories", "category_within"}),
}


def dependent_facts(row: models.Model) -> set[int]:
    """The ids of the facts whose verdict reads this row."""
    if row.pk is None:
        return set()
    if isinstance(row, Claim):
        return {row.fact_id}
    if isinstance(row, Fact):
        return {row.pk}
    if isinstance(row, Article):
        found = Claim.objects.filter(article=row)
    elif isinstance(row, Outlet):
        found = Claim.objects.filter(Q(article__outlet=row) | Q(article__wire_source=row))
    elif isinstance(row, Actor):
        found = Claim.objects.filter(actor__in=row.descendants())
    else:
        return set()
    return set(found.values_list("fact_id", flat=True).distinct())


def save_record(*, user: PermissionHolder, row: Tracked, reason: str = "") -> Saved:
    """Store a new or edited row of any model of the record.

    Raises ValidationError with field messages, and writes nothing then.
    """
    if isinstance(row, Claim):
        return claims.save_claim(user=user, claim=row, reason=reason)
    if isinstance(row, Article):
        return articles.save_article(user=user, article=row, reason=reason)
    with transaction.atomic():
        stored = stored_copy(row)
        row.full_clean()
        changed = changed_fields(row, stored)
        if not changed:
            return Saved(row=row)
        if isinstance(row, Fact) and stored is None:
            # A new fact is stored with the verdict a recomputation would give it ("no claim
            # counts yet"), in the same insert: one version, one history row.
            for name, value in verdicts.initial_fields(row).items():
                setattr(row, name, value)
        row._change_reason = change_reason(reason)  # type: ignore[attr-defined]
        row.save()
        if isinstance(row, Fact) and stored is not None and "subject_id" in changed:
            claim_placement.follow_fact(fact=row)
        if stored is not None and changed & COUNTED_FIELDS.get(type(row), frozenset()):
            verdicts.request_refresh(dependent_facts(row))
    return Saved(row=row, changed=changed)


def create_record(
    *, user: PermissionHolder, model: type[Tracked], values: Mapping[str, Any], reason: str = ""
) -> Saved:
    """Store a new row of any model of the record from the values a client gave.

    Raises ValidationError with field messages, and writes nothing then.
    """
    return save_record(user=user, row=model(**values), reason=reason)


def update_record(
    *, user: PermissionHolder, row: Tracked, values: Mapping[str, Any], reason: str = ""
) -> Saved:
    """Change the fields a client gave of a stored row (the others stay as they are).

    Raises ValidationError with field messages, and writes nothing then.
    """
    for name, value in values.items():
        setattr(row, name, value)
    return save_record(user=user, row=row, reason=reason)


def delete_records(*, user: PermissionHolder, rows: Iterable[Tracked]) -> int:
    """Delete rows (each with a history row); the verdicts that counted them are refreshed in
    the same transaction. A row still referred to raises ProtectedError, and nothing is
    deleted then. Returns how many rows were deleted."""
    rows = list(rows)
    claims_only = [row for row in rows if isinstance(row, Claim)]
    if len(claims_only) == len(rows):
        return claims.delete_claims(user=user, claims=claims_only)
    with transaction.atomic():
        facts: set[int] = set()
        for row in rows:
            facts |= dependent_facts(row)
        # A story that loses an article may fall apart (the article was the copy that joined
        # two others): its remaining copies are grouped again once it is gone.
        gone = [row.pk for row in rows if isinstance(row, Article)]
        left = set(ArticleStory.objects.filter(article_id__in=gone).values_list("key", flat=True))
        for row in rows:
            row.delete()
        moved: set[int] = set()
        for story in sorted(left):
            moved |= set(stories.regroup(story=story))
        facts |= stories.facts_of(moved)
        verdicts.request_refresh(facts - {row.pk for row in rows if isinstance(row, Fact)})
    return len(rows)
