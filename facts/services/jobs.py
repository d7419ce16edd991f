"""Background imports: every write of an ImportJob, and the run of one, which a task calls.

A job's life: `submit_import` stores it (queued, with its rows) and enqueues its task once the
row is committed; the worker's task calls `run_import_job`, which marks it running, imports its
rows through `facts.api.importing.import_claims` (all or nothing, as a synchronous import) and
stores the result or every row's errors, then drops the rows.

Progress and SQLite: an import checks every row before it takes the write lock, then writes
in one transaction. Progress is reported while it checks; a write of rows_done on a second
connection would have to wait for the lock whenever the import (or anyone) writes on SQLite,
and the web processes read it often. So the running import reports its progress to the "jobs"
cache (files in var/ on one machine, Redis when REDIS_URL is set: shared with the web processes
either way), and the job's row gets rows_done once, at the end. Marking the job running and
storing how it ended are short transactions of their own, before and after the import's.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from facts.models import ImportJob, ImportJobState

logger = logging.getLogger(__name__)

# How long a running job's progress is kept in the cache: longer than any import runs.
PROGRESS_SECONDS = 24 * 60 * 60
SERVER_ERROR = "The import stopped on a server error; nothing was saved. Send it again."


def _progress_key(job_id: int) -> str:
    return f"import-job:{job_id}:done"


def submit_import(*, user: Any, rows: Sequence[object], mode: str = "create") -> ImportJob:
    """Store a queued job holding the rows, and enqueue its task once the job is committed
    (a worker on another connection must find the row)."""
    job = ImportJob.objects.create(
        created_by=user, rows=list(rows), rows_total=len(rows), mode=mode
    )
    transaction.on_commit(lambda: enqueue_import(job=job))
    return job


def enqueue_import(*, job: ImportJob) -> None:
    """Hand the job to the task backend and keep the task's id; a job the backend refuses
    (Redis down) fails at once rather than waiting forever."""
    from facts import tasks

    try:
        task_result = tasks.run_import.enqueue(job.pk)
    except Exception:
        logger.exception("Could not enqueue import job %s", job.pk)
        finish_failed(
            job_id=job.pk, errors=[], detail="The job could not be queued: send it again."
        )
        return
    ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(task_result.id))
    job.task_id = str(task_result.id)


def mark_running(*, job_id: int) -> ImportJob | None:
    """Take a queued job for this run; None when it is gone or taken (a task run twice)."""
    now = timezone.now()
    taken = ImportJob.objects.filter(pk=job_id, state=ImportJobState.QUEUED).update(
        state=ImportJobState.RUNNING, started_at=now
    )
    return ImportJob.objects.get(pk=job_id) if taken else None


def record_progress(*, job_id: int, done: int) -> None:
    """Note how many rows the running import has handled (in the cache: see the module)."""
    caches["jobs"].set(_progress_key(job_id), done, PROGRESS_SECONDS)


def rows_done(*, job: ImportJob) -> int:
    """How many rows the job has handled: its stored count once it ended, else what the
    running import last reported."""
    if job.state != ImportJobState.RUNNING:
        return job.rows_done
    reported = caches["jobs"].get(_progress_key(job.pk))
    return max(job.rows_done, min(int(reported or 0), job.rows_total))


def finish_succeeded(*, job_id: int, result: dict[str, Any], detail: str = "") -> None:
    """Store what the import saved; every row is done."""
    now = timezone.now()
    # rows_done from the row itself: reading the job would decode its rows (megabytes of JSON).
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJobState.SUCCEEDED,
        rows_done=F("rows_total"),
        rows=None,
        errors=[],
        result=result,
        detail=detail or f"{result.get('created', 0)} claim(s) saved.",
        finished_at=now,
    )
    caches["jobs"].delete(_progress_key(job_id))


def finish_failed(*, job_id: int, errors: list[dict[str, Any]], detail: str) -> None:
    """Store every problem; nothing was saved, so no row counts as done."""
    ImportJob.objects.filter(pk=job_id).update(
        state=ImportJobState.FAILED,
        rows_done=0,
        rows=None,
        errors=errors,
        result=None,
        detail=detail,
        finished_at=timezone.now(),
    )
    caches["jobs"].delete(_progress_key(job_id))


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector for a job's run, and resume it after (unless it
    was paused already). An import builds tens of thousands of objects that live until it
    ends, and each of the collector's full passes walks them all again: about a fifth of a
    10,000-row job's time went to it. Reference counting still frees what the job drops; the
    job itself leaves a few hundred objects in cycles (measured), collected when it resumes.
    A worker runs one job at a time, so nothing else waits on the collector meanwhile."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_import_job(*, job_id: int) -> str:
    """Run one queued job to its end (the task's body); returns its final state.

    Not in a transaction of its own: import_claims opens the one that holds the claims, and
    the job's row is written before it starts and after it ends."""
    with cyclic_gc_paused():
        return _run_import_job(job_id=job_id)


def _run_import_job(*, job_id: int) -> str:
    # The API's import module (imported here: facts.api imports the services).
    from facts.api import importing

    job = mark_running(job_id=job_id)
    if job is None:
        logger.warning("Import job %s is not queued; not run again.", job_id)
        return "skipped"

    def progress(done: int, total: int) -> None:
        record_progress(job_id=job_id, done=done)

    # django-stubs types User.has_perm's obj as a Model; the import asks with None only.
    creator: Any = job.created_by
    try:
        outcome = importing.import_claims(
            rows=job.rows or [], user=creator, mode=job.mode, progress=progress
        )
    except importing.ImportRejected as rejection:
        errors = importing.RowErrorSerializer(rejection.errors, many=True).data
        finish_failed(
            job_id=job_id,
            errors=list(errors),
            detail=f"{len(errors)} problem(s) in the import; nothing was saved.",
        )
        return ImportJobState.FAILED
    except importing.ImportForbidden as refusal:
        errors = importing.RowErrorSerializer(refusal.errors, many=True).data
        finish_failed(job_id=job_id, errors=list(errors), detail=refusal.message)
        return ImportJobState.FAILED
    except BaseException:
        # Stored as a failure for the client; raised again so the task backend records the
        # traceback for whoever runs the workers.
        finish_failed(job_id=job_id, errors=[], detail=SERVER_ERROR)
        raise
    finish_succeeded(
        job_id=job_id, result=dict(importing.ClaimImportResultSerializer(outcome).data)
    )
    return ImportJobState.SUCCEEDED


# Ingest batches ------------------------------------------------------------------------------
#
# A batch of captures (many paths on the command line, a list through the API) is an ImportJob
# of kind "articles": the rows are the captures as POST /api/articles/ingest/ takes them, and
# the run ingests them all in one transaction, all or nothing, as an import of claims does.


def submit_ingest(*, user: Any, rows: Sequence[dict[str, Any]]) -> ImportJob:
    """Store a queued ingest job holding the captures, and enqueue its task once committed."""
    job = ImportJob.objects.create(
        created_by=user, rows=list(rows), rows_total=len(rows), kind="articles"
    )
    transaction.on_commit(lambda: enqueue_ingest(job=job))
    return job


def enqueue_ingest(*, job: ImportJob) -> None:
    from facts import tasks

    try:
        task_result = tasks.run_ingest.enqueue(job.pk)
    except Exception:
        logger.exception("Could not enqueue ingest job %s", job.pk)
        finish_failed(
            job_id=job.pk, errors=[], detail="The job could not be queued: send it again."
        )
        return
    ImportJob.objects.filter(pk=job.pk, task_id="").update(task_id=str(task_result.id))
    job.task_id = str(task_result.id)


def run_ingest_job(*, job_id: int) -> str:
    """Ingest a queued batch to its end (the task's body), all or nothing; returns its final
    state. A capture refused fails the job with its index and message, and saves nothing."""
    from django.core.exceptions import ValidationError

    from facts.models import Outlet
    from facts.services import ingest

    job = mark_running(job_id=job_id)
    if job is None:
        logger.warning("Ingest job %s is not queued; not run again.", job_id)
        return "skipped"
    creator: Any = job.created_by
    outcome: dict[str, Any] = {"created": 0, "found": 0, "candidates": 0, "articles": []}
    # One batch: the record the extractor matches is read once for all its captures.
    known = ingest.KnownRecord.read()
    try:
        with transaction.atomic():
            for index, row in enumerate(job.rows or []):
                outlet = Outlet.objects.filter(slug=row.get("outlet", "")).first()
                if outlet is None:
                    raise _RowRefused(index, "outlet", f"No outlet {row.get('outlet')!r}.")
                published = row.get("published")
                try:
                    result = ingest.ingest_article(
                        user=creator,
                        raw=row.get("content", ""),
                        content_type=row.get("content_type"),
                        outlet=outlet,
                        url=row.get("url", ""),
                        published=date.fromisoformat(published) if published else None,
                        headline=row.get("headline", ""),
                        byline=row.get("byline", ""),
                        known=known,
                    )
                except ValidationError as error:
                    name, messages = next(iter(error.message_dict.items()))
                    field = "content" if name == ingest.FIELD else name
                    raise _RowRefused(index, field, " ".join(messages)) from None
                outcome["created"] += int(result.created)
                outcome["found"] += int(not result.created)
                outcome["candidates"] += result.candidates
                outcome["articles"].append(result.article.pk)
                record_progress(job_id=job_id, done=index + 1)
    except _RowRefused as refused:
        error_row = {"index": refused.index, "field": refused.field, "message": refused.message}
        finish_failed(
            job_id=job_id,
            errors=[error_row],
            detail=f"Capture {refused.index} was refused; nothing was saved.",
        )
        return ImportJobState.FAILED
    except BaseException:
        finish_failed(job_id=job_id, errors=[], detail=SERVER_ERROR)
        raise
    finish_succeeded(
        job_id=job_id,
        result=outcome,
        detail=f"{outcome['created']} article(s) ingested, {outcome['found']} stored already.",
    )
    return ImportJobState.SUCCEEDED


class _RowRefused(Exception):
    def __init__(self, index: int, field: str, message: str) -> None:
        super().__init__(message)
        self.index, self.field, self.message = index, field, message


# Likely values after writes ----------------------------------------------------------------
#
# Which facts: all of them. A fact's likely value weighs each originator by its track record
# over every fact (facts.domain.truth.likely), and that weight is measured against the mean
# loss of all sources and all votes (truth.source_weights), so a claim on one fact moves, in
# principle, every weight and every likely value: refreshing only the facts written, or only
# those sharing an originator with them, would leave values that a full recomputation changes.
# The cheap part is how often: one refresh covers every write committed before it starts, so a
# write enqueues one only when none is waiting to start (a burst of writes, or an import of
# 10,000 rows, costs one recomputation, not one per write).

LIKELY_TASK_PATH = "facts.tasks.refresh_likely"
LIKELY_PENDING_KEY = "likely-refresh-pending"
# How long the "a refresh is waiting" mark lasts at most in the cache (RQ), should its task be
# lost: then the next write enqueues a new one.
LIKELY_PENDING_SECONDS = 60 * 60


def request_likely_refresh() -> None:
    """Enqueue a refresh of the likely values unless one is waiting to start already.

    Called through transaction.on_commit after a verdict refresh (facts.services.verdicts), so
    the task reads the committed claims. Whether one is waiting: the database backend's own
    queue says so exactly; on RQ, a mark in the shared cache that the task removes as it
    starts (so a write committed after that enqueues the next one)."""
    if not settings.LIKELY_REFRESH_AFTER_WRITES:
        return
    from facts import tasks

    _enqueue_unless_waiting(tasks.refresh_likely, LIKELY_TASK_PATH, LIKELY_PENDING_KEY)


def _enqueue_unless_waiting(task: Any, path: str, pending_key: str) -> None:
    """Enqueue a task that takes no argument unless one is waiting to start already: the
    database backend's own queue says so exactly; on RQ, a mark in the shared cache that the
    task removes as it starts."""
    backend = task.get_backend()
    if isinstance(backend, DatabaseBackend):
        waiting = DBTaskResult.objects.filter(task_path=path, status=TaskResultStatus.READY)
        if waiting.exists():
            return
    elif not isinstance(backend, ImmediateBackend) and not caches["jobs"].add(
        pending_key, True, LIKELY_PENDING_SECONDS
    ):
        return
    task.enqueue()


def likely_refresh_started() -> None:
    """The refresh task starts: writes committed from now on need another one."""
    caches["jobs"].delete(LIKELY_PENDING_KEY)


# Busy facts' verdicts after writes -------------------------------------------------------------
#
# A write to a busy fact marks its verdict stale and leaves this job (facts.services.verdicts.
# refresh_or_defer). The job refreshes every stale verdict, so one waiting to start covers every
# write committed before it starts, as with the likely values above.

VERDICT_TASK_PATH = "facts.tasks.refresh_stale_verdicts"
VERDICT_PENDING_KEY = "verdict-refresh-pending"


def request_verdict_refresh() -> None:
    """Enqueue a refresh of the stale verdicts unless one is waiting to start already. Called
    through transaction.on_commit, so the task reads the committed claims."""
    from facts import tasks

    _enqueue_unless_waiting(tasks.refresh_stale_verdicts, VERDICT_TASK_PATH, VERDICT_PENDING_KEY)


def verdict_refresh_started() -> None:
    """The stale verdicts' refresh starts: writes committed from now on need another one."""
    caches["jobs"].delete(VERDICT_PENDING_KEY)
