"""The changes feed: every create, update and delete since a time, by stable ids, read from the
audit history that django-simple-history keeps for every model."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timezone

from django.db.models import Q
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from facts.models import Actor, Article, Claim, Fact, Outlet, Subject

TRACKED_MODELS = {
    model._meta.model_name: model for model in (Outlet, Article, Actor, Subject, Fact, Claim)
}
ACTIONS = {"+": "created", "~": "updated", "-": "deleted"}
DEFAULT_PAGE, MAX_PAGE = 100, 1000


class ChangeSerializer(serializers.Serializer):
    model = serializers.ChoiceField(choices=sorted(TRACKED_MODELS))
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=sorted(ACTIONS.values()))
    at = serializers.DateTimeField()
    version = serializers.IntegerField()


class ChangesPageSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    next = serializers.CharField(allow_null=True)


def encode_cursor(at: datetime, model: str, history_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{model}|{history_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str, int]:
    try:
        at, model, history_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = parse_datetime(at)
        if moment is None or model not in TRACKED_MODELS:
            raise ValueError
        # The feed writes times in UTC; one that cannot be written so was not made here.
        return in_utc(moment), model, int(history_id)
    except (ValueError, OverflowError, binascii.Error):
        raise ValidationError({"cursor": "This cursor was not given by this feed."}) from None


def parse_since(raw: str | None) -> datetime:
    if not raw:
        raise ValidationError(
            {"since": "Say since when: an ISO 8601 time, e.g. 2022-02-10T00:00:00Z."}
        )
    try:
        moment = parse_datetime(raw)
    except ValueError:
        moment = None
    if moment is None:
        raise ValidationError({"since": "Not an ISO 8601 time (e.g. 2022-02-10T00:00:00Z)."})
    moment = make_aware(moment) if is_naive(moment) else moment
    try:
        return in_utc(moment)
    except OverflowError:
        # A time whose UTC lies past an end of the calendar (9999-12-31T23:59:59-14:00):
        # SQLite would fail to convert it. Nothing changed after the latest time there is, and
        # everything did after the earliest.
        return (
            datetime.max.replace(tzinfo=timezone.utc)
            if moment.year > 1
            else datetime.min.replace(tzinfo=timezone.utc)
        )


def in_utc(moment: datetime) -> datetime:
    """An aware time in UTC, as the databases compare it; OverflowError past year 1..9999."""
    return (make_aware(moment) if is_naive(moment) else moment).astimezone(timezone.utc)


def changes_after(
    at: datetime, model: str, history_id: int, *, limit: int, models: list[str]
) -> list[dict]:
    """The next `limit` history events after a position (time, model, history id)."""
    events = []
    for name in models:
        if name > model:
            after = Q(history_date__gte=at)
        elif name == model:
            after = Q(history_date__gt=at) | Q(history_date=at, history_id__gt=history_id)
        else:
            after = Q(history_date__gt=at)
        history = TRACKED_MODELS[name].history.filter(after).order_by("history_date", "history_id")
        for row in history.values("id", "history_id", "history_date", "history_type", "version")[
            :limit
        ]:
            events.append((row["history_date"], name, row["history_id"], row))
    events.sort(key=lambda event: event[:3])
    return events[:limit]


class ChangesView(APIView):
    """What changed since a time: creations, updates and deletions, oldest first, by stable
    ids. Follow `next` until it is null; keep the last `next` to ask again later."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATETIME, description="Changes after this time."
            ),
            OpenApiParameter(
                "cursor", OpenApiTypes.STR, description="The `next` of a previous page."
            ),
            OpenApiParameter("model", OpenApiTypes.STR, many=True, enum=sorted(TRACKED_MODELS)),
            OpenApiParameter("page_size", OpenApiTypes.INT, description=f"1 to {MAX_PAGE}."),
        ],
        responses=ChangesPageSerializer,
    )
    def get(self, request: Request) -> Response:
        if request.query_params.get("cursor"):
            at, model, history_id = decode_cursor(request.query_params["cursor"])
        else:
            at, model, history_id = parse_since(request.query_params.get("since")), "", 0
        models = request.query_params.getlist("model") or sorted(TRACKED_MODELS)
        unknown = set(models) - set(TRACKED_MODELS)
        if unknown:
            raise ValidationError({"model": f"Choose from {', '.join(sorted(TRACKED_MODELS))}."})
        try:
            limit = int(request.query_params.get("page_size", DEFAULT_PAGE))
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_PAGE:
            raise ValidationError({"page_size": f"Ask for 1 to {MAX_PAGE} changes a page."})
        events = changes_after(at, model, history_id, limit=limit, models=sorted(models))
        changes = [
            {
                "model": name,
                "id": row["id"],
                "action": ACTIONS[row["history_type"]],
                "at": row["history_date"],
                "version": row["version"],
            }
            for _, name, _, row in events
        ]
        last = events[-1] if events else None
        next_cursor = encode_cursor(last[0], last[1], last[2]) if len(events) == limit else None
        return Response(ChangesPageSerializer({"changes": changes, "next": next_cursor}).data)
