"""Background tasks, on Django's Tasks API (the django-tasks backport): run by
`manage.py db_worker` (the database backend, the default) or `manage.py rqworker` (RQ, when
REDIS_URL is set). Each is a thin call into the services, which hold the logic and the writes;
arguments are ids, never rows, so that a task's payload stays small and JSON."""

from __future__ import annotations

from django_tasks import task

from facts.services import jobs, likely, verdicts


@task()
def run_import(job_id: int) -> str:
    """Run a queued import job (facts.services.jobs.run_import_job); returns its final state."""
    return jobs.run_import_job(job_id=job_id)


@task()
def run_ingest(job_id: int) -> str:
    """Run a queued ingest batch (facts.services.jobs.run_ingest_job); returns its final state."""
    return jobs.run_ingest_job(job_id=job_id)


@task()
def refresh_likely() -> int:
    """Refresh every fact's likely value after writes (see jobs.request_likely_refresh for why
    every fact); returns how many facts have one."""
    jobs.likely_refresh_started()
    return likely.refresh_likely_after_writes()


@task()
def recompute_verdicts() -> int:
    """Recompute every stored verdict, with the track records and likely values that follow
    from them (`manage.py recompute_verdicts --background`); returns how many changed."""
    return verdicts.recompute_all()


@task()
def refresh_stale_verdicts() -> int:
    """Refresh the verdicts that writes to busy facts left stale
    (facts.services.verdicts.refresh_or_defer); returns how many changed."""
    jobs.verdict_refresh_started()
    return verdicts.refresh_stale()
