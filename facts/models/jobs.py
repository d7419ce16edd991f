"""Background jobs that clients poll: an import too big for one request (GET /api/imports/{id}/).

The task that runs a job is Django's Tasks API's (django-tasks: the database backend or RQ);
this row is what the client sees of it, kept by facts.services.jobs: who asked, how far it got,
and how it ended. All or nothing, as a synchronous import: a failed job saved no claim.
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


class ImportJobState(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    SUCCEEDED = "succeeded", "succeeded"
    FAILED = "failed", "failed"


class JSONText(models.TextField):
    """JSON kept as text, for a payload stored whole and read whole and never queried inside
    (a job's rows). On PostgreSQL a JSONField is jsonb: the 4 MB of a 10,000-row import were
    parsed into jsonb on the way in and printed back to text on the way out, about a fifth of
    a second a job (measured), for queries no one makes. Written with JSON's escapes (control
    and non-ASCII characters), so a NUL or a lone surrogate in a row reaches the import's
    checks, which report it, instead of failing the store (jsonb refuses \\u0000)."""

    # What django-stubs reads as the field's Python types: JSON data, not a text.
    _pyi_private_set_type: Any
    _pyi_private_get_type: Any

    def from_db_value(self, value: str | None, expression: object, connection: object) -> Any:
        return None if value is None else json.loads(value)

    def to_python(self, value: Any) -> Any:
        return json.loads(value) if isinstance(value, str) else value

    def get_prep_value(self, value: Any) -> str | None:
        return None if value is None else json.dumps(value)

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj))


class ImportJob(models.Model):
    """One import of claims run by a worker.

    `rows` holds the request's rows until the job ends (then null: the claims are stored, or
    the errors say what to fix); `rows_done` is written when the job ends, while the running
    import reports its progress through the cache (see facts.services.jobs)."""

    State = ImportJobState
    FINISHED = (ImportJobState.SUCCEEDED, ImportJobState.FAILED)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField()
    rows_done = models.PositiveIntegerField(default=0)
    rows = JSONText(null=True, blank=True, help_text="The rows to import, until the end.")
    # What the job does: import claims (rows are claim rows) or ingest articles (rows are
    # captures, as POST /api/articles/ingest/ takes them; facts.services.ingest).
    kind = models.CharField(
        max_length=10,
        choices=[("claims", "import claims"), ("articles", "ingest articles")],
        default="claims",
    )
    mode = models.CharField(
        max_length=10,
        default="create",
        help_text="create, or upsert: a row whose claim is stored is left or updated.",
    )
    errors = models.JSONField(
        default=list, blank=True, help_text="Every problem: [{index, field, message}, ...]."
    )
    detail = models.TextField(blank=True, help_text="How the job ended, in a sentence.")
    result = models.JSONField(
        null=True,
        blank=True,
        help_text="What it saved, as a synchronous import answers: {created, claims, "
        "articles_created, subjects_created, facts_created}.",
    )
    task_id = models.CharField(max_length=64, blank=True, help_text="The task's id in its backend.")
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["created_by", "-id"], name="importjob_by_creator")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rows_done__lte=models.F("rows_total")),
                name="importjob_done_within_total",
            )
        ]

    def __str__(self) -> str:
        return f"import {self.pk}: {self.state}, {self.rows_done} of {self.rows_total} rows"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED


class ImportRequest(models.Model):
    """An import sent with an Idempotency-Key header, as the IETF draft "The Idempotency-Key
    HTTP Header Field" describes it: the same key and body sent again (a client retrying after
    a timeout) get the first answer back instead of importing twice; the same key with another
    body is refused. Kept for settings.IDEMPOTENCY_KEY_HOURS."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_requests"
    )
    key = models.CharField(max_length=255)
    body_hash = models.CharField(max_length=64, help_text="SHA-256 of the request's body.")
    status = models.PositiveSmallIntegerField(help_text="The first answer's HTTP status.")
    response = models.JSONField(help_text="The first answer's body (for a 201).")
    job = models.ForeignKey(
        ImportJob,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        help_text="The job a 202 answered with: sent again, its current state is shown.",
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "key"], name="importrequest_one_per_user_and_key"
            ),
            models.CheckConstraint(condition=~models.Q(key=""), name="importrequest_key_not_empty"),
        ]

    def __str__(self) -> str:
        return f"import request {self.key!r}: {self.status}"
