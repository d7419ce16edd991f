"""The review desk: the admin index as the reviewers' to-do list. It counts the disputed facts,
the drafts awaiting review, the candidates the ingest proposed and the orphaned claims, each
linked to the changelist filtered to them, and shows what each recent draft changed since it was
last verified, field by field, from the claims' history (django-simple-history).

Django's model list stays below the desk (factsite/templates/admin/index.html)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.db.models import Max, Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

from facts.models import Actor, Article, Claim, Fact

# How many of the newest drafts the desk shows with their changes; the rest are behind the link.
DRAFTS_SHOWN = 10

# The fields a reviewer compares, in the order shown; the value's own fields (number, bound,
# unit, dates, category…) are compared as the one value they make, as the claim shows it.
COMPARED_FIELDS: tuple[str, ...] = (
    "wording",
    "fact",
    "article",
    "actor",
    "attribution_mode",
    "attribution_cue",
    "hedge",
    "as_of",
    "anchor_state",
)
RELATED: dict[str, type[Model]] = {"fact": Fact, "article": Article, "actor": Actor}

ORPHANED_MEANING = (
    "An orphaned claim's wording no longer stands in its article: the text was corrected, and "
    "the words are gone or stand more than once. Its fact and article are kept (neither can "
    "be deleted while it points to them), and it is never moved silently: an editor anchors "
    "it again or rejects it."
)


@dataclass(frozen=True)
class DeskCount:
    """One count on the desk, with the changelist that lists what it counts."""

    label: str
    count: int
    url: str
    meaning: str


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class DraftChanges:
    """A draft, and what changed in it since it was last verified (nothing when it never was)."""

    claim: Claim
    verified_at: datetime | None = None
    verified_by: str = ""
    changes: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class ReviewDesk:
    counts: list[DeskCount]
    drafts: list[DraftChanges]
    more_drafts: int
    drafts_url: str = ""


def changelist(model: type[Model], **filters: str) -> str:
    """The model's admin changelist, filtered by the admin's own list filters."""
    url = reverse(f"admin:facts_{model._meta.model_name}_changelist")
    return f"{url}?{urlencode(filters)}" if filters else url


def review_desk(*, user: Any) -> ReviewDesk:
    """What waits for the reviewers, as far as the user may see it."""
    counts: list[DeskCount] = []
    drafts: list[DraftChanges] = []
    waiting = 0
    if user.has_perm("facts.view_fact"):
        counts.append(
            DeskCount(
                "disputed facts",
                Fact.objects.disputed().count(),
                changelist(Fact, disputed="yes"),
                "Their sources disagree: an attribution split, a value conflict, a change over "
                "time, or no side leads.",
            )
        )
    if user.has_perm("facts.view_claim"):
        found = Claim.objects.review_counts()
        waiting = found["drafts"]
        counts += [
            DeskCount(
                "drafts awaiting review",
                found["drafts"],
                changelist(Claim, status__exact=Claim.Status.DRAFT),
                "New claims, and verified ones changed by an editor or orphaned: they count "
                "towards no verdict until a reviewer verifies them.",
            ),
            DeskCount(
                "candidates",
                found["candidates"],
                changelist(Claim, status__exact=Claim.Status.CANDIDATE),
                "Proposed by the ingest from an article's words, for an editor to accept.",
            ),
            DeskCount(
                "orphaned claims",
                found["orphaned"],
                changelist(Claim, anchor_state__exact=Claim.AnchorState.ORPHANED),
                ORPHANED_MEANING,
            ),
        ]
        drafts = recent_drafts()
    return ReviewDesk(
        counts=counts,
        drafts=drafts,
        more_drafts=max(waiting - len(drafts), 0),
        drafts_url=changelist(Claim, status__exact=Claim.Status.DRAFT),
    )


def recent_drafts(limit: int = DRAFTS_SHOWN) -> list[DraftChanges]:
    """The newest drafts, each with its changes since it was last verified: two queries (the
    drafts, and their last verified versions) however many drafts there are, and one more for
    each kind of relation (fact, article, actor) that any of them changed: five at most."""
    shown = list(
        Claim.objects.awaiting_review()
        .select_related("fact__subject", "article__outlet", "actor")
        .order_by("-updated_at", "-pk")[:limit]
    )
    verified = last_verified_versions(claim.pk for claim in shown)
    names = related_names(shown, verified.values())
    drafts = []
    for claim in shown:
        record = verified.get(claim.pk)
        if record is None:
            drafts.append(DraftChanges(claim=claim))
            continue
        drafts.append(
            DraftChanges(
                claim=claim,
                verified_at=record.history_date,
                verified_by=str(record.history_user or ""),
                changes=changes_since(as_it_was(record), claim, names),
            )
        )
    return drafts


def as_it_was(record: Any) -> Claim:
    """The claim as a history row keeps it. Not simple-history's `record.instance`: for a field
    kept out of the history (the claim's verdict side) that reads the live row, a query for
    every draft shown; the desk compares only fields the history keeps."""
    return Claim(
        **{
            field.attname: getattr(record, field.attname)
            for field in Claim._meta.concrete_fields
            if hasattr(record, field.attname)
        }
    )


def last_verified_versions(claim_ids: Iterable[int]) -> dict[int, Any]:
    """Each claim's newest historical version whose status was verified, by claim id, in one
    query."""
    history = Claim.history.model  # type: ignore[attr-defined]
    newest = (
        history.objects.filter(id__in=list(claim_ids), status=Claim.Status.VERIFIED)
        .values("id")
        # The history's ids grow with time, and unlike its timestamps never tie.
        .annotate(newest=Max("history_id"))
        .values("newest")
    )
    records = history.objects.filter(history_id__in=newest).select_related("history_user")
    return {record.id: record for record in records}


def related_names(current: Sequence[Claim], versions: Iterable[Any]) -> dict[tuple[str, int], str]:
    """The names of the facts, articles and actors that the verified versions point to and the
    current claims no longer do: one query per kind of relation that changed."""
    by_pk = {claim.pk: claim for claim in current}
    wanted: dict[str, set[int]] = {name: set() for name in RELATED}
    for version in versions:
        claim = by_pk[version.id]
        for name in RELATED:
            old = getattr(version, f"{name}_id")
            if old is not None and old != getattr(claim, f"{name}_id"):
                wanted[name].add(old)
    names = {}
    for name, ids in wanted.items():
        if not ids:
            continue
        rows = RELATED[name]._default_manager.filter(pk__in=ids)
        if name == "fact":
            rows = rows.select_related("subject")
        names.update({(name, row.pk): str(row) for row in rows})
    return names


def changes_since(
    verified: Claim, current: Claim, names: dict[tuple[str, int], str]
) -> list[FieldChange]:
    """The fields that differ between the verified version and the claim now, as shown."""
    changes = []
    before, after = verified.display_value(), current.display_value()
    if before != after:
        changes.append(FieldChange("value", before, after))
    for name in COMPARED_FIELDS:
        model_field = Claim._meta.get_field(name)
        attname: str = model_field.attname  # type: ignore[union-attr]
        old, new = getattr(verified, attname), getattr(current, attname)
        if old == new:
            continue
        label = str(model_field.verbose_name)
        if name in RELATED:
            changes.append(
                FieldChange(
                    label,
                    names.get((name, old), "none") if old else "none",
                    str(getattr(current, name)) if new else "none",
                )
            )
        else:
            choices = dict(model_field.flatchoices)  # type: ignore[union-attr]
            changes.append(FieldChange(label, shown(old, choices), shown(new, choices)))
    return changes


def shown(value: object, choices: dict[Any, Any]) -> str:
    """A field's value as the reviewer reads it: a choice by its label, a day as ISO."""
    if value in (None, ""):
        return "empty"
    if value in choices:
        return str(choices[value])
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class DeskAdminSite(admin.AdminSite):
    """Django's admin site, its index the review desk (the default site: facts.apps)."""

    def index(self, request: HttpRequest, extra_context: dict[str, Any] | None = None):
        desk = review_desk(user=request.user)
        return super().index(request, {"review_desk": desk, **(extra_context or {})})


def confirm_status_change(
    model_admin: admin.ModelAdmin,
    request: HttpRequest,
    claims: QuerySet[Claim],
    *,
    action: str,
    title: str,
    question: str,
    button: str,
    form: forms.Form | None = None,
) -> TemplateResponse:
    """The page that asks before a bulk verify or reject: each chosen claim with its value,
    fact, actor, outlet and article, so that two claims on the same words are told apart. The
    question's {count} is how many claims were chosen."""
    chosen = list(
        claims.select_related("fact__subject", "article__outlet", "actor").order_by(
            "article__outlet__name", "pk"
        )
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "title": title,
        "question": question.format(count=len(chosen)),
        "button": button,
        "action": action,
        "claims": chosen,
        "form": form,
        "opts": model_admin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/facts/claim/status_change.html", context)
