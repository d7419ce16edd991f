#!/usr/bin/env python3
"""Time single claim writes through the API, as a client makes them, to the busiest fact of a
corpus (most verified claims) and to a typical one (the fact whose verified claims are nearest
36), and print each write's median, its queries, and the hot/typical ratio (issue 16: a write to
a 10,000-claim fact within 2x of a write to a 36-claim fact).

    .venv/bin/python bench/writes.py sqlite:////tmp/h2-100k.sqlite3 \
        postgres://postgres@127.0.0.1:5432/h2_100k --rounds 9
    # before/after in one run: each tree's code on the same database, alternated round by round
    .venv/bin/python bench/writes.py sqlite:////tmp/h2-100k.sqlite3 --tree /work/wt-h2-base --tree .
    # where a hot write's time goes
    .venv/bin/python bench/writes.py sqlite:////tmp/h2-100k.sqlite3 --profile

The database must be a copy (the writes are real; each round leaves the fact as it was: a
verified claim is deleted, posted again, its value patched and patched back, rejected and
verified again). Each round runs in a child process (`--measure`) that imports the code of one
tree (`--tree`, default this one) and prints one JSON line; with several trees the rounds
alternate between them, so the machine's load falls on each alike. Times are wall-clock medians
of the requests (Django's test client, in-process: no HTTP server); compare them within a run.

After each hot round, the job that a deferred refresh leaves (if the tree defers one) is run and
timed too ("refresh job"), so the verdict is fresh again before the next round.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
WRITES = ("delete", "post", "patch value", "reject", "verify")


def set_up(tree: Path, url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("THROTTLE_USER", "1000000/minute")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    sys.path.insert(0, str(tree))
    os.chdir(tree)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The cache's table (the API's throttling reads it): on SQLite, a database of its own.
    for alias in settings.DATABASES:
        call_command("createcachetable", database=alias)


def pick_facts() -> dict[str, int]:
    """Among the quantities (their value is patched as a number), the fact with most verified
    claims, and the one nearest 36 (ties: the lowest id)."""
    from django.db.models import Count

    from facts.models import Claim, ValueKind

    counts = list(
        Claim.objects.verified()
        .filter(actor__isnull=False, fact__value_kind=ValueKind.QUANTITY)
        .values("fact_id")
        .annotate(n=Count("id"))
        .values_list("fact_id", "n")
    )
    hot = max(counts, key=lambda c: (c[1], -c[0]))[0]
    typical = min(counts, key=lambda c: (abs(c[1] - 36), c[0]))[0]
    return {"hot": hot, "typical": typical}


def writer() -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user, _ = get_user_model().objects.get_or_create(
        username="bench-writes", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    return client


def one_round(client: Any, fact_id: int) -> dict[str, tuple[float, int, int]]:
    """One claim of the fact through every write; returns each write's (seconds, queries,
    status)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from facts.api.inputs import ClaimInput
    from facts.models import Claim

    claim = (
        Claim.objects.verified()
        .filter(fact_id=fact_id, actor__isnull=False, undisclosed=False, number__isnull=False)
        .order_by("-id")
        .first()
    )
    assert claim is not None, f"fact {fact_id} has no verified numeric claim by an actor"
    read = client.get(f"/api/claims/{claim.pk}/")
    assert read.status_code == 200, read.content
    fields = set(ClaimInput().fields)
    body = {k: v for k, v in read.json().items() if k in fields}
    body.update(fact=fact_id, status="verified")
    number = body["number"]
    out: dict[str, tuple[float, int, int]] = {}

    def timed(name: str, method: str, url: str, data: Any = None, etag: str = "") -> Any:
        headers = {"HTTP_IF_MATCH": etag} if etag else {}
        call = getattr(client, method)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = call(url, data=json.dumps(data), content_type="application/json", **headers)
            seconds = time.perf_counter() - started
        assert response.status_code < 300, (name, response.status_code, response.content[:500])
        out[name] = (seconds, len(queries), response.status_code)
        return response

    timed("delete", "delete", f"/api/claims/{claim.pk}/", etag=read["ETag"])
    created = timed("post", "post", "/api/claims/", body)
    url = f"/api/claims/{created.json()['id']}/"
    etag = created["ETag"]
    # The value patched: the claim's number one higher (the wording is not checked against the
    # number), then back, so the round leaves the fact as it found it.
    etag = timed("patch value", "patch", url, {"number": number + 1}, etag)["ETag"]
    etag = client.patch(
        url,
        data=json.dumps({"number": number}),
        content_type="application/json",
        HTTP_IF_MATCH=etag,
    )["ETag"]
    etag = timed("reject", "patch", url, {"status": "rejected"}, etag)["ETag"]
    timed("verify", "patch", url, {"status": "verified"}, etag)
    return out


def run_pending_jobs() -> float:
    """Run the verdict refreshes a tree deferred (if it has them); returns the seconds."""
    from facts.services import verdicts

    run = getattr(verdicts, "refresh_stale", None)
    if run is None:
        return 0.0
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def measure(tree: Path, url: str, rounds: int) -> dict[str, Any]:
    set_up(tree, url)
    from facts.models import Claim

    facts = pick_facts()
    client = writer()
    found: dict[str, Any] = {"tree": str(tree), "url": url, "claims": Claim.objects.count()}
    for label, fact_id in facts.items():
        n = Claim.objects.verified().filter(fact_id=fact_id).count()
        one_round(client, fact_id)  # warm up
        run_pending_jobs()
        samples: dict[str, list[tuple[float, int, int]]] = {w: [] for w in WRITES}
        jobs = []
        for _ in range(rounds):
            for name, sample in one_round(client, fact_id).items():
                samples[name].append(sample)
            jobs.append(run_pending_jobs())
        found[label] = {
            "fact": fact_id,
            "verified_claims": n,
            **{
                name: {
                    "median_ms": round(statistics.median(s[0] for s in got) * 1000, 1),
                    "queries": max(s[1] for s in got),
                }
                for name, got in samples.items()
            },
            "refresh job ms": round(statistics.median(jobs) * 1000, 1),
        }
    return found


def profile(tree: Path, url: str, rounds: int) -> None:
    import cProfile
    import pstats

    set_up(tree, url)
    fact_id = pick_facts()["hot"]
    client = writer()
    one_round(client, fact_id)
    run_pending_jobs()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        one_round(client, fact_id)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("urls", nargs="+")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeats", type=int, default=1, help="child runs per tree (alternated)")
    parser.add_argument("--tree", action="append", type=Path)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    trees = [t.resolve() for t in (args.tree or [ROOT])]
    if args.profile:
        profile(trees[0], args.urls[0], args.rounds)
        return
    if args.measure:
        print(json.dumps(measure(trees[0], args.urls[0], args.rounds)))
        return
    for url in args.urls:
        results: dict[Path, list[dict[str, Any]]] = {t: [] for t in trees}
        for _ in range(args.repeats):
            for tree in trees:
                command = [sys.executable, __file__, url, "--measure", "--tree", str(tree)]
                done = subprocess.run(
                    [*command, "--rounds", str(args.rounds)],
                    capture_output=True,
                    text=True,
                    cwd=tree,
                )
                if done.returncode:
                    sys.exit(done.stderr)
                results[tree].append(json.loads(done.stdout.strip().splitlines()[-1]))
        for tree, runs in results.items():
            print(f"\n{url}  tree {tree}  ({runs[0]['claims']:,} claims)")
            print(
                f"  {'write':<12} {'typical ms':>10} {'q':>3} {'hot ms':>8} {'q':>3} {'hot/typ':>8}"
            )
            for name in WRITES:
                typical = statistics.median(r["typical"][name]["median_ms"] for r in runs)
                hot = statistics.median(r["hot"][name]["median_ms"] for r in runs)
                print(
                    f"  {name:<12} {typical:>10.1f} {runs[0]['typical'][name]['queries']:>3} "
                    f"{hot:>8.1f} {runs[0]['hot'][name]['queries']:>3} {hot / typical:>7.2f}x"
                )
            first = runs[0]
            print(
                f"  facts: typical {first['typical']['fact']} "
                f"({first['typical']['verified_claims']} verified), hot {first['hot']['fact']} "
                f"({first['hot']['verified_claims']} verified); refresh job after a hot round: "
                f"{statistics.median(r['hot']['refresh job ms'] for r in runs):.1f} ms"
            )


if __name__ == "__main__":
    main()
