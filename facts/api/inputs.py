"""What a client sends to create or change a row: only what a person would give (ids, versions,
timestamps and everything derived are the server's), checked strictly.

Input and output are separate serializers (the HackSoft style): a generated client's request
models then need only these fields, and a response can carry whatever a reader needs without
becoming something to send back. The checks here are of the request's shape: the field limits
come from the model fields (ModelSerializer), and the record's rules run in the services
(facts.services.records), whose ValidationError is a 400 by field.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject

# What JSON type each kind of field takes; nothing is coerced (no "12" for 12, no 1 for true,
# no 123 for "123").
JSON_TYPES: list[tuple[type[serializers.Field], tuple[type, ...], str]] = [
    (serializers.BooleanField, (bool,), "true or false"),
    (serializers.PrimaryKeyRelatedField, (int,), "an id (a whole number)"),
    (serializers.IntegerField, (int,), "a whole number"),
    (serializers.DecimalField, (int, float), "a number"),
    (serializers.FloatField, (int, float), "a number"),
    (serializers.ListField, (list,), "a list"),
    (serializers.DictField, (dict,), "an object"),
    (serializers.SlugRelatedField, (str,), "a slug (text)"),
    (serializers.DateField, (str,), "a date as text (YYYY-MM-DD)"),
    (serializers.DateTimeField, (str,), "a time as text (ISO 8601)"),
    (serializers.ChoiceField, (str,), "text"),
    (serializers.CharField, (str,), "text"),
]


def type_problem(field: serializers.Field, value: object) -> str | None:
    """Why a value is of the wrong JSON type for a field, or None."""
    if value is None:
        return None  # The field's own allow_null check answers this.
    for kind, types, name in JSON_TYPES:
        if isinstance(field, kind):
            # bool is an int to Python, never to a client.
            if isinstance(value, bool) and bool not in types:
                return f"Expected {name}, got true or false."
            if not isinstance(value, types):
                return f"Expected {name}, got {json_name(value)}."
            return inner_type_problem(field, value)
    return None


def inner_type_problem(field: serializers.Field, value: object) -> str | None:
    """Why an item of a list, or a value of an object, is of the wrong type, or None."""
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        for index, item in enumerate(value):
            problem = type_problem(field.child, item)
            if problem:
                return f"Item [{index}]: {problem}"
    if isinstance(field, serializers.DictField) and isinstance(value, dict):
        for key, item in value.items():
            problem = type_problem(field.child, item)
            if problem:
                return f"{key!r}: {problem}"
    return None


def json_name(value: object) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


class StrictInput(serializers.ModelSerializer):
    """Refuses fields it does not take (naming them) and values of the wrong JSON type, before
    DRF would quietly drop or coerce them."""

    def get_validators(self) -> list:
        # The model's constraints are checked by full_clean in the service, with their own
        # messages; DRF's copies would make optional fields (slug, start, end) required.
        return []

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            # Uniqueness is the model's to check (full_clean, which knows the row being
            # changed); DRF's copy would refuse a row's own slug on a PUT.
            field.validators = [v for v in field.validators if not isinstance(v, UniqueValidator)]
        return fields

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            problems = self.unknown_fields(data) | self.wrong_types(data)
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)

    def unknown_fields(self, data: Mapping) -> dict[str, list[str]]:
        writable = [name for name, field in self.fields.items() if not field.read_only]
        given_by_server = {"id", "version", "created_at", "updated_at"}
        problems = {}
        for name in data:
            if name in writable:
                continue
            if name in given_by_server or name in self.Meta.model.__dict__:
                why = f"{name} is not set by clients: leave it out."
            else:
                why = f"Unknown field. The fields are: {', '.join(writable)}."
            problems[str(name)] = [why]
        return problems

    def wrong_types(self, data: Mapping) -> dict[str, list[str]]:
        problems = {}
        for name, value in data.items():
            field = self.fields.get(name)
            if field is None or field.read_only:
                continue
            problem = type_problem(field, value)
            if problem:
                problems[str(name)] = [problem]
        return problems


class SlugField(serializers.SlugRelatedField):
    """A related row given by its slug."""

    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(slug_field="slug", queryset=queryset, **kwargs)

    def to_internal_value(self, data):
        # PostgreSQL cannot even compare a string holding NUL: refuse it before the lookup.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="(a NUL character)")
        return super().to_internal_value(data)


NAMES = serializers.ListField(
    child=serializers.CharField(), required=False, help_text="Other names, as a list."
)


class OutletInput(StrictInput):
    class Meta:
        model = Outlet
        fields = ["slug", "name", "domain", "country", "kind"]
        extra_kwargs = {"slug": {"required": False}}


# What a client gives of an article, here and in the claims import (facts.api.importing).
ARTICLE_FIELDS = [
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


class ArticleInput(StrictInput):
    outlet = SlugField(Outlet.objects.all())
    wire_source = SlugField(Outlet.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Article
        fields = ARTICLE_FIELDS
        extra_kwargs = {"slug": {"required": False}, "text": {"trim_whitespace": False}}


class ActorInput(StrictInput):
    parent = SlugField(Actor.objects.all(), allow_null=True, required=False)
    aliases = NAMES

    class Meta:
        model = Actor
        fields = ["slug", "name", "kind", "aliases", "parent", "description"]
        extra_kwargs = {"slug": {"required": False}}


class SubjectInput(StrictInput):
    aliases = NAMES

    class Meta:
        model = Subject
        fields = ["slug", "name", "kind", "aliases", "description"]
        extra_kwargs = {"slug": {"required": False}}


class FactInput(StrictInput):
    subject = SlugField(Subject.objects.all())
    categories = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="The allowed values of a categorical fact.",
    )
    category_within = serializers.DictField(
        child=serializers.CharField(),
        required=False,
        help_text='Categories that lie within another, as {narrower: broader}: {"Minsk": '
        '"Belarus"}.',
    )

    class Meta:
        model = Fact
        fields = [
            "slug",
            "subject",
            "property",
            "value_kind",
            "unit",
            "categories",
            "category_within",
            "description",
        ]
        extra_kwargs = {"slug": {"required": False}}


class ClaimInput(StrictInput):
    """A claim as an editor gives it: the fact, the article, the exact wording (with its place,
    or found in the text), the value as worded, and whom the outlet credits."""

    fact = serializers.PrimaryKeyRelatedField(queryset=Fact.objects.select_related("subject"))
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.select_related("outlet", "wire_source")
    )
    actor = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Claim
        fields = [
            "status",
            "fact",
            "article",
            "wording",
            "prefix",
            "suffix",
            "start",
            "end",
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
            "actor",
            "attribution_cue",
            "attribution_mode",
            "note",
        ]
        extra_kwargs = {
            "start": {"required": False, "allow_null": True},
            "end": {"required": False, "allow_null": True},
            # Offsets count every character: a wording, prefix or suffix is kept as sent.
            "wording": {"trim_whitespace": False},
            "prefix": {"trim_whitespace": False},
            "suffix": {"trim_whitespace": False},
            # Numbers are JSON numbers both ways.
            "number": {"coerce_to_string": False},
            "number_high": {"coerce_to_string": False},
        }


class IngestInput(serializers.Serializer):
    """A captured article to ingest: its HTML or text as received, and what is known of it
    (each given value wins over what the capture says)."""

    outlet = SlugField(Outlet.objects.all(), help_text="The outlet's slug.")
    # Blank and untrimmed: the ingest says what is wrong with an empty capture, and offsets
    # count the text as sent.
    content = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="The page's HTML or the plain text."
    )
    content_type = serializers.ChoiceField(
        choices=["html", "text"],
        required=False,
        allow_null=True,
        help_text="html or text; told from the content when left out.",
    )
    url = serializers.URLField(max_length=1000, required=False, allow_blank=True, default="")
    published = serializers.DateField(
        required=False, allow_null=True, default=None, help_text="The publication day."
    )
    headline = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    byline = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            problems = {
                str(name): [f"Unknown field. The fields are: {', '.join(self.fields)}."]
                for name in data
                if name not in self.fields
            }
            for name, value in data.items():
                field = self.fields.get(name)
                problem = type_problem(field, value) if field is not None else None
                if problem:
                    problems[str(name)] = [problem]
            if problems:
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)


class IngestBatchInput(serializers.Serializer):
    """Captures to ingest in the background, all or nothing."""

    articles = IngestInput(many=True)

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            unknown = [name for name in data if name != "articles"]
            if unknown:
                raise serializers.ValidationError(
                    {str(name): ["Unknown field. The fields are: articles."] for name in unknown}
                )
            if "articles" in data and not isinstance(data["articles"], list):
                raise serializers.ValidationError(
                    {"articles": [f"Expected a list, got {json_name(data['articles'])}."]}
                )
            if data.get("articles") == []:
                raise serializers.ValidationError({"articles": ["Send at least one article."]})
        return super().to_internal_value(data)
