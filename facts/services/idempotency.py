"""Imports sent with an Idempotency-Key header (the IETF httpapi draft "The Idempotency-Key HTTP
Header Field"): a client that retries after a timeout or a dropped connection gets the first
answer back, and nothing is imported twice.

The key is the client's (a UUID, say), one per import it means to make, kept per user for
settings.IDEMPOTENCY_KEY_HOURS. Only answers that saved something (201, 202) are remembered:
a refused import wrote nothing, so sending it again simply checks it again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from facts.models import ImportJob, ImportRequest

KEY_MAX_LENGTH = 255


class KeyReused(Exception):
    """The key was sent before with another body: the client has mixed up two imports."""


@dataclass(frozen=True)
class Earlier:
    """The first answer to an import sent again: its status, and its body (a 201) or its job
    (a 202, shown as it stands now)."""

    status: int
    response: dict[str, Any]
    job: ImportJob | None


def key_problem(key: str) -> str | None:
    """Why a header's value cannot be a key, or None."""
    if not key.strip():
        return "An Idempotency-Key is not empty."
    if len(key) > KEY_MAX_LENGTH:
        return f"An Idempotency-Key has at most {KEY_MAX_LENGTH} characters."
    if not key.isprintable():
        return "An Idempotency-Key holds printable characters only."
    return None


def body_hash(body: bytes) -> str:
    """The body's fingerprint: of its JSON as data (keys sorted, no spacing), so that the same
    import sent again indented otherwise is the same; of its bytes when it is not JSON."""
    try:
        data = json.loads(body)
    except ValueError:
        return hashlib.sha256(body).hexdigest()
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def earlier_answer(*, user: Any, key: str, body: bytes) -> Earlier | None:
    """The first answer to this import, if it was sent before with this key (KeyReused if it
    was sent with another body); None for a new key."""
    since = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    found = (
        ImportRequest.objects.select_related("job")
        .filter(created_by=user, key=key, created_at__gte=since)
        .first()
    )
    if found is None:
        return None
    if found.body_hash != body_hash(body):
        raise KeyReused(
            "This Idempotency-Key was sent before with another import: use a new key for "
            "each import."
        )
    return Earlier(status=found.status, response=found.response, job=found.job)


def remember_answer(
    *,
    user: Any,
    key: str,
    body: bytes,
    status: int,
    response: dict[str, Any],
    job: ImportJob | None = None,
) -> None:
    """Keep the answer to an import that saved something (or queued a job), under its key.
    An expired entry for the key gives way; two requests racing with one key keep the first."""
    since = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    with transaction.atomic():
        ImportRequest.objects.filter(created_by=user, key=key, created_at__lt=since).delete()
        try:
            with transaction.atomic():
                ImportRequest.objects.create(
                    created_by=user,
                    key=key,
                    body_hash=body_hash(body),
                    status=status,
                    response=response,
                    job=job,
                )
        except IntegrityError:
            pass
