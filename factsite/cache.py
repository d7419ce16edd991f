"""The shared cache: with Redis, Django's backend keeping one client a pool (RedisCache); when
there is no Redis, Django's database cache, with an increment that
holds when two processes raise one counter at once (the API's rate limits count with it:
facts/api/throttling.py), and on SQLite in a database file of its own (CacheRouter).

Django's database cache increments by a read and a write: two processes reading 7 both write 8,
and a request goes uncounted. Here the read and the write are one transaction holding a lock on
the key: on SQLite the database's write lock (the settings begin every transaction IMMEDIATE),
on PostgreSQL an advisory lock on the key's hash, released at commit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.db import connections, router, transaction


def advisory_lock_id(key: str) -> int:
    """A key's signed 64-bit number, as pg_advisory_xact_lock takes it."""
    digest = hashlib.blake2b(key.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        with transaction.atomic(using=database):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    lock_id = advisory_lock_id(self.make_key(key, version))
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock_id])
            return super().incr(key, delta, version)


CACHE_DATABASE = "cache"


class CacheRouter:
    """The database cache's table in the "cache" database (settings: a SQLite file of its own
    beside the record's, when the record is in SQLite), and nothing else there."""

    def _is_cache(self, model: Any) -> bool:
        return model._meta.app_label == "django_cache"

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return CACHE_DATABASE if self._is_cache(model) else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return CACHE_DATABASE if self._is_cache(model) else None

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        if app_label == "django_cache":
            return db == CACHE_DATABASE
        return False if db == CACHE_DATABASE else None


class RedisCacheClient(DjangoRedisCacheClient):
    """Django's Redis cache client keeping one redis-py client a connection pool. Django's makes
    a new `redis.Redis` for every command (get_client), and redis-py 8 builds its table of
    response callbacks (some 170 entries) in each: the rate limits' four commands a request cost
    1.6 ms of CPU, more than the SQLite cache's transaction (docs/PERFORMANCE.md, the claims
    list). A redis-py client shares its pool and is safe to use from several threads."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    """Django's Redis cache with the client above: settings name it when REDIS_URL is set."""

    def __init__(self, server: Any, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = RedisCacheClient
