#!/usr/bin/env python3
"""Benchmark the corpus generator (manage.py generate_corpus) into an empty, migrated database:
the wall clock of each phase, the CPU time of this process and, on PostgreSQL, of its server
process (the backend that ran the inserts, index builds and ANALYZE), and the load average.

    DATABASE_URL=sqlite:////tmp/x.sqlite3 .venv/bin/python bench/corpus.py --claims 100000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/x .venv/bin/python bench/corpus.py --claims 100000
    ... --profile /tmp/corpus.prof   # and cProfile's top functions by cumulative time

The database must be migrated and hold no articles or claims (generate_corpus refuses
otherwise). Goal (issue 16, item 1): 1,000,000 claims in under 5 minutes on PostgreSQL, under
10 on SQLite.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")


def server_cpu(pid: int | None) -> float | None:
    """CPU seconds (user + system) of a PostgreSQL backend on this machine, from /proc."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, required=True)
    parser.add_argument("--seed", type=int, default=20220210)
    parser.add_argument("--profile", help="write cProfile's stats here and print the top")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from facts.services import corpus

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
    server_before = server_cpu(backend)
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_SELF)
    load_before = os.getloadavg()

    def progress(message: str) -> None:
        now = time.perf_counter() - started
        used = resource.getrusage(resource.RUSAGE_SELF)
        cpu = used.ru_utime + used.ru_stime - before.ru_utime - before.ru_stime
        server = server_cpu(backend)
        extra = "" if server is None else f", server {server - (server_before or 0):6.1f} s"
        print(f"[{now:7.1f} s wall, cpu {cpu:6.1f} s{extra}] {message}", flush=True)

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    report = corpus.generate_corpus(claims=args.claims, seed=args.seed, progress=progress)
    if profiler:
        profiler.disable()
    wall = time.perf_counter() - started
    used = resource.getrusage(resource.RUSAGE_SELF)
    server = server_cpu(backend)
    print(f"database: {connection.vendor}, {report.claims:,} claims, {report.articles:,} articles")
    print(f"wall: {wall:.1f} s")
    print(
        f"process CPU: {used.ru_utime - before.ru_utime:.1f} s user + "
        f"{used.ru_stime - before.ru_stime:.1f} s sys"
    )
    if server is not None and server_before is not None:
        print(f"server backend CPU: {server - server_before:.1f} s")
    print(
        "load average (1 min) before / after: "
        f"{load_before[0]:.2f} / {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    if profiler and args.profile:
        profiler.dump_stats(args.profile)
        pstats.Stats(args.profile).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
