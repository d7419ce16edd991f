"""The shared cache when there is no Redis: Django's database cache, with an increment that
holds when two processes raise one counter at once (the API's rate limits count with it:
facts/api/throttling.py).

Django's database cache increments by a read and a write: two processes reading 7 both write 8,
and a request goes uncounted. Here the read and the write are one transaction holding a lock on
the key: on SQLite the database's write lock (the settings begin every transaction IMMEDIATE),
on PostgreSQL an advisory lock on the key's hash, released at commit.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
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
