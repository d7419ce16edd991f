#!/usr/bin/env python3
"""Benchmark the streamed CSV export (`/api/claims/?format=csv&all=true`): time, rows a second
and the peak memory Python allocates while it streams, for 10,000 and 100,000 claims.

    .venv/bin/python bench/csv_export.py                       # temporary SQLite file
    .venv/bin/python bench/csv_export.py --claims 10000 100000
    .venv/bin/python bench/csv_export.py --database postgres://postgres@127.0.0.1:5432/bench_csv
    /usr/bin/time -v .venv/bin/python bench/csv_export.py --database sqlite:////tmp/c.sqlite3 --reuse

The corpus is bench/verdicts.py's (one article per three claims, a thousand actors, 90% of the
claims credited to one); each size is a fresh record. The peak is tracemalloc's, from the
request to the last chunk read: it must not grow with the rows (facts/api/csv_export.py reads
them CHUNK_SIZE at a time and sends them on in chunks of about 64 KB).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from verdicts import generate_corpus, set_up_django  # noqa: E402  (bench/verdicts.py)


def export(claims: int, *, reuse: bool = False) -> None:
    from django.core.management import call_command
    from django.test import Client

    from facts.models import Claim

    if reuse:
        claims = Claim.objects.count()
    else:
        call_command("flush", interactive=False, verbosity=0)
        generate_corpus(claims, random.Random(12))
    tracemalloc.start()
    tracemalloc.reset_peak()
    started = time.perf_counter()
    response = Client().get("/api/claims/", {"format": "csv", "all": "true"})
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\r\n")
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert int(response["X-Total-Count"]) == claims == rows - 1, (response["X-Total-Count"], rows)
    print(
        f"  {claims:>9,}  {seconds:>8.2f}  {claims / seconds:>10,.0f}  "
        f"{size / 2**20:>9.1f}  {peak / 2**20:>14.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--database", help="DATABASE_URL (default: a temporary SQLite file)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="export the claims already in --database, once (for the process's peak RSS under "
        "/usr/bin/time -v without the corpus being built in it)",
    )
    args = parser.parse_args()
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("THROTTLE_ANON", "100000/minute")
    set_up_django(args.database)
    print("Streamed CSV export of /api/claims/ (all=true):")
    print(
        f"  {'claims':>9}  {'seconds':>8}  {'rows/s':>10}  {'MiB sent':>9}  {'peak MiB (py)':>14}"
    )
    for claims in [0] if args.reuse else args.claims:
        export(claims, reuse=args.reuse)


if __name__ == "__main__":
    main()
