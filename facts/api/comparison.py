"""Cross-source views: a fact's claims side by side, the disputed facts, outlet against outlet,
and an outlet's record. Each reads the stored verdicts in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db import connection
from django.db.models import Case, Count, Max, QuerySet, Value, When
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
from facts.models import Article, Claim, Fact, Outlet, Verdict
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
#
# Both paths count in SQL from each claim's stored side (Claim.verdict_side, written with the
# verdict by facts.services.verdicts from facts.domain.agreement.claim_sides): reading every
# shared fact's verdict JSON (63 KB for a busy fact) and every claim made them 3.3-3.5 s at 1M
# claims on SQLite (issue 16). One query groups the outlet's verified claims by fact and side,
# counts every fact with window functions and lists the first facts; two more read those
# facts (without their verdict JSON) and, for outlet against outlet, their wordings.

# Facts listed by outlet against outlet, in id order; `shared_facts` counts them all.
AGREEMENT_FACTS_LISTED = 100


def _rows(sql: str, params: list | tuple) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def articles_of(outlet: Outlet) -> QuerySet[Article, int]:
    """The outlet's articles' ids, as a subquery: the claims are found by them, through the
    index on (article, status, fact, verdict_side), not by a join the planner may drive from
    every verified claim (SQLite did, without statistics: 3.5 s at 1M claims)."""
    return Article.objects.filter(outlet_id=outlet.pk).order_by().values("id")


def _shared_facts(outlet: Outlet, other: Outlet, limit: int) -> list[tuple]:
    """The facts both outlets reported in verified claims, the first `limit` in id order, each
    as (fact id, placed, together, shared, agreed, disagreed): placed when a claim of each
    stands on a side of the verdict, together when two of them stand on the same side; the
    last three count every shared fact (the same on every row). A fact's (side, outlet) pairs
    are grouped first, so each fact is a handful of rows whatever its size."""
    ours, theirs = articles_of(outlet), articles_of(other)
    on_ours = Case(When(article_id__in=ours, then=Value(1)), default=Value(0))
    on_theirs = Case(When(article_id__in=theirs, then=Value(1)), default=Value(0))
    by_side = (
        Claim.objects.verified()
        # One list of both outlets' articles (an OR of two lists sent SQLite back to `status`).
        .filter(
            article_id__in=Article.objects.filter(outlet_id__in=[outlet.pk, other.pk])
            .order_by()
            .values("id")
        )
        .order_by()
        .values("fact_id", "verdict_side")
        .annotate(ours=Max(on_ours), theirs=Max(on_theirs))
    )
    inner, params = by_side.query.sql_with_params()
    by_fact = f"""
        SELECT fact_id,
            MAX(CASE WHEN verdict_side IS NOT NULL THEN ours ELSE 0 END)
              * MAX(CASE WHEN verdict_side IS NOT NULL THEN theirs ELSE 0 END) AS placed,
            MAX(CASE WHEN verdict_side IS NOT NULL THEN ours * theirs ELSE 0 END) AS together
        FROM ({inner}) by_side
        GROUP BY fact_id
        HAVING MAX(ours) = 1 AND MAX(theirs) = 1
    """
    agreed = "CASE WHEN placed = 1 AND together = 1 THEN 1 ELSE 0 END"
    disagreed = "CASE WHEN placed = 1 AND together = 0 THEN 1 ELSE 0 END"
    sql = f"""
        SELECT fact_id, placed, together, COUNT(*) OVER (), SUM({agreed}) OVER (),
            SUM({disagreed}) OVER ()
        FROM ({by_fact}) by_fact ORDER BY fact_id LIMIT %s
    """
    return _rows(sql, [*params, limit])


def listed_facts(ids: list[int]) -> dict[int, Fact]:
    """The facts a list names, with their subjects' slugs and without their verdict JSON."""
    return (
        Fact.objects.filter(id__in=ids)
        .select_related("subject")
        .only("id", "slug", "property", "verdict", "subject__slug")
        .in_bulk()
    )


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
    fact; lists the first AGREEMENT_FACTS_LISTED with both outlets' wordings."""
    shared = _shared_facts(outlet, other, AGREEMENT_FACTS_LISTED)
    total, agreed, disagreed = (int(n or 0) for n in shared[0][3:]) if shared else (0, 0, 0)
    ids = [row[0] for row in shared]
    facts = listed_facts(ids)
    wordings: dict[tuple[int, int], list[str]] = defaultdict(list)
    claims = (
        Claim.objects.verified()
        .filter(fact_id__in=ids, article__outlet_id__in=[outlet.pk, other.pk])
        .values_list("fact_id", "article__outlet_id", "wording")
    )
    for fact_id, outlet_id, wording in claims:  # in the claims' own order, as before
        wordings[fact_id, outlet_id].append(wording)
    rows = [
        {
            "fact": brief_fact(facts[fact_id]),
            "verdict": facts[fact_id].verdict,
            "agree": bool(together) if placed else None,
            "ours": wordings[fact_id, outlet.pk],
            "theirs": wordings[fact_id, other.pk],
        }
        for fact_id, placed, together, *_ in shared
    ]
    compared = agreed + disagreed
    return {
        "outlet": OutletBriefSerializer(outlet).data,
        "other": OutletBriefSerializer(other).data,
        "shared_facts": total,
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


def _record_facts(outlet: Outlet, limit: int) -> list[tuple]:
    """The outlet's facts (those of its verified claims), the first `limit` in id order, each as
    (fact id, standing, on the consensus, against it) and the totals over all of them (the
    same on every row): facts, claims, agreed, disputed, alone, with and against the
    consensus. A claim's side is 0 on the consensus and positive against it only where a side
    leads (facts.domain.agreement.claim_sides), so the two flags say where its fact stands."""
    standing = Case(
        When(fact__counted_outlets__lte=1, then=Value("alone")),
        When(fact__verdict__in=agreement.DISPUTES, then=Value("disputed")),
        default=Value("agreed"),
    )
    on = Case(When(verdict_side=agreement.ON_CONSENSUS, then=Value(1)), default=Value(0))
    against = Case(When(verdict_side__gt=agreement.ON_CONSENSUS, then=Value(1)), default=Value(0))
    by_fact = (
        Claim.objects.verified()
        .filter(article_id__in=articles_of(outlet))
        .order_by()
        .values("fact_id")
        .annotate(
            standing=standing,
            claims=Count("id"),
            on_consensus=Max(on),
            against_consensus=Max(against),
        )
    )
    inner, params = by_fact.query.sql_with_params()
    counted = ", ".join(
        f"SUM(CASE WHEN standing = '{name}' THEN 1 ELSE 0 END) OVER ()"
        for name in ("agreed", "disputed", "alone")
    )
    sql = f"""
        SELECT fact_id, standing, on_consensus, against_consensus, COUNT(*) OVER (), SUM(claims) OVER (),
            {counted}, SUM(on_consensus) OVER (),
            SUM(CASE WHEN on_consensus = 0 AND against_consensus = 1 THEN 1 ELSE 0 END) OVER ()
        FROM ({inner}) by_fact ORDER BY fact_id LIMIT %s
    """
    return _rows(sql, [*params, limit])


def outlet_record(outlet: Outlet) -> dict:
    """An outlet's verified claims and facts: the share of its facts that other outlets
    confirm (agreed), that are disputed, or that it alone reports."""
    found = _record_facts(outlet, RECORD_FACTS_SHOWN)
    total, claims, agreed, disputed, alone, with_consensus, against = (
        (int(n or 0) for n in found[0][4:]) if found else (0,) * 7
    )
    counts = {"agreed": agreed, "disputed": disputed, "alone": alone}
    facts = listed_facts([row[0] for row in found])
    shown = [
        {
            "fact": brief_fact(facts[fact_id]),
            "verdict": facts[fact_id].verdict,
            "standing": standing,
            # With no consensus (no side leads) a claim neither stands with it nor against it.
            "with_consensus": True if on else False if against_it else None,
        }
        for fact_id, standing, on, against_it, *_ in found
    ]
    return {
        "outlet": OutletBriefSerializer(outlet).data,
        "claims": claims,
        "facts": total,
        "shares": {k: round(v / total, 4) if total else 0.0 for k, v in counts.items()},
        "counts": counts,
        "with_consensus": with_consensus,
        "against_consensus": against,
        "facts_shown": shown,
        **outlet_track_records(outlet),
    }
