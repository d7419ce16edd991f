"""After a write that refreshed verdicts commits, a job refreshes the likely values: one job
for a burst of writes, not one per write (the likely values span every fact, so one refresh
covers every write committed before it starts). The job itself runs in
tests/test_import_jobs.py (the database worker); here, only what gets enqueued."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django_tasks import TaskResultStatus, task_backends
from django_tasks_db.models import DBTaskResult

from facts.services import jobs
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def likely_tasks():
    return DBTaskResult.objects.filter(task_path=jobs.LIKELY_TASK_PATH)


def test_a_committed_write_that_refreshes_a_verdict_enqueues_a_likely_refresh(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        ClaimFactory()
    assert likely_tasks().count() == 1


def test_no_refresh_is_enqueued_before_the_write_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ClaimFactory()
    assert callbacks, "the refresh waits for the commit"
    assert not likely_tasks().exists()


def test_writes_while_a_refresh_waits_to_start_enqueue_no_other():
    jobs.request_likely_refresh()
    jobs.request_likely_refresh()
    assert likely_tasks().count() == 1


def test_a_write_after_the_refresh_started_enqueues_the_next_one():
    jobs.request_likely_refresh()
    likely_tasks().update(status=TaskResultStatus.RUNNING)
    jobs.request_likely_refresh()
    assert likely_tasks().count() == 2


def test_writes_enqueue_nothing_when_the_refresh_after_writes_is_off(settings):
    settings.LIKELY_REFRESH_AFTER_WRITES = False
    jobs.request_likely_refresh()
    assert not likely_tasks().exists()


def test_on_another_backend_a_mark_in_the_shared_cache_stands_for_the_waiting_refresh(
    settings,
):
    settings.TASKS = DUMMY
    caches["jobs"].delete(jobs.LIKELY_PENDING_KEY)
    backend = task_backends["default"]
    backend.clear()
    try:
        jobs.request_likely_refresh()
        jobs.request_likely_refresh()
        assert len(backend.results) == 1
        jobs.likely_refresh_started()
        jobs.request_likely_refresh()
        assert len(backend.results) == 2
    finally:
        caches["jobs"].delete(jobs.LIKELY_PENDING_KEY)
