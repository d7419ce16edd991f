"""The editors' workspace: every model with its columns, filters, search and history; an
article's text with its claims marked; a fact's claims side by side with its verdict and chart;
bulk verification; forms that refuse to overwrite someone else's edit."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from facts.domain import agreement, storable
from facts.domain.text import normalise_text
from facts.models import (
    Actor,
    Article,
    BoilerplateRule,
    Claim,
    DisputedFact,
    Fact,
    NamesText,
    Outlet,
    Subject,
)
from facts.services import claims, ingest, records, review
from facts.workspace import claim_form, desk, panels, stale
from facts.workspace.resources import (
    ArticleResource,
    ClaimResource,
    EditorImportExportMixin,
    OutletResource,
)

admin.site.site_header = "Factsite"
admin.site.site_title = "Factsite"
admin.site.index_title = "Fact table"


class EscapingJSONField(forms.JSONField):
    """Django's JSON form field, showing a value that holds a lone surrogate with \\u escapes:
    the model refuses such a value, and the form that says so must still be sent as UTF-8."""

    def prepare_value(self, value: object) -> object:
        shown = super().prepare_value(value)
        if isinstance(shown, str) and storable.surrogate_problem(shown):
            return json.dumps(value, ensure_ascii=True, cls=self.encoder)
        return shown


class VersionedForm(forms.ModelForm):
    """Refuses a form whose row someone else saved since it was opened: no edit is silently
    overwritten."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # The stored version, not the instance's: a revert from the history starts from
            # an old copy of the row but edits the current one.
            current = (
                type(self.instance)
                .objects.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            self.fields["seen_version"].initial = current

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        seen = cleaned.get("seen_version")
        current = (
            type(self.instance)
            .objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if seen is None or current != seen:
            # Refused, with their changes beside the editor's, and the form rebased on the
            # current version so that one more save keeps both (facts.workspace.stale).
            raise stale.refuse_stale(self, seen=seen, current=current or 0)
        return cleaned


class ClaimForm(VersionedForm):
    """Says beside the status field what the review rule (facts.services.review) refuses, before
    anything is saved; the service applies the same rule when it saves."""

    user: review.PermissionHolder | None = None

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status and self.user is not None:
            try:
                review.status_after_change(
                    user=self.user,
                    # The stored status, not the form's initial one: a revert from the history
                    # starts from an old copy of the claim but changes the current one.
                    stored_status=Claim.objects.filter(pk=self.instance.pk)
                    .values_list("status", flat=True)
                    .first(),
                    requested_status=status,
                    changed=self.changed_data,
                )
            except ValidationError as refusal:
                self.add_error(None, refusal)
        return cleaned


class ArticleForm(VersionedForm):
    """The news body as it will be stored (line breaks as \n, NFC), before the claims below
    are checked against it: a browser sends a textarea back with \r\n."""

    def clean_text(self) -> str:
        return normalise_text(self.cleaned_data.get("text") or "")


def claim_form_for(request) -> type[ClaimForm]:
    """The claim form, knowing who edits (for the review rule)."""
    return type("ClaimFormFor", (ClaimForm,), {"user": request.user})


def count_column(relation: str):
    """A list column showing how many related rows each row has (annotated by CountedAdmin)."""

    @admin.display(description=relation, ordering=f"{relation}_count")
    def column(model_admin, row) -> int:
        return getattr(row, f"{relation}_count")

    return column


class WorkspaceAdmin(SimpleHistoryAdmin):
    """History, versioned forms and the workspace's styles for every model."""

    form = VersionedForm
    formfield_overrides = {models.JSONField: {"form_class": EscapingJSONField}}
    # Named, not found by Django's look-up: import-export's change list extends the template
    # set here, and would otherwise extend Django's own (its links in text not underlined).
    change_list_template = "admin/facts/change_list.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        listed = {f for _, options in fieldsets for f in flatten(options["fields"])}
        if "seen_version" in listed:
            return fieldsets
        # The hidden version must reach the browser, or every save would look stale.
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "seen_version"]}), *rest]

    class Media:
        css = {"all": ["facts/workspace.css"]}
        js = ["facts/workspace.js"]

    # Every write goes through the services (facts/services/), which apply the record's rules
    # and refresh the verdicts in the same transaction as the change.

    def save_model(self, request, obj, form, change) -> None:
        obj._history_user = request.user
        saved = records.save_record(user=request.user, row=obj)
        for notice in saved.notices:
            self.message_user(request, notice, messages.WARNING)

    def delete_model(self, request, obj) -> None:
        records.delete_records(user=request.user, rows=[obj])

    def delete_queryset(self, request, queryset) -> None:
        records.delete_records(user=request.user, rows=queryset)

    # No workspace page edits claims inline any more (the article and fact pages list them
    # read-only); should an inline come back, its rows are written through the services too.
    def save_formset(self, request, form, formset, change) -> None:
        rows = formset.save(commit=False)
        if formset.deleted_objects:
            records.delete_records(user=request.user, rows=formset.deleted_objects)
        for row in rows:
            saved = records.save_record(user=request.user, row=row)
            for notice in saved.notices:
                self.message_user(request, f"{row}: {notice}", messages.WARNING)
        formset.save_m2m()


class CountedAdmin(WorkspaceAdmin):
    """An admin whose list counts one relation per row in the same query."""

    counted = ""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.counted:
            # GROUP BY drops the default ordering; keep it so pages stay stable.
            queryset = queryset.annotate(**{f"{self.counted}_count": Count(self.counted)})
            queryset = queryset.order_by(*self.model._meta.ordering)
        return queryset


@admin.register(Outlet)
class OutletAdmin(EditorImportExportMixin, CountedAdmin):
    resource_classes = [OutletResource]
    list_display = ["name", "kind", "country", "domain", "articles_count"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "domain"]
    prepopulated_fields = {"slug": ["name"]}

    readonly_fields = ["track_record"]

    counted = "articles"
    articles_count = count_column("articles")

    @admin.display(description="track record")
    def track_record(self, outlet: Outlet):
        if outlet.pk is None:
            return "Save the outlet; its track record follows its verified claims."
        return panels.outlet_track_records(outlet)


@admin.register(Article)
class ArticleAdmin(EditorImportExportMixin, CountedAdmin):
    form = ArticleForm
    resource_classes = [ArticleResource]
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
    readonly_fields = [
        "news_body",
        "text_hash",
        "capture_shown",
        "capture_type",
        "version",
        "created_at",
        "updated_at",
    ]
    list_select_related = ["outlet"]
    # No claims inline: the news body lists them read-only, each linking to its claim form
    # (an editable row per claim made the page 446 KiB in 154 queries).
    change_list_template = "admin/facts/article/change_list.html"
    fieldsets = [
        ("News body", {"fields": ["news_body"]}),
        (
            None,
            {"fields": ["outlet", "headline", "byline", "slug", "url", "language", "wire_source"]},
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
        ("Edit the text", {"fields": ["text", "text_hash"], "classes": ["collapse"]}),
        ("Capture", {"fields": ["capture_type", "capture_shown"], "classes": ["collapse"]}),
        ("Record", {"fields": ["version", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    counted = "claims"
    claims_count = count_column("claims")

    def get_fieldsets(self, request, obj=None):
        """The text's box open, not folded away, while the article has no text to show."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.text:
            return fieldsets
        return [
            (name, {**options, "classes": []}) if name == "Edit the text" else (name, options)
            for name, options in fieldsets
        ]

    @admin.display(description="text with its claims")
    def news_body(self, article: Article):
        if article.pk is None:
            return "Save the article to mark its claims."
        return panels.article_body(article)

    @admin.display(description="Capture as received")
    def capture_shown(self, article: Article):
        # Escaped by format_html: a captured page's markup is shown as text, never run.
        if not article.capture:
            return "-"
        return format_html(
            # A class, not a style attribute: the Content-Security-Policy allows no inline style.
            '<pre class="factsite-capture">{}</pre>',
            article.capture,
        )

    # Ingest --------------------------------------------------------------------------------

    def get_urls(self):
        from django.urls import path

        own = [
            path(
                "ingest/",
                self.admin_site.admin_view(self.ingest_view),
                name="facts_article_ingest",
            )
        ]
        return own + super().get_urls()

    def ingest_view(self, request):
        """Paste or upload a capture: facts.services.ingest stores it and proposes its
        candidates; a refused capture is a form error, and nothing is saved."""
        from django.core.exceptions import PermissionDenied
        from django.shortcuts import redirect

        if not self.has_add_permission(request):
            raise PermissionDenied
        form = IngestForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                result = ingest.ingest_article(
                    user=request.user,
                    raw=data["raw"],
                    content_type=data["content_type"] or None,
                    outlet=data["outlet"],
                    url=data["url"],
                    published=data["published"],
                    headline=data["headline"],
                    byline=data["byline"],
                )
            except ValidationError as error:
                for name, problems in error.message_dict.items():
                    field = "content" if name == ingest.FIELD else name
                    for problem in problems:
                        form.add_error(field if field in form.fields else None, problem)
            else:
                article = result.article
                if result.duplicate_of:
                    self.message_user(
                        request,
                        f"Stored already (by {result.duplicate_of}): nothing new was saved.",
                        messages.WARNING,
                    )
                else:
                    self.message_user(
                        request,
                        f"Ingested: {result.candidates} candidate claim(s) proposed, "
                        f"{len(result.removed)} boilerplate paragraph(s) left out.",
                        messages.SUCCESS,
                    )
                return redirect("admin:facts_article_change", article.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": "Ingest an article",
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/facts/article/ingest.html", context)


class IngestForm(forms.Form):
    """A capture pasted or uploaded, with what is known of the article."""

    outlet = forms.ModelChoiceField(Outlet.objects.order_by("name"))
    content = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        required=False,
        strip=False,
        help_text="Paste the article's text or HTML here, or upload its file below.",
    )
    upload = forms.FileField(required=False, help_text="A .txt or .html file.")
    content_type = forms.ChoiceField(
        choices=[("", "tell from the content"), ("html", "HTML"), ("text", "plain text")],
        required=False,
    )
    url = forms.URLField(label="URL", required=False, max_length=1000, assume_scheme="https")
    published = forms.DateField(required=False, help_text="The publication day, YYYY-MM-DD.")
    headline = forms.CharField(required=False, max_length=500)
    byline = forms.CharField(required=False, max_length=500)

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        if upload is not None and cleaned.get("content"):
            raise ValidationError("Paste the text or upload a file, not both.")
        if upload is not None:
            from django.conf import settings

            # One byte past the limit is enough for the ingest to say the file is too large.
            cleaned["raw"] = upload.read(settings.INGEST_MAX_BYTES + 1)
        else:
            cleaned["raw"] = cleaned.get("content", "")
        return cleaned


@admin.register(Actor)
class ActorAdmin(CountedAdmin):
    list_display = ["name", "kind", "parent", "claims_count"]
    list_filter = ["kind"]
    # aliases_text: the JSON list of aliases as its names (see get_search_results).
    search_fields = ["name", "slug", "aliases_text", "description"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["parent"]
    readonly_fields = ["track_record"]

    counted = "claims"
    claims_count = count_column("claims")

    @admin.display(description="track record")
    def track_record(self, actor: Actor):
        if actor.pk is None:
            return "Save the actor; its track record follows its verified claims."
        return panels.actor_track_record(actor)

    def get_search_results(self, request, queryset, search_term):
        """Search the aliases as the names they are, on SQLite and PostgreSQL alike (the
        changelist and the autocomplete of fields that point to an actor)."""
        queryset = queryset.alias(aliases_text=NamesText("aliases"))
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        # Exact names and aliases first: "NATO" is NATO, not Jens Stoltenberg, Secretary
        # General of NATO (the autocomplete keeps this order; a list's column sorts its own).
        return claim_form.exact_names_first(found, search_term), may_have_duplicates


@admin.register(Subject)
class SubjectAdmin(CountedAdmin):
    list_display = ["name", "kind", "facts_count"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "aliases", "description"]
    prepopulated_fields = {"slug": ["name"]}

    counted = "facts"
    facts_count = count_column("facts")


class DisputedListFilter(admin.SimpleListFilter):
    title = "dispute"
    parameter_name = "disputed"

    def lookups(self, request, model_admin):
        return [("yes", "disputed"), ("no", "not disputed")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.disputed()
        if self.value() == "no":
            return queryset.undisputed()
        return queryset


@admin.register(Fact)
class FactAdmin(CountedAdmin):
    list_display = [
        "property",
        "subject",
        "value_kind",
        "verdict",
        "counted_originators",
        "claims_count",
    ]
    list_filter = ["verdict", DisputedListFilter, "value_kind", "subject"]
    search_fields = ["property", "slug", "description", "subject__name"]
    autocomplete_fields = ["subject"]
    prepopulated_fields = {"slug": ["property"]}
    list_select_related = ["subject"]
    readonly_fields = ["comparison", "version", "created_at", "updated_at"]
    # No claims inline: the verdict panel lists them read-only, each linking to its form.
    fieldsets = [
        ("Verdict and claims side by side", {"fields": ["comparison"]}),
        (
            None,
            {
                "fields": [
                    "subject",
                    "property",
                    "slug",
                    "value_kind",
                    "unit",
                    "categories",
                    "category_within",
                ]
            },
        ),
        ("Description", {"fields": ["description"], "classes": ["collapse"]}),
        ("Record", {"fields": ["version", "created_at", "updated_at"], "classes": ["collapse"]}),
    ]

    counted = "claims"
    claims_count = count_column("claims")

    @admin.display(description="verdict")
    def comparison(self, fact: Fact):
        if fact.pk is None:
            return "Save the fact to see its verdict."
        return panels.fact_panel(fact)


@admin.register(DisputedFact)
class DisputedFactAdmin(admin.ModelAdmin):
    """The disputed facts, by kind of dispute, with the reasons: the editors' to-do list."""

    list_display = ["property", "subject", "verdict", "reasons", "counted_originators"]
    list_filter = [("verdict", admin.ChoicesFieldListFilter), "subject"]
    search_fields = ["property", "subject__name"]
    list_select_related = ["subject"]
    list_display_links = None

    def get_queryset(self, request):
        return super().get_queryset(request).disputed().order_by("subject__name", "property")

    @admin.display(description="between whom, and why")
    def reasons(self, fact: Fact):
        differences = [
            d["reason"]
            for d in fact.verdict_detail.get("differences", [])
            if d["type"] in agreement.DISPUTES
        ]
        return format_html(
            '<a href="{}">{}</a>',
            f"../fact/{fact.pk}/change/",
            " ".join(differences) or fact.verdict_summary,
        )

    def has_view_permission(self, request, obj=None) -> bool:
        return request.user.has_perm("facts.view_fact")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=1000,
        help_text="Kept in each claim's note and its history.",
    )


@admin.register(Claim)
class ClaimAdmin(claim_form.ClaimFormAdmin, EditorImportExportMixin, WorkspaceAdmin):
    resource_classes = [ClaimResource]
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
        ("fact__verdict", admin.ChoicesFieldListFilter),
        "value_kind",
        "attribution_mode",
        "anchor_state",
        ("article__outlet", admin.RelatedOnlyFieldListFilter),
        ("fact__subject", admin.RelatedOnlyFieldListFilter),
        ("actor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["wording", "attribution_cue", "note", "fact__property", "article__headline"]
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
    # The base the import-export change list extends: the desk's styles (facts/desk.css).
    change_list_template = "admin/facts/claim/change_list.html"
    actions = ["verify", "reject", "back_to_draft"]
    # The fieldsets, by value kind: facts.workspace.claim_form.FIELDSETS.

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = claim_form_for(request)
        return super().get_form(request, obj, change, **kwargs)

    @admin.display(description="value")
    def value(self, claim: Claim) -> str:
        return claim.display_value()

    @admin.display(description="outlet", ordering="article__outlet__name")
    def outlet(self, claim: Claim) -> Outlet:
        return claim.article.outlet

    # Bulk curation -----------------------------------------------------------------------

    def has_review_permission(self, request) -> bool:
        return review.is_reviewer(request.user)

    def set_status(self, request, queryset, status: str, *, note: str = "") -> None:
        """Move the selected claims to a status (facts.services.claims.set_claim_status)."""
        result = claims.set_claim_status(
            user=request.user, claims=queryset, status=status, note=note
        )
        self.message_user(request, f"{result.changed} claim(s) are now {status}.", messages.SUCCESS)
        if result.refused:
            self.message_user(
                request, "Not changed, as invalid: " + " | ".join(result.refused), messages.WARNING
            )

    @admin.action(description="Verify the selected claims", permissions=["review"])
    def verify(self, request, queryset):
        """Asks first, showing each claim's value, actor and outlet: verified claims count
        towards their facts' verdicts, and the public record shows them."""
        if "apply" in request.POST:
            self.set_status(request, queryset, Claim.Status.VERIFIED)
            return None
        return desk.confirm_status_change(
            self,
            request,
            queryset,
            action="verify",
            title="Verify claims",
            question="Verify these {count} claim(s)? They count towards their "
            "facts' verdicts and join the public record.",
            button="Verify these claims",
        )

    @admin.action(description="Reject the selected claims, with a reason", permissions=["review"])
    def reject(self, request, queryset):
        if "apply" in request.POST:
            form = RejectForm(request.POST)
            if form.is_valid():
                reason = form.cleaned_data["reason"]
                self.set_status(
                    request, queryset, Claim.Status.REJECTED, note=f"Rejected: {reason}"
                )
                return None
        else:
            form = RejectForm()
        return desk.confirm_status_change(
            self,
            request,
            queryset,
            action="reject",
            title="Reject claims",
            question="Reject these {count} claim(s)? They stop counting towards "
            "their facts' verdicts.",
            button="Reject with this reason",
            form=form,
        )

    @admin.action(description="Send the selected claims back to draft", permissions=["review"])
    def back_to_draft(self, request, queryset) -> None:
        self.set_status(request, queryset, Claim.Status.DRAFT)


@admin.register(BoilerplateRule)
class BoilerplateRuleAdmin(SimpleHistoryAdmin):
    """Rules that keep boilerplate out of ingested news bodies: general (no outlet) or one
    outlet's."""

    list_display = ["pattern", "kind", "outlet", "description", "active"]
    list_filter = ["kind", "active", "outlet"]
    search_fields = ["pattern", "description"]
    autocomplete_fields = ["outlet"]
    list_select_related = ["outlet"]
