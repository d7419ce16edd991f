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
accesslog = "-"
