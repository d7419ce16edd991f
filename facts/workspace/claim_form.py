"""The claim add/change form as editors work it (issue 14, items 1-3).

- Fields by value kind: a quantity claim shows the quantity's fields, a date claim the date's, a
  categorical claim a choice of its fact's categories; the other kinds' fieldsets are hidden
  (by CSS, and by claim_form.js when the fact changes) and their values dropped on save.
- Hedge and bound are one choice ("around — approximate"): the hedge rules say which bound each
  hedge word means, so asking both was asking twice.
- Offsets are never typed: start and end come from the selected words (hidden inputs), shown
  with the sentence around them; the prefix and suffix follow from where the words stand.
- Opened from a selection (?article=&start=&end=&wording=), the form is filled by the ingest's
  parsers (facts.services.claim_drafting.suggest_claim).
- Before saving, the warnings of claim_drafting.claim_warnings are shown and must be confirmed.
- A stale save shows the other person's changes beside the editor's (facts.workspace.stale).

The form is built on the admin's ClaimForm (the review rule and the version check) by
`edit_form`; this module imports nothing from facts.workspace.admin, which imports it.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Case, IntegerField, QuerySet, TextField, Value, When
from django.db.models.functions import Concat, Lower
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from facts.domain import values
from facts.models import Article, Claim, Fact
from facts.models.base import NAMES_SEPARATOR
from facts.models.claims import VALUE_FIELDS_BY_KIND
from facts.models.subjects import ValueKind
from facts.services import claim_drafting

# The form's value for "the bound the wording's hedge gives" (or exact, with none).
FROM_WORDING = ""


def plain_number(number: Decimal | None) -> str:
    """A decimal as written in a text: 27000.000000 -> 27,000; None (unbounded) -> "no bound"."""
    if number is None:
        return "no bound"
    normal = number.normalize()
    return f"{int(normal):,}" if normal == normal.to_integral() else f"{normal:,f}"


def bound_choice(bound: str, hedge: str) -> str:
    """The one choice that stands for a bound and a hedge word: "approximate:around"."""
    return f"{bound}:{values.normalise_hedge(hedge)}" if bound else FROM_WORDING


def bound_and_hedge(choice: str) -> tuple[str, str]:
    """The (bound, hedge) a choice stands for."""
    bound, _, hedge = choice.partition(":")
    return bound, hedge


@cache
def bound_choices() -> list[tuple[str, Any]]:
    """Each bound kind with the hedge words that mean it, from data/hedges.json."""
    rules = values.load_rules()
    grouped: list[tuple[str, Any]] = [
        (FROM_WORDING, "As the wording's hedge says (exact if it has none)")
    ]
    for kind in values.BOUND_KINDS:
        label = kind.replace("_", " ")
        words = sorted(h for h, rule in rules.hedges.items() if rule["bound"] == kind)
        if kind == "vague":
            words = sorted(rules.vague)
        options = [] if kind == "vague" else [(f"{kind}:", f"{label}, no hedge word")]
        options += [(f"{kind}:{word}", f"{word} ({label})") for word in words]
        grouped.append((label, options))
    return grouped


def _flat_choices() -> set[str]:
    return {FROM_WORDING} | {value for _, group in bound_choices()[1:] for value, _ in group}


class ClaimShape(forms.Form):
    """The fields and steps the claim form adds to the admin's ClaimForm (see edit_form)."""

    bounded_as = forms.ChoiceField(
        required=False,
        label="Bound and hedge",
        help_text="How the wording bounds the number: 'around 30,000' is approximate.",
    )
    category = forms.ChoiceField(required=False, help_text="One of the fact's categories.")
    confirm_warnings = forms.BooleanField(
        required=False, label="Save it all the same: I have read the warnings"
    )
    # The warnings confirmed: a new warning after a change is asked about again.
    warnings_seen = forms.CharField(required=False, widget=forms.HiddenInput)

    instance: Claim
    claim_warnings: tuple[claim_drafting.ClaimWarning, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.claim_warnings = ()
        self.fact = self._chosen_fact()
        self.value_kind = self.fact.value_kind if self.fact else ""
        if self.instance.pk is None and self.value_kind:
            # Shown on the add form too (the model copies it from the fact when it is saved).
            self.instance.value_kind = self.value_kind
        for name in ("start", "end"):
            if name in self.fields:
                self.fields[name].widget = forms.HiddenInput()
        for name in ("number", "number_high"):
            # 30000, not the column's 30000.000000.
            stored_number = self.initial.get(name)
            if isinstance(stored_number, Decimal):
                self.initial[name] = f"{stored_number.normalize():f}"
        choices = list(bound_choices())
        stored = bound_choice(self.instance.bound, self.instance.hedge)
        if stored not in _flat_choices():
            choices.append((stored, f"{self.instance.hedge} ({self.instance.bound})"))
        self.fields["bounded_as"].choices = choices
        if self.instance.pk is not None:
            self.fields["bounded_as"].initial = stored
        categories = list(self.fact.categories) if self.fact else []
        if self.instance.category and self.instance.category not in categories:
            categories.append(self.instance.category)  # shown, and refused by the model
        self.fields["category"].choices = [("", "---------")] + [(c, c) for c in categories]
        self.fields["category"].initial = self.instance.category

    def _chosen_fact(self) -> Fact | None:
        """The fact the form is about: as sent, else the claim's, else the one suggested."""
        if self.is_bound:
            key = self.data.get(self.add_prefix("fact"))
        elif self.instance.fact_id is not None:
            return self.instance.fact
        else:
            key = self.initial.get("fact")
        if isinstance(key, Fact):
            return key
        if not key or not str(key).isdigit():
            return None
        return Fact.objects.filter(pk=key).only("value_kind", "categories", "unit").first()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        fact = cleaned.get("fact")
        if not isinstance(fact, Fact):
            return cleaned
        # The other kinds' fields are hidden: what they hold is not the editor's to save.
        for kind, names in VALUE_FIELDS_BY_KIND.items():
            if kind == fact.value_kind:
                continue
            for name in names:
                if name in self.fields:
                    empty_text = Claim._meta.get_field(name).empty_strings_allowed
                    cleaned[name] = "" if empty_text else None
        bound, hedge = (
            bound_and_hedge(cleaned.get("bounded_as") or FROM_WORDING)
            if fact.value_kind == ValueKind.QUANTITY and not cleaned.get("undisclosed")
            else ("", "")
        )
        self.instance.bound, self.instance.hedge = bound, hedge
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        if self.errors or self.instance.fact_id is None:
            return
        self.claim_warnings = claim_drafting.claim_warnings(claim=self.instance)
        if not self.claim_warnings:
            return
        codes = ",".join(sorted({w.code for w in self.claim_warnings}))
        seen = set((self.cleaned_data.get("warnings_seen") or "").split(","))
        if self.cleaned_data.get("confirm_warnings") and set(codes.split(",")) <= seen:
            return
        self.data = self.data.copy()
        self.data[self.add_prefix("warnings_seen")] = codes
        self.data.pop(self.add_prefix("confirm_warnings"), None)
        for warning in self.claim_warnings:
            field = warning.field if warning.field in self.fields else None
            self.add_error(field, warning_html(warning))

    def values_of_row(self, row: Claim) -> dict[str, Any]:
        """The form-only fields' values of a stored claim (facts.workspace.stale compares
        them)."""
        return {"bounded_as": bound_choice(row.bound, row.hedge)}

    # What the page shows -----------------------------------------------------------------

    def selection(self) -> dict[str, Any] | None:
        """The selected words in their sentence, for the page: they are never typed."""
        article = self._article()
        start, end = self._offset("start"), self._offset("end")
        if (
            article is None
            or start is None
            or end is None
            or not 0 <= start < end <= len(article.text)
        ):
            return None
        from facts.domain.tense import sentence_around

        sentence, at = sentence_around(article.text, start, end)
        return {
            "before": article.text[at:start],
            "words": article.text[start:end],
            "after": article.text[end : at + len(sentence)],
            "start": start,
            "end": end,
            "article": article,
        }

    def _offset(self, name: str) -> int | None:
        raw = (
            self.data.get(self.add_prefix(name))
            if self.is_bound
            else self.initial.get(name, getattr(self.instance, name))
        )
        try:
            return int(raw) if raw not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def _article(self) -> Article | None:
        if not self.is_bound and self.instance.article_id is not None:
            return self.instance.article
        key = (
            self.data.get(self.add_prefix("article"))
            if self.is_bound
            else self.initial.get("article")
        )
        if isinstance(key, Article):
            return key
        if not key or not str(key).isdigit():
            return None
        return Article.objects.filter(pk=key).only("text", "headline").first()


def claim_label(claim: Claim) -> str:
    """A claim told apart from others on the same fact: its value, actor and words."""
    words = claim.wording if len(claim.wording) <= 60 else claim.wording[:59] + "…"
    by = f", by {claim.actor.name}" if claim.actor_id else ""
    return f"{claim.fact.property}: {claim.display_value()}{by} (“{words}”)"


def warning_html(warning: claim_drafting.ClaimWarning) -> str:
    """A warning's message, with links to the claims it names."""
    if not warning.claims:
        return warning.message
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        (
            (reverse("admin:facts_claim_change", args=[c.pk]), claim_label(c))
            for c in warning.claims
        ),
    )
    return format_html("{} {}", warning.message, links)


def edit_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """The claim form: ClaimShape's fields and steps on the admin's ClaimForm. Built for each
    request, as its base is (it knows who edits): a cache keyed by it would only grow."""
    form: type[forms.ModelForm] = type(base)(  # type: ignore[call-arg]
        "ClaimEditForm", (ClaimShape, base), {"__module__": __name__}
    )
    return form


def _kind_fieldset(kind: str, title: str, fields: list[Any]) -> tuple[str, dict[str, Any]]:
    return (
        title,
        {
            "fields": fields,
            "classes": ["factsite-kind", f"factsite-kind-{kind}"],
            "description": f"For a fact whose values are {kind} values.",
        },
    )


FIELDSETS: list[tuple[str | None, dict[str, Any]]] = [
    (None, {"fields": ["fact", "article", "status", "note"]}),
    ("Wording", {"fields": ["wording", ("start", "end"), "anchor_state", "seen_version"]}),
    ("Value", {"fields": ["value_kind", "undisclosed", "as_of"]}),
    _kind_fieldset(
        ValueKind.QUANTITY,
        "Quantity",
        ["bounded_as", ("number", "number_high", "unit"), "interval"],
    ),
    _kind_fieldset(ValueKind.DATE, "Date", [("date_earliest", "date_latest", "date_precision")]),
    _kind_fieldset(ValueKind.CATEGORICAL, "Category", ["category"]),
    ("Attribution", {"fields": ["actor", "attribution_mode", "attribution_cue"]}),
    ("Record", {"fields": ["version", "created_at", "updated_at"], "classes": ["collapse"]}),
]


def exact_names_first(actors: QuerySet, term: str) -> QuerySet:
    """Actors found by a search, those named or aliased exactly as the term first, then those
    whose name starts with it, then the rest, each by name. The queryset carries the aliases
    as aliases_text (facts.models.NamesText), as ActorAdmin's search gives it."""
    term = " ".join(term.split())
    if not term:
        return actors
    separator = NAMES_SEPARATOR
    rank = Case(
        When(name__iexact=term, then=Value(0)),
        When(padded_aliases__contains=f"{separator}{term.lower()}{separator}", then=Value(0)),
        When(name__istartswith=term, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        actors.alias(
            padded_aliases=Lower(
                Concat(Value(separator), "aliases_text", Value(separator), output_field=TextField())
            )
        )
        .alias(name_rank=rank)
        .order_by("name_rank", "name", "pk")
    )


class ClaimFormAdmin(admin.ModelAdmin):
    """What ClaimAdmin takes from this module: the fieldsets, the form, the prefill from a
    selection and the page that shows them."""

    change_form_template = "admin/facts/claim/claim_form.html"

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return FIELDSETS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [*super().get_readonly_fields(request, obj), "interval"]

    @admin.display(description="interval")
    def interval(self, claim: Claim) -> str:
        """The bounds the hedge rules derive, as numbers are written: "27,000 to 33,000"."""
        if claim.lower is None and claim.upper is None:
            return "Derived from the number and its bound when saved."
        return f"{plain_number(claim.lower)} to {plain_number(claim.upper)}"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        kwargs["form"] = edit_form(kwargs.get("form") or self.form)
        return super().get_form(request, obj, change, **kwargs)

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        """The add form opened from selected words (?article=&start=&end=&wording=, as
        workspace.js links it) is filled as the ingest would read them."""
        initial: dict[str, Any] = super().get_changeform_initial_data(request)
        for relation in ("fact", "article", "actor"):
            # A link with ?article=x: a plain form, not a 500 from the autocomplete's lookup.
            if relation in initial and not str(initial[relation]).isdigit():
                del initial[relation]
        article_id, start, end = (request.GET.get(k, "") for k in ("article", "start", "end"))
        if not (article_id.isdigit() and start.isdigit() and end.isdigit()):
            return initial
        article = (
            Article.objects.filter(pk=article_id)
            .only("text", "headline", "published_earliest", "published_latest")
            .first()
        )
        if article is None or not 0 <= int(start) < int(end) <= len(article.text):
            return initial
        suggestion = claim_drafting.suggest_claim(article=article, start=int(start), end=int(end))
        initial["article"] = article
        initial.setdefault("wording", article.text[int(start) : int(end)])
        if suggestion.fact is not None and "fact" not in request.GET:
            initial["fact"] = suggestion.fact
        if suggestion.actor is not None and "actor" not in request.GET:
            initial["actor"] = suggestion.actor.pk
            initial["attribution_mode"] = suggestion.attribution_mode
            initial["attribution_cue"] = suggestion.attribution_cue
        fields = dict(suggestion.value)
        bound, hedge = fields.pop("bound", ""), fields.pop("hedge", "")
        if bound:
            initial["bounded_as"] = bound_choice(bound, hedge)
        initial.update({k: v for k, v in fields.items() if v not in (None, "")})
        initial["suggested_facts"] = suggestion.suggested_facts
        initial["fact_suggestion"] = suggestion.fact_suggestion
        return initial

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "fact-shape/<int:fact_id>/",
                self.admin_site.admin_view(self.fact_shape_view),
                name="{}_{}_fact_shape".format(*info),
            ),
            *super().get_urls(),
        ]

    def fact_shape_view(self, request: HttpRequest, fact_id: int) -> JsonResponse:
        """A fact's value kind and categories, for claim_form.js when the fact changes."""
        if not self.has_view_or_change_permission(request):
            return JsonResponse({"detail": "Not allowed."}, status=403)
        fact = get_object_or_404(Fact.objects.only("value_kind", "categories", "unit"), pk=fact_id)
        return JsonResponse(
            {"value_kind": fact.value_kind, "categories": list(fact.categories), "unit": fact.unit}
        )

    class Media:
        css = {"all": ["facts/claim_form.css"]}
        js = ["facts/claim_form.js"]
