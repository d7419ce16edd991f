#!/usr/bin/env python3
"""Benchmark the verdicts: one fact with 10, 1,000 and 100,000 claims (pure agreement), and a
full recompute of a generated corpus of claims stored in a database.

    .venv/bin/python bench/verdicts.py                      # 1,000,000 claims in a temporary SQLite
    .venv/bin/python bench/verdicts.py --claims 100000      # a smaller corpus
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factsite_bench .venv/bin/python bench/verdicts.py

Goal: a fact's verdict costs O(n log n) in its claims; the full recompute of 1,000,000 claims
takes under a minute on one core.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facts.domain import agreement  # noqa: E402  (pure: needs no Django set-up)

ORIGINATORS = [f"actor:{i}" for i in range(40)]


def generated_evidence(count: int, rng: random.Random) -> list[agreement.Evidence]:
    """Claims on one fact: most near 30,000, some rivals, some vague, spread over 60 days."""
    evidence = []
    for i in range(count):
        roll = rng.random()
        if roll < 0.7:
            number = rng.choice([30_000, 29_500, 31_000])
            low, high, point = number * 0.9, number * 1.1, float(number)
        elif roll < 0.85:
            number = rng.choice([10_000, 60_000, 100_000])
            low, high, point = float(number), float(number), float(number)
        else:
            low, high, point = 2_000.0, 99_999.0, None
        evidence.append(
            agreement.Evidence(
                claim_id=i,
                article_id=i // 3,
                outlet_id=rng.randrange(200),
                originator=rng.choice(ORIGINATORS),
                as_of=738_000 + rng.randrange(60),
                low=low,
                high=high,
                point=point,
                precision=agreement.quantity_precision(low, high, point),
                label=f"claim {i}",
            )
        )
    return evidence


def best_of(runs: int, function) -> float:
    """The fastest of several runs, in seconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return min(timings)


def bench_one_fact(rng: random.Random) -> None:
    print("One fact's verdict (pure agreement, best of 3):")
    print(f"  {'claims':>9}  {'seconds':>9}  {'µs/claim':>9}  {'/ (n log2 n), ns':>17}")
    for count in (10, 1_000, 100_000):
        evidence = generated_evidence(count, rng)
        seconds = best_of(3, lambda e=evidence: agreement.verdict(e))
        per_nlogn = seconds / (count * math.log2(count)) * 1e9
        print(f"  {count:>9,}  {seconds:>9.4f}  {seconds / count * 1e6:>9.2f}  {per_nlogn:>17.1f}")


def set_up_django(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        folder = tempfile.mkdtemp(prefix="factsite-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
        os.environ.setdefault("FACTSITE_VAR_DIR", folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate_corpus(claims: int, rng: random.Random) -> None:
    """Outlets, articles, actors, facts and verified claims, written in bulk (past the hooks)."""
    from django.db import transaction

    from facts.models import Actor, Article, Claim, Fact, Outlet, Subject

    facts_count = max(1, claims // 100)
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Outlet {i}", slug=f"outlet-{i}") for i in range(200)
        )
        tops = Actor.objects.bulk_create(
            Actor(name=f"Body {i}", slug=f"body-{i}", kind="government") for i in range(100)
        )
        actors = tops + Actor.objects.bulk_create(
            Actor(
                name=f"Spokesman {i}", slug=f"spokesman-{i}", kind="official", parent=tops[i % 100]
            )
            for i in range(900)
        )
        subject = Subject.objects.create(name="Benchmark exercise", slug="benchmark")
        facts = Fact.objects.bulk_create(
            Fact(subject=subject, property=f"troops {i}", slug=f"troops-{i}", value_kind="quantity")
            for i in range(facts_count)
        )
        text = "Officials said some 30,000 troops took part."
        start = text.index("some 30,000 troops")
        articles = Article.objects.bulk_create(
            (
                Article(
                    outlet=outlets[i % 200],
                    slug=f"article-{i}",
                    text=f"{text} ({i})",
                    text_hash=f"{i:064x}",
                    published_earliest=date(2022, 2, 1) + timedelta(days=i % 60),
                    published_latest=date(2022, 2, 1) + timedelta(days=i % 60),
                    published_precision="day",
                )
                for i in range(max(1, claims // 3))
            ),
            batch_size=5000,
        )

    def claim(i: int) -> Claim:
        # Each fact has its own true value; most claims hedge it, a few state it exactly, and
        # one in thirty-three gives a rival value, so the corpus holds agreements and disputes.
        base = Decimal(1000 * (1 + (i % facts_count) % 97))
        roll = rng.random()
        if roll < 0.85:
            number, bound, hedge = base, "approximate", "some"
            low, high = number * Decimal("0.9"), number * Decimal("1.1")
        else:
            number, bound, hedge = (base if roll < 0.97 else base * 3), "exact", ""
            low = high = number
        own_voice = roll > 0.9
        article = articles[i % len(articles)]
        return Claim(
            fact=facts[i % facts_count],
            article=article,
            status="verified",
            value_kind="quantity",
            number=number,
            bound=bound,
            hedge=hedge,
            lower=low,
            upper=high,
            as_of=article.published_earliest,
            wording="some 30,000 troops",
            start=start,
            end=start + len("some 30,000 troops"),
            actor=None if own_voice else actors[rng.randrange(len(actors))],
            attribution_mode="own_voice" if own_voice else "indirect",
        )

    batch = 20_000
    for offset in range(0, claims, batch):
        with transaction.atomic():
            Claim.objects.bulk_create(
                (claim(i) for i in range(offset, min(claims, offset + batch))), batch_size=batch
            )


def bench_recompute(claims: int, database_url: str | None, rng: random.Random) -> None:
    set_up_django(database_url)
    from django.db import connection

    from facts.models import Fact
    from facts.services import verdicts

    started = time.perf_counter()
    generate_corpus(claims, rng)
    print(
        f"\nGenerated {claims:,} claims on {Fact.objects.count():,} facts in "
        f"{time.perf_counter() - started:.1f} s ({connection.vendor})."
    )
    started = time.perf_counter()
    cpu_started = time.process_time()
    computed = verdicts.recompute_all()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    print(
        f"Full recompute: {computed:,} facts, {claims:,} claims in {seconds:.1f} s "
        f"(this process's CPU: {cpu:.1f} s; {seconds / claims * 1e6:.1f} µs/claim)."
    )
    kinds = Fact.objects.values_list("verdict", flat=True)
    print(f"Verdicts: {dict(sorted(_count(kinds).items()))}")


def _count(values) -> dict:
    counts: dict = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="claims in the corpus")
    parser.add_argument("--database", help="a DATABASE_URL; default: a temporary SQLite file")
    parser.add_argument("--skip-corpus", action="store_true", help="only the one-fact figures")
    args = parser.parse_args()
    rng = random.Random(20220210)
    bench_one_fact(rng)
    if not args.skip_corpus:
        bench_recompute(args.claims, args.database or os.environ.get("BENCH_DATABASE_URL"), rng)


if __name__ == "__main__":
    main()
