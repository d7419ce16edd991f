#!/usr/bin/env python3
"""Time the outlet read paths (outlet against outlet, an outlet's record) in-process on several
corpora in one run, with each path's median at the largest corpus as a ratio of its median at
the smallest (issue 16: goal within 1.5x), the queries each costs and the JSON's size.

    .venv/bin/python bench/outlet_paths.py sqlite:////tmp/op-10k.sqlite3 \
        sqlite:////tmp/op-100k.sqlite3 sqlite:////tmp/op-1m.sqlite3 --rounds 15

The outlets are bench/api_reads.py's: the first two that are not wire agencies. Each database is
measured by a child process (`--measure URL`) that prints one JSON line. Times are wall-clock
medians on this machine: compare them within one run, as ratios.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def measure(rounds: int) -> dict[str, Any]:
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.renderers import JSONRenderer

    from facts.api import comparison
    from facts.models import Claim, Outlet

    outlet, other = list(Outlet.objects.exclude(kind="wire").order_by("pk")[:2])
    paths: dict[str, Callable[[], dict]] = {
        "outlet against outlet": lambda: comparison.outlet_agreement(outlet, other),
        "an outlet's record": lambda: comparison.outlet_record(outlet),
    }
    found: dict[str, Any] = {"claims": Claim.objects.count(), "outlet": outlet.slug}
    for name, path in paths.items():
        for _ in range(2):
            path()
        times, cpu = [], []
        for _ in range(rounds):
            start, start_cpu = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as queries:
                body = JSONRenderer().render(path())
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        if connection.vendor == "postgresql":
            # The server's share alone (the wall clock swings with the machine's load): each
            # query of the path under EXPLAIN ANALYZE, the median planning + execution time.
            found.setdefault("server_ms", {})[name] = server_ms(queries.captured_queries)
        found[name] = {
            "median_ms": round(statistics.median(times) * 1000, 1),
            # On a loaded machine the fastest round and this process's CPU time (all of it on
            # SQLite, the client's share on PostgreSQL) say more than the wall-clock median.
            "min_ms": round(min(times) * 1000, 1),
            "cpu_ms": round(statistics.median(cpu) * 1000, 1),
            "queries": len(queries),
            "bytes": len(body),
            # The same body before and after a change: compare these across trees.
            "sha256": hashlib.sha256(body).hexdigest()[:12],
        }
    return found


def server_ms(queries: list[dict[str, str]], rounds: int = 7) -> float:
    """The server's time for these queries (as captured, parameters inlined): for each, the
    median over `rounds` of EXPLAIN ANALYZE's planning plus execution time; summed."""
    from django.db import connection

    total = 0.0
    for query in queries:
        times = []
        for _ in range(rounds):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            times.append(plan[0]["Planning Time"] + plan[0]["Execution Time"])
        total += statistics.median(times)
    return round(total, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--measure")
    args = parser.parse_args()
    if args.measure:
        os.environ["DATABASE_URL"] = args.measure
        print(json.dumps(measure(args.rounds)))
        return
    results = []
    for url in args.urls:
        out = subprocess.run(
            [sys.executable, __file__, "--measure", url, "--rounds", str(args.rounds)],
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
        print(url, results[-1], flush=True)
    if len(results) > 1:
        for name in ("outlet against outlet", "an outlet's record"):
            ratios = ", ".join(
                f"{figure} {results[-1][name][figure] / results[0][name][figure]:.2f}x"
                for figure in ("median_ms", "min_ms", "cpu_ms")
            )
            print(f"{name}: largest/smallest {ratios}")
            if "server_ms" in results[0]:
                ratio = results[-1]["server_ms"][name] / results[0]["server_ms"][name]
                print(f"{name}: largest/smallest server_ms {ratio:.2f}x")


if __name__ == "__main__":
    main()
