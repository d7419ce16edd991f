"""/healthz tells whether the database, the caches and the background jobs work, to anyone,
without telling anything an outsider could use."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check.exceptions import ServiceUnavailable

from factsite.health import TaskWorkers

JSON = {"Accept": "application/json"}
DATABASE_BACKEND = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_jobs(settings):
    settings.TASKS = DATABASE_BACKEND
    settings.TASK_WORKER_MAX_WAIT = 600


def waiting_job(*, minutes: int, status: str = "READY") -> DBTaskResult:
    job = DBTaskResult.objects.create(
        task_path="facts.tasks.refresh_likely_values",
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        run_after=get_date_max(),
        status=status,
    )
    enqueued = timezone.now() - datetime.timedelta(minutes=minutes)
    DBTaskResult.objects.filter(pk=job.pk).update(enqueued_at=enqueued)
    return job


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_every_check_ok_to_an_anonymous_client(client, database_jobs):
    response = client.get("/healthz", headers=JSON)
    assert response.status_code == 200
    assert response.json() == {
        "Database(alias='default')": "OK",
        "Cache(alias='default')": "OK",
        "Cache(alias='jobs')": "OK",
        "TaskWorkers(alias='default')": "OK",
    }
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_the_load_balancers_check_leaves_the_workers_out(client):
    response = client.get("/healthz/web", headers=JSON)
    assert response.status_code == 200
    assert set(response.json()) == {
        "Database(alias='default')",
        "Cache(alias='default')",
        "Cache(alias='jobs')",
    }


@pytest.mark.django_db(transaction=True)
def test_a_failing_cache_is_a_500_that_names_the_check_and_not_the_server_or_password(
    client, settings
):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://:hunter2secret@127.0.0.1:1/0",
        },
    }
    response = client.get("/healthz/web", headers=JSON)
    assert response.status_code == 500
    body = response.content.decode()
    assert response.json()["Cache(alias='default')"] == "Unexpected Result: Connection Error"
    assert response.json()["Database(alias='default')"] == "OK"
    for secret in ["hunter2secret", "127.0.0.1", "redis://", settings.SECRET_KEY]:
        assert secret not in body


def test_the_probe_is_not_redirected_to_https(db, client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/api/").status_code == 301
    assert client.get("/healthz/web", headers=JSON).status_code == 200


def test_jobs_waiting_longer_than_the_limit_with_none_running_mean_no_worker(db, database_jobs):
    waiting_job(minutes=11)
    with pytest.raises(ServiceUnavailable, match=r"start `manage\.py db_worker`"):
        TaskWorkers().run()


def test_a_job_running_means_a_busy_worker_even_with_others_waiting(db, database_jobs):
    waiting_job(minutes=30)
    waiting_job(minutes=40, status="RUNNING")
    TaskWorkers().run()


def test_jobs_waiting_less_than_the_limit_are_no_alarm(db, database_jobs):
    waiting_job(minutes=9)
    TaskWorkers().run()


def test_a_job_due_later_is_not_waiting(db, database_jobs):
    job = waiting_job(minutes=30)
    later = timezone.now() + datetime.timedelta(hours=1)
    DBTaskResult.objects.filter(pk=job.pk).update(run_after=later)
    TaskWorkers().run()


def test_an_unreachable_rq_queue_is_reported_without_its_address(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://:hunter2secret@127.0.0.1:1/0"}}
    with pytest.raises(ServiceUnavailable) as unavailable:
        TaskWorkers().run()
    assert str(unavailable.value) == "Unavailable: The jobs' queue (Redis) cannot be reached."
