"""Bulk import of claims, all or none.

Each row is a claim whose article, subject and fact are named by their natural keys, or given in
full to be created. Every row is checked by the models' own full_clean (what the admin and the
single-claim API run), every bad row is reported, and nothing is saved unless every row is good:
claims, the rows they create and the verdicts they refresh go in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_slug
from django.db import DataError, IntegrityError, models, transaction
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facts.domain import storable
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.services import records, verdicts

# The most rows one import takes (as a background job past settings.IMPORT_SYNC_MAX_ROWS).
MAX_ROWS = settings.IMPORT_MAX_ROWS
SLUG_MAX_LENGTH = 200
REVIEW_STATUSES = frozenset({Claim.Status.VERIFIED, Claim.Status.REJECTED})


class PermissionHolder(Protocol):
    """A user, as far as the import asks about one."""

    def has_perm(self, perm: str, obj: object = None) -> bool: ...


@dataclass(frozen=True)
class RowError:
    """One problem: the row's index (None for the request as a whole), the field at fault
    ("wording", "article.outlet", "row" for the row as a whole) and a message for a person."""

    index: int | None
    field: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What an import saved: the claims' ids in row order, and how many rows it created."""

    claim_ids: list[int]
    articles_created: int
    subjects_created: int
    facts_created: int

    @property
    def created(self) -> int:
        """How many claims were saved."""
        return len(self.claim_ids)


class ImportRejected(Exception):
    """Some rows are bad, so nothing was saved; `errors` lists every problem of every row."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problem(s) in the import; nothing was saved.")
        self.errors = errors


class ImportForbidden(Exception):
    """The user lacks a permission some rows need; `errors` names the rows and permissions."""

    def __init__(self, errors: list[RowError], *, missing: dict[str, list[int | None]]) -> None:
        self.errors = errors
        needs = "; ".join(
            permission + _rows_suffix(indexes) for permission, indexes in missing.items()
        )
        self.message = f"This import needs permissions you do not have: {needs}."
        super().__init__(self.message)


def _rows_suffix(indexes: list[int | None]) -> str:
    rows = [str(i) for i in indexes if i is not None]
    if not rows:
        return ""
    shown = ", ".join(rows[:10]) + (" …" if len(rows) > 10 else "")
    return f" (row{'s' if len(rows) > 1 else ''} {shown})"


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


class ImportArticleSerializer(serializers.ModelSerializer):
    """An article given in full: created unless one with its slug is stored, and then used only
    when its text is the same."""

    outlet = serializers.SlugField(max_length=SLUG_MAX_LENGTH, help_text="A stored outlet's slug.")
    wire_source = serializers.SlugField(
        max_length=SLUG_MAX_LENGTH,
        required=False,
        allow_null=True,
        help_text="The slug of the stored wire agency whose story this is, if any.",
    )

    class Meta:
        model = Article
        fields = [
            "slug",
            "outlet",
            "url",
            "headline",
            "byline",
            "published_earliest",
            "published_latest",
            "published_precision",
            "published_inferred",
            "published_note",
            "language",
            "wire_source",
            "text",
        ]
        validators: list = []
        extra_kwargs = {
            "slug": {"required": True, "validators": []},
            "url": {"validators": []},
            "text": exact_text(),
        }


class InlineChoiceField(serializers.ChoiceField):
    """A choice documented as an inline enum."""


class InlineChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """Keep the enum inline (wrapped in allOf, which drf-spectacular's enum hook leaves alone):
    a second component using the subject kinds would make the "kind" enums of outlets, actors
    and subjects collide, a schema warning. An ENUM_NAME_OVERRIDES entry would do it too."""

    target_class = InlineChoiceField

    def map_serializer_field(self, auto_schema, direction) -> dict:
        return {"allOf": [{"type": "string", "enum": list(self.target.choices)}]}


class ImportSubjectSerializer(serializers.ModelSerializer):
    """A subject given in full: created unless one with its slug is stored."""

    kind = InlineChoiceField(
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
        fields = [
            "wording",
            "start",
            "end",
            "prefix",
            "suffix",
            "status",
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
            "attribution_cue",
            "attribution_mode",
            "note",
        ]
        validators: list = []
        extra_kwargs = {
            "start": {"allow_null": True},
            "end": {"allow_null": True},
            "wording": exact_text(),
            "prefix": exact_text(),
            "suffix": exact_text(),
        }


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


class ImportRowSerializer(ImportClaimFieldsSerializer):
    """One row of an import: a claim, with its article, subject, fact and actor."""

    article = ReferenceField(
        key_schema=SLUG_SCHEMA,
        full=ImportArticleSerializer,
        help_text="A stored article's slug, or the article in full.",
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
    actor = serializers.SlugField(
        max_length=SLUG_MAX_LENGTH,
        required=False,
        allow_null=True,
        help_text="The slug of the stored actor the claim is credited to; null for the "
        "outlet's own voice.",
    )

    class Meta(ImportClaimFieldsSerializer.Meta):
        fields = ["article", "subject", "fact", "actor", *ImportClaimFieldsSerializer.Meta.fields]


REFERENCES = ("article", "subject", "fact", "actor")
ROW_FIELDS = frozenset(ImportRowSerializer.Meta.fields)


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


class ClaimImportErrorsSerializer(serializers.Serializer):
    """Why an import was refused: every problem of every row. Nothing was saved."""

    errors = RowErrorSerializer(many=True)


class ClaimImportForbiddenSerializer(serializers.Serializer):
    """A permission is missing; the rows that need it are listed when the import got that far."""

    detail = serializers.CharField()
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


@dataclass
class ParsedRow:
    """A row with its JSON types checked: references as slugs, slug pairs or field dicts."""

    index: int
    article: str | dict | None = None
    subject: str | dict | None = None
    fact: tuple[str, str] | dict | None = None
    actor: str | None = None
    claim: dict[str, Any] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)

    def fail(self, name: str, message: str) -> None:
        self.errors.append(RowError(self.index, name, message))

    @property
    def subject_slug(self) -> str | None:
        """The slug of the subject the row names, if it names one."""
        return self.subject["slug"] if isinstance(self.subject, dict) else self.subject


def parse_row(*, index: int, row: object) -> ParsedRow:
    """Check one row's JSON types and shape, without the database."""
    parsed = ParsedRow(index)
    if not isinstance(row, dict):
        parsed.fail("row", f"Each claim is a JSON object; got {json_type(row)}.")
        return parsed
    for name in row:
        if name not in ROW_FIELDS:
            parsed.fail(name, "Unknown field.")
    own = ImportClaimFieldsSerializer(data={k: v for k, v in row.items() if k not in REFERENCES})
    if own.is_valid():
        parsed.claim = dict(own.validated_data)
    else:
        _add_serializer_errors(parsed, own.errors, prefix="")

    if "article" not in row or row["article"] is None:
        parsed.fail("article", "Give the article's slug, or the article in full.")
    else:
        parsed.article = _parse_reference(
            parsed, "article", row["article"], ImportArticleSerializer, "an article's slug"
        )
    if row.get("subject") is not None:
        parsed.subject = _parse_reference(
            parsed, "subject", row["subject"], ImportSubjectSerializer, "a subject's slug"
        )
    parsed.fact = _parse_fact(parsed, row.get("fact"))
    if row.get("actor") is not None:
        parsed.actor = _parse_slug(parsed, "actor", row["actor"])

    if isinstance(parsed.fact, dict) and row.get("subject") is None:
        parsed.fail("subject", "A fact given in full needs the row's subject.")
    if (
        isinstance(parsed.fact, tuple)
        and parsed.subject is not None
        and parsed.subject_slug != parsed.fact[0]
    ):
        parsed.fail(
            "fact",
            f"The fact {list(parsed.fact)} is of the subject {parsed.fact[0]!r}, not of this "
            f"row's subject {parsed.subject_slug!r}.",
        )
    return parsed


def _add_serializer_errors(parsed: ParsedRow, errors: Mapping, *, prefix: str) -> None:
    for name, detail in errors.items():
        target = (prefix.rstrip(".") or "row") if name == "non_field_errors" else prefix + name
        if isinstance(detail, Mapping):
            _add_serializer_errors(parsed, detail, prefix=f"{target}.")
        else:
            for message in _messages(detail):
                parsed.fail(target, str(message))


def _parse_slug(parsed: ParsedRow, name: str, value: object) -> str | None:
    if not isinstance(value, str):
        parsed.fail(name, f"Give a slug; got {json_type(value)}.")
        return None
    try:
        validate_slug(value)
    except ValidationError:
        parsed.fail(name, f"{value[:SLUG_MAX_LENGTH]!r} is not a slug.")
        return None
    if len(value) > SLUG_MAX_LENGTH:
        parsed.fail(name, f"A slug has at most {SLUG_MAX_LENGTH} characters.")
        return None
    return value


def _parse_reference(
    parsed: ParsedRow,
    name: str,
    value: object,
    full: type[serializers.ModelSerializer],
    key: str,
) -> str | dict | None:
    if isinstance(value, str):
        return _parse_slug(parsed, name, value)
    if not isinstance(value, dict):
        parsed.fail(name, f"Give {key}, or an object with its fields; got {json_type(value)}.")
        return None
    serializer = full(data=value)
    for unknown in value.keys() - serializer.fields.keys():
        parsed.fail(f"{name}.{unknown}", "Unknown field.")
    if not serializer.is_valid():
        _add_serializer_errors(parsed, serializer.errors, prefix=f"{name}.")
        return None
    data = dict(serializer.validated_data)
    # DRF's JSONField (aliases, categories) lets a NUL character through; PostgreSQL would
    # refuse it at the insert, with a message about nothing the client can see.
    for key, value in data.items():
        problem = storable.value_problem(value) if isinstance(value, list | dict) else None
        if problem:
            parsed.fail(f"{name}.{key}", problem)
            return None
    return data


def _parse_fact(parsed: ParsedRow, value: object) -> tuple[str, str] | dict | None:
    if value is None:
        parsed.fail("fact", "Give the fact as [subject slug, fact slug], or the fact in full.")
        return None
    if isinstance(value, list):
        if len(value) != 2:
            parsed.fail(
                "fact", f"Give the fact as [subject slug, fact slug]; got {len(value)} items."
            )
            return None
        subject, slug = (_parse_slug(parsed, "fact", item) for item in value)
        return (subject, slug) if subject and slug else None
    return _parse_reference(
        parsed, "fact", value, ImportFactSerializer, "[subject slug, fact slug]"
    )


# What is stored already ---------------------------------------------------------------------


@dataclass
class Known:
    """The rows the import refers to, loaded in one query per model and kept up to date with
    the rows the import creates, so later rows can refer to them."""

    outlets: dict[str, Outlet]
    articles: dict[str, Article]
    subjects: dict[str, Subject]
    facts: dict[tuple[str, str], Fact]
    actors: dict[str, Actor]
    # (model name, natural key) -> the first row that failed to create that row: later rows
    # that refer to it are told why it is missing.
    failed: dict[tuple[str, object], int] = field(default_factory=dict)
    # Who imports: every row is saved on their behalf, under the review rule.
    user: PermissionHolder | None = None


def load_known(*, rows: Sequence[ParsedRow]) -> Known:
    """Fetch every outlet, article, subject, fact and actor the rows name."""
    outlets: set[str | None] = set()
    articles: set[str | None] = set()
    subjects: set[str | None] = set()
    actors: set[str | None] = set()
    fact_keys: set[tuple[str, str]] = set()
    for row in rows:
        if isinstance(row.article, dict):
            articles.add(row.article["slug"])
            outlets.add(row.article["outlet"])
            outlets.add(row.article.get("wire_source"))
        else:
            articles.add(row.article)
        subjects.add(row.subject_slug)
        if isinstance(row.fact, tuple):
            fact_keys.add(row.fact)
        elif isinstance(row.fact, dict) and row.subject_slug:
            fact_keys.add((row.subject_slug, row.fact["slug"]))
        actors.add(row.actor)
    facts = Fact.objects.select_related("subject").filter(
        subject__slug__in={s for s, _ in fact_keys}, slug__in={f for _, f in fact_keys}
    )
    return Known(
        outlets=_by_slug(Outlet, outlets),
        articles=_by_slug(Article, articles),
        subjects=_by_slug(Subject, subjects),
        facts={
            (fact.subject.slug, fact.slug): fact
            for fact in facts
            if (fact.subject.slug, fact.slug) in fact_keys
        },
        actors=_by_slug(Actor, actors),
    )


def _by_slug(model: type[models.Model], slugs: set[str | None]) -> dict[str, Any]:
    wanted = slugs - {None, ""}
    return {row.slug: row for row in model.objects.filter(slug__in=wanted)} if wanted else {}


# Permissions --------------------------------------------------------------------------------


def check_permissions(*, rows: Sequence[ParsedRow], known: Known, user: PermissionHolder) -> None:
    """Raise ImportForbidden unless the user may do all that the rows ask, in row order."""
    if not user.has_perm("facts.add_claim"):
        message = "Adding claims needs the permission facts.add_claim."
        raise ImportForbidden(
            [RowError(None, "claims", message)], missing={"facts.add_claim": [None]}
        )
    errors: list[RowError] = []
    missing: dict[str, list[int | None]] = {}
    articles, subjects, facts = set(known.articles), set(known.subjects), set(known.facts)
    held: dict[str, bool] = {}

    def need(row: ParsedRow, name: str, permission: str, doing: str) -> None:
        if permission not in held:
            held[permission] = user.has_perm(permission)
        if not held[permission]:
            errors.append(RowError(row.index, name, f"{doing} needs the permission {permission}."))
            missing.setdefault(permission, []).append(row.index)

    # In row order, as the import runs: a row may use what an earlier row creates.
    for row in rows:
        if isinstance(row.article, dict) and row.article["slug"] not in articles:
            slug = row.article["slug"]
            articles.add(slug)
            need(row, "article", "facts.add_article", f"Creating the article {slug!r}")
        if isinstance(row.subject, dict) and row.subject["slug"] not in subjects:
            slug = row.subject["slug"]
            subjects.add(slug)
            need(row, "subject", "facts.add_subject", f"Creating the subject {slug!r}")
        if isinstance(row.fact, dict) and row.subject_slug:
            key = (row.subject_slug, row.fact["slug"])
            if key not in facts:
                facts.add(key)
                need(row, "fact", "facts.add_fact", f"Creating the fact {list(key)}")
        status = row.claim.get("status")
        if status in REVIEW_STATUSES:
            need(row, "status", "facts.verify_claim", f"Importing a claim as {status}")
    if errors:
        raise ImportForbidden(errors, missing=missing)


# The import ---------------------------------------------------------------------------------


@dataclass
class Counts:
    articles: int = 0
    subjects: int = 0
    facts: int = 0


@transaction.atomic
def import_claims(
    *,
    rows: Sequence[object],
    user: PermissionHolder,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Save every row in one transaction, or none and raise ImportRejected with every problem.

    `progress(done, total)`, when given, is told how many rows have been handled so far (a
    background job shows it to the client that waits)."""
    if len(rows) > MAX_ROWS:
        raise ImportRejected(
            [RowError(None, "claims", f"Send at most {MAX_ROWS} claims at a time.")]
        )
    parsed = [parse_row(index=index, row=row) for index, row in enumerate(rows)]
    known = load_known(rows=parsed)
    known.user = user
    check_permissions(rows=parsed, known=known, user=user)

    errors: list[RowError] = []
    counts = Counts()
    claim_ids: list[int] = []
    with verdicts.deferred_refresh():
        for done, row in enumerate(parsed, start=1):
            claim = _claim_of(row, known, counts)
            errors += row.errors
            if claim is not None and not row.errors:
                claim_ids.append(claim.pk)
            if progress is not None and (done % 100 == 0 or done == len(parsed)):
                progress(done, len(parsed))
        if errors:
            # Raised inside the atomic block: everything saved so far is rolled back.
            raise ImportRejected(errors)
    return ImportResult(
        claim_ids=claim_ids,
        articles_created=counts.articles,
        subjects_created=counts.subjects,
        facts_created=counts.facts,
    )


def _claim_of(row: ParsedRow, known: Known, counts: Counts) -> Claim | None:
    """Resolve a row's references (creating those given in full), then clean and save its
    claim; problems go to row.errors."""
    article = _article_of(row, known, counts)
    subject = _subject_of(row, known, counts)
    fact = _fact_of(row, subject, known, counts)
    actor = None
    if row.actor is not None:
        actor = known.actors.get(row.actor)
        if actor is None:
            row.fail("actor", f"There is no actor {row.actor!r}.")
    if row.errors or article is None or fact is None:
        return None
    claim = Claim(article=article, fact=fact, actor=actor, **row.claim)
    # Later rows see this claim (a duplicate is refused by the model's unique constraints).
    return claim if _clean_and_save(row, claim, prefix="", user=known.user) else None


def _article_of(row: ParsedRow, known: Known, counts: Counts) -> Article | None:
    if isinstance(row.article, str):
        return _stored(row, "article", row.article, known.articles.get(row.article), known)
    if not isinstance(row.article, dict):
        return None
    slug = row.article["slug"]
    stored = known.articles.get(slug)
    if stored is None:
        article = _new_article(row, known)
        if article is None:
            known.failed.setdefault(("article", slug), row.index)
            return None
        known.articles[slug] = article
        counts.articles += 1
        return article
    if stored.text != row.article["text"]:
        row.fail(
            "article.text",
            f"An article with the slug {slug!r} is stored already with another text: refer to "
            "it by its slug, or give this one another slug.",
        )
        return None
    return stored


def _new_article(row: ParsedRow, known: Known) -> Article | None:
    fields = dict(row.article)
    outlets = {name: fields.pop(name, None) for name in ("outlet", "wire_source")}
    found = {name: known.outlets.get(slug) for name, slug in outlets.items() if slug}
    for name, outlet in found.items():
        if outlet is None:
            row.fail(f"article.{name}", f"There is no outlet {outlets[name]!r}.")
    if None in found.values():
        return None
    article = Article(**fields, **found)
    return article if _clean_and_save(row, article, prefix="article", user=known.user) else None


def _subject_of(row: ParsedRow, known: Known, counts: Counts) -> Subject | None:
    if isinstance(row.subject, dict):
        slug = row.subject["slug"]
        if slug in known.subjects:
            return known.subjects[slug]
        subject = Subject(**row.subject)
        if not _clean_and_save(row, subject, prefix="subject", user=known.user):
            known.failed.setdefault(("subject", slug), row.index)
            return None
        known.subjects[slug] = subject
        counts.subjects += 1
        return subject
    if row.subject is None:
        return None
    return _stored(row, "subject", row.subject, known.subjects.get(row.subject), known)


def _fact_of(row: ParsedRow, subject: Subject | None, known: Known, counts: Counts) -> Fact | None:
    if isinstance(row.fact, tuple):
        return _stored(row, "fact", row.fact, known.facts.get(row.fact), known)
    if not isinstance(row.fact, dict) or subject is None:
        return None
    key = (subject.slug, row.fact["slug"])
    if key in known.facts:
        return known.facts[key]
    fact = Fact(subject=subject, **row.fact)
    if not _clean_and_save(row, fact, prefix="fact", user=known.user):
        known.failed.setdefault(("fact", key), row.index)
        return None
    known.facts[key] = fact
    counts.facts += 1
    return fact


def _stored(row: ParsedRow, name: str, key: str | tuple[str, str], found: Any, known: Known) -> Any:
    """A row named by its natural key, or an error (saying which earlier row failed to create
    it, if one did)."""
    if found is None:
        failed = known.failed.get((name, key))
        why = f" (row {failed}, which gives it in full, has errors)" if failed is not None else ""
        shown = f"{key[1]!r} of the subject {key[0]!r}" if isinstance(key, tuple) else repr(key)
        row.fail(name, f"There is no {name} {shown}{why}.")
    return found


def _clean_and_save(
    row: ParsedRow, instance: models.Model, *, prefix: str, user: PermissionHolder
) -> bool:
    """Save through the services (full_clean, the review rule, verdicts) in a savepoint, and
    report problems on the row."""
    try:
        # A savepoint: a refused insert leaves the import's transaction usable (PostgreSQL
        # aborts a transaction on any error otherwise), so the later rows are still checked.
        with transaction.atomic():
            records.save_record(user=user, row=instance)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            if name == NON_FIELD_ERRORS:
                target = prefix or "row"
            else:
                target = f"{prefix}.{name}" if prefix else name
            for message in messages:
                row.fail(target, message)
        return False
    except IntegrityError:
        # full_clean checked the constraints, so this is another writer's row saved meanwhile.
        row.fail(
            prefix or "row",
            "The database refused this row: it conflicts with a row saved meanwhile. "
            "Send the import again.",
        )
        return False
    except DataError:
        row.fail(prefix or "row", "The database refused a value of this row as out of range.")
        return False
    return True
