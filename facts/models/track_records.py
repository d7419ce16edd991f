"""Track records: derived from the stored verdicts, rebuilt by `manage.py recompute_track_records`.

Why two tables rather than one row per (fact, subject, year): at 1,000,000 claims on 10,000
facts that would be millions of rows to rewrite on a full recompute, and a record read would
count them. Instead each fact keeps its standings as one JSON row (TrackStanding), and each
subject's counts are kept summed (TrackRecord): a refresh of some facts subtracts their old
standings and adds the new ones, so its cost follows the facts refreshed, never the size of an
outlet's record, and a read is one indexed query.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from facts.domain import track_records
from facts.models.subjects import Fact


class TrackSubject(models.TextChoices):
    OUTLET = track_records.OUTLET, "outlet (as publisher)"
    OUTLET_VOICE = track_records.OUTLET_VOICE, "outlet (as originator, own voice)"
    ACTOR = track_records.ACTOR, "actor (as originator)"


class TrackStanding(models.Model):
    """Where each subject stood on one fact, as facts.domain.track_records.standings gives it:
    [[subject type, subject id, year or null, standing], ...]. What the summed records were
    built from, so that a refresh can take it out again."""

    fact = models.OneToOneField(
        Fact, on_delete=models.CASCADE, primary_key=True, related_name="track_standing"
    )
    standings = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"standings on fact {self.fact_id}"


class TrackRecord(models.Model):
    """How often one outlet or originator stood with the independent consensus: overall (year
    null) or in the articles of one year of publication. Counts facts with at least two
    independent originators only."""

    subject_type = models.CharField(max_length=20, choices=TrackSubject.choices)
    # No foreign key: the subject is an outlet or an actor. Outlets and actors with claims
    # cannot be deleted (PROTECT), so a record never outlives its subject's claims.
    subject_id = models.PositiveBigIntegerField()
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    facts = models.PositiveIntegerField(default=0)
    with_consensus = models.PositiveIntegerField(default=0)
    outliers = models.PositiveIntegerField(default=0)
    against = models.PositiveIntegerField(default=0)
    contested = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["subject_type", "subject_id", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "year"],
                condition=Q(year__isnull=False),
                name="track_record_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"],
                condition=Q(year__isnull=True),
                name="track_record_one_overall",
            ),
            models.CheckConstraint(
                condition=Q(subject_type__in=[value for value, _ in TrackSubject.choices]),
                name="track_record_subject_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(
                    facts=F("with_consensus") + F("outliers") + F("against") + F("contested")
                ),
                name="track_record_counts_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_type} {self.subject_id} ({self.year or 'overall'})"
