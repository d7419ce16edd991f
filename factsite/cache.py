"""The shared cache: with Redis, Django's backend keeping one client a pool (RedisCache); when
there is no Redis, Django's database cache, with an increment that
holds when two processes raise one counter at once (the API's rate limits count with it:
facts/api/throttling.py), and on SQLite in a database file of its own (CacheRouter).

Django's database cache increments by a read and a write: two processes reading 7 both write 8,
and a request goes uncounted. Here the read and the write are one transaction holding a lock on
the key: on SQLite the database's write lock (the settings begin every transaction IMMEDIATE),
on PostgreSQL an advisory lock on the key's hash, released at commit.

The rate limits count a request in every window it falls in (the anonymous and the signed-in
rate: two counters) by `count_in_windows`, all at once: one round trip to Redis, two
statements to the database cache (one on PostgreSQL for the locks), where counting each
counter by `add` and `incr` cost six round trips, or some ten statements.
"""

from __future__ import annotations

import base64
import hashlib
import pickle
from datetime import timedelta
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient as DjangoRedisCacheClient
from django.db import connections, models, router, transaction
from django.utils import timezone

# A counter and the seconds its window has left, by the key the caller named.
Counts = dict[str, tuple[int, float]]


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

    def count_in_windows(self, windows: dict[str, int]) -> Counts:
        """Count one more in each key's window (its length in seconds), starting a window
        where there is none or it has ended: every counter read by one SELECT and written by
        one upsert, in one transaction holding the keys' locks (SQLite's write lock, as the
        settings begin transactions IMMEDIATE; PostgreSQL's advisory locks, taken in one
        order so that two requests cannot wait on each other). The window's end is the row's
        own `expires`, so a window is one row, as the cache's other entries are."""
        database = router.db_for_write(self.cache_model_class)
        connection = connections[database]
        quote = connection.ops.quote_name
        table = quote(self._table)
        made = {key: self.make_and_validate_key(key) for key in windows}
        # Django's database cache keeps whole seconds (_base_set).
        now = timezone.now().replace(microsecond=0)
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(
            connection
        )
        counts: Counts = {}
        rows: list[Any] = []
        with transaction.atomic(using=database), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                locks = sorted({advisory_lock_id(key) for key in made.values()})
                calls = ", ".join(["pg_advisory_xact_lock(%s)"] * len(locks))
                cursor.execute(f"SELECT {calls}", locks)
            placeholders = ", ".join(["%s"] * len(made))
            cursor.execute(
                f"SELECT {quote('cache_key')}, {quote('value')}, {quote('expires')} "
                f"FROM {table} WHERE {quote('cache_key')} IN ({placeholders})",
                list(made.values()),
            )
            found = {}
            for cache_key, value, expires in cursor.fetchall():
                for converter in converters:
                    expires = converter(expires, expression, connection)
                found[cache_key] = (value, expires)
            started = False
            for key, seconds in windows.items():
                value, expires = found.get(made[key], (None, None))
                if expires is not None and expires >= now:
                    value = connection.ops.process_clob(value)
                    count = int(pickle.loads(base64.b64decode(value.encode()))) + 1
                else:
                    count, expires, started = 1, now + timedelta(seconds=seconds), True
                counts[key] = (count, (expires - now).total_seconds())
                pickled = pickle.dumps(count, self.pickle_protocol)
                rows += [
                    made[key],
                    base64.b64encode(pickled).decode("latin1"),
                    connection.ops.adapt_datetimefield_value(expires),
                ]
            if started:
                # A new row: Django's database cache culls before it adds one (_base_set).
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                entries = cursor.fetchone()[0]
                if entries > self._max_entries:
                    self._cull(database, cursor, now, entries)
            values = ", ".join(["(%s, %s, %s)"] * len(made))
            cursor.execute(
                f"INSERT INTO {table} ({quote('cache_key')}, {quote('value')}, "
                f"{quote('expires')}) VALUES {values} ON CONFLICT ({quote('cache_key')}) "
                f"DO UPDATE SET {quote('value')} = EXCLUDED.{quote('value')}, "
                f"{quote('expires')} = EXCLUDED.{quote('expires')}",
                rows,
            )
        return counts


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

    def count_in_windows(self, windows: dict[str, int]) -> Counts:
        """Count one more in each key's window (its length in seconds): one MULTI/EXEC,
        sent in one round trip, of three commands a key: `SET key 0 EX seconds NX` starts a
        window where there is none (or it has expired), INCR counts (keeping the key's
        expiry), PTTL tells what is left of the window. The counter is the plain integer
        Django's own `incr` keeps, so `cache.get` reads it."""
        client = self._cache.get_client(write=True)
        made = [self.make_and_validate_key(key) for key in windows]
        with client.pipeline(transaction=True) as pipeline:
            for key, seconds in zip(made, windows.values(), strict=True):
                pipeline.set(key, 0, ex=seconds, nx=True)
                pipeline.incr(key)
                pipeline.pttl(key)
            replies = pipeline.execute()
        return {
            key: (int(replies[3 * n + 1]), max(int(replies[3 * n + 2]), 0) / 1000)
            for n, key in enumerate(windows)
        }
