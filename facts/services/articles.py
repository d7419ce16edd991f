"""Every write of an article. Its text is stored in one normal form, and when the text really
changes, every claim is anchored again by its exact wording, prefix and suffix, or orphaned."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from facts.domain import values
from facts.domain.text import normalise_text
from facts.models import Article, Claim, ClaimStatus
from facts.services import claim_placement, stories, verdicts
from facts.services.base import Saved, change_reason, changed_fields, stored_copy
from facts.services.review import PermissionHolder

# An article's fields that claims' verdicts read: who published it (originators, outlets), the
# story it carries (copies count once) and where each wording stands; and its publication day,
# the year its claims count in for track records (a refresh that changes no verdict writes none).
COUNTED_FIELDS = frozenset(
    {"outlet_id", "wire_source_id", "text", "text_hash", "published_earliest"}
)

# The relations a caller that checked the constraints gives as rows (see save_article).
RELATIONS_GIVEN = ("outlet", "wire_source")


def save_article(
    *,
    user: PermissionHolder,
    article: Article,
    reason: str = "",
    constraints_checked: bool = False,
    placement: stories.Placement | None = None,
) -> Saved:
    """Store a new or edited article. A save that changes nothing writes nothing; a changed
    text re-anchors the article's claims (see reanchor_claims).

    constraints_checked: the caller has checked what the table's constraints hold (the ingest
    looks the URL and text up itself, finds a free slug and gives the outlet as a row):
    full_clean then skips the query per constraint, per unique field and per foreign key, a
    third of an ingest's time. The database still enforces every one.

    placement: where a new article's text goes among the stories, found by the caller already
    (the ingest places it to look for a near-identical copy): used only for a new article and
    the very text it was found for, else found again.

    Raises ValidationError with field messages, and writes nothing then.
    """
    placed = placement
    with transaction.atomic():
        stored = stored_copy(article)
        if isinstance(article.text, str):
            article.text = normalise_text(article.text)
        if stored is not None and stored.text and not article.text:
            raise ValidationError(
                {"text": "An article's news body, once held, cannot be emptied: correct it."}
            )
        if constraints_checked:
            # Its outlets are rows the caller holds, and its slug one it found free: the
            # query per foreign key and per unique field is left to the database too.
            article.full_clean(
                exclude=RELATIONS_GIVEN, validate_unique=False, validate_constraints=False
            )
        else:
            article.full_clean()
        # A new or changed text finds the stored copies it is nearly the same as (one indexed
        # query, see services.stories) before anything is written.
        placement = None
        # A text not held yet (an article known by its URL) has no story until it arrives.
        if article.text and (stored is None or article.text != stored.text):
            if placed is not None and stored is None and placed.text_hash == article.text_hash:
                placement = placed
            else:
                previous = stories.story_of(article)
                placement = stories.place(article=article, previous=previous)
        changed = changed_fields(article, stored)
        if not changed:
            return Saved(row=article)
        article._change_reason = change_reason(reason)  # type: ignore[attr-defined]
        article.save()
        if stored is not None and "outlet_id" in changed:
            claim_placement.follow_article(article=article)
        # Other articles whose story this text joined or split: their facts' verdicts count
        # their own-voice claims anew.
        moved = set() if placement is None else stories.settle(article=article, placement=placement)
        orphaned: tuple[int, ...] = ()
        notices: tuple[str, ...] = ()
        if stored is not None and "text" in changed:
            # Claims waiting unanchored for the text are anchored now, or orphaned.
            orphaned = reanchor_claims(article=article)
            if orphaned:
                notices = (
                    f"{len(orphaned)} claim(s) no longer stand in the text and are orphaned: "
                    "they left the verdicts and wait in draft for an editor.",
                )
        affected = set(moved)
        if stored is not None and changed & COUNTED_FIELDS:
            affected.add(article.pk)
        if affected:
            verdicts.request_refresh(stories.facts_of(affected))
    return Saved(row=article, changed=changed, notices=notices, orphaned=orphaned)


def update_article_text(
    *, user: PermissionHolder, article: Article, text: str, reason: str = ""
) -> Saved:
    """Correct an article's news body; its claims are anchored again or orphaned."""
    article.text = text
    return save_article(user=user, article=article, reason=reason)


def update_article(
    *, user: PermissionHolder, article: Article, reason: str = "", **changes: Any
) -> Saved:
    for name, value in changes.items():
        setattr(article, name, value)
    return save_article(user=user, article=article, reason=reason)


def reanchor_claims(*, article: Article) -> tuple[int, ...]:
    """Anchor every claim of the article in its (changed) text again: by its exact wording,
    told apart by its prefix and suffix, never by a fuzzy match that could land on another
    number. A claim whose wording is gone or ambiguous is orphaned: it leaves verified (so it
    drops out of the verdict) and is listed for editors. Returns the orphaned claims' ids."""
    text = article.text
    orphaned = []
    for claim in article.claims.select_for_update(of=("self",)).order_by("pk"):
        found = values.relocate(
            text, wording=claim.wording, prefix=claim.prefix, suffix=claim.suffix
        )
        before = (claim.start, claim.end, claim.prefix, claim.suffix, claim.anchor_state)
        status_before = claim.status
        if found is None:
            claim.anchor_state = Claim.AnchorState.ORPHANED
            if claim.status == ClaimStatus.VERIFIED:
                claim.status = ClaimStatus.DRAFT
            claim._change_reason = "Orphaned: its wording no longer stands in the corrected text"
            orphaned.append(claim.pk)
        else:
            claim.start, claim.end = found
            claim.prefix, claim.suffix = values.anchor_context(text, *found)
            claim.anchor_state = Claim.AnchorState.ANCHORED
            claim._change_reason = "Anchored again in the article's corrected text"
        after = (claim.start, claim.end, claim.prefix, claim.suffix, claim.anchor_state)
        if after != before or claim.status != status_before:
            claim.article = article
            claim.save()
    return tuple(orphaned)
