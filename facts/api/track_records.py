"""Track records in the API: how often an outlet or an originator stood with the independent
consensus, with the counts behind every share. Read from the stored records
(facts.services.track_records) in a fixed number of queries."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from facts.api.serializers import ActorBriefSerializer
from facts.domain import track_records as domain
from facts.models import Actor, Outlet
from facts.services import track_records

RULE = (
    f"Counts verified claims only, on facts with at least {domain.MIN_ORIGINATORS} independent "
    "originators (a sole source trivially agrees with itself). A fact counts once overall and "
    "once in each year its claims were published in, under where the subject's best claim "
    "stood: with the consensus (in it, or less precise and containing it), an outlier, "
    "against it (a rival value; a change over time is not counted), or contested (no side "
    "leads). A spokesman's claims count under the body he speaks for; a wire copy's own-voice "
    "claims under the wire agency."
)


class RecordSerializer(serializers.Serializer):
    """One record: the counts, the share they give, and both in words."""

    facts = serializers.IntegerField(help_text="Facts counted (see `rule`).")
    with_consensus = serializers.IntegerField()
    outliers = serializers.IntegerField()
    against = serializers.IntegerField()
    contested = serializers.IntegerField()
    share_with_consensus = serializers.FloatField(
        allow_null=True, help_text="with_consensus / facts, to 3 places; null with no fact."
    )
    summary = serializers.CharField()


class YearRecordSerializer(RecordSerializer):
    year = serializers.IntegerField(help_text="The year the articles were published.")


class TrackRecordSerializer(serializers.Serializer):
    overall = RecordSerializer()
    by_year = YearRecordSerializer(many=True)


class ActorTrackRecordSerializer(TrackRecordSerializer):
    actor = ActorBriefSerializer()
    counted_under = ActorBriefSerializer(
        help_text="The originator whose record this is: the top of the actor's parent chain."
    )
    rule = serializers.CharField()


def shown(record: domain.Record) -> dict[str, Any]:
    return {
        "facts": record.facts,
        "with_consensus": record.with_consensus,
        "outliers": record.outliers,
        "against": record.against,
        "contested": record.contested,
        "share_with_consensus": record.share_with_consensus,
        "summary": record.summary,
    }


def shown_records(records: track_records.Records) -> dict[str, Any]:
    overall, by_year = records
    return {
        "overall": shown(overall),
        "by_year": [{"year": year, **shown(r)} for year, r in by_year],
    }


def outlet_track_records(outlet: Outlet) -> dict[str, Any]:
    """An outlet's track records as publisher (every claim in its articles) and as originator
    (its own-voice claims, a wire agency's copies included), in one query."""
    found = track_records.records_of([domain.OUTLET, domain.OUTLET_VOICE], outlet.pk)
    return {
        **shown_records(found[domain.OUTLET]),
        "as_originator": shown_records(found[domain.OUTLET_VOICE]),
        "rule": RULE,
    }


def actor_track_record(actor: Actor) -> dict[str, Any]:
    """An actor's track record: its originator's, since a spokesman counts under his body."""
    originator = actor.originator()
    found = track_records.records_of([domain.ACTOR], originator.pk)
    return {
        "actor": ActorBriefSerializer(actor).data,
        "counted_under": ActorBriefSerializer(originator).data,
        **shown_records(found[domain.ACTOR]),
        "rule": RULE,
    }
