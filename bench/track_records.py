#!/usr/bin/env python3
"""Benchmark the track records on the corpus of bench/verdicts.py: the full rebuild, the refresh
that follows one claim's verification, and the read of the largest outlet's and actor's record.

    .venv/bin/python bench/track_records.py                   # 1,000,000 claims, temporary SQLite
    .venv/bin/python bench/track_records.py --claims 100000
    .venv/bin/python bench/track_records.py --database postgres://postgres@127.0.0.1:5432/x

Goal: the rebuild costs a fraction of the verdicts' full recompute; a refresh and a read cost
milliseconds, whatever the size of the record.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import verdicts as verdicts_bench  # noqa: E402  (bench/verdicts.py)


def timed(label: str, function, runs: int = 1):
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    print(f"  {label}: {min(timings) * 1000:,.1f} ms" + (f" (best of {runs})" if runs > 1 else ""))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--database", help="a DATABASE_URL; default: a temporary SQLite file")
    args = parser.parse_args()
    rng = random.Random(20220210)
    verdicts_bench.set_up_django(args.database or os.environ.get("BENCH_DATABASE_URL"))
    from django.db import connection
    from django.db.models import Count

    from facts.models import Article, Claim, Fact, TrackRecord
    from facts.services import track_records, verdicts

    started = time.perf_counter()
    verdicts_bench.generate_corpus(args.claims, rng)
    print(
        f"Generated {args.claims:,} claims in {time.perf_counter() - started:.1f} s ({connection.vendor})."
    )
    started = time.perf_counter()
    verdicts.recompute_all()
    print(
        f"  verdicts.recompute_all (track records included): {time.perf_counter() - started:.1f} s"
    )
    counted = timed("track_records.recompute_all alone", track_records.recompute_all)
    print(f"  {counted:,} counted facts; {TrackRecord.objects.count():,} record rows")

    fact = Fact.objects.order_by("id").first()
    timed("refresh of one fact's verdict and track records", lambda: verdicts.refresh([fact.id]), 3)
    claim = Claim.objects.filter(fact=fact).first()

    def flip() -> None:
        Claim.objects.filter(pk=claim.pk).update(status="draft")
        verdicts.refresh([fact.id])
        Claim.objects.filter(pk=claim.pk).update(status="verified")
        verdicts.refresh([fact.id])

    timed("two refreshes that move standings (a claim out and back)", flip, 3)
    ids = list(Fact.objects.order_by("id").values_list("id", flat=True)[:1000])
    timed("refresh of 1,000 facts", lambda: verdicts.refresh(ids))

    outlet = Article.objects.values("outlet_id").annotate(n=Count("id")).order_by("-n").first()
    top = TrackRecord.objects.filter(subject_type="actor", year=None).order_by("-facts").first()
    timed(
        "read of the largest outlet's records",
        lambda: track_records.records_of(["outlet", "outlet_voice"], outlet["outlet_id"]),
        5,
    )
    overall, _ = track_records.records_of(["outlet"], outlet["outlet_id"])["outlet"]
    print(f"    {overall.summary}")
    timed(
        "read of the largest actor's record",
        lambda: track_records.records_of(["actor"], top.subject_id),
        5,
    )


if __name__ == "__main__":
    main()
