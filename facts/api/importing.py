"""Bulk import of claims over the API: the request's shape, each row's JSON types read once
per field, and the answers. The import itself, all or none and set-based, is
facts.services.imports.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping, Sequence
from contextvars import ContextVar
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facts.api.inputs import ARTICLE_FIELDS
from facts.api.problems import ProblemSerializer
from facts.domain import storable
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.services.imports import (
    VALUE_FIELDS,
    ImportForbidden,
    ImportRejected,
    ImportResult,
    Mode,
    ParsedRow,
    PermissionHolder,
    RowError,
    import_rows,
)

__all__ = [
    "ImportForbidden",
    "ImportRejected",
    "ImportResult",
    "Mode",
    "ParsedRow",
    "PermissionHolder",
    "RowError",
    "import_claims",
]

# The most rows one import takes (as a background job past settings.IMPORT_SYNC_MAX_ROWS).
MAX_ROWS = settings.IMPORT_MAX_ROWS
SLUG_MAX_LENGTH = 200


def json_type(value: object) -> str:
    """How a JSON value reads in a message: 'a string', 'a list', 'null'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


# What a row may hold ----------------------------------------------------------------------
#
# ModelSerializers read the JSON types strictly (a number must read as one, a string has no
# NUL character) with the model's own lengths, digits and choices, before any model sees a value:
# full_clean on raw JSON would crash on a string for a number, or quietly store str(a list).
# Uniqueness is left to full_clean (validators = []), which checks it against the rows the
# import has saved so far too.


def exact_text() -> dict:
    """Keep text as sent: offsets count its characters, and a prefix may end in a space."""
    return {"trim_whitespace": False}


class ReferenceField(serializers.Field):
    """A related row as sent, by natural key or in full; import_claims reads it (documentation
    only: rows are checked row by row, so that every bad row is reported)."""

    def __init__(self, *, key_schema: dict, full: type[serializers.Serializer], **kwargs) -> None:
        self.key_schema = key_schema
        self.full = full
        super().__init__(**kwargs)

    def to_internal_value(self, data: object) -> object:
        return data

    def to_representation(self, value: object) -> object:
        return value


class ReferenceFieldExtension(OpenApiSerializerFieldExtension):
    """Document a reference as its natural key or the row in full."""

    target_class = ReferenceField

    def map_serializer_field(self, auto_schema, direction) -> dict:
        full = auto_schema.resolve_serializer(self.target.full, direction)
        return {"oneOf": [self.target.key_schema, full.ref]}


SLUG_SCHEMA = {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": SLUG_MAX_LENGTH}


class ImportOutletSerializer(serializers.ModelSerializer):
    """An outlet given in full: created unless one with its slug (from its name when not
    given) is stored."""

    class Meta:
        model = Outlet
        fields = ["name", "slug", "kind", "domain", "country"]
        validators: list = []
        extra_kwargs = {"slug": {"required": False, "validators": []}, "name": {"validators": []}}


class ImportArticleSerializer(serializers.ModelSerializer):
    """An article given in full: created unless one with its slug, or its URL, is stored (and
    then used as it is). The text is not required: an article known only by its URL holds its
    claims unanchored until its text is given."""

    outlet = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportOutletSerializer,
        help_text="A stored outlet's slug, or the outlet in full.",
    )
    wire_source = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportOutletSerializer,
        required=False,
        allow_null=True,
        help_text="The wire agency whose story this is, if any: a slug, or the outlet in full.",
    )

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS
        validators: list = []
        extra_kwargs = {
            "slug": {"required": False, "validators": []},
            "url": {"validators": []},
            "text": {**exact_text(), "required": False},
        }


class ImportParentSerializer(serializers.ModelSerializer):
    """The body an actor given in full speaks for, given in full in turn (its own parent, if
    any, stored already)."""

    parent = serializers.SlugField(
        required=False, allow_null=True, help_text="A stored actor's slug."
    )

    class Meta:
        model = Actor
        fields = ["name", "slug", "kind", "aliases", "parent", "description"]
        validators: list = []
        extra_kwargs = {"slug": {"required": False, "validators": []}, "name": {"validators": []}}


class ImportActorSerializer(serializers.ModelSerializer):
    """An actor given in full: created unless one with its slug (from its name when not given)
    is stored; refused, with a pointer, when its name is another actor's name or alias."""

    parent = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportParentSerializer,
        required=False,
        allow_null=True,
        help_text="The body the actor speaks for: a stored actor's slug, or the actor in full.",
    )

    class Meta:
        model = Actor
        fields = ["name", "slug", "kind", "aliases", "parent", "description"]
        validators: list = []
        extra_kwargs = {"slug": {"required": False, "validators": []}, "name": {"validators": []}}


class ImportSubjectSerializer(serializers.ModelSerializer):
    """A subject given in full: created unless one with its slug is stored."""

    # Named SubjectKindEnum, as the subjects' own (ENUM_NAME_OVERRIDES).
    kind = serializers.ChoiceField(
        choices=Subject.Kind.choices, required=False, help_text="By default an event."
    )

    class Meta:
        model = Subject
        fields = ["slug", "name", "kind", "aliases", "description"]
        validators: list = []
        extra_kwargs = {"slug": {"required": True, "validators": []}, "name": {"validators": []}}


class ImportFactSerializer(serializers.ModelSerializer):
    """A fact given in full: created under the row's subject unless it has one with this slug."""

    class Meta:
        model = Fact
        fields = [
            "slug",
            "property",
            "value_kind",
            "unit",
            "categories",
            "category_within",
            "description",
        ]
        validators: list = []
        extra_kwargs = {"slug": {"required": True, "validators": []}}


class ImportClaimFieldsSerializer(serializers.ModelSerializer):
    """A claim's own fields, as the single-claim API takes them."""

    class Meta:
        model = Claim
        # Where the wording stands, then what an upsert compares (one list, in the service).
        fields = ["wording", "start", "end", "prefix", "suffix", *VALUE_FIELDS]
        validators: list = []
        extra_kwargs = {
            "start": {"allow_null": True},
            "end": {"allow_null": True},
            "wording": exact_text(),
            "prefix": exact_text(),
            "suffix": exact_text(),
        }


class ImportRowSerializer(ImportClaimFieldsSerializer):
    """One row of an import: a claim, with its article, subject, fact and actor."""

    article = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportArticleSerializer,
        help_text="A stored article's slug, or the article in full (its outlet a slug or the "
        "outlet in full; its text optional).",
    )
    subject = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportSubjectSerializer,
        required=False,
        help_text="A subject's slug, or the subject in full; needed when the fact is given in "
        "full, and otherwise the fact's subject.",
    )
    fact = ReferenceField(
        key_schema={"type": "array", "items": SLUG_SCHEMA, "minItems": 2, "maxItems": 2},
        full=ImportFactSerializer,
        help_text="A stored fact as [subject slug, fact slug], or the fact in full (created "
        "under the row's subject).",
    )
    end_fact = ReferenceField(
        key_schema={"type": "array", "items": SLUG_SCHEMA, "minItems": 2, "maxItems": 2},
        full=ImportFactSerializer,
        required=False,
        help_text="For a period ('Feb. 10-20'): the fact its last day is a claim on. The server "
        "reads the wording into a claim on `fact` (the first day) and one on `end_fact`.",
    )
    actor = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportActorSerializer,
        required=False,
        allow_null=True,
        help_text="The actor the claim is credited to: a stored actor's slug, or the actor in "
        "full; null for the outlet's own voice.",
    )

    class Meta(ImportClaimFieldsSerializer.Meta):
        fields = [
            "article",
            "subject",
            "fact",
            "end_fact",
            "actor",
            *ImportClaimFieldsSerializer.Meta.fields,
        ]


REFERENCES = ("article", "subject", "fact", "end_fact", "actor")


# The request and the responses ------------------------------------------------------------


@extend_schema_field(ImportRowSerializer)
class ClaimRowField(serializers.Field):
    """A row of the request: a JSON object, its fields checked by import_claims."""

    def to_internal_value(self, data: object) -> dict:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                f"Each claim is a JSON object; got {json_type(data)}."
            )
        return data

    def to_representation(self, value: object) -> object:
        return value


class ClaimRowsField(serializers.ListField):
    """The rows: a list of JSON objects."""

    def to_internal_value(self, data: object) -> list:
        if not isinstance(data, list):
            raise serializers.ValidationError(
                f"The claims are a list of JSON objects; got {json_type(data)}."
            )
        return super().to_internal_value(data)


class ClaimImportSerializer(serializers.Serializer):
    """The request: the claims to import, all or none."""

    mode = serializers.ChoiceField(
        choices=Mode.choices,
        default=Mode.CREATE,
        help_text="create: a row whose claim is stored already is refused as a duplicate. "
        "upsert: it is left as it is when it says the same, and updated otherwise, so a "
        "retried import changes nothing.",
    )

    claims = ClaimRowsField(
        child=ClaimRowField(),
        min_length=1,
        max_length=MAX_ROWS,
        error_messages={
            "required": "Send the claims to import as a list under 'claims'.",
            "null": "Send the claims to import as a list under 'claims'.",
            "min_length": "Send at least one claim.",
            "max_length": "Send at most {max_length} claims at a time; import the rest in "
            "further requests.",
        },
    )

    def run_validation(self, data: object = serializers.empty) -> dict:
        # Before DRF's own checks, whose messages ("This field may not be null.") would not say
        # what the body should be.
        if data is not serializers.empty and not isinstance(data, Mapping):
            raise serializers.ValidationError(
                {"body": [f'Send a JSON object, {{"claims": [...]}}; got {json_type(data)}.']}
            )
        return super().run_validation(data)


class RowErrorSerializer(serializers.Serializer):
    """One problem of an import."""

    index = serializers.IntegerField(
        allow_null=True, help_text="The row at fault, from 0; null for the request as a whole."
    )
    field = serializers.CharField(
        help_text="The field at fault: 'wording', 'article.outlet', 'row' for the whole row."
    )
    message = serializers.CharField()


class ClaimImportErrorsSerializer(ProblemSerializer):
    """Why an import was refused (a problem detail): every problem of every row. Nothing was
    saved."""

    errors = RowErrorSerializer(many=True)


class ClaimImportForbiddenSerializer(ProblemSerializer):
    """A permission is missing (a problem detail); the rows that need it are listed when the
    import got that far."""

    errors = RowErrorSerializer(many=True, required=False)


class ClaimImportResultSerializer(serializers.Serializer):
    """What an import saved."""

    created = serializers.IntegerField(help_text="How many claims were saved.")
    claims = serializers.ListField(
        child=serializers.IntegerField(), source="claim_ids", help_text="Their ids, in row order."
    )
    articles_created = serializers.IntegerField()
    subjects_created = serializers.IntegerField()
    facts_created = serializers.IntegerField()
    outlets_created = serializers.IntegerField()
    actors_created = serializers.IntegerField()
    unchanged = serializers.ListField(
        child=serializers.IntegerField(),
        source="unchanged_ids",
        help_text="In mode upsert: the stored claims the rows repeat, left as they were.",
    )
    updated = serializers.ListField(
        child=serializers.IntegerField(),
        source="updated_ids",
        help_text="In mode upsert: the stored claims the rows changed.",
    )


def request_errors(errors: Mapping[str, Any]) -> list[RowError]:
    """ClaimImportSerializer's errors as RowErrors: a row's index when a row is at fault."""
    found = []
    for name, detail in errors.items():
        if isinstance(detail, Mapping):
            for index, messages in detail.items():
                found += [RowError(int(index), "row", str(m)) for m in _messages(messages)]
        else:
            found += [RowError(None, name, str(m)) for m in _messages(detail)]
    return found


def _messages(detail: object) -> list:
    return list(detail) if isinstance(detail, list | tuple) else [detail]


# Reading the rows ---------------------------------------------------------------------------
#
# A serializer per row costs about a millisecond to build its fields; the fields are built once
# here and each row's values run through them: the same checks, for a tenth of the time.


class FieldChecks:
    """A serializer's fields, built once, run on the values of each object given."""

    def __init__(self, serializer: type[serializers.Serializer]) -> None:
        self.fields = {
            name: field for name, field in serializer().fields.items() if not field.read_only
        }
        self.required = [name for name, field in self.fields.items() if field.required]

    def check(
        self,
        parsed: ParsedRow,
        data: Mapping[str, Any],
        *,
        prefix: str,
        given: frozenset[str] = frozenset(),
    ) -> dict | None:
        """The values, checked and converted; None (with the problems on the row) if any is
        wrong. Every field is checked, so every problem is told at once."""
        validated: dict[str, Any] = {}
        good = True
        read = _read_already.get()
        for name, value in data.items():
            field = self.fields.get(name)
            if field is None:
                parsed.fail(prefix + name, "Unknown field.")
                good = False
                continue
            # Rows repeat their hedges, bounds, modes, units and days: a plain value is read
            # once per field and import (a field's checks are about 5 µs; immutable values
            # only, so the result can be shared).
            key = (self, name, type(value), value) if type(value) in _PLAIN_JSON else None
            outcome = read.values.get(key) if read is not None and key is not None else None
            if outcome is None:
                outcome = _read_value(field, value)
                if read is not None and key is not None and len(read.values) < _VALUES_KEPT:
                    read.values[key] = outcome
            ok, result = outcome
            if ok:
                validated[field.source] = result
            else:
                for message in result:
                    parsed.fail(prefix + name, message)
                good = False
        for name in self.required:
            if name not in data and name not in given:
                parsed.fail(prefix + name, "This field is required.")
                good = False
        return validated if good else None


def _read_value(field: serializers.Field, value: object) -> tuple[bool, Any]:
    """(True, the value checked and converted), or (False, why not: messages)."""
    try:
        converted = field.run_validation(value)
    except serializers.ValidationError as error:
        return False, [str(message) for message in _messages(error.detail)]
    problem = _storable_problem(converted)
    return (False, [problem]) if problem else (True, converted)


# The JSON values that are immutable and hashable, and so read once per import (with their
# type in the key: 1 and true are equal in Python, not in a field's checks). Not floats:
# 0.0 and -0.0 are equal, and give decimals of different signs.
_PLAIN_JSON = frozenset({str, int, bool, type(None)})
# At most this many values kept per import: a wording or a number is rarely repeated.
_VALUES_KEPT = 65536


def _storable_problem(value: object) -> str | None:
    # DRF's JSONField (aliases, categories) lets a NUL character through; PostgreSQL would
    # refuse it at the insert, with a message about nothing the client can see.
    return storable.value_problem(value) if isinstance(value, list | dict) else None


CLAIM_FIELDS = FieldChecks(ImportClaimFieldsSerializer)
FULL = {
    "article": FieldChecks(ImportArticleSerializer),
    "outlet": FieldChecks(ImportOutletSerializer),
    "subject": FieldChecks(ImportSubjectSerializer),
    "fact": FieldChecks(ImportFactSerializer),
    "actor": FieldChecks(ImportActorSerializer),
    "parent": FieldChecks(ImportParentSerializer),
}


def parse_row(*, index: int, row: object) -> ParsedRow:
    """Check one row's JSON types and shape, without the database."""
    parsed = ParsedRow(index)
    if not isinstance(row, dict):
        parsed.fail("row", f"Each claim is a JSON object; got {json_type(row)}.")
        return parsed
    own = {k: v for k, v in row.items() if k not in REFERENCES}
    parsed.claim = CLAIM_FIELDS.check(parsed, own, prefix="") or {}

    if row.get("article") is None:
        parsed.fail("article", "Give the article's slug, or the article in full.")
    else:
        parsed.article = _parse_reference(parsed, "article", row["article"], "an article's slug")
    if row.get("subject") is not None:
        parsed.subject = _parse_reference(parsed, "subject", row["subject"], "a subject's slug")
    parsed.fact = _parse_fact(parsed, "fact", row.get("fact"), subject=row.get("subject"))
    if row.get("end_fact") is not None:
        parsed.end_fact = _parse_fact(
            parsed, "end_fact", row["end_fact"], subject=row.get("subject")
        )
    if row.get("actor") is not None:
        parsed.actor = _parse_reference(parsed, "actor", row["actor"], "an actor's slug")

    gives_fact_in_full = isinstance(parsed.fact, dict) or isinstance(parsed.end_fact, dict)
    if gives_fact_in_full and row.get("subject") is None:
        parsed.fail("subject", "A fact given in full needs the row's subject.")
    for name in ("fact", "end_fact"):
        key = getattr(parsed, name)
        if isinstance(key, tuple) and parsed.subject is not None and parsed.subject_slug != key[0]:
            parsed.fail(
                name,
                f"The fact {list(key)} is of the subject {key[0]!r}, not of this row's subject "
                f"{parsed.subject_slug!r}.",
            )
    return parsed


def _parse_slug(parsed: ParsedRow, name: str, value: object) -> str | None:
    if not isinstance(value, str):
        parsed.fail(name, f"Give a slug; got {json_type(value)}.")
        return None
    problem = _slug_problem(value)
    if problem:
        parsed.fail(name, problem)
        return None
    return value


@lru_cache(maxsize=65536)
def _slug_problem(value: str) -> str | None:
    """Why a text is not a slug, or None. Cached: the rows of an import repeat a few slugs."""
    if len(value) > SLUG_MAX_LENGTH:
        return f"A slug has at most {SLUG_MAX_LENGTH} characters."
    try:
        validate_slug(value)
    except ValidationError:
        return f"{value[:SLUG_MAX_LENGTH]!r} is not a slug."
    return None


@dataclasses.dataclass
class ReadAlready:
    """What one import_claims call has read already: the objects given in full, by their JSON
    (see _parse_reference), and the plain values of each field (see FieldChecks.check)."""

    objects: dict[tuple[str, str], dict] = dataclasses.field(default_factory=dict)
    values: dict[tuple[object, ...], tuple[bool, Any]] = dataclasses.field(default_factory=dict)


# Set for the length of one import_claims call.
_read_already: ContextVar[ReadAlready | None] = ContextVar("read_already", default=None)
# The key of an object given in full: its JSON, keys sorted (one encoder, built once).
_OBJECT_KEY = json.JSONEncoder(sort_keys=True, default=str)


# The references a row given in full may hold in turn, and what each refers to.
NESTED = {
    "article": {"outlet": "outlet", "wire_source": "outlet"},
    "actor": {"parent": "parent"},
}


def _parse_reference(
    parsed: ParsedRow, name: str, value: object, key: str, *, kind: str | None = None
) -> str | dict | None:
    """A slug, or an object given in full (with its own references parsed in turn)."""
    kind = kind or name.rsplit(".", 1)[-1]
    if isinstance(value, str):
        return _parse_slug(parsed, name, value)
    if not isinstance(value, dict):
        parsed.fail(name, f"Give {key}, or an object with its fields; got {json_type(value)}.")
        return None
    # The rows of an import repeat their articles, outlets and actors in full: each distinct
    # object is checked once (its fields cost a tenth of a millisecond to check).
    read = _read_already.get()
    cache = read.objects if read is not None else None
    key = (kind, _OBJECT_KEY.encode(value)) if cache is not None else None
    if cache is not None and key in cache:
        return dict(cache[key])
    errors_before = len(parsed.errors)
    nested = NESTED.get(kind, {})
    plain = {k: v for k, v in value.items() if k not in nested}
    present = frozenset(k for k in nested if value.get(k) is not None)
    data = FULL[kind].check(parsed, plain, prefix=f"{name}.", given=present)
    for field_name, target in nested.items():
        if value.get(field_name) is None:
            continue
        reference = _parse_reference(
            parsed, f"{name}.{field_name}", value[field_name], "a slug", kind=target
        )
        if data is not None:
            data[field_name] = reference
    if cache is not None and data is not None and len(parsed.errors) == errors_before:
        cache[key] = data
    return data


def _parse_fact(
    parsed: ParsedRow, name: str, value: object, *, subject: object = None
) -> tuple[str, str] | dict | None:
    if value is None:
        parsed.fail(name, "Give the fact as [subject slug, fact slug], or the fact in full.")
        return None
    if isinstance(value, str):
        # A fact's slug is unique within its subject only: alone, it is the row's subject's.
        subject_slug = subject.get("slug") if isinstance(subject, dict) else subject
        if not isinstance(subject_slug, str):
            parsed.fail(
                name,
                "A fact's slug alone does not say whose it is: give the fact as [subject slug, "
                "fact slug], or give the row's subject.",
            )
            return None
        slug = _parse_slug(parsed, name, value)
        return (subject_slug, slug) if slug else None
    if isinstance(value, list):
        if len(value) != 2:
            parsed.fail(
                name, f"Give the fact as [subject slug, fact slug]; got {len(value)} items."
            )
            return None
        subject, slug = (_parse_slug(parsed, name, item) for item in value)
        return (subject, slug) if subject and slug else None
    return _parse_reference(parsed, name, value, "[subject slug, fact slug]", kind="fact")


def import_claims(
    *,
    rows: Sequence[object],
    user: PermissionHolder,
    mode: str = Mode.CREATE,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import rows as the API receives them (JSON objects): all saved, or none and
    ImportRejected with every problem of every row. See facts.services.imports."""
    token = _read_already.set(ReadAlready())
    try:
        parsed = [parse_row(index=index, row=row) for index, row in enumerate(rows)]
    finally:
        _read_already.reset(token)
    return import_rows(rows=parsed, user=user, mode=mode, progress=progress)
