"""The API's rate limits hold: a client cannot escape them by sending X-Forwarded-For, and two
workers answer the limit between them, not each (counted in the shared cache)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.error import HTTPError
from urllib.request import Request, urlopen

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from rest_framework.throttling import AnonRateThrottle

from tests.problems import detail_of

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def anonymous_rate(monkeypatch):
    """Set the anonymous rate (DRF reads the rates into the throttle classes at import)."""

    def set_rate(rate: str) -> None:
        monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": rate, "user": None})
        cache.clear()

    return set_rate


def test_six_hundred_requests_each_with_a_fresh_x_forwarded_for_get_only_the_limit(
    db, client, anonymous_rate
):
    anonymous_rate("120/minute")
    statuses = Counter(
        client.get(
            "/api/", headers={"X-Forwarded-For": f"198.51.100.{n % 250}, 10.0.{n}.1"}
        ).status_code
        for n in range(600)
    )
    assert statuses == {200: 120, 429: 480}


def test_the_client_address_is_the_sockets_by_default():
    from django.conf import settings

    assert settings.NUM_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_behind_one_proxy_the_address_the_proxy_saw_is_counted(
    db, client, settings, anonymous_rate
):
    # One rule for the client address (facts.security.client_address) reads NUM_PROXIES.
    settings.NUM_PROXIES = 1
    anonymous_rate("2/minute")
    # The client may send an X-Forwarded-For of its own; the proxy appends the address it saw.
    for spoofed in ["203.0.113.1", "203.0.113.2"]:
        sent = {"X-Forwarded-For": f"{spoofed}, 192.0.2.10"}
        assert client.get("/api/", headers=sent).status_code == 200
    throttled = client.get("/api/", headers={"X-Forwarded-For": "203.0.113.3, 192.0.2.10"})
    assert throttled.status_code == 429
    # Another client behind the same proxy has its own count.
    assert client.get("/api/", headers={"X-Forwarded-For": "192.0.2.11"}).status_code == 200


def test_a_throttled_answer_is_a_problem_detail_with_when_to_retry(db, client, anonymous_rate):
    anonymous_rate("1/hour")
    assert client.get("/api/").status_code == 200
    response = client.get("/api/")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert detail_of(response).startswith("Too many requests: retry in ")
    assert 3500 < int(response["Retry-After"]) <= 3600


# On SQLite the database cache is in a database of its own (factsite/cache.py).
CACHE_ALIAS = "cache" if "cache" in settings.DATABASES else "default"
DATABASE_CACHE = {"BACKEND": "factsite.cache.DatabaseCache", "LOCATION": "factsite_cache"}


@pytest.mark.django_db(databases=sorted({"default", CACHE_ALIAS}))
def test_the_database_cache_counts_the_requests(client, settings, anonymous_rate):
    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    call_command("createcachetable", database=CACHE_ALIAS, verbosity=0)
    anonymous_rate("3/minute")
    assert [client.get("/api/").status_code for _ in range(5)] == [200, 200, 200, 429, 429]


@pytest.mark.django_db(databases=sorted({"default", CACHE_ALIAS}))
def test_migrate_makes_the_database_caches_table(settings):
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connections

    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    tables = connections[CACHE_ALIAS].introspection.table_names
    assert "factsite_cache" not in tables()
    # What `migrate` does once it has migrated.
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert "factsite_cache" in tables()


def printed_with_settings(code: str, **settings: str) -> subprocess.CompletedProcess[str]:
    """What a fresh process prints after `django.setup()` and `code`, its settings read from
    the environment given (and no REDIS_URL unless given): settings are read once a process."""
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**environment, **settings, "DJANGO_SETTINGS_MODULE": "factsite.settings"},
        capture_output=True,
        text=True,
    )


def test_on_sqlite_the_cache_is_a_file_of_its_own_so_reads_do_not_wait_behind_an_import():
    shown = printed_with_settings(
        "from django.db import router; from django.core.cache import caches; "
        "print(router.db_for_write(caches['default'].cache_model_class))",
        DATABASE_URL="sqlite:////tmp/factsite-record.sqlite3",
    )
    assert shown.stdout.strip() == "cache", shown.stderr


def test_with_redis_the_rate_limits_count_through_one_client_not_one_a_command():
    # Django's Redis backend made a redis-py client for every command, four a request, each
    # building its table of response callbacks: 1.6 ms of CPU a request (docs/PERFORMANCE.md).
    # No command is sent here: a client connects on its first.
    shown = printed_with_settings(
        "from django.core.cache import caches; c = caches['default']._cache; "
        "print(c.get_client(write=True) is c.get_client(write=True), "
        "c.get_client() is c.get_client('key'))",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert shown.stdout.split() == ["True", "True"], shown.stderr


# Two gunicorn workers ------------------------------------------------------------------------

REDIS_FOR_TESTS = os.environ.get("FACTSITE_TEST_REDIS_URL", "")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status_of(url: str) -> int:
    request = Request(url, headers={"Accept": "application/json"})
    try:
        with urlopen(request, timeout=120) as response:
            return response.status
    except HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "shared_cache",
    [
        "database",
        pytest.param(
            "redis",
            marks=pytest.mark.skipif(
                not REDIS_FOR_TESTS,
                reason="FACTSITE_TEST_REDIS_URL names no Redis database the test may empty",
            ),
        ),
    ],
)
def test_two_workers_answer_the_limit_between_them_not_each(tmp_path, shared_cache):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "DATABASE_URL", "NUM_PROXIES"}
    }
    port = free_port()
    environment.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/web.sqlite3",
        FACTSITE_VAR_DIR=str(tmp_path),
        HTTPS="0",
        DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1",
        THROTTLE_ANON="10/hour",
        WEB_WORKERS="2",
        WEB_THREADS="4",
        PORT=str(port),
    )
    if shared_cache == "redis":
        import redis

        redis.Redis.from_url(REDIS_FOR_TESTS).flushdb()
        environment["REDIS_URL"] = REDIS_FOR_TESTS
    manage = [sys.executable, "manage.py"]
    # What `migrate` makes (facts/apps.py), without the record's tables: /api/ reads none.
    cache_database = "default" if shared_cache == "redis" else "cache"
    subprocess.run(
        [*manage, "createcachetable", "--database", cache_database],
        cwd=ROOT,
        env=environment,
        check=True,
    )
    gunicorn = Path(sys.executable).parent / "gunicorn"
    server = subprocess.Popen(
        [
            str(gunicorn),
            "--config",
            "factsite/gunicorn_conf.py",
            # Sync workers take one request at a time, so that eight clients at once keep
            # both busy (a gthread worker may accept them all); the count is what is tested.
            "--worker-class",
            "sync",
            # The app loaded before the fork: both workers answer as soon as they are booted.
            "--preload",
            # Which worker answered each request: its path, status and process id.
            "--access-logformat",
            "answered %(U)s %(s)s by %(p)s",
            "factsite.wsgi",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    log: list[str] = []
    try:
        booted = 0
        deadline = time.monotonic() + 60
        while booted < 2 and time.monotonic() < deadline:
            line = server.stdout.readline()
            log.append(line)
            booted += "Booting worker" in line
        assert booted == 2, "".join(log)
        # A worker booted is not yet a worker taking requests: on a loaded machine the first
        # answered all 60 before the second began (one worker, so nothing shared was tested).
        # Unthrottled requests to the web health check, eight at once, until both answer.
        ready: set[str] = set()
        while len(ready) < 2 and time.monotonic() < deadline:
            with ThreadPoolExecutor(max_workers=8) as pool:
                list(
                    pool.map(lambda _: status_of(f"http://127.0.0.1:{port}/healthz/web"), range(8))
                )
            answered = 0
            while answered < 8:
                line = server.stdout.readline()
                log.append(line)
                found = re.search(r"answered /healthz/web \d+ by <(\d+)>", line)
                if found:
                    answered += 1
                    ready.add(found.group(1))
        assert len(ready) == 2, "".join(log)
        url = f"http://127.0.0.1:{port}/api/"
        with ThreadPoolExecutor(max_workers=8) as pool:
            # One client (no X-Forwarded-For: that is the test above), 60 requests.
            statuses = Counter(pool.map(lambda _: status_of(url), range(60)))
    finally:
        server.terminate()
        rest, _ = server.communicate(timeout=60)
        log.append(rest)
    answered_by = Counter(re.findall(r"answered /api/ (\d+) by <(\d+)>", "".join(log)))
    workers = {pid for _status, pid in answered_by}
    assert len(workers) == 2, answered_by  # both workers answered
    assert statuses == {200: 10, 429: 50}, answered_by
