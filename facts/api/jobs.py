"""Background imports as a resource: GET /api/imports/ (your own jobs, newest first) and
GET /api/imports/{id}/ (state, progress, errors, result), for the job's creator and staff."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets

from facts.api import importing
from facts.api.parameters import StrictQueryMixin
from facts.api.serializers import IngestBatchResultSerializer
from facts.models import ImportJob
from facts.services import jobs


class ImportProgressSerializer(serializers.Serializer):
    """How far the job got."""

    done = serializers.IntegerField(help_text="Rows handled so far.")
    total = serializers.IntegerField(help_text="Rows in the import.")


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="JobResult",
        serializers=[importing.ClaimImportResultSerializer, IngestBatchResultSerializer],
        resource_type_field_name=None,
        allow_null=True,
    )
)
class ImportResultField(serializers.JSONField):
    """The stored result: what a synchronous import answers with its 201 (a job of kind
    claims), or what an ingest batch saved (kind articles)."""


class ImportJobSerializer(serializers.ModelSerializer):
    """A background import: queued, running, then succeeded (the result) or failed (every
    row's errors; nothing saved)."""

    url = serializers.SerializerMethodField(help_text="Where to poll this job.")
    progress = serializers.SerializerMethodField()
    errors = importing.RowErrorSerializer(many=True, read_only=True)
    result = ImportResultField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "url",
            "kind",
            "state",
            "progress",
            "detail",
            "errors",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: ImportJob) -> str:
        return reverse("importjob-detail", args=[job.pk])

    @extend_schema_field(ImportProgressSerializer)
    def get_progress(self, job: ImportJob) -> dict:
        return {"done": jobs.rows_done(job=job), "total": job.rows_total}


class ImportJobViewSet(
    StrictQueryMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Your background imports. A job is seen by whoever sent it and by staff; anyone else is
    told it does not exist."""

    serializer_class = ImportJobSerializer
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []
    queryset = ImportJob.objects.all()

    def get_queryset(self):
        # The rows sent can be megabytes: never read them to show a job.
        jobs_seen = ImportJob.objects.defer("rows")
        user = self.request.user
        if self.action == "retrieve" and user.is_staff:
            return jobs_seen
        return jobs_seen.filter(created_by=user)
