"""A serializer's output as a plan made once per process: for each field it shows, how to read
its value from a row and how to write it, so that a page of rows costs a function call a field
rather than DRF's generic path (a property building the readable fields again for every row,
a `get_attribute` with its signature checks for every field, the nested serializers' fields
built for every request).

The plan is made from the serializer's own fields, which stay the one place that says what a
row shows and how (the schema reads them too): the output is the very JSON DRF writes,
byte for byte (tests/test_api_claims_list_output.py pins it). A field read the fast way that
fails (an attribute missing, a dict in place of a row) is read again by DRF's own
`get_attribute`, which decides as DRF does (its default, null, or the field left out).

Written here rather than taken from a library: the fast serializers kept up (serpy,
drf-serializer-prefetch and the like) declare their fields again in their own terms, which the
schema (drf-spectacular) does not read, so every row's shape would live in two places. Measured
in docs/PERFORMANCE.md (the claims list, issue 16).

Only for serializers whose method fields (SerializerMethodField) read nothing but the row:
the plan's methods are those of a serializer made without a request."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, tzinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject
from rest_framework.settings import api_settings

from facts.api import visibility

# A field's reader: a row in, the field's JSON value out (or SKIP: the field left out).
Reader = Callable[[Any], Any]
# A serializer's plan: a row in, its JSON object out.
Plan = Callable[[Any], dict[str, Any]]

SKIP = object()
_plans: dict[tuple[type[serializers.BaseSerializer], bool], Plan] = {}


_simple_callables: dict[Any, bool] = {}

# The current time zone, read once a page (PlannedList) rather than for every date-time of
# every row: Django keeps it in an asgiref Local, whose every read cost a fifth of writing a
# page of claims (two date-times a row).
_page_timezone: ContextVar[tzinfo | None] = ContextVar("page_timezone", default=None)


def _is_simple_callable(value: Any) -> bool:
    """DRF's is_simple_callable (no argument needed), remembered by function: it reads the
    signature, which for a method like Claim.display_value cost more than the call."""
    function = getattr(value, "__func__", value)
    try:
        simple = _simple_callables.get(function)
    except TypeError:  # not hashable: asked every time
        return is_simple_callable(value)
    if simple is None:
        simple = _simple_callables[function] = is_simple_callable(value)
    return simple


def _value(row: Any, attrs: list[str]) -> Any:
    """The value at `attrs` from the row, as DRF's `get_attribute` finds it (a related row
    that does not exist is None; a method without arguments is called). A missing attribute
    raises, for DRF's own path to decide (_drf_read)."""
    for attr in attrs:
        try:
            row = row[attr] if isinstance(row, dict) else getattr(row, attr)
        except ObjectDoesNotExist:
            return None
        if callable(row) and _is_simple_callable(row):
            row = row()
    return row


def _drf_read(field: serializers.Field, row: Any) -> Any:
    """The field's JSON value by DRF's own path (Serializer.to_representation's, for one
    field): its default, null, or SKIP (left out) when the row lacks it."""
    try:
        attribute = field.get_attribute(row)
    except SkipField:
        return SKIP
    checked = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
    return None if checked is None else field.to_representation(attribute)


def _writer(field: serializers.Field) -> Callable[[Any], Any]:
    """The field's to_representation; for DRF's DateTimeField in ISO 8601 (the API's), the same
    steps for an aware date-time (DRF's enforce_timezone: to the current time zone; its
    isoformat, UTC as Z) with the time zone read once a page. Anything else goes to DRF."""
    to_representation = type(field).to_representation
    if to_representation is serializers.CharField.to_representation:
        return str  # DRF's is `return str(value)`: the builtin, without the method's call
    if to_representation is serializers.IntegerField.to_representation:
        return int  # DRF's is `return int(value)`
    output_format = getattr(field, "format", api_settings.DATETIME_FORMAT)
    if (
        type(field) is not serializers.DateTimeField
        or hasattr(field, "timezone")
        or not settings.USE_TZ
        or not isinstance(output_format, str)
        or output_format.lower() != ISO_8601
    ):
        return field.to_representation

    def write_datetime(value: Any) -> Any:
        if not isinstance(value, datetime) or value.tzinfo is None:
            return field.to_representation(value)
        zone = _page_timezone.get() or timezone.get_current_timezone()
        try:
            text = value.astimezone(zone).isoformat()
        except OverflowError:
            return field.to_representation(value)  # which refuses it, as DRF does
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return write_datetime


def _reader(field: serializers.Field, plan_of: Callable[[serializers.Serializer], Plan]) -> Reader:
    attrs = list(field.source_attrs)

    if isinstance(field, serializers.SerializerMethodField):
        # Its source is the row itself ("*"): the method is given the row.
        return getattr(field.parent, field.method_name)

    write = plan_of(field) if isinstance(field, serializers.Serializer) else _writer(field)

    if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None and attrs:
        # DRF reads the key alone (the claim's `fact_id`, not its fact): the same here.
        def read_key(row: Any) -> Any:
            try:
                container = _value(row, attrs[:-1])
                if isinstance(container, dict):
                    # A listed row (facts.models.listed_rows) keeps the key under its
                    # attname, as serializable_value reads it from a model: `fact_id`.
                    return container[f"{attrs[-1]}_id"]
                key = container.serializable_value(attrs[-1])
            except (AttributeError, KeyError):
                return _drf_read(field, row)
            if callable(key) and _is_simple_callable(key):
                key = key()
            return getattr(key, "pk", key)

        return read_key

    if len(attrs) == 1:
        # Most fields: one attribute (or key) of the row itself, read without _value's loop.
        (attr,) = attrs

        def read_one(row: Any) -> Any:
            try:
                value = row[attr] if isinstance(row, dict) else getattr(row, attr)
            except ObjectDoesNotExist:  # a related row missing: before AttributeError, its base
                return None
            except (AttributeError, KeyError):
                return _drf_read(field, row)
            if value is None:
                return None
            if callable(value) and _is_simple_callable(value):
                value = value()
                if value is None:
                    return None
            return write(value)

        return read_one

    def read(row: Any) -> Any:
        try:
            value = _value(row, attrs)
        except (AttributeError, KeyError):
            return _drf_read(field, row)
        return None if value is None else write(value)

    return read


def _plan(serializer: serializers.Serializer, *, staff_reader: bool) -> Plan:
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    hidden = (
        visibility.hidden_for(model, staff_reader=staff_reader)
        if model is not None and getattr(serializer, "hides_staff_fields", False)
        else frozenset()
    )
    readers = [
        (name, _reader(field, lambda nested: _plan(nested, staff_reader=staff_reader)))
        for name, field in serializer.fields.items()
        if not field.write_only and name not in hidden
    ]

    def plan(row: Any) -> dict[str, Any]:
        shown = {}
        for name, read in readers:
            value = read(row)
            if value is not SKIP:
                shown[name] = value
        return shown

    return plan


class PlannedOutput(serializers.Serializer):
    """A serializer whose rows are written by its plan (made once per process for the staff's
    view and once for the public's), not by DRF's generic `to_representation`. A page of rows
    (many=True) is written by PlannedList when the serializer's Meta names it
    (`list_serializer_class = PlannedList`)."""

    def plan(self) -> Plan:
        staff_reader = visibility.reads_staff_fields(self.context)
        key = (type(self), staff_reader)
        plan = _plans.get(key)
        if plan is None:
            plan = _plans[key] = _plan(type(self)(context={}), staff_reader=staff_reader)
        return plan

    def to_representation(self, instance: Any) -> dict[str, Any]:
        return self.plan()(instance)


class PlannedList(serializers.ListSerializer):
    """A page of a PlannedOutput's rows: the plan and the current time zone found once a page,
    not once a row; otherwise DRF's ListSerializer."""

    child: PlannedOutput

    def to_representation(self, data: Any) -> list[dict[str, Any]]:
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        plan = self.child.plan()
        zone = _page_timezone.set(timezone.get_current_timezone() if settings.USE_TZ else None)
        try:
            return [plan(row) for row in rows]
        finally:
            _page_timezone.reset(zone)
