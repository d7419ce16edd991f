"""The API's representations of rows (its outputs; what clients send is in facts.api.inputs).
Every serializer lists its fields."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date

from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from facts.api import visibility
from facts.api.row_plans import PlannedList, PlannedOutput
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject, ValueKind, Verdict
from facts.models.actors import originator_of
from facts.services import verdicts

TRACKED = ["version", "created_at", "updated_at"]


class Output(serializers.ModelSerializer):
    """A row as the API shows it: every field read-only (what clients send is in
    facts.api.inputs); decimals as JSON numbers, as clients send them; the staff-only fields
    (facts.api.visibility) left out for anyone else."""

    # Read by facts.api.row_plans: a plan leaves out the same fields.
    hides_staff_fields = True

    @property
    def _readable_fields(self) -> Iterator[serializers.Field]:
        # The fields shown: never read for a reader who does not see them (a deferred capture
        # would cost a query a row). The schema lists every field (`fields`).
        hidden = visibility.hidden_in_context(self.Meta.model, self.context)
        for field in super()._readable_fields:
            if field.field_name not in hidden:
                yield field

    def get_fields(self) -> dict:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
            if isinstance(field, serializers.DecimalField):
                field.coerce_to_string = False
        return fields


class OutletSerializer(Output):
    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "domain", "country", "kind", *TRACKED]


class OutletBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class ArticleSerializer(Output):
    outlet = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    outlet_name = serializers.CharField(source="outlet.name", read_only=True)
    wire_source = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    # Empty for an article that did not come through the ingest (typed by hand, imported).
    capture_type = serializers.ChoiceField(
        choices=Article._meta.get_field("capture_type").choices,
        allow_blank=True,
        read_only=True,
        help_text="html or text: how the capture came; empty when the article was not ingested.",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "slug",
            "outlet",
            "outlet_name",
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
            "text_hash",
            "capture",
            "capture_type",
            *TRACKED,
        ]


class ArticleBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Article
        fields = ["id", "slug", "headline", "published_earliest", "published_latest"]
        read_only_fields = fields


class ActorBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Actor
        fields = ["id", "slug", "name"]
        read_only_fields = fields


NAMES = serializers.ListField(child=serializers.CharField(), help_text="Other names.")


class ActorSerializer(Output):
    aliases = NAMES
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    originator = serializers.SerializerMethodField()

    class Meta:
        model = Actor
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "aliases",
            "parent",
            "originator",
            "description",
            *TRACKED,
        ]

    @extend_schema_field(ActorBriefSerializer)
    def get_originator(self, actor: Actor) -> dict:
        """The independent originator this actor counts under (the top of its chain)."""
        return ActorBriefSerializer(actor.originator()).data


class SubjectSerializer(Output):
    aliases = NAMES

    class Meta:
        model = Subject
        fields = ["id", "slug", "name", "kind", "aliases", "description", *TRACKED]


# Values by kind: a quantity's bounds are numbers in the fact's unit, a date's are days
# (YYYY-MM-DD), a category is its name. Each shape is its own component, told apart by
# value_kind, so a generated client gets a typed class for each.


class QuantityValueSerializer(serializers.Serializer):
    value_kind = serializers.ChoiceField(choices=[ValueKind.QUANTITY.value])
    low = serializers.FloatField(allow_null=True, help_text="null: no lower bound.")
    best = serializers.FloatField(allow_null=True)
    high = serializers.FloatField(allow_null=True, help_text="null: no upper bound.")
    unit = serializers.CharField(help_text="The fact's unit; empty for a count.")


class DateValueSerializer(serializers.Serializer):
    value_kind = serializers.ChoiceField(choices=[ValueKind.DATE.value])
    low = serializers.DateField(allow_null=True, help_text="The earliest day; null: open.")
    best = serializers.DateField(allow_null=True)
    high = serializers.DateField(allow_null=True, help_text="The latest day; null: open.")


class CategoryValueSerializer(serializers.Serializer):
    value_kind = serializers.ChoiceField(choices=[ValueKind.CATEGORICAL.value])
    category = serializers.CharField(allow_null=True)


def value_union(name: str, **kwargs) -> PolymorphicProxySerializer:
    return PolymorphicProxySerializer(
        component_name=name,
        serializers={
            ValueKind.QUANTITY.value: QuantityValueSerializer,
            ValueKind.DATE.value: DateValueSerializer,
            ValueKind.CATEGORICAL.value: CategoryValueSerializer,
        },
        resource_type_field_name="value_kind",
        **kwargs,
    )


def value_in_terms(fact: Fact, value: dict | None) -> dict | None:
    """A stored value ({low, best, high} or {category}) in its fact's terms, with its kind."""
    if value is None:
        return None
    if fact.value_kind == ValueKind.CATEGORICAL:
        return {"value_kind": fact.value_kind, "category": value.get("category") or None}
    shown = {name: value.get(name) for name in ("low", "best", "high")}
    if fact.value_kind == ValueKind.QUANTITY:
        return {"value_kind": fact.value_kind, **shown, "unit": fact.unit}
    return {"value_kind": fact.value_kind, **shown}


def consensus_value(fact: Fact) -> dict | None:
    """A fact's stored consensus in its own terms: days for a date, numbers with a unit."""
    if fact.value_kind == ValueKind.CATEGORICAL:
        return value_in_terms(fact, {"category": fact.consensus_category})

    def shown(value: float | None):
        if value is None:
            return None
        if fact.value_kind == ValueKind.DATE:
            return date.fromordinal(int(value)).isoformat()
        return value

    stored = {"low": fact.consensus_low, "best": fact.consensus_best, "high": fact.consensus_high}
    return value_in_terms(fact, {name: shown(value) for name, value in stored.items()})


class CountsSerializer(serializers.Serializer):
    claims = serializers.IntegerField()
    articles = serializers.IntegerField()
    outlets = serializers.IntegerField()
    originators = serializers.IntegerField(help_text="Independent originators.")


class VerdictSerializer(serializers.Serializer):
    """A fact's stored verdict."""

    kind = serializers.ChoiceField(source="verdict", choices=Verdict.choices)
    summary = serializers.CharField(source="verdict_summary")
    consensus = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(source="verdict_updated_at")
    stale = serializers.BooleanField(
        source="verdict_stale",
        help_text="True while a job refreshes the verdict of a busy fact after a write: this "
        "verdict does not count that write yet. The fact's version (its ETag) goes up when the "
        "verdict is fresh again.",
    )

    @extend_schema_field(value_union("Consensus"))
    def get_consensus(self, fact: Fact) -> dict | None:
        return consensus_value(fact)

    @extend_schema_field(CountsSerializer)
    def get_counts(self, fact: Fact) -> dict:
        return {
            "claims": fact.counted_claims,
            "articles": fact.counted_articles,
            "outlets": fact.counted_outlets,
            "originators": fact.counted_originators,
        }


class LikelyOriginatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="'actor:12' or 'outlet:3'.")
    name = serializers.CharField()
    weight = serializers.FloatField(help_text="Its track-record weight over all facts.")
    supports = serializers.BooleanField(help_text="Whether its claim backs the likely value.")


class LikelySerializer(serializers.Serializer):
    """The likely value beside the verdict: originators weighed by their track records."""

    value = serializers.SerializerMethodField(help_text="null with no claim.")
    unit = serializers.SerializerMethodField()
    confidence = serializers.FloatField(source="likely_confidence", allow_null=True)
    tied = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    originators = serializers.SerializerMethodField()

    @extend_schema_field(value_union("LikelyValue", allow_null=True))
    def get_value(self, fact: Fact) -> dict | None:
        return value_in_terms(fact, fact.likely_value)

    def get_unit(self, fact: Fact) -> str | None:
        return fact.unit if fact.value_kind == ValueKind.QUANTITY else None

    def get_tied(self, fact: Fact) -> bool:
        return bool((fact.likely_detail or {}).get("tied", False))

    def get_method(self, fact: Fact) -> str:
        return (fact.likely_detail or {}).get("method", "")

    @extend_schema_field(LikelyOriginatorSerializer(many=True))
    def get_originators(self, fact: Fact) -> list:
        return list((fact.likely_detail or {}).get("originators", []))


class FactSerializer(Output):
    subject = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    subject_name = serializers.CharField(source="subject.name", read_only=True)
    categories = serializers.ListField(child=serializers.CharField())
    category_within = serializers.DictField(
        child=serializers.CharField(), help_text="{narrower: broader} categories."
    )
    verdict = VerdictSerializer(source="*", read_only=True)
    likely = LikelySerializer(source="*", read_only=True)

    class Meta:
        model = Fact
        fields = [
            "id",
            "slug",
            "subject",
            "subject_name",
            "property",
            "value_kind",
            "unit",
            "categories",
            "category_within",
            "description",
            "verdict",
            "likely",
            *TRACKED,
        ]


class FactBriefSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.slug", read_only=True)

    class Meta:
        model = Fact
        fields = ["id", "slug", "subject", "property", "value_kind", "unit", "verdict"]
        read_only_fields = fields


class QuantityIntervalSerializer(serializers.Serializer):
    value_kind = serializers.ChoiceField(choices=[ValueKind.QUANTITY.value])
    low = serializers.FloatField(allow_null=True, help_text="null: no lower bound.")
    high = serializers.FloatField(allow_null=True, help_text="null: no upper bound.")
    unit = serializers.CharField(help_text="The fact's unit (the claim's converted); '' counts.")


class DateIntervalSerializer(serializers.Serializer):
    value_kind = serializers.ChoiceField(choices=[ValueKind.DATE.value])
    low = serializers.DateField(help_text="The earliest day the claim allows.")
    high = serializers.DateField(help_text="The latest day the claim allows.")


INTERVAL = PolymorphicProxySerializer(
    component_name="Interval",
    serializers={
        ValueKind.QUANTITY.value: QuantityIntervalSerializer,
        ValueKind.DATE.value: DateIntervalSerializer,
    },
    resource_type_field_name="value_kind",
    allow_null=True,
)


def claim_interval(claim: Claim) -> dict | None:
    """The interval a claim stands for, in its fact's unit (a date as its days); null for a
    category or an undisclosed value."""
    if claim.undisclosed or claim.value_kind == ValueKind.CATEGORICAL:
        return None
    if claim.value_kind == ValueKind.DATE:
        return {
            "value_kind": claim.value_kind,
            "low": claim.date_earliest.isoformat(),
            "high": claim.date_latest.isoformat(),
        }
    fact_unit = claim.fact.unit
    factor = 1.0 if claim.unit == fact_unit else verdicts.unit_factor(claim.unit, fact_unit)

    def converted(value) -> float | None:
        if value is None:
            return None
        result = float(value) * factor
        return result if math.isfinite(result) else None

    return {
        "value_kind": claim.value_kind,
        "low": converted(claim.lower),
        "high": converted(claim.upper),
        "unit": fact_unit,
    }


class OriginatorSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(
        choices=["actor", "outlet"], help_text="outlet: the outlet's (or wire's) own voice."
    )
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()


class AttributionSerializer(serializers.Serializer):
    actor = ActorBriefSerializer(allow_null=True)
    originator = serializers.SerializerMethodField()
    cue = serializers.CharField(source="attribution_cue")
    mode = serializers.CharField(source="attribution_mode")

    @extend_schema_field(OriginatorSerializer)
    def get_originator(self, claim: Claim) -> dict:
        """Who originates the claim: the actor's top body, or the outlet for its own voice."""
        if claim.actor is None:
            outlet = claim.article.wire_source or claim.article.outlet
            return {"kind": "outlet", "id": outlet.id, "slug": outlet.slug, "name": outlet.name}
        # A claim, or a listed row of one (ClaimQuerySet.listed): both read by attribute.
        top = originator_of(claim.actor)
        return {"kind": "actor", "id": top.id, "slug": top.slug, "name": top.name}


class ClaimSerializer(PlannedOutput, Output):
    """A claim, with what clients need inline: its outlet, article, fact, attribution, value
    and the interval it stands for. Written by its plan (facts.api.row_plans): the claims list
    is the API's busiest path (issue 16); its method fields read only the claim."""

    fact = serializers.PrimaryKeyRelatedField(read_only=True)
    article = serializers.PrimaryKeyRelatedField(read_only=True)
    actor = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    fact_detail = FactBriefSerializer(source="fact", read_only=True)
    article_detail = ArticleBriefSerializer(source="article", read_only=True)
    outlet = OutletBriefSerializer(source="article.outlet", read_only=True)
    attribution = AttributionSerializer(source="*", read_only=True)
    value = serializers.CharField(source="display_value", read_only=True)
    interval = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "status",
            "fact",
            "fact_detail",
            "article",
            "article_detail",
            "outlet",
            "wording",
            "prefix",
            "suffix",
            "start",
            "end",
            "anchor_state",
            "value_kind",
            "value",
            "interval",
            "undisclosed",
            "number",
            "number_high",
            "unit",
            "bound",
            "hedge",
            "lower",
            "upper",
            "date_earliest",
            "date_latest",
            "date_precision",
            "category",
            "as_of",
            "actor",
            "attribution_cue",
            "attribution_mode",
            "attribution",
            "note",
            *TRACKED,
        ]
        # A page written by the plan, the current time zone read once (facts.api.row_plans).
        list_serializer_class = PlannedList

    @extend_schema_field(INTERVAL)
    def get_interval(self, claim: Claim) -> dict | None:
        return claim_interval(claim)


class IngestResultSerializer(serializers.Serializer):
    """What an ingest did: the article (new, or the one stored already) and its candidates."""

    article = ArticleSerializer()
    created = serializers.BooleanField(help_text="A new article was stored.")
    duplicate_of = serializers.ChoiceField(
        choices=["", "url", "text", "near"],
        help_text="How the article was found stored already: by its URL, its very text, or a "
        "near-identical text of the same outlet; empty for a new (or completed) article.",
    )
    candidates = serializers.IntegerField(help_text="Candidate claims proposed and stored.")
    skipped = serializers.ListField(
        child=serializers.CharField(), help_text="Candidates not stored, and why."
    )
    removed = serializers.ListField(
        child=serializers.CharField(), help_text="The boilerplate paragraphs left out."
    )
    copies = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Other outlets' articles of the same story (copies of one wire story).",
    )


class IngestBatchResultSerializer(serializers.Serializer):
    """What an ingest job saved."""

    created = serializers.IntegerField(help_text="Articles stored.")
    found = serializers.IntegerField(help_text="Articles stored already (nothing new saved).")
    candidates = serializers.IntegerField(help_text="Candidate claims proposed.")
    articles = serializers.ListField(
        child=serializers.IntegerField(), help_text="The articles' ids, in the order sent."
    )
