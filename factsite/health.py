"""/healthz: is this deployment working? django-health-check runs the checks at once and
answers 200 when all pass, 500 naming the one that failed (JSON with `Accept:
application/json`, else a page or ?format=text).

/healthz      the database, the shared cache, the jobs' progress cache and the background jobs
              (their queue reachable, and a worker taking its jobs): for monitoring
/healthz/web  what this web process needs to answer (the database and the caches): for a load
              balancer, which should not take the web servers out because no worker runs

Public, and tells nothing an outsider could use: each check is named by its class and alias
("Database(alias='default')"), and a failure by a short, fixed message; the library keeps the
exception's text for the logs.
"""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.utils import timezone
from django_tasks import task_backends
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class TaskWorkers(HealthCheck):
    """The background jobs' backend is reachable and a worker takes its jobs.

    On RQ (REDIS_URL set): at least one `rqworker` is registered on the queue (RQ keeps a
    worker's registration alive by its heartbeat). In the database (django-tasks-db keeps no
    record of its workers): no job has waited more than TASK_WORKER_MAX_WAIT seconds to start
    while none runs; a job running tells that a worker is there, busy."""

    alias: str = "default"

    def run(self) -> None:
        backend = task_backends[self.alias]
        name = type(backend).__name__
        if name == "RQBackend":
            self.check_rq(backend)
        elif name == "DatabaseBackend":
            self.check_database(backend)
        # The immediate and dummy backends (tests) have no workers.

    def check_rq(self, backend: object) -> None:
        import django_rq
        from redis.exceptions import RedisError
        from rq import Worker

        try:
            queues = [django_rq.get_queue(name) for name in backend.queues]  # type: ignore[attr-defined]
            if not any(Worker.count(queue=queue) for queue in queues):
                raise ServiceUnavailable("No worker takes the jobs (start `manage.py rqworker`).")
        except RedisError as error:
            raise ServiceUnavailable("The jobs' queue (Redis) cannot be reached.") from error

    def check_database(self, backend: object) -> None:
        from django.db import DatabaseError
        from django.db.models import Q
        from django_tasks_db.models import DBTaskResult, get_date_max

        waited = timezone.now() - datetime.timedelta(seconds=settings.TASK_WORKER_MAX_WAIT)
        jobs = DBTaskResult.objects.filter(backend_name=self.alias)
        try:
            if jobs.running().exists():
                return
            stalled = jobs.ready().filter(enqueued_at__lte=waited)
            # A job to run at once is stored as to run after the latest date.
            if stalled.filter(Q(run_after=get_date_max()) | Q(run_after__lte=waited)).exists():
                raise ServiceUnavailable(
                    "Jobs have waited too long and none runs (start `manage.py db_worker`)."
                )
        except DatabaseError as error:
            raise ServiceUnavailable("The jobs' table cannot be read.") from error


class WebHealthView(HealthCheckView):
    checks = (
        "health_check.checks.Database",
        ("health_check.checks.Cache", {"alias": "default"}),
        ("health_check.checks.Cache", {"alias": "jobs"}),
    )


class HealthView(HealthCheckView):
    checks = (*WebHealthView.checks, TaskWorkers)
