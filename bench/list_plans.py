#!/usr/bin/env python3
"""Print the plan of the claims query behind API paths, on the database DATABASE_URL names:
each path is asked once through Django's test client (to warm up), then again, and the query
that reads `facts_claim` is EXPLAINed (EXPLAIN ANALYZE on PostgreSQL).

    DATABASE_URL=sqlite:////tmp/bp-100k.sqlite3 .venv/bin/python bench/list_plans.py \
        '/api/claims/?ordering=-updated_at' '/api/claims/?undisclosed=true'
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("THROTTLE_ANON", "1000000/minute")
    os.environ.setdefault("THROTTLE_USER", "1000000/minute")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="localhost")
    for path in paths:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(path)
            elapsed = time.perf_counter() - started
        print(f"== {path}: {response.status_code}, {elapsed * 1000:.0f} ms with Django's")
        claims = [q["sql"] for q in queries.captured_queries if "facts_claim" in q["sql"]]
        if not claims:
            continue
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) {claims[0]}")
            else:
                cursor.execute(f"EXPLAIN QUERY PLAN {claims[0]}")
            for row in cursor.fetchall():
                print("   ", row[0] if connection.vendor == "postgresql" else row[-1])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1:])
