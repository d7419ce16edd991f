"""The changes feed: every create, update and delete since a time, by stable ids, read from the
audit history that django-simple-history keeps for every model."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime, timezone

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.timezone import is_naive, make_aware
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import APIView

from facts.api import views
from facts.api.parameters import FORMAT, StrictQueryMixin
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.models.readers import is_staff_reader

TRACKED_MODELS = {
    model._meta.model_name: model for model in (Outlet, Article, Actor, Subject, Fact, Claim)
}
ACTIONS = {"+": "created", "~": "updated", "-": "deleted"}
DEFAULT_PAGE, MAX_PAGE = 100, 1000
# What ?expand= may embed in each event.
EXPANSIONS = ["object"]
# Each tracked model's resource: its rows read and shown as its API detail shows them, so an
# embedded object is exactly what GET /api/<resource>/<id>/ answers.
RESOURCES: dict[str, type] = {
    "outlet": views.OutletViewSet,
    "article": views.ArticleViewSet,
    "actor": views.ActorViewSet,
    "subject": views.SubjectViewSet,
    "fact": views.FactViewSet,
    "claim": views.ClaimViewSet,
}


class ChangeSerializer(serializers.Serializer):
    model = serializers.ChoiceField(choices=sorted(TRACKED_MODELS))
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=sorted(ACTIONS.values()))
    at = serializers.DateTimeField()
    version = serializers.IntegerField()
    object = serializers.JSONField(
        required=False,
        allow_null=True,
        help_text="With ?expand=object only: the row as its resource shows it now (not as it "
        "was at this event); null once it is deleted.",
    )

    def to_representation(self, change: dict) -> dict:
        data = super().to_representation(change)
        if "object" not in change:
            # Asked without ?expand=object: no object, rather than a null that would say the
            # row is deleted.
            del data["object"]
        return data


def change_schema(name: str, resource: type[serializers.Serializer]) -> type:
    """The schema of one model's events (OutletChange...): `model` its name, `object` its
    resource's representation. For the schema only: the feed answers with ChangeSerializer."""

    @extend_schema_field({"type": "string", "enum": [name]})
    class ModelName(serializers.CharField):
        pass

    return type(
        f"{name.capitalize()}ChangeSerializer",
        (ChangeSerializer,),
        {
            "__doc__": f"One change to one {name}.",
            "model": ModelName(),
            "object": resource(
                required=False,
                allow_null=True,
                help_text="With ?expand=object only: the row as its resource shows it now (not "
                "as it was at this event); null once it is deleted.",
            ),
        },
    )


# An event's type by its `model` (a discriminator): a generated client gets each model's
# object typed, and no object can be read as another model's.
CHANGE_SCHEMA = PolymorphicProxySerializer(
    component_name="Change",
    serializers={
        name: change_schema(name, view.serializer_class) for name, view in RESOURCES.items()
    },
    resource_type_field_name="model",
    many=True,
)


@extend_schema_field(CHANGE_SCHEMA)
class ChangesField(serializers.ListField):
    """The page's events (typed by model in the schema)."""

    child = ChangeSerializer()


class ChangesPageSerializer(serializers.Serializer):
    changes = ChangesField()
    next = serializers.URLField(
        help_text="Where to ask for what changed after this page: never null. While "
        "`has_more`, follow it; at the end, keep it and follow it later to get what changed "
        "since."
    )
    next_cursor = serializers.CharField(help_text="The `cursor` in `next`.")
    has_more = serializers.BooleanField(
        help_text="Whether the page was full, so that more changes may follow at once."
    )


def encode_cursor(at: datetime, model: str, history_id: int) -> str:
    return base64.urlsafe_b64encode(f"{at.isoformat()}|{model}|{history_id}".encode()).decode()


def decode_cursor(cursor: str) -> tuple[datetime, str, int]:
    try:
        at, model, history_id = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = parse_datetime(at)
        # No model: the position before any change at that time (where a `since` starts).
        if moment is None or (model and model not in TRACKED_MODELS):
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
    at: datetime,
    model: str,
    history_id: int,
    *,
    limit: int,
    models: list[str],
    staff: bool = False,
) -> list[dict]:
    """The next `limit` history events after a position (time, model, history id). For a
    reader who is not staff, a claim's events are those of the public record: while it is
    verified, and, as a deletion, when it leaves it (sent back to draft or rejected); a claim
    never verified has no event."""
    events = []
    for name in models:
        if name > model:
            after = Q(history_date__gte=at)
        elif name == model:
            after = Q(history_date__gt=at) | Q(history_date=at, history_id__gt=history_id)
        else:
            after = Q(history_date__gt=at)
        history = TRACKED_MODELS[name].history.filter(after).order_by("history_date", "history_id")
        fields = ["id", "history_id", "history_date", "history_type", "version"]
        if name == "claim" and not staff:
            history = public_claim_events(history)
            fields.append("status")
        for row in history.values(*fields)[:limit]:
            if row.pop("status", Claim.Status.VERIFIED) != Claim.Status.VERIFIED:
                row["history_type"] = "-"
            events.append((row["history_date"], name, row["history_id"], row))
    events.sort(key=lambda event: event[:3])
    return events[:limit]


def public_claim_events(history: QuerySet) -> QuerySet:
    """The claim events the public sees: a verified state, or leaving one (an earlier event of
    the same claim was verified). One query with the rest: an EXISTS per row."""
    verified = Claim.Status.VERIFIED
    was_public = Claim.history.filter(
        id=OuterRef("id"), history_id__lt=OuterRef("history_id"), status=verified
    )
    return history.filter(Q(status=verified) | Exists(was_public))


def representations(request: Request, events: list[tuple]) -> dict[tuple[str, int], dict]:
    """The changed rows as their resources show them now, by (model, id): one query for each
    model in the events, whatever their number. A deleted row is not found, so not given."""
    ids: dict[str, set[int]] = {}
    for _, name, _, row in events:
        ids.setdefault(name, set()).add(row["id"])
    found = {}
    for name, wanted in sorted(ids.items()):
        view = RESOURCES[name](request=request, format_kwarg=None, action="retrieve", kwargs={})
        rows = list(view.get_queryset().filter(pk__in=wanted))
        for row, data in zip(rows, view.get_serializer(rows, many=True).data, strict=True):
            found[(name, row.pk)] = data
    return found


FEED_PARAMETERS = [
    OpenApiParameter("since", OpenApiTypes.DATETIME, description="Changes after this time."),
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        description="The `next_cursor` of a previous page (its `next` holds it).",
    ),
    OpenApiParameter("model", OpenApiTypes.STR, many=True, enum=sorted(TRACKED_MODELS)),
    OpenApiParameter("page_size", OpenApiTypes.INT, description=f"1 to {MAX_PAGE}."),
    OpenApiParameter(
        "expand",
        OpenApiTypes.STR,
        enum=EXPANSIONS,
        description="object: embed each changed row as its resource shows it now.",
    ),
]


class ChangesView(StrictQueryMixin, APIView):
    """What changed since a time: creations, updates and deletions, oldest first, by stable
    ids. Follow `next` while `has_more`; keep the last `next` to ask again later (it is never
    null). With ?expand=object each event carries the row as it is now, so mirroring takes one
    request a page. Anonymous readers and clients without a claims permission get the public
    record's events: a claim appears while verified (its first event may be an update: take
    an update of an unknown id as its arrival) and is deleted when it leaves it; drafts,
    candidates and rejected claims have no event, and no object shows a staff-only field."""

    permission_classes = [AllowAny]

    def allowed_query_parameters(self) -> set[str]:
        return {FORMAT} | {parameter.name for parameter in FEED_PARAMETERS}

    @extend_schema(
        parameters=FEED_PARAMETERS,
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
        expand = request.query_params.getlist("expand")
        if any(value not in EXPANSIONS for value in expand):
            raise ValidationError(
                {"expand": [f"Choose from {', '.join(EXPANSIONS)} (or leave it out)."]}
            )
        try:
            limit = int(request.query_params.get("page_size", DEFAULT_PAGE))
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_PAGE:
            raise ValidationError({"page_size": f"Ask for 1 to {MAX_PAGE} changes a page."})
        events = changes_after(
            at,
            model,
            history_id,
            limit=limit,
            models=sorted(models),
            staff=is_staff_reader(request.user),
        )
        objects = representations(request, events) if expand else {}
        changes = []
        for _, name, _, row in events:
            change = {
                "model": name,
                "id": row["id"],
                "action": ACTIONS[row["history_type"]],
                "at": row["history_date"],
                "version": row["version"],
            }
            if expand:
                change["object"] = objects.get((name, row["id"]))
            changes.append(change)
        # Resume from the last event; after an empty page, from where this one was asked.
        last = events[-1][:3] if events else (at, model, history_id)
        next_cursor = encode_cursor(*last)
        url = remove_query_param(request.build_absolute_uri(), "since")
        page = {
            "changes": changes,
            "next": replace_query_param(url, "cursor", next_cursor),
            "next_cursor": next_cursor,
            "has_more": len(events) == limit,
        }
        return Response(ChangesPageSerializer(page).data)
