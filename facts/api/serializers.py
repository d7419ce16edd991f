"""The API's representations. Every serializer lists its fields, and writes go through the
models' own validation (full_clean), so the API refuses exactly what the admin refuses."""

from __future__ import annotations

import math
from datetime import date

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject, ValueKind
from facts.services import records, verdicts

TRACKED = ["version", "created_at", "updated_at"]


class ModelCleanSerializer(serializers.ModelSerializer):
    """Checks the request's types and shapes; the write itself, with the model's full_clean and
    the record's rules, is the service's (facts.services.records), whose ValidationError the
    exception handler reports by field as a 400."""

    def get_validators(self) -> list:
        # The model's constraints are checked by full_clean, with their own messages; DRF's
        # copies of them would also make optional fields (slug, start, end) required.
        return []

    def create(self, validated_data: dict):
        return self._save(self.Meta.model(**validated_data))

    def update(self, instance, validated_data: dict):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        return self._save(instance)

    def _save(self, row):
        saved = records.save_record(user=self.context["request"].user, row=row)
        self.notices = saved.notices
        return saved.row


class SlugField(serializers.SlugRelatedField):
    """A related row given by its slug."""

    def __init__(self, queryset, **kwargs) -> None:
        super().__init__(slug_field="slug", queryset=queryset, **kwargs)

    def to_internal_value(self, data):
        # PostgreSQL cannot even compare a string holding NUL: refuse it before the lookup.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value="(a NUL character)")
        return super().to_internal_value(data)


class OutletSerializer(ModelCleanSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "slug", "name", "domain", "country", "kind", *TRACKED]
        read_only_fields = TRACKED
        extra_kwargs = {"slug": {"required": False}}


class OutletBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = ["id", "slug", "name"]
        read_only_fields = fields


class ArticleSerializer(ModelCleanSerializer):
    outlet = SlugField(Outlet.objects.all())
    outlet_name = serializers.CharField(source="outlet.name", read_only=True)
    wire_source = SlugField(Outlet.objects.all(), allow_null=True, required=False)

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
            *TRACKED,
        ]
        read_only_fields = ["text_hash", *TRACKED]
        extra_kwargs = {"slug": {"required": False}, "text": {"trim_whitespace": False}}


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


class ActorSerializer(ModelCleanSerializer):
    parent = SlugField(Actor.objects.all(), allow_null=True, required=False)
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
        read_only_fields = TRACKED
        extra_kwargs = {"slug": {"required": False}}

    def get_originator(self, actor: Actor) -> dict:
        """The independent originator this actor counts under (the top of its chain)."""
        return ActorBriefSerializer(actor.originator()).data


class SubjectSerializer(ModelCleanSerializer):
    class Meta:
        model = Subject
        fields = ["id", "slug", "name", "kind", "aliases", "description", *TRACKED]
        read_only_fields = TRACKED
        extra_kwargs = {"slug": {"required": False}}


def consensus_value(fact: Fact) -> dict:
    """A fact's stored consensus in its own terms: days for a date, numbers with a unit."""
    if fact.value_kind == ValueKind.CATEGORICAL:
        return {"category": fact.consensus_category or None}

    def shown(value: float | None):
        if value is None:
            return None
        if fact.value_kind == ValueKind.DATE:
            return date.fromordinal(int(value)).isoformat()
        return value

    return {
        "low": shown(fact.consensus_low),
        "best": shown(fact.consensus_best),
        "high": shown(fact.consensus_high),
        "unit": fact.unit if fact.value_kind == ValueKind.QUANTITY else None,
    }


class VerdictSerializer(serializers.Serializer):
    """A fact's stored verdict."""

    kind = serializers.CharField(source="verdict")
    summary = serializers.CharField(source="verdict_summary")
    consensus = serializers.SerializerMethodField()
    counts = serializers.SerializerMethodField()
    updated_at = serializers.DateTimeField(source="verdict_updated_at")

    def get_consensus(self, fact: Fact) -> dict:
        return consensus_value(fact)

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

    value = serializers.JSONField(
        source="likely_value",
        allow_null=True,
        help_text="{category} or {low, best, high} (a date as YYYY-MM-DD); null with no claim.",
    )
    unit = serializers.SerializerMethodField()
    confidence = serializers.FloatField(source="likely_confidence", allow_null=True)
    tied = serializers.SerializerMethodField()
    method = serializers.SerializerMethodField()
    originators = serializers.SerializerMethodField()

    def get_unit(self, fact: Fact) -> str | None:
        return fact.unit if fact.value_kind == ValueKind.QUANTITY else None

    def get_tied(self, fact: Fact) -> bool:
        return bool((fact.likely_detail or {}).get("tied", False))

    def get_method(self, fact: Fact) -> str:
        return (fact.likely_detail or {}).get("method", "")

    @extend_schema_field(LikelyOriginatorSerializer(many=True))
    def get_originators(self, fact: Fact) -> list:
        return list((fact.likely_detail or {}).get("originators", []))


class FactSerializer(ModelCleanSerializer):
    subject = SlugField(Subject.objects.all())
    subject_name = serializers.CharField(source="subject.name", read_only=True)
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
        read_only_fields = TRACKED
        extra_kwargs = {"slug": {"required": False}}


class FactBriefSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="subject.slug", read_only=True)

    class Meta:
        model = Fact
        fields = ["id", "slug", "subject", "property", "value_kind", "unit", "verdict"]
        read_only_fields = fields


def claim_interval(claim: Claim) -> dict | None:
    """The interval a claim stands for, in its fact's unit (a date as its days)."""
    if claim.undisclosed or claim.value_kind == ValueKind.CATEGORICAL:
        return None
    if claim.value_kind == ValueKind.DATE:
        return {
            "low": claim.date_earliest.isoformat(),
            "high": claim.date_latest.isoformat(),
            "unit": None,
        }
    fact_unit = claim.fact.unit
    factor = 1.0 if claim.unit == fact_unit else verdicts.unit_factor(claim.unit, fact_unit)

    def converted(value) -> float | None:
        if value is None:
            return None
        result = float(value) * factor
        return result if math.isfinite(result) else None

    return {"low": converted(claim.lower), "high": converted(claim.upper), "unit": fact_unit}


class AttributionSerializer(serializers.Serializer):
    actor = ActorBriefSerializer(allow_null=True)
    originator = serializers.SerializerMethodField()
    cue = serializers.CharField(source="attribution_cue")
    mode = serializers.CharField(source="attribution_mode")

    def get_originator(self, claim: Claim) -> dict:
        """Who originates the claim: the actor's top body, or the outlet for its own voice."""
        if claim.actor is None:
            outlet = claim.article.wire_source or claim.article.outlet
            return {"kind": "outlet", "id": outlet.id, "slug": outlet.slug, "name": outlet.name}
        top = claim.actor.originator()
        return {"kind": "actor", "id": top.id, "slug": top.slug, "name": top.name}


class ClaimSerializer(ModelCleanSerializer):
    """A claim, with what clients need inline: its outlet, article, fact, attribution, value
    and the interval it stands for."""

    fact = serializers.PrimaryKeyRelatedField(queryset=Fact.objects.select_related("subject"))
    article = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.select_related("outlet", "wire_source")
    )
    actor = serializers.PrimaryKeyRelatedField(
        queryset=Actor.objects.all(), allow_null=True, required=False
    )
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
        read_only_fields = ["value_kind", "lower", "upper", "anchor_state", *TRACKED]
        extra_kwargs = {
            "start": {"required": False, "allow_null": True},
            "end": {"required": False, "allow_null": True},
            # Offsets count every character: a wording, prefix or suffix is kept as sent.
            "wording": {"trim_whitespace": False},
            "prefix": {"trim_whitespace": False},
            "suffix": {"trim_whitespace": False},
        }

    def get_interval(self, claim: Claim) -> dict | None:
        return claim_interval(claim)
