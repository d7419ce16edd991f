"""Every write of a claim: create, edit, move, verify or reject, delete. Each applies the review
rule and refreshes the verdicts it touches in the same transaction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from facts.domain.text import normalise_text
from facts.models import Claim, ClaimStatus, Fact
from facts.services import claim_placement, review, verdicts
from facts.services.base import (
    Saved,
    change_reason,
    changed_fields,
    history_user_id,
    stored_copy,
)
from facts.services.review import PermissionHolder


def save_claim(
    *,
    user: PermissionHolder,
    claim: Claim,
    reason: str = "",
    constraints_checked: bool = False,
) -> Saved:
    """Store a new or edited claim: validated, held to the review rule, and counted in its
    fact's verdict (and the verdict of the fact it left). A save that changes nothing writes
    nothing.

    constraints_checked: the caller leaves the table's constraints to the database (and takes
    its IntegrityError), as the ingest does for the candidates it proposes: clean() holds the
    same rules in Python, and full_clean's query per constraint (21 of them) was nine tenths
    of an ingest's time. The database still enforces every one.

    Raises ValidationError with field messages, and writes nothing then.
    """
    with transaction.atomic():
        stored = stored_copy(claim)
        normalise_anchor_texts(claim)
        claim.left_orphaned = stored is not None and _still_orphaned(claim, stored)
        claim.full_clean(validate_constraints=not constraints_checked)
        if claim.left_orphaned:
            if claim.status == ClaimStatus.VERIFIED:
                raise ValidationError({"status": ORPHAN_UNVERIFIABLE}, code="orphaned")
            claim.anchor_state = Claim.AnchorState.ORPHANED
        else:
            # full_clean has found the wording in the text (or refused the claim): it stands.
            claim.anchor_state = claim.anchor_state_in(claim.article.text)
        changed = changed_fields(claim, stored)
        outcome = review.status_after_change(
            user=user,
            stored_status=stored.status if stored else None,
            requested_status=claim.status,
            changed=changed,
        )
        claim.status = outcome.status
        # Its fact and article validated: the claim is listed under their subject and outlet.
        claim_placement.place(claim)
        changed = changed_fields(claim, stored)
        if not changed:
            return Saved(row=claim)
        claim._change_reason = change_reason(reason or outcome.notice)  # type: ignore[attr-defined]
        claim.save()
        verdicts.request_refresh(facts_counting(claim, stored))
    return Saved(row=claim, changed=changed, notices=(outcome.notice,) if outcome.notice else ())


def facts_counting(claim: Claim, stored: Claim | None) -> set[int]:
    """The facts whose verdict a save of this claim can move: a claim counts in its fact's
    verdict while it is verified (ClaimQuerySet.verified), so the save of a draft or a
    candidate that stays one moves none. Refreshing them anyway cost nothing but time on a small
    fact; on a busy one it would mark the verdict stale and give it two new versions for
    nothing."""
    counted = ClaimStatus.VERIFIED
    facts = {claim.fact_id} if claim.status == counted else set()
    if stored is not None and stored.status == counted:
        facts.add(stored.fact_id)
    return facts


def normalise_anchor_texts(claim: Claim) -> None:
    """The texts that anchor a claim in its article, normalised as the article's text is."""
    for name in ("wording", "prefix", "suffix"):
        value = getattr(claim, name)
        if isinstance(value, str):
            setattr(claim, name, normalise_text(value))


RELATIONS_READ = ("fact", "article", "actor")


# The columns that tell one claim of an article from another (the table's unique constraints:
# a wording, at its offsets, on a fact, by an actor or in the outlet's own voice).
def _identity(claim: Claim) -> tuple[Any, ...]:
    return (claim.fact_id, claim.article_id, claim.start, claim.end, claim.wording, claim.actor_id)


def add_candidates(
    *,
    user: PermissionHolder,
    candidates: Iterable[Claim],
    reason: str,
    new_articles: bool = False,
) -> tuple[list[Claim], list[tuple[Claim, str]]]:
    """Store new claims with status candidate, all in one insert: each validated as save_claim
    validates a new claim (its fields and clean(), the review rule), the table's constraints
    left to the database, and a claim the same as one stored or one before it in the batch
    listed instead. Candidates count in no verdict, so none is refreshed. Returns the stored
    claims and the refused ones with why.

    An ingest proposes a few dozen claims an article: one save each (its transaction, its
    history row, its queries) made storing them twenty times the cost of finding them.

    new_articles: the claims' articles were stored in this transaction (a new ingest), so no
    claim of theirs is stored yet: the query for the stored ones is left out; the claims are
    still compared with one another.
    """
    # Imported here: bulk_insert is the claims import's, which imports this module.
    from facts.services import bulk_insert

    stored_here: list[Claim] = []
    refused: list[tuple[Claim, str]] = []
    batch = list(candidates)
    articles = {claim.article_id for claim in batch}
    taken: set[tuple[Any, ...]] = (
        set()
        if new_articles
        else {
            _identity(claim)
            for claim in Claim.objects.filter(article_id__in=articles).only(
                "fact_id", "article_id", "start", "end", "wording", "actor_id"
            )
        }
    )
    for claim in batch:
        normalise_anchor_texts(claim)
        claim.status = ClaimStatus.CANDIDATE
        try:
            # The fact, the article and the actor are rows just read: checking that each
            # exists would be a query per claim.
            # No field of a claim is unique by itself: validate_unique would find nothing to
            # check, at a cost; the table's unique constraints are `taken` above.
            claim.full_clean(
                exclude=RELATIONS_READ, validate_unique=False, validate_constraints=False
            )
            claim.status = review.status_after_change(
                user=user, stored_status=None, requested_status=claim.status, changed=()
            ).status
        except ValidationError as error:
            refused.append((claim, "; ".join(error.messages)))
            continue
        claim.anchor_state = claim.anchor_state_in(claim.article.text)
        claim_placement.place(claim)
        if _identity(claim) in taken:
            refused.append((claim, "the same claim is stored already"))
            continue
        taken.add(_identity(claim))
        stored_here.append(claim)
    now = timezone.now()
    for claim in stored_here:
        claim.created_at = claim.updated_at = now
    with transaction.atomic():
        bulk_insert.insert(Claim, stored_here)
        bulk_insert.insert_history(
            Claim,
            stored_here,
            history_date=now,
            history_type="+",
            history_user_id=history_user_id(user),
            history_change_reason=change_reason(reason),
        )
    return stored_here, refused


ORPHAN_UNVERIFIABLE = (
    "This claim is orphaned: its wording no longer stands in the article. Correct its wording "
    "or offsets to anchor it again before it is verified."
)
ANCHOR_FIELDS = ("wording", "start", "end", "article_id")


def _still_orphaned(claim: Claim, stored: Claim) -> bool:
    """An orphaned claim saved without a new wording, offsets or article stays orphaned."""
    return stored.anchor_state == Claim.AnchorState.ORPHANED and all(
        getattr(claim, name) == getattr(stored, name) for name in ANCHOR_FIELDS
    )


def create_claim(*, user: PermissionHolder, reason: str = "", **fields: Any) -> Claim:
    """A new claim from its fields (fact, article, wording, value, attribution...)."""
    result = save_claim(user=user, claim=Claim(**fields), reason=reason)
    return result.row  # type: ignore[return-value]


def update_claim(
    *, user: PermissionHolder, claim: Claim, reason: str = "", **changes: Any
) -> Saved:
    """Change some fields of a stored claim."""
    for name, value in changes.items():
        setattr(claim, name, value)
    return save_claim(user=user, claim=claim, reason=reason)


def move_claim(*, user: PermissionHolder, claim: Claim, fact: Fact, reason: str = "") -> Saved:
    """Move a claim to another fact: both facts' verdicts are refreshed."""
    return update_claim(user=user, claim=claim, fact=fact, reason=reason)


@dataclass
class StatusChange:
    """What a bulk status change did: how many claims changed, and why others did not."""

    changed: int = 0
    refused: list[str] = field(default_factory=list)


def set_claim_status(
    *,
    user: PermissionHolder,
    claims: QuerySet[Claim] | Iterable[Claim],
    status: str,
    note: str = "",
) -> StatusChange:
    """Move claims to a status, each validated and saved with its history (a note, such as a
    rejection's reason, is added to each claim's note); each fact's verdict is refreshed once.
    Only reviewers verify or reject."""
    if status not in ClaimStatus.values:
        raise ValidationError({"status": "Choose a status from the list."})
    result = StatusChange()
    with transaction.atomic(), verdicts.deferred_refresh():
        ids = [c.pk for c in claims]
        locked = Claim.objects.select_for_update(of=("self",)).filter(pk__in=ids)
        for claim in locked.select_related("article", "fact").order_by("pk"):
            if claim.status == status:
                continue
            claim.status = status
            if note:
                claim.note = f"{claim.note}\n{note}".strip()
            try:
                # A savepoint: one refused claim leaves the others' changes standing.
                with transaction.atomic():
                    saved = save_claim(
                        user=user, claim=claim, reason=note or f"Set to {status} in bulk"
                    )
            except ValidationError as error:
                result.refused.append(f"“{claim.wording}”: {'; '.join(error.messages)}")
                continue
            result.changed += saved.wrote
    return result


def delete_claims(*, user: PermissionHolder, claims: QuerySet[Claim] | Iterable[Claim]) -> int:
    """Delete claims, each with a history row; their facts' verdicts are refreshed. Returns how
    many were deleted."""
    with transaction.atomic():
        ids = [c.pk for c in claims]
        rows = list(Claim.objects.select_for_update(of=("self",)).filter(pk__in=ids))
        facts = {c.fact_id for c in rows}
        for claim in rows:
            claim.delete()
        verdicts.request_refresh(facts)
    return len(rows)
