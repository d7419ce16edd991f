"""What every write service shares: the stored copy of a row, locked; what a save changed;
and what the caller is told back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from django.db import models

from facts.models import LIKELY_FIELDS, VERDICT_FIELDS, Tracked

RowT = TypeVar("RowT", bound=Tracked)

# Kept by the row itself: they move on every save, so they say nothing about a change.
RECORD_FIELDS = frozenset({"version", "created_at", "updated_at", *VERDICT_FIELDS, *LIKELY_FIELDS})


@dataclass(frozen=True)
class Saved:
    """A save's result: the row as stored, the fields it changed (none: nothing was written,
    no version, no history) and anything the person who saved should be told."""

    row: Tracked
    changed: frozenset[str] = frozenset()
    notices: tuple[str, ...] = ()
    orphaned: tuple[int, ...] = field(default=())

    @property
    def wrote(self) -> bool:
        return bool(self.changed)


# django-simple-history keeps a change's reason in a column of 100 characters.
CHANGE_REASON_LENGTH = 100


def history_user_id(user: object) -> int | None:
    """The user a history row names: a stored user, or none (the system)."""
    pk = getattr(user, "pk", None)
    return pk if isinstance(pk, int) else None


def change_reason(text: str) -> str | None:
    """A history row's reason: the text, cut to what its column holds (a rejection's reason can
    run to a thousand characters; the claim's note keeps all of it)."""
    if not text:
        return None
    if len(text) <= CHANGE_REASON_LENGTH:
        return text
    return text[: CHANGE_REASON_LENGTH - 1] + "…"


def stored_copy(row: RowT) -> RowT | None:
    """The row as stored now, locked until the transaction ends (None for a new row)."""
    if row.pk is None or row._state.adding:
        return None
    stored: RowT | None = (
        type(row)._default_manager.select_for_update(of=("self",)).filter(pk=row.pk).first()
    )
    return stored


def changed_fields(row: models.Model, stored: models.Model | None) -> frozenset[str]:
    """The concrete fields (by attname) whose values differ between a row and its stored copy;
    every field of a new row."""
    names = [f.attname for f in row._meta.concrete_fields if f.attname not in RECORD_FIELDS]
    if stored is None:
        return frozenset(names)
    return frozenset(n for n in names if getattr(row, n) != getattr(stored, n))
