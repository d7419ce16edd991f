"""Outlet standings, kept by the verdict service so that an outlet's record and outlet against
outlet read a few rows whatever the outlets' size (issue 16); rebuilt from the claims by
`manage.py recompute_outlet_standings` (and by every full verdict recompute).

Three tables, each derived from the verified claims and their stored sides:
- OutletFact, one row per outlet and fact it reported: the record lists its first facts from it
  by the (outlet, fact) index, and a refresh of a fact reads its rows to know what changed;
- OutletSummary, one row per outlet: the record's totals, summed over its OutletFact rows;
- OutletPair, one row per pair of outlets that share a fact: outlet against outlet's totals.
  There are at most n(n-1)/2 of them for n outlets (1,128 for 48 outlets), and a refresh of a
  fact moves at most those of its outlets; rows per pair rather than a merge of the two outlets'
  facts at read time, which grows with the outlets.
The sums are moved by differences (count = count + n), as track records are, so concurrent
refreshes of different facts never overwrite each other's counts.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from facts.domain import outlet_standings
from facts.models.sources import Outlet
from facts.models.subjects import Fact


class OutletFact(models.Model):
    """How one outlet stands on one fact (facts.domain.outlet_standings.OutletFact)."""

    # Indexed by the (outlet, fact) constraint, which the record reads in fact order.
    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+", db_index=False)
    fact = models.ForeignKey(Fact, on_delete=models.CASCADE, related_name="+")
    claims = models.PositiveIntegerField()
    on_consensus = models.PositiveIntegerField(default=0)
    against_consensus = models.PositiveIntegerField(default=0)
    placed = models.PositiveIntegerField(default=0)
    # The distinct sides its claims stand on (facts.domain.agreement.claim_sides), for outlet
    # against outlet: two outlets agree on a fact when their sides meet.
    sides = models.JSONField(default=list)
    # The ids of its verified claims of the fact: outlet against outlet reads the wordings it
    # lists by them (by primary key), not by a search of two outlets' claims that grows with them.
    claim_ids = models.JSONField(default=list)
    standing = models.CharField(max_length=10, choices=[(s, s) for s in outlet_standings.STANDINGS])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outlet", "fact"], name="outlet_fact_once"),
        ]

    def __str__(self) -> str:
        return f"outlet {self.outlet_id} on fact {self.fact_id}"


class OutletSummary(models.Model):
    """An outlet's record's totals: the sums over its OutletFact rows."""

    outlet = models.OneToOneField(
        Outlet, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    claims = models.PositiveIntegerField(default=0)
    facts = models.PositiveIntegerField(default=0)
    agreed = models.PositiveIntegerField(default=0)
    disputed = models.PositiveIntegerField(default=0)
    alone = models.PositiveIntegerField(default=0)
    with_consensus = models.PositiveIntegerField(default=0)
    against_consensus = models.PositiveIntegerField(default=0)
    # Facts where a claim of its stands on a side: what it agrees on against itself.
    placed = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "outlet summaries"
        constraints = [
            models.CheckConstraint(
                condition=Q(facts=F("agreed") + F("disputed") + F("alone")),
                name="outlet_summary_standings_add_up",
            ),
        ]

    def __str__(self) -> str:
        return f"summary of outlet {self.outlet_id}"


class OutletPair(models.Model):
    """Two outlets' totals over the facts both reported; stored once, lower id first."""

    outlet = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+", db_index=False)
    other = models.ForeignKey(Outlet, on_delete=models.CASCADE, related_name="+")
    shared = models.PositiveIntegerField(default=0)
    agreed = models.PositiveIntegerField(default=0)
    disagreed = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["outlet", "other"], name="outlet_pair_once"),
            models.CheckConstraint(condition=Q(outlet__lt=F("other")), name="outlet_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"outlets {self.outlet_id} and {self.other_id}"
