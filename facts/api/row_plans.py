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
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from rest_framework import serializers
from rest_framework.fields import SkipField, is_simple_callable
from rest_framework.relations import PKOnlyObject

from facts.api import visibility

# A field's reader: a row in, the field's JSON value out (or SKIP: the field left out).
Reader = Callable[[Any], Any]
# A serializer's plan: a row in, its JSON object out.
Plan = Callable[[Any], dict[str, Any]]

SKIP = object()
_plans: dict[tuple[type[serializers.BaseSerializer], bool], Plan] = {}


_simple_callables: dict[Any, bool] = {}


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


def _reader(field: serializers.Field, plan_of: Callable[[serializers.Serializer], Plan]) -> Reader:
    attrs = list(field.source_attrs)

    if isinstance(field, serializers.SerializerMethodField):
        # Its source is the row itself ("*"): the method is given the row.
        return getattr(field.parent, field.method_name)

    write = plan_of(field) if isinstance(field, serializers.Serializer) else field.to_representation

    if isinstance(field, serializers.PrimaryKeyRelatedField) and field.pk_field is None and attrs:
        # DRF reads the key alone (the claim's `fact_id`, not its fact): the same here.
        def read_key(row: Any) -> Any:
            try:
                key = _value(row, attrs[:-1]).serializable_value(attrs[-1])
            except (AttributeError, KeyError):
                return _drf_read(field, row)
            if callable(key) and _is_simple_callable(key):
                key = key()
            return getattr(key, "pk", key)

        return read_key

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
    view and once for the public's), not by DRF's generic `to_representation`."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        staff_reader = visibility.reads_staff_fields(self.context)
        key = (type(self), staff_reader)
        plan = _plans.get(key)
        if plan is None:
            plan = _plans[key] = _plan(type(self)(context={}), staff_reader=staff_reader)
        return plan(instance)
