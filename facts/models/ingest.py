"""What the ingest reads as data: the rules that keep boilerplate out of a news body."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from facts.domain import boilerplate
from facts.models.base import Tracked, choice_values
from facts.models.sources import Outlet


class BoilerplateKind(models.TextChoices):
    LINE = boilerplate.LINE, "drop each paragraph it matches"
    TAIL = boilerplate.TAIL, "drop the paragraph it matches and all after it"


class BoilerplateRuleQuerySet(models.QuerySet):
    def for_outlet(self, outlet: Outlet | None) -> BoilerplateRuleQuerySet:
        """The general rules and the outlet's own."""
        own = Q(outlet__isnull=True)
        if outlet is not None:
            own |= Q(outlet=outlet)
        return self.filter(own, active=True)


class BoilerplateRule(Tracked):
    """A regular expression matched against each whole paragraph of a capture; general (no
    outlet) or one outlet's. The general ones come from a data migration; editors add more."""

    Kind = BoilerplateKind

    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="boilerplate_rules",
        help_text="Empty: the rule applies to every outlet.",
    )
    pattern = models.CharField(
        max_length=500,
        help_text="A Python regular expression matched against a whole paragraph, stripped: "
        "'Read more', '(?i)click here.*'.",
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.LINE)
    description = models.CharField(max_length=200, blank=True, help_text="What it removes.")
    active = models.BooleanField(default=True)
    history = HistoricalRecords()

    objects = BoilerplateRuleQuerySet.as_manager()

    class Meta:
        ordering = ["outlet__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=choice_values(BoilerplateKind)),
                name="boilerplate_rule_kind_valid",
                violation_error_message="Choose line or tail.",
            ),
            models.UniqueConstraint(
                fields=["outlet", "pattern"],
                name="boilerplate_rule_once_per_outlet",
                violation_error_message="This outlet has this rule already.",
            ),
        ]

    def __str__(self) -> str:
        return self.description or self.pattern

    def clean(self) -> None:
        problem = boilerplate.pattern_problem(self.pattern)
        if problem:
            raise ValidationError({"pattern": problem})

    def as_rule(self) -> boilerplate.Rule:
        return boilerplate.Rule(pattern=self.pattern, kind=self.kind)
