"""The review rule, in one place: the admin's forms, its bulk actions, the API, both importers
and the history's revert all ask this module.

- Only reviewers (the facts.verify_claim permission) verify or reject a claim.
- A non-reviewer's change to what a settled (verified or rejected) claim says sends it back to
  draft, and the caller is told so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ValidationError

from facts.models import ClaimStatus

REVIEW_PERMISSION = "facts.verify_claim"
SETTLED = frozenset({ClaimStatus.VERIFIED, ClaimStatus.REJECTED})

# What a claim says: its wording and where it stands, its value, its fact and article, and whom
# it is credited to. A change to the editor's note or the status alone is not among them.
CONTENT_FIELDS = frozenset(
    {
        "fact",
        "fact_id",
        "article",
        "article_id",
        "wording",
        "start",
        "end",
        "undisclosed",
        "number",
        "number_high",
        "unit",
        "bound",
        "hedge",
        "date_earliest",
        "date_latest",
        "date_precision",
        "category",
        "as_of",
        "actor",
        "actor_id",
        "attribution_mode",
        "attribution_cue",
    }
)


class PermissionHolder(Protocol):
    """A user, or anything that answers has_perm the way one does."""

    def has_perm(self, perm: str, obj: object = None) -> bool: ...


class System:
    """The project's own trusted writes (fixtures, maintenance commands): a reviewer."""

    is_authenticated = True
    pk = None

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


SYSTEM = System()

ONLY_REVIEWERS = "Only a reviewer may verify or reject a claim."


@dataclass(frozen=True)
class Outcome:
    """The status a claim ends with, and what the person who changed it should be told."""

    status: str
    notice: str = ""


def is_reviewer(user: PermissionHolder) -> bool:
    return user.has_perm(REVIEW_PERMISSION)


def status_after_change(
    *,
    user: PermissionHolder,
    stored_status: str | None,
    requested_status: str,
    changed: Iterable[str],
) -> Outcome:
    """The status a claim takes when `user` saves it with `requested_status`, having changed
    the fields named in `changed` (stored_status is None for a new claim).

    Raises ValidationError on the status field when a non-reviewer verifies or rejects.
    """
    if is_reviewer(user):
        return Outcome(requested_status)
    if requested_status in SETTLED and requested_status != stored_status:
        raise ValidationError({"status": ONLY_REVIEWERS}, code="review")
    if stored_status in SETTLED and requested_status == stored_status:
        content = sorted({name.removesuffix("_id") for name in set(changed) & CONTENT_FIELDS})
        if content:
            return Outcome(
                ClaimStatus.DRAFT,
                notice=(
                    f"This claim was {stored_status}; your change to its "
                    f"{', '.join(content)} sends it back to "
                    "draft until a reviewer verifies it again."
                ),
            )
    return Outcome(requested_status)
