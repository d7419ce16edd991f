"""The public and staff views of the API, field by field: the fields only signed-in staff read
(facts.models.readers says who they are). Rows are chosen by the QuerySets
(Claim.objects.visible_to); this is the one place that says which fields of a shown row are
the desk's, for the JSON (facts.api.serializers.Output), the CSV (facts.api.csv_export) and the
schema (the hook below)."""

from __future__ import annotations

from typing import Any

from django.db import models

from facts.models import Article, Claim
from facts.models.readers import is_staff_reader

# By model: an editor's note holds the reasons a claim was rejected; a capture is the page as
# the ingest received it, markup and all.
STAFF_ONLY_FIELDS: dict[type[models.Model], frozenset[str]] = {
    Claim: frozenset({"note"}),
    Article: frozenset({"capture", "capture_type"}),
}
STAFF_ONLY = (
    "Staff only: left out for anonymous readers and clients without a claims permission "
    "(docs/API.md, Public and staff views)."
)


def hidden_for(model: type[models.Model], *, staff_reader: bool) -> frozenset[str]:
    """The fields of this model's rows that a staff reader, or anyone else, does not read."""
    if staff_reader:
        return frozenset()
    return STAFF_ONLY_FIELDS.get(model, frozenset())


def hidden_fields(model: type[models.Model], user: Any) -> frozenset[str]:
    """The fields of this model's rows that this user does not read."""
    return hidden_for(model, staff_reader=is_staff_reader(user))


def reads_staff_fields(context: dict) -> bool:
    """Whether a serializer's context is a staff reader's: with no request (a row shown
    inside the code), the public's."""
    request = context.get("request")
    return is_staff_reader(getattr(request, "user", None))


def hidden_in_context(model: type[models.Model], context: dict) -> frozenset[str]:
    """As hidden_fields, for a serializer's context: with no request (a row shown inside the
    code), the public view."""
    return hidden_for(model, staff_reader=reads_staff_fields(context))


def staff_only_in_schema(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """A drf-spectacular postprocessing hook: the staff-only fields are optional in the outputs
    (absent for the public) and say so."""
    schemas = result.get("components", {}).get("schemas", {})
    for model, names in STAFF_ONLY_FIELDS.items():
        component = schemas.get(model.__name__)
        if component is None:
            continue
        for name in names:
            field = component.get("properties", {}).get(name)
            if field is None:
                continue
            described = field.get("description", "")
            field["description"] = f"{STAFF_ONLY} {described}".strip()
            if name in component.get("required", []):
                component["required"].remove(name)
    return result
