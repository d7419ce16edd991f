"""What claims are about: subjects, their facts, and each fact's stored verdict."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from facts.domain import agreement
from facts.domain.agreement import nesting_problem
from facts.models.base import (
    SLUG_NEEDED,
    Named,
    Tracked,
    check_aliases,
    choice_values,
    named_constraints,
    slug_of,
)
from facts.models.planning import Common

# Subjects and facts ----------------------------------------------------------------------


class SubjectKind(models.TextChoices):
    EVENT = "event", "event"
    ENTITY = "entity", "entity"
    PLACE = "place", "place"
    ORGANISATION = "organisation", "organisation"
    PERSON = "person", "person"


class Subject(Named):
    """What facts are about: an event or an entity."""

    Kind = SubjectKind

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EVENT)
    aliases = models.JSONField(default=list, blank=True, help_text="Other names, as a list.")
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta(Named.Meta):
        constraints = named_constraints(kind_choices=SubjectKind)

    def clean(self) -> None:
        check_aliases(self.aliases)


class ValueKind(models.TextChoices):
    QUANTITY = "quantity", "quantity"
    DATE = "date", "date"
    CATEGORICAL = "categorical", "categorical"


class Verdict(models.TextChoices):
    AGREED = agreement.AGREED, "agreed"
    SINGLE_ORIGINATOR = agreement.SINGLE_ORIGINATOR, "single originator"
    PRECISION_DIFFERENCE = agreement.PRECISION_DIFFERENCE, "precision difference"
    OUTLIER = agreement.OUTLIER, "outlier"
    CHANGE_OVER_TIME = agreement.CHANGE_OVER_TIME, "change over time"
    ATTRIBUTION_SPLIT = agreement.ATTRIBUTION_SPLIT, "attribution split"
    VALUE_CONFLICT = agreement.VALUE_CONFLICT, "value conflict"
    CONTESTED = agreement.CONTESTED, "contested"
    NOT_DISCLOSED = agreement.NOT_DISCLOSED, "not disclosed"
    NO_CLAIMS = agreement.NO_CLAIMS, "no claims"


# verdict_stale: a write changed the fact's claims and a job is refreshing its verdict (a busy
# fact's refresh is deferred: facts.services.verdicts.refresh_or_defer).
VERDICT_FIELDS = [*agreement.STORED_COLUMNS, "verdict_updated_at", "verdict_stale"]
# The likely value beside the verdict (facts.services.likely), recomputed over every fact at
# once, since each originator's weight is its track record over all facts.
LIKELY_FIELDS = ["likely_value", "likely_confidence", "likely_detail"]


# The share of facts disputed, as the planner is told it (facts.models.planning.Common): four
# in ten of the generated corpus; the seeds' 68 facts have 21.
DISPUTED_SHARE = 0.4


class FactQuerySet(models.QuerySet):
    def disputed(self) -> FactQuerySet:
        return self.filter(verdict__in=agreement.DISPUTES)

    def disputed_in_list_order(self) -> FactQuerySet:
        """The disputed facts, for a page of them in the list's order: the same rows as
        disputed(), read by walking the facts in order (SQLite took the verdict's index
        and sorted every disputed fact for one page)."""
        return self.filter(Common(Q(verdict__in=agreement.DISPUTES), share=DISPUTED_SHARE))

    def undisputed(self) -> FactQuerySet:
        return self.exclude(verdict__in=agreement.DISPUTES)

    def with_verdict(self, *verdicts: str) -> FactQuerySet:
        return self.filter(verdict__in=verdicts)


class FactManager(models.Manager.from_queryset(FactQuerySet)):
    def get_by_natural_key(self, subject_slug: str, slug: str) -> Fact:
        return self.get(subject__slug=subject_slug, slug=slug)


class Fact(Tracked):
    """One timeless thing about a subject that can be measured or classified."""

    subject = models.ForeignKey(Subject, on_delete=models.PROTECT, related_name="facts")
    property = models.CharField(
        max_length=300,
        help_text="What is measured or classified: 'Russian troops sent to Belarus'.",
    )
    slug = models.SlugField(max_length=200, error_messages=SLUG_NEEDED)
    value_kind = models.CharField(max_length=20, choices=ValueKind.choices)
    unit = models.CharField(
        max_length=50,
        blank=True,
        help_text="The canonical unit of a quantity ('kilometer', 'day'); empty for a count.",
    )
    categories = models.JSONField(
        default=list,
        blank=True,
        help_text="The allowed values of a categorical fact, as a list.",
    )
    category_within = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            "Categories that lie within another, as {narrower: broader}: "
            '{"Minsk": "Belarus"}. A claim of the broader one supports the narrower.'
        ),
    )
    description = models.TextField(blank=True)
    # The stored verdict over the verified claims, refreshed with every change to them.
    verdict = models.CharField(
        max_length=30,
        choices=Verdict.choices,
        default=Verdict.NO_CLAIMS,
        editable=False,
        db_index=True,
    )
    verdict_summary = models.TextField(blank=True, editable=False)
    verdict_detail = models.JSONField(default=dict, blank=True, editable=False)
    consensus_low = models.FloatField(
        null=True,
        blank=True,
        editable=False,
        help_text="In the fact's unit; a date as an ordinal day.",
    )
    consensus_high = models.FloatField(null=True, blank=True, editable=False)
    consensus_best = models.FloatField(null=True, blank=True, editable=False)
    consensus_category = models.CharField(max_length=200, blank=True, editable=False)
    counted_claims = models.PositiveIntegerField(default=0, editable=False)
    counted_articles = models.PositiveIntegerField(default=0, editable=False)
    counted_outlets = models.PositiveIntegerField(default=0, editable=False)
    counted_originators = models.PositiveIntegerField(default=0, editable=False)
    verdict_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    verdict_stale = models.BooleanField(
        default=False,
        editable=False,
        help_text="A write changed the claims of this busy fact since its verdict was computed; "
        "a background job is refreshing it (the fact's version goes up when it is fresh).",
    )
    likely_value = models.JSONField(
        null=True,
        blank=True,
        editable=False,
        help_text="The likely value, weighing originators by their track records: a category, "
        "or low/best/high (a date as days). Beside the verdict, never instead of it.",
    )
    likely_confidence = models.FloatField(null=True, blank=True, editable=False)
    likely_detail = models.JSONField(
        default=dict,
        blank=True,
        editable=False,
        help_text="How the likely value was reached: the originators with their weights.",
    )
    history = HistoricalRecords(excluded_fields=[*VERDICT_FIELDS, *LIKELY_FIELDS])

    objects = FactManager()

    class Meta:
        ordering = ["subject__name", "property"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "property"],
                name="fact_one_per_subject_property",
                violation_error_message="This subject has a fact with this property already.",
            ),
            models.UniqueConstraint(
                fields=["subject", "slug"],
                name="fact_slug_unique_per_subject",
                violation_error_message="This subject has a fact with this slug already.",
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=choice_values(Verdict)),
                name="fact_verdict_valid",
                violation_error_message="Choose a verdict from the list.",
            ),
            models.CheckConstraint(
                condition=Q(consensus_low__isnull=True)
                | Q(consensus_high__isnull=True)
                | Q(consensus_low__lte=F("consensus_high")),
                name="fact_consensus_in_order",
                violation_error_message="The consensus cannot run backwards.",
            ),
            models.CheckConstraint(
                condition=Q(likely_confidence__isnull=True)
                | Q(likely_confidence__gte=0, likely_confidence__lte=1),
                name="fact_likely_confidence_a_share",
                violation_error_message="A likely value's confidence lies between 0 and 1.",
            ),
            models.CheckConstraint(
                condition=Q(value_kind__in=choice_values(ValueKind)),
                name="fact_value_kind_valid",
                violation_error_message="Choose quantity, date or categorical.",
            ),
            models.CheckConstraint(
                condition=Q(value_kind=ValueKind.QUANTITY) | Q(unit=""),
                name="fact_unit_only_for_quantity",
                violation_error_message="Only a quantity has a unit.",
            ),
            models.CheckConstraint(
                condition=~Q(property=""),
                name="fact_property_not_empty",
                violation_error_message="A fact needs a property.",
            ),
            models.CheckConstraint(
                condition=~Q(slug=""),
                name="fact_slug_not_empty",
                violation_error_message="A fact needs a slug.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}: {self.property}"

    def natural_key(self) -> tuple[str, str]:
        return (*self.subject.natural_key(), self.slug)

    natural_key.dependencies = ["facts.subject"]

    def clean(self) -> None:
        errors = {}
        if self.value_kind == ValueKind.CATEGORICAL:
            cats = self.categories
            if (
                not isinstance(cats, list)
                or len(cats) < 2
                or not all(isinstance(c, str) and c for c in cats)
            ):
                errors["categories"] = "A categorical fact needs a list of at least two categories."
            elif len(set(cats)) != len(cats):
                errors["categories"] = "Each category is listed once."
        elif self.categories:
            errors["categories"] = "Only a categorical fact has categories."
        problem = nesting_problem(self.category_within, self.categories)
        if problem:
            errors["category_within"] = problem
        if self.unit and self.value_kind != ValueKind.QUANTITY:
            errors["unit"] = "Only a quantity has a unit."
        elif self.unit:
            from facts.domain import units

            problem = units.unit_problem(self.unit)
            if problem:
                errors["unit"] = problem
        if self.pk is not None:
            stored = Fact.objects.filter(pk=self.pk).values_list("value_kind", flat=True).first()
            if stored and stored != self.value_kind and self.claims.exists():
                errors["value_kind"] = "The value kind cannot change while the fact has claims."
        if errors:
            raise ValidationError(errors)

    def derive_fields(self) -> None:
        if not self.slug:
            self.slug = slug_of(self.property)


class DisputedFact(Fact):
    """The facts whose sources disagree: a view of Fact for the editors' to-do list."""

    class Meta:
        proxy = True
        verbose_name = "disputed fact"
        verbose_name_plural = "disputed facts"
