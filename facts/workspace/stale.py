"""A stale save that keeps the work (issue 14, item 3).

A form opened on version 3 of a row and sent after someone saved version 4 is refused, as
before, but not thrown away: the refusal compares, field by field, the version the editor
opened (kept by django-simple-history), the version stored now (theirs) and what the editor
sent (mine). The form comes back on the new version: their changes where the editor changed
nothing, the editor's where they did. One click on "Keep mine on the new version" saves that;
"Take theirs" reopens the stored row. Where both changed the same field, the editor's value is
kept in the form and the row says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models

# Form fields that say nothing about the row itself.
NOT_COMPARED = frozenset({"seen_version", "confirm_warnings", "warnings_seen"})


@dataclass(frozen=True)
class FieldChange:
    """One field of a stale save: its value when opened, now (theirs), and as sent (mine)."""

    name: str
    label: str
    opened: str
    theirs: str
    mine: str
    they_changed: bool
    i_changed: bool

    @property
    def conflict(self) -> bool:
        return self.they_changed and self.i_changed and self.theirs != self.mine


@dataclass(frozen=True)
class StaleEdit:
    """What a refused stale save shows."""

    opened_version: int | None
    current_version: int
    saved_by: str
    changes: tuple[FieldChange, ...]
    # False when the history does not hold the version opened: the changes cannot be told
    # apart, and every field that differs is shown as changed by both.
    history_known: bool

    @property
    def conflicts(self) -> tuple[FieldChange, ...]:
        return tuple(c for c in self.changes if c.conflict)


def comparable(value: Any) -> Any:
    """A value as the form and the history both give it, for comparison and display."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return value.normalize()
    if value is None:
        return ""
    return value


def shown(value: Any) -> str:
    """A value in words for the comparison table."""
    value = comparable(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def _data_value(field: forms.Field, value: Any) -> str | list[str] | None:
    """A value as a browser would send it for a field (None: not sent, an unticked box)."""
    if isinstance(field, forms.BooleanField):
        return "on" if value else None
    if isinstance(field, forms.JSONField):
        return str(field.prepare_value(value))  # JSON text, as the field shows it
    value = comparable(value)
    if isinstance(value, list | tuple):
        return [str(comparable(v)) for v in value]
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def form_values(form: forms.ModelForm, row: models.Model) -> dict[str, Any]:
    """The row's values under the form's field names (a form may say how it shows a field
    the model stores otherwise, as the claim form does its bound and hedge)."""
    own = getattr(form, "values_of_row", None)
    found: dict[str, Any] = {}
    for name in form.fields:
        if name in NOT_COMPARED:
            continue
        try:
            model_field = row._meta.get_field(name)
        except FieldDoesNotExist:  # a form-only field: the form says, below
            continue
        found[name] = model_field.value_from_object(row)  # type: ignore[union-attr]
    if own is not None:
        found.update(own(row))
    return found


def refuse_stale(form: forms.ModelForm, *, seen: int | None, current: int) -> ValidationError:
    """Compare, rebase the form's data on the current version, and say so (the caller raises
    the error returned)."""
    instance = form.instance
    stored = type(instance)._default_manager.filter(pk=instance.pk).first()
    if stored is None:
        return ValidationError(
            f"Someone else deleted this {instance._meta.verbose_name} while you were editing "
            "it: there is nothing to save your changes to.",
            code="stale",
        )
    history = getattr(stored, "history", None)
    opened_row = None
    saved_by = ""
    if history is not None:
        if seen is not None:
            opened_record = history.filter(version=seen).order_by("-history_id").first()
            opened_row = opened_record.instance if opened_record else None
        latest = history.order_by("-history_id").select_related("history_user").first()
        if latest is not None and latest.history_user is not None:
            saved_by = latest.history_user.get_username()
    theirs = form_values(form, stored)
    opened = form_values(form, opened_row) if opened_row is not None else None
    cleaned = getattr(form, "cleaned_data", {})
    data = form.data.copy()
    changes = []
    for name, their_value in theirs.items():
        field = form.fields[name]
        # A field its own cleaning refused is compared as sent.
        mine_value = cleaned[name] if name in cleaned else form.data.get(form.add_prefix(name), "")
        if isinstance(mine_value, models.QuerySet):
            mine_value = sorted(comparable(v) for v in mine_value)
            their_value = sorted(comparable(v) for v in their_value or [])
        opened_value = opened[name] if opened is not None else None
        if opened is not None:
            they_changed = comparable(their_value) != comparable(opened_value)
            i_changed = comparable(mine_value) != comparable(opened_value)
        else:
            they_changed = i_changed = comparable(their_value) != comparable(mine_value)
        if not (they_changed or i_changed):
            continue
        if they_changed and not i_changed:
            sent = _data_value(field, their_value)
            key = form.add_prefix(name)
            if sent is None:
                data.pop(key, None)
            elif isinstance(sent, list):
                data.setlist(key, sent)
            else:
                data[key] = sent
        changes.append(
            FieldChange(
                name=name,
                label=str(field.label or name),
                opened=shown(opened_value) if opened is not None else "?",
                theirs=shown(their_value),
                mine=shown(mine_value),
                they_changed=they_changed,
                i_changed=i_changed,
            )
        )
    data[form.add_prefix("seen_version")] = str(current)
    form.data = data
    edit = StaleEdit(
        opened_version=seen,
        current_version=current,
        saved_by=saved_by,
        changes=tuple(changes),
        history_known=opened is not None,
    )
    form.stale_edit = edit  # type: ignore[attr-defined]
    verbose = instance._meta.verbose_name
    theirs_words = ", ".join(c.label for c in changes if c.they_changed) or "nothing you see"
    mine_words = ", ".join(c.label for c in changes if c.i_changed) or "nothing"
    return ValidationError(
        f"Someone else saved this {verbose} while you were editing it"
        f"{f' ({saved_by})' if saved_by else ''}: version {current}, where you opened version "
        f"{seen}. They changed: {theirs_words}. You changed: {mine_words}. "
        "Nothing is saved yet: the form now holds their version with your changes on it. "
        "Save again to keep yours on the new version, or reload the page to take theirs.",
        code="stale",
    )
