"""Cross-source views: a fact's claims side by side, the disputed facts, outlet against outlet,
and an outlet's record. Each reads the stored verdicts in a fixed number of queries."""

from __future__ import annotations

import json
from collections import defaultdict

from django.db import connection
from django.db.models.expressions import RawSQL
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from facts.api.serializers import (
    INTERVAL,
    ActorBriefSerializer,
    ArticleBriefSerializer,
    CountsSerializer,
    FactSerializer,
    OutletBriefSerializer,
    claim_interval,
)
from facts.api.track_records import TrackRecordSerializer, outlet_track_records
from facts.domain import agreement
from facts.models import Claim, Fact, Outlet, OutletFact, OutletPair, Verdict
from facts.services import outlet_standings, verdicts


class ClaimInGroupSerializer(serializers.ModelSerializer):
    """A claim as it stands in a comparison."""

    value = serializers.CharField(source="display_value")
    outlet = OutletBriefSerializer(source="article.outlet")
    article = ArticleBriefSerializer()
    actor = ActorBriefSerializer(allow_null=True)
    interval = serializers.SerializerMethodField()

    class Meta:
        model = Claim
        fields = [
            "id",
            "status",
            "wording",
            "value",
            "interval",
            "as_of",
            "outlet",
            "article",
            "actor",
            "attribution_cue",
            "attribution_mode",
        ]
        read_only_fields = fields

    @extend_schema_field(INTERVAL)
    def get_interval(self, claim: Claim) -> dict | None:
        return claim_interval(claim)


ROLES = ("consensus", "less_precise", "rival", "outlier", "side")


class MarginSerializer(serializers.Serializer):
    leading = serializers.IntegerField(help_text="Originators behind the leading side.")
    runner_up = serializers.IntegerField(help_text="Originators behind the best rival side.")
    margin = serializers.IntegerField(help_text="leading minus runner_up; 0 when no side leads.")


class GroupOriginatorSerializer(serializers.Serializer):
    key = serializers.CharField(help_text="'actor:12' or 'outlet:3'.")
    name = serializers.CharField()


class GroupOutletSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# A side's bounds: numbers in the fact's unit for a quantity, days (YYYY-MM-DD) for a date.
BOUND = {"oneOf": [{"type": "number"}, {"type": "string", "format": "date"}], "nullable": True}


@extend_schema_field(BOUND)
class BoundField(serializers.JSONField):
    pass


class GroupSerializer(serializers.Serializer):
    role = serializers.ChoiceField(
        choices=list(ROLES),
        help_text=(
            "consensus: the side that leads; less_precise: coarser claims that contain it; "
            "rival: a side that disputes it; outlier: a few originators against a clear "
            "majority; side: one of the sides when none leads (contested, or a tied split)."
        ),
    )
    support = serializers.IntegerField(
        required=False,
        help_text="Independent originators behind this side: its own and those of coarser "
        "claims that contain its value.",
    )
    low = BoundField(allow_null=True)
    high = BoundField(allow_null=True)
    best = BoundField(allow_null=True)
    category = serializers.CharField()
    originators = GroupOriginatorSerializer(many=True)
    outlets = GroupOutletSerializer(many=True)
    articles = serializers.IntegerField()
    claim_count = serializers.IntegerField(
        help_text="The claims on this side; `claims` lists the first `claims_per_group`."
    )
    claims = ClaimInGroupSerializer(many=True)


class DifferenceSerializer(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=[agreement.PRECISION_DIFFERENCE, agreement.OUTLIER, *agreement.DISPUTES]
    )
    groups = serializers.ListField(child=serializers.IntegerField())
    claims = serializers.ListField(child=serializers.IntegerField())
    reason = serializers.CharField()


class ComparisonSerializer(serializers.Serializer):
    fact = FactSerializer()
    include_drafts = serializers.BooleanField()
    kind = serializers.ChoiceField(choices=Verdict.choices)
    summary = serializers.CharField()
    counts = CountsSerializer()
    groups = GroupSerializer(many=True)
    differences = DifferenceSerializer(many=True)
    undisclosed = ClaimInGroupSerializer(many=True)
    undisclosed_count = serializers.IntegerField()
    unlisted_claims = serializers.IntegerField()
    margin = MarginSerializer(allow_null=True)
    claims_per_group = serializers.IntegerField(
        help_text="How many claims each group lists at most (ask with ?claims_per_group=)."
    )


# Claims listed in each group of a comparison unless the client asks for more (or fewer): a hot
# fact's groups hold thousands of claims, and listing every one made the comparison of a
# 10,000-claim fact 3.4 MB and 13-41 s (issue 16). Each group says how many it holds.
CLAIMS_PER_GROUP = 50
MAX_CLAIMS_PER_GROUP = 500
# An article's text and capture run to kilobytes each; a comparison shows neither.
UNSHOWN_ARTICLE_COLUMNS = ("article__text", "article__capture")


def claims_by_id(ids: set[int], fact: Fact) -> dict[int, Claim]:
    """The fact's claims named by a verdict, with what a comparison shows of them, in one
    query: the fact is the one given (not read again with each claim, with its verdict JSON),
    and the articles come without their texts."""
    claims = (
        Claim.objects.filter(id__in=ids)
        .select_related("article__outlet", "actor")
        .defer(*UNSHOWN_ARTICLE_COLUMNS)
    )
    found = {}
    for claim in claims:
        claim.fact = fact
        found[claim.id] = claim
    return found


def fact_comparison(
    fact: Fact, *, include_drafts: bool = False, claims_per_group: int = CLAIMS_PER_GROUP
) -> dict:
    """A fact's claims grouped by agreeing value: stored, or computed now with drafts. Each
    group lists its first `claims_per_group` claims and counts them all (`claim_count`)."""
    if include_drafts:
        result = verdicts.verdict_for(fact, include_drafts=True)
        detail = verdicts.detail(
            result, {"value_kind": fact.value_kind, "unit": fact.unit}, include_drafts=True
        )
    else:
        detail = fact.verdict_detail or {}
    groups = detail.get("groups", [])
    undisclosed = detail.get("undisclosed", [])
    ids = {claim_id for group in groups for claim_id in group["claims"][:claims_per_group]}
    ids.update(undisclosed[:claims_per_group])
    claims = claims_by_id(ids, fact)

    def shown(claim_ids: list[int]) -> list[dict]:
        rows = [claims[i] for i in claim_ids[:claims_per_group] if i in claims]
        return ClaimInGroupSerializer(rows, many=True).data

    return {
        "fact": FactSerializer(fact).data,
        "include_drafts": include_drafts,
        "kind": detail.get("kind", fact.verdict),
        "summary": detail.get("summary", fact.verdict_summary),
        "counts": detail.get("counts", {}),
        "groups": [
            {**group, "claim_count": len(group["claims"]), "claims": shown(group["claims"])}
            for group in groups
        ],
        "differences": detail.get("differences", []),
        "undisclosed": shown(undisclosed),
        "undisclosed_count": len(undisclosed),
        "unlisted_claims": detail.get("unlisted_claims", 0),
        "margin": detail.get("margin"),
        "claims_per_group": claims_per_group,
    }


class SideSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=list(ROLES))
    value = serializers.CharField()
    originators = serializers.ListField(child=serializers.CharField())
    outlets = serializers.ListField(child=serializers.CharField())
    claims = serializers.IntegerField()


class DisputedFactSerializer(serializers.ModelSerializer):
    """A disputed fact with who stands on each side and why they differ."""

    subject = serializers.CharField(source="subject.slug")
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    summary = serializers.CharField(source="verdict_summary")
    sides = serializers.SerializerMethodField()
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Fact
        fields = ["id", "slug", "subject", "property", "verdict", "summary", "sides", "reasons"]
        read_only_fields = fields

    @extend_schema_field(SideSerializer(many=True))
    def get_sides(self, fact: Fact) -> list[dict]:
        return [side_of(group, fact) for group in fact.verdict_detail.get("groups", [])]

    def get_reasons(self, fact: Fact) -> list[str]:
        return [
            d["reason"]
            for d in fact.verdict_detail.get("differences", [])
            if d["type"] in agreement.DISPUTES or d["type"] == agreement.OUTLIER
        ]


def side_of(group: dict, fact: Fact) -> dict:
    """One group of a verdict as a side: its value and who backs it."""
    if group.get("category"):
        value = group["category"]
    elif group.get("low") == group.get("high") and group.get("low") is not None:
        value = str(group["low"])
    else:
        low, high = group.get("low"), group.get("high")
        value = f"{'…' if low is None else low} to {'…' if high is None else high}"
    if fact.unit and not group.get("category"):
        value = f"{value} {fact.unit}"
    return {
        "role": group["role"],
        "value": value,
        "originators": [o["name"] for o in group["originators"]],
        "outlets": [o["name"] for o in group["outlets"]],
        "claims": len(group["claims"]),
    }


# Outlet against outlet ---------------------------------------------------------------------
#
# Both paths read the outlets' standings kept by the verdict service
# (facts.services.outlet_standings): an outlet's totals from one row, a pair's from one row, and
# the first facts by the (outlet, fact) index. Counting each outlet's claims by fact at read
# time (Claim.verdict_side, through a covering index) still grew with the outlet: 2.05x and
# 3.0x from 10k to 1M claims on SQLite (issue 16).

# Facts listed by outlet against outlet, in id order; `shared_facts` counts them all.
AGREEMENT_FACTS_LISTED = 100


def _rows(sql: str, params: list | tuple) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _shared_facts(outlet: Outlet, other: Outlet, limit: int) -> tuple[list[tuple], dict]:
    """The first `limit` facts both outlets reported in verified claims, in id order, each as
    (fact id, placed, together, our claims' ids, theirs): placed when a claim of each stands on
    a side of the verdict, together when two of them stand on the same side; and the pair's
    totals over every shared fact. Read from the outlets' stored standings
    (facts.models.outlet_standings): the two outlets' rows merged in fact order by the (outlet,
    fact) index until `limit` are found, and the pair's row beside them (none when they share
    no fact: zeros)."""
    q = connection.ops.quote_name
    table, pairs = q(OutletFact._meta.db_table), q(OutletPair._meta.db_table)
    fact_id, sides, ids = q("fact_id"), q("sides"), q("claim_ids")
    sql = f"""
        SELECT x.fact_id, x.ours, x.theirs, x.our_ids, x.their_ids, p.{q("shared")},
            p.{q("agreed")}, p.{q("disagreed")}
        FROM (
            SELECT a.{fact_id} AS fact_id, a.{sides} AS ours, b.{sides} AS theirs,
                a.{ids} AS our_ids, b.{ids} AS their_ids
            FROM {table} a
            JOIN {table} b ON b.{q("outlet_id")} = %s AND b.{fact_id} = a.{fact_id}
            WHERE a.{q("outlet_id")} = %s
            ORDER BY a.{fact_id} LIMIT %s
        ) x
        LEFT JOIN {pairs} p ON p.{q("outlet_id")} = %s AND p.{q("other_id")} = %s
        ORDER BY x.fact_id
    """
    low, high = sorted((outlet.pk, other.pk))
    found, totals = [], dict.fromkeys(("shared", "agreed", "disagreed"), 0)
    for fact_id, ours, theirs, our_ids, their_ids, *pair in _rows(
        sql, [other.pk, outlet.pk, limit, low, high]
    ):
        ours, theirs = set(_decoded(ours)), set(_decoded(theirs))
        placed = bool(ours and theirs)
        together = placed and not ours.isdisjoint(theirs)
        found.append((fact_id, placed, together, _decoded(our_ids), _decoded(their_ids)))
        if pair[0] is not None:
            totals = dict(zip(totals, pair, strict=True))
    if found and outlet.pk == other.pk:
        totals = outlet_standings.pair_of(outlet.pk, other.pk)
    return found, totals


def listed_facts(ids: list[int]) -> dict[int, Fact]:
    """The facts a list names, with their subjects' slugs and without their verdict JSON."""
    return (
        Fact.objects.filter(id__in=ids)
        .select_related("subject")
        .only("id", "slug", "property", "verdict", "subject__slug")
        .in_bulk()
    )


def _decoded(sides: str | list[int]) -> list[int]:
    """A JSON column read by a raw cursor: text on SQLite, decoded already on some drivers."""
    return json.loads(sides) if isinstance(sides, str) else sides


class FactReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    subject = serializers.CharField(help_text="The subject's slug.")
    property = serializers.CharField()


class SharedFactSerializer(serializers.Serializer):
    fact = FactReferenceSerializer()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    agree = serializers.BooleanField(allow_null=True)
    ours = serializers.ListField(child=serializers.CharField())
    theirs = serializers.ListField(child=serializers.CharField())


class OutletAgreementSerializer(serializers.Serializer):
    outlet = OutletBriefSerializer()
    other = OutletBriefSerializer()
    shared_facts = serializers.IntegerField()
    compared = serializers.IntegerField()
    agreed = serializers.IntegerField()
    disagreed = serializers.IntegerField()
    agreement_rate = serializers.FloatField(allow_null=True)
    facts = SharedFactSerializer(
        many=True,
        help_text="The first shared facts in id order, `facts_listed_at_most` of them at most; "
        "`shared_facts` counts them all.",
    )
    facts_listed_at_most = serializers.IntegerField(
        help_text="How many shared facts `facts` lists at most."
    )


def brief_fact(fact: Fact) -> dict:
    return {
        "id": fact.id,
        "slug": fact.slug,
        "subject": fact.subject.slug,
        "property": fact.property,
    }


def outlet_agreement(outlet: Outlet, other: Outlet) -> dict:
    """How often two outlets agree on the facts both reported (verified claims): they agree on
    a fact when a claim of each stands on the same side of its verdict. Counts every shared
    fact (kept per pair of outlets by the verdict service); lists the first
    AGREEMENT_FACTS_LISTED with both outlets' wordings."""
    shared, totals = _shared_facts(outlet, other, AGREEMENT_FACTS_LISTED)
    facts = listed_facts([row[0] for row in shared])
    # The listed facts' claims of both outlets by their ids, kept with the standings: a search
    # by fact and outlet read every verified claim on SQLite (by `status`), or both outlets'.
    whose: dict[int, tuple[int, int]] = {}
    for fact_id, _placed, _together, our_ids, their_ids in shared:
        whose.update((i, (fact_id, other.pk)) for i in their_ids)
        whose.update((i, (fact_id, outlet.pk)) for i in our_ids)
    wordings: dict[tuple[int, int], list[str]] = defaultdict(list)
    wanted: list[int] | RawSQL = list(whose)
    if connection.vendor == "postgresql":
        # One array parameter rather than a placeholder per claim (2,000 of them at 10k):
        # the client adapted each, 5 ms of its CPU.
        wanted = RawSQL("SELECT unnest(%s::bigint[])", (wanted,))
    claims = Claim.objects.filter(id__in=wanted).values_list("id", "wording")
    for claim_id, wording in claims:  # in the claims' own order, as before
        wordings[whose[claim_id]].append(wording)
    rows = [
        {
            "fact": brief_fact(facts[fact_id]),
            "verdict": facts[fact_id].verdict,
            "agree": together if placed else None,
            "ours": wordings[fact_id, outlet.pk],
            "theirs": wordings[fact_id, other.pk],
        }
        for fact_id, placed, together, _ours, _theirs in shared
    ]
    agreed, disagreed = totals["agreed"], totals["disagreed"]
    compared = agreed + disagreed
    return {
        "outlet": OutletBriefSerializer(outlet).data,
        "other": OutletBriefSerializer(other).data,
        "shared_facts": totals["shared"],
        "compared": compared,
        "agreed": agreed,
        "disagreed": disagreed,
        "agreement_rate": round(agreed / compared, 4) if compared else None,
        "facts": rows,
        "facts_listed_at_most": AGREEMENT_FACTS_LISTED,
    }


# An outlet's record -----------------------------------------------------------------------

RECORD_FACTS_SHOWN = 100


class RecordFactSerializer(serializers.Serializer):
    fact = FactReferenceSerializer()
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    standing = serializers.ChoiceField(choices=["agreed", "disputed", "alone"])
    with_consensus = serializers.BooleanField(allow_null=True)


class StandingSharesSerializer(serializers.Serializer):
    agreed = serializers.FloatField()
    disputed = serializers.FloatField()
    alone = serializers.FloatField()


class StandingCountsSerializer(serializers.Serializer):
    agreed = serializers.IntegerField()
    disputed = serializers.IntegerField()
    alone = serializers.IntegerField()


class OutletRecordSerializer(TrackRecordSerializer):
    """An outlet's record: its facts' standing (agreed, disputed, alone) and its track records
    (overall, by_year, as_originator: see `rule`)."""

    outlet = OutletBriefSerializer()
    claims = serializers.IntegerField()
    facts = serializers.IntegerField()
    shares = StandingSharesSerializer(help_text="The share of its facts in each standing.")
    counts = StandingCountsSerializer(help_text="How many of its facts are in each standing.")
    with_consensus = serializers.IntegerField()
    against_consensus = serializers.IntegerField()
    facts_shown = RecordFactSerializer(many=True)
    as_originator = TrackRecordSerializer(
        help_text="Its own-voice claims only: the outlet as an originator."
    )
    rule = serializers.CharField()


def _record_facts(outlet: Outlet, limit: int) -> list[OutletFact]:
    """The outlet's first `limit` facts in id order, with how it stands on each, from its
    stored standings by the (outlet, fact) index, each with its fact and subject's slug."""
    return list(
        OutletFact.objects.filter(outlet_id=outlet.pk)
        .select_related("fact__subject")
        .only(
            "fact_id",
            "on_consensus",
            "against_consensus",
            "standing",
            "fact__slug",
            "fact__property",
            "fact__verdict",
            "fact__subject__slug",
        )
        .order_by("fact_id")[:limit]
    )


def outlet_record(outlet: Outlet) -> dict:
    """An outlet's verified claims and facts: the share of its facts that other outlets
    confirm (agreed), that are disputed, or that it alone reports. The totals are kept per
    outlet by the verdict service (facts.services.outlet_standings)."""
    totals = outlet_standings.summary_of(outlet.pk)
    found = _record_facts(outlet, RECORD_FACTS_SHOWN)
    total = totals["facts"]
    counts = {k: totals[k] for k in ("agreed", "disputed", "alone")}
    shown = [
        {
            "fact": brief_fact(row.fact),
            "verdict": row.fact.verdict,
            "standing": row.standing,
            # With no consensus (no side leads) a claim neither stands with it nor against it.
            "with_consensus": True
            if row.on_consensus
            else False
            if row.against_consensus
            else None,
        }
        for row in found
    ]
    return {
        "outlet": OutletBriefSerializer(outlet).data,
        "claims": totals["claims"],
        "facts": total,
        "shares": {k: round(v / total, 4) if total else 0.0 for k, v in counts.items()},
        "counts": counts,
        "with_consensus": totals["with_consensus"],
        "against_consensus": totals["against_consensus"],
        "facts_shown": shown,
        **outlet_track_records(outlet),
    }
