"""The API's representations; every serializer lists its fields."""

from rest_framework import serializers

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject


class OutletSerializer(serializers.ModelSerializer):
    class Meta:
        model = Outlet
        fields = [
            "id",
            "name",
            "slug",
            "domain",
            "country",
            "kind",
            "version",
            "updated_at",
        ]
        read_only_fields = ["version", "updated_at"]


class ArticleSerializer(serializers.ModelSerializer):
    outlet = serializers.SlugRelatedField(slug_field="slug", queryset=Outlet.objects.all())

    class Meta:
        model = Article
        fields = [
            "id",
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
            "text",
            "text_hash",
            "version",
            "updated_at",
        ]
        read_only_fields = ["text_hash", "version", "updated_at"]


class ActorSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="slug", queryset=Actor.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Actor
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "aliases",
            "parent",
            "description",
            "version",
            "updated_at",
        ]
        read_only_fields = ["version", "updated_at"]


class SubjectSerializer(serializers.ModelSerializer):
    class Meta:
        model = Subject
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "aliases",
            "description",
            "version",
            "updated_at",
        ]
        read_only_fields = ["version", "updated_at"]


class FactSerializer(serializers.ModelSerializer):
    subject = serializers.SlugRelatedField(slug_field="slug", queryset=Subject.objects.all())

    class Meta:
        model = Fact
        fields = [
            "id",
            "subject",
            "property",
            "slug",
            "value_kind",
            "unit",
            "categories",
            "description",
            "version",
            "updated_at",
        ]
        read_only_fields = ["version", "updated_at"]


class ClaimSerializer(serializers.ModelSerializer):
    value = serializers.CharField(source="display_value", read_only=True)
    outlet = serializers.CharField(source="article.outlet.slug", read_only=True)

    class Meta:
        model = Claim
        fields = [
            "id",
            "fact",
            "article",
            "outlet",
            "status",
            "value_kind",
            "value",
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
            "wording",
            "prefix",
            "suffix",
            "start",
            "end",
            "anchor_state",
            "actor",
            "attribution_cue",
            "attribution_mode",
            "note",
            "version",
            "updated_at",
        ]
        read_only_fields = [
            "value_kind",
            "lower",
            "upper",
            "anchor_state",
            "version",
            "updated_at",
        ]
