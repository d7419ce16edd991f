"""gunicorn's configuration (`gunicorn -c factsite/gunicorn_conf.py factsite.wsgi`, as
`run.py serve` starts it), from the settings, which read the environment and refuse bad values.

gthread workers: each process answers WEB_THREADS requests at once, so one slow request (a
synchronous import of 1,000 rows) does not hold up the others, and WEB_TIMEOUT restarts only a
worker that hangs. Work longer than a request is a background job (facts/tasks.py)."""

import os

from factsite import settings

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
worker_class = "gthread"
workers = settings.WEB_WORKERS
threads = settings.WEB_THREADS
timeout = settings.WEB_TIMEOUT
# On Ctrl-C or SIGTERM, requests under way get this long to finish.
graceful_timeout = 30
accesslog = "-"  # through logconfig_dict below, as JSON lines
# gunicorn's own logs and its access log as JSON lines like the app's (factsite/log_format.py):
# the access log's fields are the request's method, path (no query string), status, time
# taken, client address and request id (the X-Request-ID the app returned).
access_log_format = "%(m)s %(U)s %(s)s %(M)sms %({x-request-id}o)s"
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"access_fields": {"()": "factsite.log_format.AccessLogFields"}},
    "formatters": {"json": settings.LOG_JSON_FORMATTER},
    "handlers": {
        "error": {"class": "logging.StreamHandler", "formatter": "json"},
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["access_fields"],
            "stream": "ext://sys.stdout",
        },
    },
    "root": {"level": "INFO", "handlers": ["error"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["error"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": ["access"], "propagate": False},
    },
}


def post_worker_init(worker) -> None:
    """Once a worker has loaded the site (its URLs import the views and serializers too), its
    objects are moved out of the garbage collector's sight (gc.freeze): they live as long as
    the worker, yet each full collection walked all of them again, about 180,000, which cost
    the request it fell on some 140 ms (measured on the claims list, docs/PERFORMANCE.md)."""
    import gc

    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and all it names
    gc.freeze()
