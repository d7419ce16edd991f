#!/usr/bin/env python3
"""The claims list under load (bench/locustfile.py: 16 anonymous clients, first pages, filters
and next pages), served by gunicorn as run.py serves it (2 gthread workers,
factsite/gunicorn_conf.py), for one or more source trees and cache settings, one after the
other on the same database, so that a before/after comparison is made in one run:

    .venv/bin/python bench/list_load.py sqlite:////tmp/c1m.sqlite3 --tree /tmp/base --tree . \\
        --redis redis://127.0.0.1:6379/14 --seconds 60

Each (tree, cache) runs `locust --headless -u 16 -r 16 -t SECONDS` and prints requests a
second, the median and 95th percentile (ms), failures, and the CPU seconds the server
(gunicorn's processes) and locust used: locust runs on the same cores as the server. The rate
limits are lifted (THROTTLE_ANON, THROTTLE_USER), as bench/api_reads.py lifts them; their
counters are still written, in the cache named: `sqlite` is the database cache (run.py's
default: var/cache.sqlite3 beside a SQLite record, a table of a PostgreSQL one), `redis` the
--redis URL (REDIS_URL).
"""

from __future__ import annotations

import argparse
import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import psutil

HERE = Path(__file__).resolve().parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def cpu_seconds(process: psutil.Process) -> float:
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run(tree: str, cache: str, args: argparse.Namespace) -> dict[str, Any]:
    root = Path(tree).resolve()
    python = str(root / ".venv" / "bin" / "python")
    var = Path(tempfile.mkdtemp(prefix="list-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "DATABASE_URL": args.database,
        "DJANGO_SETTINGS_MODULE": "factsite.settings",
        "FACTSITE_VAR_DIR": str(var),
        "HTTPS": "0",
        "DEBUG": "0",
        "THROTTLE_ANON": "1000000/minute",
        "THROTTLE_USER": "1000000/minute",
        "WEB_WORKERS": "2",
        "WEB_TIMEOUT": "300",
    }
    if cache == "redis":
        env["REDIS_URL"] = args.redis
    elif args.database.startswith("sqlite"):
        subprocess.run(
            [python, "manage.py", "createcachetable", "--database", "cache"],
            cwd=root,
            env=env,
            check=True,
        )
    port = free_port()
    host = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [
            *(python, "-m", "gunicorn", "-c", "factsite/gunicorn_conf.py", "factsite.wsgi"),
            *("--bind", f"127.0.0.1:{port}"),
        ],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(600):
            try:
                with urllib.request.urlopen(f"{host}/api/claims/?page_size=1", timeout=60):
                    break
            except OSError:
                time.sleep(0.2)
        gunicorn = psutil.Process(server.pid)
        server_before = cpu_seconds(gunicorn)
        prefix = var / "locust"
        locust = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "-u",
                "16",
                "-r",
                "16",
                "-t",
                f"{args.seconds}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        watched = psutil.Process(locust.pid)
        locust_cpu = 0.0
        while locust.poll() is None:
            try:
                locust_cpu = cpu_seconds(watched)
            except psutil.NoSuchProcess:
                break
            time.sleep(0.5)
        server_cpu = cpu_seconds(gunicorn) - server_before
    finally:
        server.terminate()
        server.wait(timeout=60)
    with open(f"{prefix}_stats.csv", newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    total = rows["Aggregated"]
    by_name = ", ".join(
        f"{name} {float(row['50%']):.0f}/{float(row['Requests/s']):.1f}"
        for name, row in rows.items()
        if name != "Aggregated"
    )
    return {
        "by name": by_name,
        "tree": tree,
        "cache": cache,
        "requests": float(total["Request Count"]),
        "failures": float(total["Failure Count"]),
        "req/s": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "server CPU s": server_cpu,
        "locust CPU s": locust_cpu,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="DATABASE_URL of a corpus (a copy: the cache writes)")
    parser.add_argument("--tree", action="append", required=True, help="a source tree's root")
    parser.add_argument("--redis", help="a Redis URL: each tree runs with it too (REDIS_URL)")
    parser.add_argument("--seconds", type=int, default=60)
    args = parser.parse_args()
    caches = ["sqlite", "redis"] if args.redis else ["sqlite"]
    for cache in caches:
        for tree in args.tree:
            result = run(tree, cache, args)
            print(
                f"{tree} cache={cache}: {result['req/s']:.1f} req/s, p50 {result['p50']:.0f} ms, "
                f"p95 {result['p95']:.0f} ms, {result['requests']:.0f} requests, "
                f"{result['failures']:.0f} failed; CPU s: server {result['server CPU s']:.1f}, "
                f"locust {result['locust CPU s']:.1f}\n    by path (p50 ms / req/s): "
                f"{result['by name']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
