"""`run.py serve`: gunicorn with threads (gthread) configured from the settings, and a
background worker beside it: the database backend's, or RQ's when REDIS_URL is set."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def run_py():
    spec = importlib.util.spec_from_file_location("run_py", ROOT / "run.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_runs_threaded_workers_with_the_settings_limits():
    from factsite import gunicorn_conf

    assert gunicorn_conf.worker_class == "gthread"
    assert (gunicorn_conf.workers, gunicorn_conf.threads, gunicorn_conf.timeout) == (
        settings.WEB_WORKERS,
        settings.WEB_THREADS,
        settings.WEB_TIMEOUT,
    )


def test_serve_starts_the_database_worker_without_redis():
    command = [str(part) for part in run_py().worker_command({})]
    assert command[-4:] == ["db_worker", "--no-reload", "--interval", "1"]


def test_serve_starts_the_rq_worker_with_redis():
    command = [str(part) for part in run_py().worker_command({"REDIS_URL": "redis://r:6379/0"})]
    assert command[-5:] == [
        "rqworker",
        "--with-scheduler",
        "--job-class",
        "django_tasks_rq.Job",
        "default",
    ]
