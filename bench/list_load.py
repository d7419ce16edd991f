#!/usr/bin/env python3
"""The claims list under load (bench/locustfile.py's mix: 16 anonymous clients, first pages,
filters and next pages), served by gunicorn as run.py serves it (2 gthread workers,
factsite/gunicorn_conf.py), for one or more source trees and cache settings, one after the
other on the same database, so that a before/after comparison is made in one run. The
coordinator's measurement (issue 16: 100 requests a second at 1M claims), on a quiet machine:

    .venv/bin/python bench/list_load.py sqlite:////tmp/c1m.sqlite3 --tree . --driver wrk \\
        --redis redis://127.0.0.1:6379/14 --seconds 60

and a before/after: `--tree /tmp/base --tree .` (a `git archive` of the base commit unpacked
with a .venv link), `--rounds 2` to alternate the trees twice.

`--driver wrk` (a load generator in C, `apt-get install wrk`; about 0.15 ms of CPU a request
against locust's 2 ms, so that the server has the cores) sends the locust mix over 16
connections: the paths are read once from the server before the run (each filter's first page
and the next pages its cursors give, up to four, FILTERS with the plain list twice as locust
weighs it) and wrk cycles through them (bench/list_load.lua). `--driver locust` (the default)
runs `locust --headless -u 16 -r 16 -t SECONDS`.

Each run prints requests a second, the median and 95th percentile (ms), failures, the load
average, the CPU seconds of the server (gunicorn's processes) and of the load generator, and
the **server's CPU a request** (its CPU seconds over the run by the requests answered): the
figure to compare on a shared machine, where requests a second measure the machine's load.
`--py-spy DIR` records each worker meanwhile (py-spy --gil, flat stacks as text: the Python
code's CPU; SQLite's own work runs without the GIL and is left out).

The rate limits are lifted (THROTTLE_ANON, THROTTLE_USER), as bench/api_reads.py lifts them;
their counters are still written, in the cache named: `sqlite` is the database cache (run.py's
default: var/cache.sqlite3 beside a SQLite record, a table of a PostgreSQL one), `redis` the
--redis URL (REDIS_URL).
"""

from __future__ import annotations

import argparse
import csv
import json
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


def cpu_until_it_ends(driver: subprocess.Popen) -> float:
    """Wait for the load generator to end; its CPU seconds (and its children's), read every
    half second while it runs, since an ended process's times can no longer be read."""
    watched = psutil.Process(driver.pid)
    used = 0.0
    while driver.poll() is None:
        try:
            used = cpu_seconds(watched)
        except psutil.NoSuchProcess:
            break
        time.sleep(0.5)
    return used


def mix_paths(host: str) -> list[str]:
    """The locust mix's paths (bench/locustfile.py): each filter's first page and the next
    pages its cursors give, up to PAGES_FOLLOWED, in the order a client reads them."""
    sys.path.insert(0, str(HERE))
    from locustfile import FILTERS, PAGES_FOLLOWED

    def read(path: str) -> Any:
        with urllib.request.urlopen(f"{host}{path}", timeout=120) as response:
            return json.loads(response.read())

    facts = read("/api/facts/?page_size=20")["results"]
    outlets = read("/api/outlets/?page_size=10")["results"]
    filters = [
        *FILTERS,
        *(f"fact={fact['id']}" for fact in facts[:5]),
        *(f"outlet={outlet['slug']}" for outlet in outlets[:3]),
    ]
    paths = []
    for query in filters:
        path = f"/api/claims/?{query}"
        for _ in range(1 + PAGES_FOLLOWED):
            paths.append(path)
            cursor = read(path)["next_cursor"]
            if cursor is None:
                break
            path = (
                f"/api/claims/?{query}&cursor={cursor}"
                if query
                else f"/api/claims/?cursor={cursor}"
            )
    return paths


def drive_with_wrk(
    host: str, var: Path, args: argparse.Namespace, paths: list[str]
) -> dict[str, Any]:
    """wrk over 16 connections (or --connections; 2 threads: it needs little) cycling the
    mix's paths."""
    listed = var / "paths.txt"
    listed.write_text("\n".join(paths) + "\n")
    wrk = subprocess.Popen(
        [
            "wrk",
            *("-t", str(min(2, args.connections)), "-c", str(args.connections)),
            *("-d", f"{args.seconds}s", "--timeout", "30s"),
            *("-s", str(HERE / "list_load.lua"), host, "--", str(listed)),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    driver_cpu = cpu_until_it_ends(wrk)
    output = wrk.stdout.read() if wrk.stdout else ""
    found = [line.split() for line in output.splitlines() if line.startswith("RESULT ")]
    if not found:
        raise SystemExit(f"wrk printed no result:\n{output}")
    requests, failures, p50_us, p95_us, duration_us = (float(x) for x in found[0][1:])
    return {
        "by name": f"{len(paths)} paths cycled",
        "requests": requests,
        "failures": failures,
        "req/s": requests / (duration_us / 1e6),
        "p50": p50_us / 1000,
        "p95": p95_us / 1000,
        "driver CPU s": driver_cpu,
    }


def drive_with_locust(
    host: str, var: Path, args: argparse.Namespace, paths: list[str]
) -> dict[str, Any]:
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
    driver_cpu = cpu_until_it_ends(locust)
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
        "requests": float(total["Request Count"]),
        "failures": float(total["Failure Count"]),
        "req/s": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "driver CPU s": driver_cpu,
    }


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
        # Warm-up: each worker's first requests (imports, the cached query) are not the load.
        for _ in range(8):
            with urllib.request.urlopen(f"{host}/api/claims/", timeout=120):
                pass
        spies = []
        if args.py_spy:
            for worker in gunicorn.children():
                out = Path(args.py_spy) / f"{Path(tree).resolve().name}-{cache}-{worker.pid}.txt"
                spies.append(
                    subprocess.Popen(
                        [
                            str(Path(sys.executable).parent / "py-spy"),
                            *("record", "--pid", str(worker.pid), "--format", "raw", "--gil"),
                            *("--duration", str(args.seconds), "--rate", "200"),
                            *("--nonblocking", "--output", str(out)),
                        ],
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                )
        # wrk's paths are read before the server's CPU is (locust reads its filters in its run).
        paths = mix_paths(host) if args.driver == "wrk" else []
        server_before = cpu_seconds(gunicorn)
        drive = drive_with_wrk if args.driver == "wrk" else drive_with_locust
        result = drive(host, var, args, paths)
        server_cpu = cpu_seconds(gunicorn) - server_before
        for spy in spies:
            spy.wait(timeout=120)
    finally:
        server.terminate()
        server.wait(timeout=60)
    return {**result, "tree": tree, "cache": cache, "server CPU s": server_cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database", help="DATABASE_URL of a corpus (a copy: the cache writes)")
    parser.add_argument("--tree", action="append", required=True, help="a source tree's root")
    parser.add_argument("--redis", help="a Redis URL: each tree runs with it too (REDIS_URL)")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument(
        "--driver", choices=["locust", "wrk"], default="locust", help="the load generator"
    )
    parser.add_argument(
        "--connections",
        type=int,
        default=16,
        help="wrk's connections (16, the goal's clients; 1: the CPU a request without contention)",
    )
    parser.add_argument("--py-spy", help="a folder: py-spy records each worker into it")
    parser.add_argument(
        "--rounds", type=int, default=1, help="each (cache, tree) this many times, alternated"
    )
    args = parser.parse_args()
    caches = ["sqlite", "redis"] if args.redis else ["sqlite"]
    if args.py_spy:
        Path(args.py_spy).mkdir(parents=True, exist_ok=True)
    for cache in caches:
        for _ in range(args.rounds):
            for tree in args.tree:
                result = run(tree, cache, args)
                per_request = 1000 * result["server CPU s"] / max(result["requests"], 1)
                print(
                    f"{tree} cache={cache} driver={args.driver} connections={args.connections}: {result['req/s']:.1f} req/s, "
                    f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms, "
                    f"{result['requests']:.0f} requests, {result['failures']:.0f} failed; "
                    f"server CPU {per_request:.2f} ms a request; CPU s: server "
                    f"{result['server CPU s']:.1f}, {args.driver} "
                    f"{result['driver CPU s']:.1f}; load average "
                    f"{os.getloadavg()[0]:.1f}\n    by path (p50 ms / req/s): "
                    f"{result['by name']}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
