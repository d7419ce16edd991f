"""Factsite's one settings module, configured by environment variables.

DATABASE_URL   default: an embedded SQLite file in WAL mode, var/factsite.sqlite3
SECRET_KEY     default: a random key kept in var/secret_key (created once, never committed)
DEBUG          default: off
ALLOWED_HOSTS  default: localhost,127.0.0.1,[::1]
HTTPS          default: on; "0" for a plain-HTTP desk install on localhost
               (yes/no variables take 1, true, yes, on or 0, false, no, off; any other word
               stops the start)
REDIS_URL      default: none; when set, the cache and the background jobs (RQ) use this Redis
NUM_PROXIES    default 0: trusted proxies before the app (0: the client is the socket's address)
THROTTLE_ANON, THROTTLE_USER   default 120/minute, 1200/minute: the API's rate limits

Background jobs and imports (see README, "Background jobs"):
IMPORT_SYNC_MAX_ROWS     default 1000: an import with more rows is a job (202)
IMPORT_MAX_ROWS          default 100000: the most rows one import (a job) takes
IDEMPOTENCY_KEY_HOURS    default 24: how long an import's Idempotency-Key is remembered
IMPORT_MAX_BODY_BYTES    default 64 MiB: the largest body POST /api/claims/import/ reads
INGEST_MAX_BYTES         default 5 MiB: the largest capture an ingest takes (file, API, admin)
INGEST_BATCH_MAX         default 1000: the most captures one ingest job takes
INGEST_SYNC_MAX_PATHS    default 50: `manage.py ingest` with more paths makes a job
TASK_TIMEOUT_SECONDS     default 3600: how long RQ lets one job run
TASK_WORKER_MAX_WAIT     default 600 (seconds): a job waiting longer, none running, fails /healthz
SQLITE_BUSY_TIMEOUT      default 20 (seconds): how long a SQLite write waits for another
WEB_WORKERS, WEB_THREADS, WEB_TIMEOUT   default 2, 4, 60 (seconds): gunicorn's gthread workers
LOG_LEVEL                default INFO: logs are JSON lines with a request id
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("FACTSITE_VAR_DIR", BASE_DIR / "var"))


FLAG_YES = ("1", "true", "yes", "on")
FLAG_NO = ("0", "false", "no", "off")


def env_flag(name: str, default: bool) -> bool:
    """Read a yes/no environment variable, refusing at startup any word but the known ones:
    read as "no", a typo (HTTPS=enable) would silently turn off secure cookies, HSTS and the
    HTTPS redirect."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in FLAG_YES:
        return True
    if value in FLAG_NO:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of {', '.join(FLAG_YES)} (yes) or {', '.join(FLAG_NO)} (no); "
        f"got {os.environ[name]!r}."
    )


def env_list(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_number(name: str, default: float, *, minimum: float, integer: bool = False) -> float:
    """Read a number from the environment, refusing at startup one that is not a number or is
    below `minimum`: a typo should stop the server, not run it with a surprising limit."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw) if integer else float(raw)
    except ValueError:
        kind = "a whole number" if integer else "a number"
        raise ImproperlyConfigured(f"{name} must be {kind}; got {raw!r}.") from None
    if not value >= minimum:  # also refuses nan
        raise ImproperlyConfigured(f"{name} must be at least {minimum}; got {raw!r}.")
    return value


def env_int(name: str, default: int, *, minimum: int) -> int:
    """Read a whole number from the environment (see env_number)."""
    return int(env_number(name, default, minimum=minimum, integer=True))


def local_secret_key() -> str:
    """Return the key kept in var/secret_key, creating it on first use."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_flag("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # Django's admin, with the review desk as its index (facts.workspace.desk).
    "facts.apps.FactsiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "import_export",
    "health_check",
    "django_guid",
    "facts",
]

MIDDLEWARE = [
    # First, so that every later middleware's log records carry the request id.
    "django_guid.middleware.guid_middleware",
    "django.middleware.security.SecurityMiddleware",
    "facts.api.middleware.RequestBodyLimitMiddleware",
    "facts.api.middleware.DatabaseUnavailableMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "factsite.urls"
WSGI_APPLICATION = "factsite.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factsite" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


# How long a SQLite write waits for the one writer before it (an import's transaction, a
# worker claiming a job) instead of failing at once with "database is locked".
SQLITE_BUSY_TIMEOUT = env_number("SQLITE_BUSY_TIMEOUT", 20.0, minimum=0)


def database_from_url(url: str, *, busy_timeout: float = SQLITE_BUSY_TIMEOUT) -> dict:
    """Build Django's DATABASES entry from a URL; SQLite gets WAL, immediate writes and a busy
    timeout."""
    # Connections are kept between requests (reopened after a minute), SQLite's too: opening
    # one costs each request its PRAGMAs, Django's SQL functions and SQLite's reading of the
    # schema, for the record's file and the cache's: about 4 ms of CPU of a claims list
    # page's 15 through gunicorn (docs/PERFORMANCE.md). A restore replaces the pages of the
    # same file (facts.services.backups), which an open connection reads anew.
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = {
            # WAL lets readers work while an editor writes; IMMEDIATE avoids
            # "database is locked" when a read transaction later turns into a write.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            # sqlite3's busy timeout: a write waits this long for the lock, so a write during a
            # running import (or a job claim) waits its turn rather than failing.
            "timeout": busy_timeout,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'factsite.sqlite3'}"
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": database_from_url(DATABASE_URL)}
if DATABASE_URL.startswith("sqlite") and not os.environ.get("REDIS_URL"):
    # The database cache (the rate limits' counters, written on every API request) in a SQLite
    # file of its own: in the record's file, each request would wait for SQLite's one write
    # lock behind a running import. PostgreSQL locks rows, not the database: there the cache
    # is a table of the record's database (factsite/cache.py routes it).
    DATABASES["cache"] = database_from_url(f"sqlite:///{VAR_DIR / 'cache.sqlite3'}")
    DATABASE_ROUTERS = ["factsite.cache.CacheRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The seed fixtures, by name: `loaddata seed_record`, or a TestCase's fixtures = ["seed_record"].
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Serve static files straight from the apps when collectstatic has not run (tests, development).
WHITENOISE_USE_FINDERS = DEBUG

HTTPS = env_flag("HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preload only when asked for: a preloaded domain is built into browsers, and taking it out
# takes months (issue 15). check --deploy's W021 about it is silenced below.
SECURE_HSTS_PRELOAD = env_flag("SECURE_HSTS_PRELOAD", False)
# A load balancer's probe may speak plain HTTP to the app.
SECURE_REDIRECT_EXEMPT = [r"^healthz(/web)?$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REDIS_URL = os.environ.get("REDIS_URL", "")
# The table of the database cache, made by `manage.py createcachetable`, which `migrate` runs
# too (facts/apps.py), so that no deployment can miss it; on SQLite in var/cache.sqlite3.
CACHE_TABLE = "factsite_cache"
CACHES = {
    # The API's rate limits count here (facts/api/throttling.py), so it is shared by every
    # process: Redis, or else the database (each process's own memory would multiply the
    # limits by the number of workers). Only the throttles use it.
    "default": (
        {"BACKEND": "factsite.cache.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {
            # Django's database cache with an increment that holds across processes.
            "BACKEND": "factsite.cache.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # A counter culled early would forget a client's requests: room for many.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
    # What a running job reports while its transaction is open (rows done): seen by the web
    # processes, so shared between processes: Redis, or files in var/ on one machine.
    "jobs": (
        {
            "BACKEND": "factsite.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "jobs",
        }
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache" / "jobs",
        }
    ),
}

# Background jobs on Django's Tasks API (the django-tasks backport): by default in the database
# (a `manage.py db_worker` runs them; `run.py serve` starts one), on RQ when REDIS_URL is set
# (`manage.py rqworker`, on as many machines as needed). Every task is on the default queue.
TASK_TIMEOUT_SECONDS = env_int("TASK_TIMEOUT_SECONDS", 3600, minimum=1)
if REDIS_URL:
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS}}
    INSTALLED_APPS.append("django_rq")
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# Installed either way, so that the migrations are the same whichever backend runs.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
# /healthz reports the background jobs stalled when one has waited this long to start while
# none runs (the database backend: factsite/health.py).
TASK_WORKER_MAX_WAIT = env_int("TASK_WORKER_MAX_WAIT", 600, minimum=1)
# After writes that refresh verdicts, a job refreshes the likely values (facts.services.jobs);
# off, they move only with `manage.py recompute_likely`.
LIKELY_REFRESH_AFTER_WRITES = env_flag("LIKELY_REFRESH_AFTER_WRITES", True)
# A write refreshes its fact's verdict in its own transaction while the stored verdict counts at
# most this many claims; past that (a busy fact, whose refresh reads all its claims) the fact is
# marked stale and a job refreshes it (facts.services.verdicts.refresh_or_defer). 300: an inline
# refresh costs about 0.075 ms a claim against a typical write's 50 ms (SQLite, 1M), so a write
# to a fact of 300 claims stays within 1.4x of one to a fact of 36 (docs/PERFORMANCE.md, "Writes
# to a busy fact").
VERDICT_INLINE_MAX_CLAIMS = env_int("VERDICT_INLINE_MAX_CLAIMS", 300, minimum=0)

# The web server (gunicorn, factsite/gunicorn_conf.py): processes, threads each (gthread), and
# the seconds a request may take before its worker is restarted. Long work is a job, not a
# long request: the timeout only catches a request that hangs.
WEB_WORKERS = env_int("WEB_WORKERS", 2, minimum=1)
WEB_THREADS = env_int("WEB_THREADS", 4, minimum=1)
WEB_TIMEOUT = env_int("WEB_TIMEOUT", 60, minimum=1)

# Imports: up to IMPORT_SYNC_MAX_ROWS rows are imported in the request; more (or ?async=true)
# make a job, up to IMPORT_MAX_ROWS rows, whose body may be up to IMPORT_MAX_BODY_BYTES.
IMPORT_SYNC_MAX_ROWS = env_int("IMPORT_SYNC_MAX_ROWS", 1000, minimum=1)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 100_000, minimum=1)
# An import sent again with the same Idempotency-Key within this many hours gets the first answer.
IDEMPOTENCY_KEY_HOURS = env_int("IDEMPOTENCY_KEY_HOURS", 24, minimum=1)
if IMPORT_SYNC_MAX_ROWS > IMPORT_MAX_ROWS:
    raise ImproperlyConfigured("IMPORT_SYNC_MAX_ROWS must not be larger than IMPORT_MAX_ROWS.")
IMPORT_MAX_BODY_BYTES = env_int("IMPORT_MAX_BODY_BYTES", 64 * 1024 * 1024, minimum=1024)
# Ingest: the largest capture (an article's HTML or text) taken, in bytes; a news page's HTML
# is rarely over 2 MiB, its text under 100 KiB.
INGEST_MAX_BYTES = env_int("INGEST_MAX_BYTES", 5 * 1024 * 1024, minimum=1024)
# The most captures one ingest batch (a job) takes; the command line makes a job of more than
# INGEST_SYNC_MAX_PATHS paths.
INGEST_BATCH_MAX = env_int("INGEST_BATCH_MAX", 1000, minimum=1)
INGEST_SYNC_MAX_PATHS = env_int("INGEST_SYNC_MAX_PATHS", 50, minimum=1)

# The largest request body the API reads (bulk imports included), and the largest page.
API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", 5 * 1024 * 1024))
# The middleware holds every other path to API_MAX_BODY_BYTES; the import may read more.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(API_MAX_BODY_BYTES, IMPORT_MAX_BODY_BYTES)
API_MAX_PAGE_SIZE = 500

# How many proxies of our own stand before the app and append the address they saw to
# X-Forwarded-For. 0 (the default): the client is the socket's address, and X-Forwarded-For is
# ignored, since any client can send one; behind one reverse proxy (nginx), 1: the last address
# in X-Forwarded-For, the one the proxy saw. More than the real number lets clients choose their
# address (and so escape the rate limits); fewer counts every client as the proxy.
NUM_PROXIES = env_int("NUM_PROXIES", 0, minimum=0)

REST_FRAMEWORK = {
    # Token first: an anonymous write is then a 401 with a WWW-Authenticate challenge (the
    # session authenticator names no scheme, and DRF would answer 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["facts.api.permissions.EditorOrReadOnly"],
    "DEFAULT_SCHEMA_CLASS": "facts.api.schema.FactsAutoSchema",
    "DEFAULT_FILTER_BACKENDS": [
        "facts.api.filters.FilterBackend",
        "facts.api.ordering.StableOrdering",
    ],
    "DEFAULT_PAGINATION_CLASS": "facts.api.pagination.CursorPage",
    "DEFAULT_RENDERER_CLASSES": [
        "facts.api.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # text/csv is offered by the lists alone (facts.api.csv_export.CSVListMixin).
    "DEFAULT_PARSER_CLASSES": ["facts.api.parsers.JSONParser"],
    # Counted in the shared cache, per client address as NUM_PROXIES says.
    "DEFAULT_THROTTLE_CLASSES": [
        "facts.api.throttling.AnonymousRateThrottle",
        "facts.api.throttling.SignedInRateThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("THROTTLE_USER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "facts.api.problems.exception_handler",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNICODE_JSON": True,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Factsite API",
    "DESCRIPTION": "A fact table with source attribution: what the news reports, who reported it, "
    "and where the sources agree or disagree.",
    "VERSION": "0.1.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The schema's own endpoint is left out of the schema: its answer is the OpenAPI document,
    # which no client model can type.
    "SERVE_INCLUDE_SCHEMA": False,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # A list's text/csv answer described by its columns, and the lists' `all` parameter.
        "facts.api.csv_export.csv_in_schema",
        # The links between operations, for clients and the stateful tests.
        "facts.api.schema.add_links",
        # The staff-only fields optional in the outputs, and said to be (facts.api.visibility).
        "facts.api.visibility.staff_only_in_schema",
    ],
    "ENUM_NAME_OVERRIDES": {
        "DatePrecisionEnum": "facts.models.DatePrecision",
        "ValueKindEnum": "facts.models.ValueKind",
        # Three models have a "kind" field, each with its own choices: named by model.
        "OutletKindEnum": "facts.models.OutletKind",
        "ActorKindEnum": "facts.models.ActorKind",
        "SubjectKindEnum": "facts.models.SubjectKind",
        "VerdictEnum": "facts.models.Verdict",
        "OriginatorKindEnum": [("actor", "actor"), ("outlet", "outlet")],
        # The one-value kinds that tell the shapes of values and intervals apart.
        "QuantityKindEnum": [("quantity", "quantity")],
        "DateKindEnum": [("date", "date")],
        "CategoricalKindEnum": [("categorical", "categorical")],
    },
}

# The request id (django-guid): a client's or proxy's X-Request-ID if it is a UUID, else a new
# one; on every log record of the request and in the response's X-Request-ID.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": True,
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": True,
}

# Logs: one JSON object a line on standard error, with the time (UTC), level, logger, message
# and request id; tokens, passwords and session keys never written (factsite/log_format.py).
# gunicorn's own logs and access log are JSON lines too (factsite/gunicorn_conf.py).
LOG_JSON_FORMATTER = {
    "()": "factsite.log_format.JsonFormatter",
    "fmt": "%(levelname)s %(name)s %(message)s",
    "rename_fields": {"levelname": "level", "name": "logger"},
    "timestamp": "time",
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {
            "()": "django_guid.log_filters.CorrelationId",
            "correlation_id_field": "request_id",
        },
        "sql_without_secrets": {"()": "factsite.log_format.SqlWithoutSecrets"},
    },
    "formatters": {"json": LOG_JSON_FORMATTER},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id", "sql_without_secrets"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-guid says at INFO, on every request, whether the header came.
    "loggers": {"django_guid": {"level": "WARNING"}},
}


# --- Sign-in protection, API tokens and security headers (issue 15, items 2 and 5) -----------
# AXES_FAILURE_LIMIT       default 5: failed sign-ins of one username from one address before
#                          that pair is locked out
# AXES_COOLOFF_MINUTES     default 60: how long a lockout lasts (`manage.py axes_reset_username`
#                          and the others lift it at once; docs/SECURITY.md)
# THROTTLE_TOKEN_FAILURES  default 20/minute: wrong API tokens one address may send
# SECURE_HSTS_PRELOAD      default off (above): on only when the domain is to be preloaded
# NUM_PROXIES              default 0: trusted proxies in front (0: the socket's address is the
#                          client's); the one rule for the throttles and the sign-in lockouts
from datetime import timedelta  # noqa: E402

from csp.constants import NONCE, NONE, SELF  # noqa: E402

# django-axes counts failed sign-ins in the database (shared by every worker) and locks out
# the pair of a username and a client address: by address alone, one attacker behind a
# newsroom's NAT would lock every editor out; by username alone, anyone anywhere could lock a
# known editor out. The pair stops guessing one account's password from one place and leaves
# everyone else alone.
INSTALLED_APPS.append("axes")
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out pair is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 60, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# No banner on every start of every command (it went to the JSON logs as an INFO line).
AXES_VERBOSE = False
AXES_CLIENT_IP_CALLABLE = "facts.security.client_address.client_address"
# The lockout page: the admin's sign-in page with what happened and when to try again.
AXES_LOCKOUT_CALLABLE = "facts.security.signin.locked_out"

# Wrong API tokens are counted per client address (facts.security.tokens): past this rate
# every token from that address is refused with a 429 until the window passes.
REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"] = [
    "facts.security.tokens.ThrottledTokenAuthentication",
    "rest_framework.authentication.SessionAuthentication",
]
TOKEN_FAILURE_RATE = os.environ.get("THROTTLE_TOKEN_FAILURES", "20/minute")

# django-csp: one strict policy for every page: scripts and styles from this site only (no
# inline script, no inline style, no eval), nothing framed, no plugins. A template that must
# inline something asks for a nonce (request.csp_nonce). The browsable API's pages alone
# allow style attributes (facts.api.renderers.BrowsableAPIRenderer says why).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        # data: for the icons Swagger UI and the admin's widgets inline in their CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

REST_FRAMEWORK["DEFAULT_RENDERER_CLASSES"] = [
    "facts.api.renderers.JSONRenderer",
    "facts.api.renderers.BrowsableAPIRenderer",
]

# Referrer-Policy: Django's SecurityMiddleware sets it; same-origin sends no address of a
# page (an unpublished draft's admin URL) to another site.
SECURE_REFERRER_POLICY = "same-origin"
# Permissions-Policy (django-permissions-policy): no page of the site uses the camera, the
# microphone, the position or payments, so none may, nor any frame it could be tricked into.
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "django_permissions_policy.PermissionsPolicyMiddleware",
)
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}
# check --deploy warns (security.W021) when HSTS is not preloaded: preloading is a decision
# taken on purpose (SECURE_HSTS_PRELOAD=1), not a default.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
