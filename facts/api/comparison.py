"""Cross-source views: a fact's claims side by side, the disputed facts, outlet against outlet,
and an outlet's record. Each reads the stored verdicts in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

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
from facts.models import Claim, Fact, Outlet, Verdict
from facts.services import verdicts


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


def sides_of_claims(detail: dict) -> dict[int, int]:
    """Which side each claim of a verdict stands on: 0 for the consensus and the claims that
    support it less precisely, 1, 2 … for rival, outlier or (when no side leads) tied sides."""
    sides: dict[int, int] = {}
    rival = 0
    for group in detail.get("groups", []):
        if group["role"] in ("consensus", "less_precise"):
            side = 0
        else:
            rival += 1
            side = rival
        for claim_id in group["claims"]:
            sides[claim_id] = side
    return sides


def verified_claims_by_fact(outlet: Outlet) -> dict[int, list[Claim]]:
    claims = (
        Claim.objects.verified().filter(article__outlet=outlet).only("id", "fact_id", "wording")
    )
    by_fact: dict[int, list[Claim]] = defaultdict(list)
    for claim in claims:
        by_fact[claim.fact_id].append(claim)
    return by_fact


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
    facts = SharedFactSerializer(many=True)


def brief_fact(fact: Fact) -> dict:
    return {
        "id": fact.id,
        "slug": fact.slug,
        "subject": fact.subject.slug,
        "property": fact.property,
    }


def outlet_agreement(outlet: Outlet, other: Outlet) -> dict:
    """How often two outlets agree on the facts both reported (verified claims): they agree on
    a fact when a claim of each stands on the same side of its verdict."""
    ours, theirs = verified_claims_by_fact(outlet), verified_claims_by_fact(other)
    shared = sorted(ours.keys() & theirs.keys())
    facts = Fact.objects.filter(id__in=shared).select_related("subject").in_bulk()
    rows, agreed, disagreed = [], 0, 0
    for fact_id in shared:
        fact = facts[fact_id]
        sides = sides_of_claims(fact.verdict_detail)
        our_sides = {sides[c.id] for c in ours[fact_id] if c.id in sides}
        their_sides = {sides[c.id] for c in theirs[fact_id] if c.id in sides}
        agree = bool(our_sides & their_sides) if our_sides and their_sides else None
        agreed += agree is True
        disagreed += agree is False
        rows.append(
            {
                "fact": brief_fact(fact),
                "verdict": fact.verdict,
                "agree": agree,
                "ours": [c.wording for c in ours[fact_id]],
                "theirs": [c.wording for c in theirs[fact_id]],
            }
        )
    compared = agreed + disagreed
    return {
        "outlet": OutletBriefSerializer(outlet).data,
        "other": OutletBriefSerializer(other).data,
        "shared_facts": len(shared),
        "compared": compared,
        "agreed": agreed,
        "disagreed": disagreed,
        "agreement_rate": round(agreed / compared, 4) if compared else None,
        "facts": rows,
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


def outlet_record(outlet: Outlet) -> dict:
    """An outlet's verified claims and facts: the share of its facts that other outlets
    confirm (agreed), that are disputed, or that it alone reports."""
    by_fact = verified_claims_by_fact(outlet)
    facts = Fact.objects.filter(id__in=by_fact).select_related("subject").order_by("id")
    counts = {"agreed": 0, "disputed": 0, "alone": 0}
    with_consensus = against = 0
    shown = []
    for fact in facts:
        if fact.counted_outlets <= 1:
            standing = "alone"
        elif fact.verdict in agreement.DISPUTES:
            standing = "disputed"
        else:
            standing = "agreed"
        counts[standing] += 1
        sides = sides_of_claims(fact.verdict_detail)
        ours = {sides[c.id] for c in by_fact[fact.id] if c.id in sides}
        # With no consensus (no side leads) a claim neither stands with it nor against it.
        led = any(g["role"] == "consensus" for g in fact.verdict_detail.get("groups", []))
        on_consensus = (0 in ours) if ours and led else None
        with_consensus += on_consensus is True
        against += on_consensus is False
        if len(shown) < RECORD_FACTS_SHOWN:
            shown.append(
                {
                    "fact": brief_fact(fact),
                    "verdict": fact.verdict,
                    "standing": standing,
                    "with_consensus": on_consensus,
                }
            )
    total = sum(counts.values())
    return {
        "outlet": OutletBriefSerializer(outlet).data,
        "claims": sum(len(claims) for claims in by_fact.values()),
        "facts": total,
        "shares": {k: round(v / total, 4) if total else 0.0 for k, v in counts.items()},
        "counts": counts,
        "with_consensus": with_consensus,
        "against_consensus": against,
        "facts_shown": shown,
        **outlet_track_records(outlet),
    }
