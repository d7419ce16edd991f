"""The editors' workspace: every model with its columns, filters, search and history."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from simple_history.admin import SimpleHistoryAdmin

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject

admin.site.site_header = "Factsite"
admin.site.site_title = "Factsite"
admin.site.index_title = "Fact table"


def count_column(relation: str):
    """A list column showing how many related rows each row has (annotated by CountedAdmin)."""

    @admin.display(description=relation, ordering=f"{relation}_count")
    def column(model_admin, row) -> int:
        return getattr(row, f"{relation}_count")

    return column


class CountedAdmin(SimpleHistoryAdmin):
    """An admin whose list counts one relation per row in the same query."""

    counted = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.counted:
            # GROUP BY drops the default ordering; keep it so pages stay stable.
            queryset = queryset.annotate(**{f"{self.counted}_count": Count(self.counted)})
            queryset = queryset.order_by(*self.model._meta.ordering)
        return queryset


class ClaimInline(admin.TabularInline):
    """Claims as rows, on their article and on their fact."""

    model = Claim
    extra = 0
    show_change_link = True
    autocomplete_fields = ["fact", "article", "actor"]
    fields = [
        "fact",
        "article",
        "status",
        "wording",
        "start",
        "end",
        "undisclosed",
        "bound",
        "hedge",
        "number",
        "number_high",
        "unit",
        "date_earliest",
        "date_latest",
        "date_precision",
        "category",
        "actor",
        "attribution_mode",
        "attribution_cue",
    ]


class ClaimOnArticleInline(ClaimInline):
    fk_name = "article"

    def get_fields(self, request, obj=None):
        return [f for f in super().get_fields(request, obj) if f != "article"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("fact__subject", "actor")


class ClaimOnFactInline(ClaimInline):
    fk_name = "fact"

    def get_fields(self, request, obj=None):
        return [f for f in super().get_fields(request, obj) if f != "fact"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article__outlet", "actor")


@admin.register(Outlet)
class OutletAdmin(CountedAdmin):
    list_display = ["name", "kind", "country", "domain", "articles_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "domain"]
    prepopulated_fields = {"slug": ["name"]}

    counted = "articles"
    articles_count = count_column("articles")


@admin.register(Article)
class ArticleAdmin(CountedAdmin):
    list_display = [
        "__str__",
        "outlet",
        "published_earliest",
        "published_precision",
        "published_inferred",
        "claims_count",
    ]
    list_filter = ["outlet", "published_precision", "published_inferred", "language"]
    search_fields = ["headline", "byline", "text", "slug", "url"]
    date_hierarchy = "published_earliest"
    autocomplete_fields = ["outlet", "wire_source"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["text_hash", "version", "created_at", "updated_at"]
    list_select_related = ["outlet"]
    inlines = [ClaimOnArticleInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "outlet",
                    "headline",
                    "byline",
                    "slug",
                    "url",
                    "language",
                    "wire_source",
                ]
            },
        ),
        (
            "Publication",
            {
                "fields": [
                    ("published_earliest", "published_latest", "published_precision"),
                    "published_inferred",
                    "published_note",
                ]
            },
        ),
        ("News body", {"fields": ["text", "text_hash"]}),
        (
            "Record",
            {
                "fields": ["version", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    counted = "claims"
    claims_count = count_column("claims")


@admin.register(Actor)
class ActorAdmin(CountedAdmin):
    list_display = ["name", "kind", "parent", "claims_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases", "description"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]

    counted = "claims"
    claims_count = count_column("claims")


@admin.register(Subject)
class SubjectAdmin(CountedAdmin):
    list_display = ["name", "kind", "facts_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}

    counted = "facts"
    facts_count = count_column("facts")


@admin.register(Fact)
class FactAdmin(CountedAdmin):
    list_display = ["property", "subject", "value_kind", "unit", "claims_count"]
    list_filter = ["value_kind", "subject"]
    search_fields = ["property", "slug", "description", "subject__name"]
    autocomplete_fields = ["subject"]
    prepopulated_fields = {"slug": ["property"]}
    list_select_related = ["subject"]
    inlines = [ClaimOnFactInline]

    counted = "claims"
    claims_count = count_column("claims")


@admin.register(Claim)
class ClaimAdmin(SimpleHistoryAdmin):
    list_display = [
        "wording",
        "value",
        "fact",
        "outlet",
        "actor",
        "attribution_mode",
        "status",
        "as_of",
    ]
    list_filter = [
        "status",
        "value_kind",
        "attribution_mode",
        "anchor_state",
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
        ("fact__subject", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "wording",
        "attribution_cue",
        "note",
        "fact__property",
        "article__headline",
    ]
    autocomplete_fields = ["fact", "article", "actor"]
    readonly_fields = [
        "value_kind",
        "lower",
        "upper",
        "anchor_state",
        "version",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["fact__subject", "article__outlet", "actor"]
    fieldsets = [
        (None, {"fields": ["fact", "article", "status", "note"]}),
        (
            "Wording",
            {
                "fields": [
                    "wording",
                    ("start", "end"),
                    ("prefix", "suffix"),
                    "anchor_state",
                ]
            },
        ),
        (
            "Value",
            {
                "fields": [
                    "value_kind",
                    "undisclosed",
                    ("bound", "hedge"),
                    ("number", "number_high", "unit"),
                    ("lower", "upper"),
                    ("date_earliest", "date_latest", "date_precision"),
                    "category",
                    "as_of",
                ]
            },
        ),
        ("Attribution", {"fields": ["actor", "attribution_mode", "attribution_cue"]}),
        (
            "Record",
            {
                "fields": ["version", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    @admin.display(description="value")
    def value(self, claim: Claim) -> str:
        return claim.display_value()

    @admin.display(description="outlet", ordering="article__outlet__name")
    def outlet(self, claim: Claim) -> Outlet:
        return claim.article.outlet
