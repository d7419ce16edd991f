"""Who reads what: everyone reads the public record (facts, verified claims, verdicts, track
records); signed-in staff also read the desk's state (drafts, candidates, rejected claims,
editors' notes with their rejection reasons, captures, history).

Staff are the users who work on claims: whoever holds any of the claims' permissions (the
Editors and Reviewers groups, superusers). Anonymous readers, and signed-in users or token
clients without one of them, read the public record only. The rule lives here; the claims'
QuerySet (Claim.objects.visible_to) and the API's field rule (facts.api.visibility) ask it."""

from __future__ import annotations

from typing import Any

# Holding any of these makes a user staff.
STAFF_PERMISSIONS = frozenset(
    {
        "facts.view_claim",
        "facts.add_claim",
        "facts.change_claim",
        "facts.delete_claim",
        "facts.verify_claim",
    }
)


def is_staff_reader(user: Any) -> bool:
    """Whether this user reads the desk's state as well as the public record. Anonymous users
    cost no query; a signed-in one costs Django's permission lookup once per request (the
    backend keeps it on the user)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return not STAFF_PERMISSIONS.isdisjoint(user.get_all_permissions())
