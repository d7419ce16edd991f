"""The rate limits count a request in both rates' windows (anonymous and signed-in) at once:
one round trip to Redis, two statements to the database cache (issue 16: the counters were 18%
of a list request's server CPU at four to six round trips)."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.test.utils import CaptureQueriesContext
from rest_framework.throttling import SimpleRateThrottle

REDIS_FOR_TESTS = os.environ.get("FACTSITE_TEST_REDIS_URL", "")
# On SQLite the database cache is in a database of its own (factsite/cache.py).
CACHE_ALIAS = "cache" if "cache" in settings.DATABASES else "default"
DATABASE_CACHE = {"BACKEND": "factsite.cache.DatabaseCache", "LOCATION": "factsite_cache"}


@pytest.fixture
def both_rates(monkeypatch):
    """Both rates on, as deployed (anonymous clients are counted by each), at test sizes."""

    def set_rates(anon: str | None, user: str) -> None:
        monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": anon, "user": user})
        cache.clear()

    return set_rates


@pytest.fixture
def redis_cache(settings):
    if not REDIS_FOR_TESTS:
        pytest.skip("FACTSITE_TEST_REDIS_URL names no Redis database the test may empty")
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "factsite.cache.RedisCache", "LOCATION": REDIS_FOR_TESTS},
    }


@pytest.fixture
def round_trips(monkeypatch):
    """Every packed write to a Redis connection: one a round trip (a pipeline is one)."""
    from redis.connection import AbstractConnection

    sent: list[object] = []
    send = AbstractConnection.send_packed_command

    def counted(self, command, *args, **kwargs):
        sent.append(command)
        return send(self, command, *args, **kwargs)

    monkeypatch.setattr(AbstractConnection, "send_packed_command", counted)
    return sent


def test_with_redis_a_request_is_counted_in_both_windows_in_one_round_trip(
    db, client, redis_cache, both_rates, round_trips
):
    both_rates("100/minute", "1000/minute")
    assert client.get("/api/").status_code == 200  # the windows start
    round_trips.clear()
    assert client.get("/api/").status_code == 200
    assert len(round_trips) == 1
    # Both counters are Django's plain integers, readable by the cache.
    assert cache.get("throttle_anon_127.0.0.1") == 2
    assert cache.get("throttle_user_127.0.0.1") == 2


def test_with_redis_the_limit_holds_and_a_throttled_client_is_told_when_its_window_ends(
    db, client, redis_cache, both_rates
):
    both_rates("3/minute", "1000/minute")
    answers = [client.get("/api/") for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200, 200, 200, 429, 429]
    assert 55 <= int(answers[-1]["Retry-After"]) <= 60


def test_the_signed_in_rate_holds_with_redis_when_the_anonymous_one_is_off(
    db, client, redis_cache, both_rates
):
    both_rates(None, "2/minute")
    assert [client.get("/api/").status_code for _ in range(3)] == [200, 200, 429]


@pytest.mark.django_db(databases=sorted({"default", CACHE_ALIAS}))
def test_with_the_database_cache_a_request_is_counted_in_both_windows_in_two_statements(
    client, settings, both_rates
):
    from django.core.management import call_command

    settings.CACHES = {**settings.CACHES, "default": DATABASE_CACHE}
    call_command("createcachetable", database=CACHE_ALIAS, verbosity=0)
    both_rates("100/minute", "1000/minute")
    assert client.get("/api/").status_code == 200  # the windows start
    with CaptureQueriesContext(connections[CACHE_ALIAS]) as statements:
        assert client.get("/api/").status_code == 200
    # The transaction's own (a savepoint in a test's transaction) aside.
    transaction = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT")
    sent = [q["sql"] for q in statements.captured_queries if not q["sql"].startswith(transaction)]
    # Read both counters, write both; PostgreSQL first takes both keys' advisory locks.
    expected = 3 if connections[CACHE_ALIAS].vendor == "postgresql" else 2
    assert len(sent) == expected, sent
    assert cache.get("throttle_anon_127.0.0.1") == 2
    assert cache.get("throttle_user_127.0.0.1") == 2
