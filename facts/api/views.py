"""The REST API: public reads, writes for editors with the model permission, cross-source
views, and the changes feed for clients that sync."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ParseError, PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS
from rest_framework.request import Request
from rest_framework.response import Response

from facts.api import comparison as cross_source
from facts.api import (
    csv_columns,
    filters,
    importing,
    inputs,
    jobs,
    serializers,
    track_records,
    visibility,
)
from facts.api.csv_export import CSVListMixin
from facts.api.errors import PreconditionFailed, PreconditionRequired
from facts.api.parameters import StrictQueryMixin
from facts.api.problem_detail import PROBLEM_MEDIA_TYPE
from facts.api.problems import flat_field_errors, problem_response
from facts.domain import agreement
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.models.claims import BRIEF_RELATED_FIELDS
from facts.models.readers import is_staff_reader
from facts.services import idempotency, records
from facts.services import ingest as ingest_services
from facts.services import jobs as job_services

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description="The ETag of the version you read; a stale one gets 412, none gets 428.",
)


# ?async= on an import: whether to run it as a job whatever its size.
ASYNC_VALUES = {
    "true": True,
    "1": True,
    "yes": True,
    "false": False,
    "0": False,
    "no": False,
    "": False,
}


def etag_of(row) -> str:
    """A strong ETag that changes with every save of the row."""
    return f'"{row.pk}-{row.version}"'


class ConcurrentEditsMixin:
    """Optimistic concurrency: responses carry an ETag; PUT, PATCH and DELETE need If-Match,
    checked against the row locked for the write, so no update is ever lost."""

    # Rows with a unique slug are found by it as well as by id: /api/outlets/cnn/.
    by_slug = False

    def get_object(self):
        queryset = self.filter_queryset(self.get_queryset())
        if self.request.method in ("PUT", "PATCH", "DELETE"):
            queryset = queryset.select_for_update(of=("self",))
        key = self.kwargs["pk"]
        lookup = filters.slug_or_id(key) if self.by_slug else {"pk": key}
        row = get_object_or_404(queryset, **lookup)
        self.check_object_permissions(self.request, row)
        return row

    def check_if_match(self, row) -> None:
        header = self.request.headers.get("If-Match")
        if not header:
            raise PreconditionRequired()
        offered = [tag.strip() for tag in header.split(",")]
        if "*" not in offered and etag_of(row) not in offered:
            raise PreconditionFailed()

    def with_etag(self, response: Response, row) -> Response:
        response["ETag"] = etag_of(row)
        return response

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        row = self.get_object()
        tag = etag_of(row)
        if tag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
            return Response(status=status.HTTP_304_NOT_MODIFIED, headers={"ETag": tag})
        return self.with_etag(Response(self.get_serializer(row).data), row)

    def read_input(self, request: Request, *, partial: bool = False) -> dict:
        """The request body, checked by the resource's input serializer."""
        serializer = self.input_serializer_class(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    def output(self, row) -> dict:
        return self.output_serializer_class(row, context=self.get_serializer_context()).data

    def create(self, request: Request, *args, **kwargs) -> Response:
        values = self.read_input(request)
        saved = records.create_record(user=request.user, model=self.queryset.model, values=values)
        row = self.get_queryset().get(pk=saved.row.pk)
        location = request.build_absolute_uri(f"{request.path}{row.pk}/")
        response = Response(
            self.output(row), status=status.HTTP_201_CREATED, headers={"Location": location}
        )
        return self.with_etag(response, row)

    @extend_schema(parameters=[IF_MATCH])
    def update(self, request: Request, *args, **kwargs) -> Response:
        with transaction.atomic():
            row = self.get_object()
            self.check_if_match(row)
            values = self.read_input(request, partial=kwargs.get("partial", False))
            saved = records.update_record(user=request.user, row=row, values=values)
        row = self.get_queryset().get(pk=row.pk)
        response = self.with_etag(Response(self.output(row)), row)
        for notice in saved.notices:
            # RFC 7234's Warning header, code 199 (miscellaneous): e.g. a verified claim that an
            # editor's change sent back to draft.
            response["Warning"] = f'199 - "{notice}"'
        return response

    @extend_schema(parameters=[IF_MATCH])
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(parameters=[IF_MATCH])
    def destroy(self, request: Request, *args, **kwargs) -> Response:
        with transaction.atomic():
            row = self.get_object()
            self.check_if_match(row)
            records.delete_records(user=request.user, rows=[row])
        return Response(status=status.HTTP_204_NO_CONTENT)


class FactsViewSet(CSVListMixin, StrictQueryMixin, ConcurrentEditsMixin, viewsets.ModelViewSet):
    """The base of every resource: ordering by id (newest first) unless asked otherwise."""

    ordering = ["-id"]
    # What clients send (facts.api.inputs) and what they read back (facts.api.serializers).
    input_serializer_class: type[drf_serializers.Serializer]

    @property
    def output_serializer_class(self) -> type[drf_serializers.Serializer]:
        return self.serializer_class

    def get_serializer_class(self) -> type[drf_serializers.BaseSerializer]:
        if self.action in ("create", "update", "partial_update"):
            return self.input_serializer_class
        return self.serializer_class

    # Ids are numbers that fit a 64-bit column: anything else is a 404 at the router, not a
    # ValueError (or an OverflowError) in the database driver.
    lookup_value_regex = "[0-9]{1,18}"


class BySlugViewSet(FactsViewSet):
    """A resource whose rows are also found by their slug."""

    by_slug = True
    lookup_value_regex = "[-a-zA-Z0-9_]{1,200}"


class OutletViewSet(BySlugViewSet):
    """Publishers: newspapers, broadcasters, wire agencies, state media."""

    action_parameters = {
        "agreement": [
            OpenApiParameter(
                "with",
                OpenApiTypes.STR,
                required=True,
                description="The other outlet's slug or id.",
            )
        ]
    }

    csv_table = csv_columns.OUTLETS
    queryset = Outlet.objects.all()
    serializer_class = serializers.OutletSerializer
    input_serializer_class = inputs.OutletInput
    filterset_class = filters.OutletFilter
    ordering_fields = ["id", "name", "updated_at"]

    @extend_schema(
        responses=cross_source.OutletAgreementSerializer,
    )
    @action(detail=True, methods=["get"])
    def agreement(self, request: Request, pk=None) -> Response:
        """How often this outlet and another agree, on the facts both reported."""
        outlet = self.get_object()
        other_key = request.query_params.get("with", "")
        if not other_key or "\x00" in other_key or len(other_key) > 200:
            raise ValidationError({"with": "Name the other outlet by its slug or id."})
        other = Outlet.objects.filter(**filters.slug_or_id(other_key)).first()
        if other is None:
            raise ValidationError({"with": f"No outlet {other_key!r}."})
        return Response(cross_source.outlet_agreement(outlet, other))

    @extend_schema(responses=cross_source.OutletRecordSerializer)
    @action(detail=True, methods=["get"])
    def record(self, request: Request, pk=None) -> Response:
        """An outlet's record: its claims and facts, the share agreed, disputed or alone, and its
        track record: how often it stood with the independent consensus, overall and by year."""
        return Response(cross_source.outlet_record(self.get_object()))


class ArticleViewSet(BySlugViewSet):
    """Published texts: the news body only, with their outlet and publication window."""

    csv_table = csv_columns.ARTICLES
    queryset = Article.objects.all()
    serializer_class = serializers.ArticleSerializer
    input_serializer_class = inputs.ArticleInput
    filterset_class = filters.ArticleFilter
    ordering_fields = ["id", "published_earliest", "updated_at"]

    def get_queryset(self):
        articles = Article.objects.select_related("outlet", "wire_source")
        if visibility.hidden_fields(Article, self.request.user):
            # A capture can be megabytes: not read for a reader who does not see it.
            return articles.defer("capture")
        return articles

    @extend_schema(
        request=inputs.IngestInput,
        responses={
            201: serializers.IngestResultSerializer,
            200: OpenApiResponse(
                serializers.IngestResultSerializer,
                description="Stored already (by URL, text, or near-identical text of the same "
                "outlet): nothing new was stored.",
            ),
        },
    )
    @action(detail=False, methods=["post"], url_path="ingest", filter_backends=[])
    def ingest(self, request: Request) -> Response:
        """Ingest a captured article (HTML or plain text): stored once, its boilerplate left
        out, its claims proposed as candidates for an editor. A capture that is empty,
        binary, wrongly encoded, too large (INGEST_MAX_BYTES) or holds scripts is refused
        (400) and nothing is saved."""
        given = inputs.IngestInput(data=request.data)
        given.is_valid(raise_exception=True)
        values = given.validated_data
        try:
            result = ingest_services.ingest_article(
                user=request.user,
                raw=values["content"],
                content_type=values.get("content_type"),
                outlet=values["outlet"],
                url=values["url"],
                published=values["published"],
                headline=values["headline"],
                byline=values["byline"],
            )
        except DjangoValidationError as error:
            # The capture's problems are the request's "content".
            detail = {
                ("content" if name == ingest_services.FIELD else name): messages
                for name, messages in error.message_dict.items()
            }
            raise ValidationError(detail) from None
        article = self.get_queryset().get(pk=result.article.pk)
        data = serializers.IngestResultSerializer(
            {**result.__dict__, "article": article}, context=self.get_serializer_context()
        ).data
        answer = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        return self.with_etag(Response(data, status=answer), article)

    @extend_schema(
        request=inputs.IngestBatchInput,
        responses={
            202: OpenApiResponse(
                jobs.ImportJobSerializer,
                description="Queued as a job (kind articles): poll the Location header "
                "(/api/imports/{id}/) until its state is succeeded or failed.",
            )
        },
    )
    @action(detail=False, methods=["post"], url_path="ingest/batch", filter_backends=[])
    def ingest_batch(self, request: Request) -> Response:
        """Ingest many captures in the background, all or nothing (up to INGEST_BATCH_MAX):
        202 with a job to poll. Each capture is checked for what can be told at once (empty,
        binary, wrongly encoded, too large: a 400 naming it); the rest when the job runs."""
        given = inputs.IngestBatchInput(data=request.data)
        given.is_valid(raise_exception=True)
        captures = given.validated_data["articles"]
        if len(captures) > settings.INGEST_BATCH_MAX:
            raise ValidationError(
                {"articles": [f"Send at most {settings.INGEST_BATCH_MAX} articles at a time."]}
            )
        problems = {}
        for index, capture in enumerate(captures):
            try:
                ingest_services.decode(capture["content"])
            except DjangoValidationError as error:
                problems[f"articles.{index}.content"] = error.messages
        if problems:
            raise ValidationError(problems)
        rows = [
            {
                **capture,
                "outlet": capture["outlet"].slug,
                "published": capture["published"].isoformat() if capture["published"] else None,
            }
            for capture in captures
        ]
        with transaction.atomic():
            job = job_services.submit_ingest(user=request.user, rows=rows)
        data = jobs.ImportJobSerializer(job, context=self.get_serializer_context()).data
        return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class ActorViewSet(BySlugViewSet):
    """Whoever claims are credited to, with the originator each counts under."""

    csv_table = csv_columns.ACTORS
    queryset = Actor.objects.all()
    serializer_class = serializers.ActorSerializer
    input_serializer_class = inputs.ActorInput
    filterset_class = filters.ActorFilter
    ordering_fields = ["id", "name", "updated_at"]

    @extend_schema(responses=track_records.ActorTrackRecordSerializer)
    @action(detail=True, methods=["get"])
    def record(self, request: Request, pk=None) -> Response:
        """An originator's track record: how often its claims stood with the independent
        consensus, overall and by year (a spokesman's record is his body's)."""
        return Response(track_records.actor_track_record(self.get_object()))

    def get_queryset(self):
        # Three levels of bodies cover every chain the originator walks in practice; deeper
        # chains cost a query per extra level.
        return Actor.objects.select_related("parent__parent__parent")


class SubjectViewSet(BySlugViewSet):
    """What facts are about: events and entities."""

    csv_table = csv_columns.SUBJECTS
    queryset = Subject.objects.all()
    serializer_class = serializers.SubjectSerializer
    input_serializer_class = inputs.SubjectInput
    filterset_class = filters.SubjectFilter
    ordering_fields = ["id", "name", "updated_at"]

    listing_actions = frozenset({"list", "facts"})

    @extend_schema(responses=serializers.FactSerializer(many=True))
    # The subject's facts in id order: the subjects' filters and ordering do not apply.
    @action(detail=True, methods=["get"], filter_backends=[])
    def facts(self, request: Request, pk=None) -> Response:
        """A subject's facts with their verdicts."""
        subject = self.get_object()
        facts = Fact.objects.filter(subject=subject).select_related("subject").order_by("id")
        page = self.paginate_queryset(facts)
        return self.get_paginated_response(serializers.FactSerializer(page, many=True).data)


class FactViewSet(FactsViewSet):
    """Facts of subjects, each with its stored verdict over the verified claims."""

    csv_table = csv_columns.FACTS
    csv_actions = ("list", "disputed")
    queryset = Fact.objects.all()
    serializer_class = serializers.FactSerializer
    input_serializer_class = inputs.FactInput
    filterset_class = filters.FactFilter
    ordering_fields = ["id", "updated_at", "counted_originators", "verdict_updated_at"]
    listing_actions = frozenset({"list", "disputed"})
    action_parameters = {
        "comparison": [
            OpenApiParameter(
                "include_drafts",
                OpenApiTypes.BOOL,
                description="Count draft claims too (computed now, not stored). Staff only: "
                "anyone else gets a 403.",
            ),
            OpenApiParameter(
                "claims_per_group",
                OpenApiTypes.INT,
                description=f"List at most this many claims in each group (1 to "
                f"{cross_source.MAX_CLAIMS_PER_GROUP}; default {cross_source.CLAIMS_PER_GROUP}). "
                "Every group counts all of its claims in `claim_count`.",
            ),
        ],
        "disputed": [
            OpenApiParameter(
                "type",
                OpenApiTypes.STR,
                enum=list(agreement.DISPUTES),
                description="Only this kind of dispute.",
            )
        ],
    }

    def get_queryset(self):
        return Fact.objects.select_related("subject")

    @extend_schema(
        responses=cross_source.ComparisonSerializer,
    )
    @action(detail=True, methods=["get"])
    def comparison(self, request: Request, pk=None) -> Response:
        """Every claim of the fact, grouped by agreeing value, with originators, outlets and the
        conflicting pairs with their reasons."""
        fact = self.get_object()
        try:
            include_drafts = drf_serializers.BooleanField().to_internal_value(
                request.query_params.get("include_drafts", "false")
            )
        except drf_serializers.ValidationError:
            raise ValidationError({"include_drafts": "true or false, please."}) from None
        if include_drafts and not is_staff_reader(request.user):
            raise PermissionDenied("Drafts are for signed-in staff: ask without include_drafts.")
        per_group = drf_serializers.IntegerField(
            min_value=1, max_value=cross_source.MAX_CLAIMS_PER_GROUP
        )
        try:
            claims_per_group = per_group.run_validation(
                request.query_params.get("claims_per_group", cross_source.CLAIMS_PER_GROUP)
            )
        except drf_serializers.ValidationError as error:
            raise ValidationError({"claims_per_group": error.detail}) from None
        return Response(
            cross_source.fact_comparison(
                fact, include_drafts=include_drafts, claims_per_group=claims_per_group
            )
        )

    @extend_schema(
        responses=cross_source.DisputedFactSerializer(many=True),
    )
    @action(detail=False, methods=["get"])
    def disputed(self, request: Request) -> Response:
        """The disputed facts, by kind of dispute, with who stands on each side."""
        kinds = request.query_params.getlist("type") or list(agreement.DISPUTES)
        unknown = set(kinds) - set(agreement.DISPUTES)
        if unknown:
            raise ValidationError({"type": f"Choose from {', '.join(agreement.DISPUTES)}."})
        facts = self.filter_queryset(self.get_queryset())
        if set(kinds) == set(agreement.DISPUTES):
            facts = facts.disputed_in_list_order()
        else:  # one kind or a few: rarer, and found by the verdict's index
            facts = facts.with_verdict(*kinds)
        if self.wants_csv():
            return self.csv_list(facts)
        page = self.paginate_queryset(facts)
        return self.get_paginated_response(
            cross_source.DisputedFactSerializer(page, many=True).data
        )


class ClaimViewSet(FactsViewSet):
    """Claims: one article's statement of a fact's value, with wording and attribution."""

    action_parameters = {
        "bulk_import": [
            OpenApiParameter(
                "async",
                OpenApiTypes.BOOL,
                OpenApiParameter.QUERY,
                description="true: import in the background (202 and a job to poll) whatever "
                "the number of rows. Imports over the synchronous limit (1,000 rows by "
                "default) are jobs anyway.",
            ),
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="A key of the client's (a UUID) for this import: sent again with "
                "the same key and body, the import is not made twice and the first answer comes "
                "back (with the header Idempotent-Replayed: true); the same key with another "
                "body is a 422. Remembered for 24 hours (IDEMPOTENCY_KEY_HOURS).",
            ),
        ]
    }

    csv_table = csv_columns.CLAIMS
    queryset = Claim.objects.all()
    serializer_class = serializers.ClaimSerializer
    input_serializer_class = inputs.ClaimInput
    filterset_class = filters.ClaimFilter
    ordering_fields = ["id", "as_of", "updated_at", "start"]

    def get_queryset(self):
        # Drafts, candidates and rejected claims are for staff: anyone else finds only the
        # public record, in lists, filters (?status=draft is empty), CSV and details (404).
        if self.action == "list":
            # The list's rows read as values (listed rows, no model instances): its pages are
            # the API's busiest path (issue 16). The same fields, the same one query.
            return Claim.objects.listed().visible_to(self.request.user)
        claims = Claim.objects.visible_to(self.request.user)
        if self.request.method in SAFE_METHODS:
            return claims.with_brief_relations()
        # A write hands its row to the services, which may read any field of its relations:
        # they are read whole (the few fields a listing shows would cost a query for each
        # other one read).
        return claims.select_related(*BRIEF_RELATED_FIELDS)

    @extend_schema(
        request=importing.ClaimImportSerializer,
        responses={
            200: OpenApiResponse(
                importing.ClaimImportResultSerializer,
                description="Nothing new: every row's claim was stored already (upsert mode): "
                "left as it was, or updated.",
            ),
            201: importing.ClaimImportResultSerializer,
            202: OpenApiResponse(
                jobs.ImportJobSerializer,
                description="Queued as a job: poll the Location header (/api/imports/{id}/) "
                "until its state is succeeded or failed.",
            ),
            (400, PROBLEM_MEDIA_TYPE): importing.ClaimImportErrorsSerializer,
            (403, PROBLEM_MEDIA_TYPE): importing.ClaimImportForbiddenSerializer,
            (422, PROBLEM_MEDIA_TYPE): OpenApiResponse(
                importing.ClaimImportErrorsSerializer,
                description="The Idempotency-Key was sent before with another body.",
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
    )
    def bulk_import(self, request: Request) -> Response:
        """Import claims in bulk, all or none: every bad row is reported and nothing is saved
        unless every row is good. Up to IMPORT_SYNC_MAX_ROWS rows are imported in the request
        (201); more, or ?async=true, answer 202 with a job that a worker runs."""

        def refused(problems: list[importing.RowError]) -> Response:
            return self._import_refused(request, problems)

        in_background = request.query_params.get("async", "false").strip().lower()
        if in_background not in ASYNC_VALUES:
            return refused([importing.RowError(None, "async", "Give async=true or async=false.")])
        key = request.headers.get("Idempotency-Key")
        if key is not None:
            problem = idempotency.key_problem(key)
            if problem:
                return refused([importing.RowError(None, "Idempotency-Key", problem)])
            try:
                earlier = idempotency.earlier_answer(user=request.user, key=key, body=request.body)
            except idempotency.KeyReused as reused:
                return problem_response(
                    request,
                    status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
                    detail=str(reused),
                    code="idempotency_key_reused",
                    errors=[{"index": None, "field": "Idempotency-Key", "message": str(reused)}],
                )
            if earlier is not None:
                return self._earlier_import(earlier)
        try:
            body = request.data
        except ParseError as error:
            return refused(
                [importing.RowError(None, "body", f"The body is not JSON: {error.detail}")]
            )
        envelope = importing.ClaimImportSerializer(data=body)
        if not envelope.is_valid():
            return refused(importing.request_errors(envelope.errors))
        rows, mode = envelope.validated_data["claims"], envelope.validated_data["mode"]
        if len(rows) > settings.IMPORT_MAX_ROWS:
            message = (
                f"Send at most {settings.IMPORT_MAX_ROWS} claims at a time; import the rest "
                "in further requests."
            )
            return refused([importing.RowError(None, "claims", message)])
        if ASYNC_VALUES[in_background] or len(rows) > settings.IMPORT_SYNC_MAX_ROWS:
            with transaction.atomic():
                job = job_services.submit_import(user=request.user, rows=rows, mode=mode)
                if key is not None:
                    idempotency.remember_answer(
                        user=request.user,
                        key=key,
                        body=request.body,
                        status=202,
                        response={},
                        job=job,
                    )
            data = jobs.ImportJobSerializer(job, context=self.get_serializer_context()).data
            return Response(
                data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]}
            )
        try:
            result = importing.import_claims(rows=rows, user=request.user, mode=mode)
        except importing.ImportForbidden as refusal:
            return problem_response(
                request,
                status_code=status.HTTP_403_FORBIDDEN,
                detail=refusal.message,
                code="permission_denied",
                errors=importing.RowErrorSerializer(refusal.errors, many=True).data,
            )
        except importing.ImportRejected as rejection:
            return refused(rejection.errors)
        data = importing.ClaimImportResultSerializer(result).data
        # 201 when the import created a claim; 200 when it only found (or updated) stored ones.
        answer = status.HTTP_201_CREATED if result.created else status.HTTP_200_OK
        if key is not None:
            idempotency.remember_answer(
                user=request.user, key=key, body=request.body, status=answer, response=data
            )
        return Response(data, status=answer)

    def _import_refused(self, request: Request, problems: list[importing.RowError]) -> Response:
        # Every 400 of the import has one shape, a list of errors, even for a body that is not
        # JSON or a query parameter it does not take.
        return problem_response(
            request,
            status_code=status.HTTP_400_BAD_REQUEST,
            detail=f"Nothing was imported: {len(problems)} problem(s), listed in errors.",
            code="invalid",
            errors=importing.RowErrorSerializer(problems, many=True).data,
        )

    def handle_exception(self, exc: Exception) -> Response:
        if self.action == "bulk_import" and isinstance(exc, ValidationError):
            problems = [
                importing.RowError(None, field, message)
                for field, messages in flat_field_errors(exc.detail).items()
                for message in messages
            ]
            return self._import_refused(self.request, problems)
        return super().handle_exception(exc)

    def _earlier_import(self, earlier: idempotency.Earlier) -> Response:
        """The first answer to an import sent again with its Idempotency-Key; a job as it
        stands now."""
        headers = {"Idempotent-Replayed": "true"}
        if earlier.job is None:
            return Response(earlier.response, status=earlier.status, headers=headers)
        data = jobs.ImportJobSerializer(earlier.job, context=self.get_serializer_context()).data
        return Response(data, status=earlier.status, headers={**headers, "Location": data["url"]})
