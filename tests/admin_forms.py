"""The admin's change forms as a browser posts them back: every field of the form and of its
inline formsets, with textareas' line breaks as \\r\\n (HTML's form submission rules)."""

from __future__ import annotations

from django import forms
from django.test import Client


def _value(field: forms.BoundField) -> object:
    value = field.field.prepare_value(field.value())
    if isinstance(field.field.widget, forms.Textarea) and isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\n", "\r\n")
    if isinstance(field.field.widget, forms.CheckboxInput):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def _fields(form: forms.BaseForm) -> dict:
    data = {}
    for name in form.fields:
        value = _value(form[name])
        if value is not None:
            data[form.add_prefix(name)] = value
    return data


def posted_form(client: Client, url: str) -> dict:
    """The data a browser would post back, unchanged, from the change page at `url`."""
    context = client.get(url).context
    data = _fields(context["adminform"].form)
    try:
        inlines = context["inline_admin_formsets"]
    except KeyError:  # the history's revert form has none
        inlines = []
    for inline in inlines:
        formset = inline.formset
        data.update(_fields(formset.management_form))
        for form in formset.forms:
            data.update(_fields(form))
    return data
