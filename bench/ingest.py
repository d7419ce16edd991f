#!/usr/bin/env python3
"""Benchmark the ingest (facts.services.ingest.ingest_article): articles a second, on one core,
candidates included, for the five seed articles and for 1,000 generated ones.

    .venv/bin/python bench/ingest.py                       # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factsite_bench .venv/bin/python bench/ingest.py

The record: the seeds' outlets, actors, subjects and facts (fixtures/, so the extractor has the
known actors and facts to match), no articles. The seeds: each fixture article's body, wrapped
in boilerplate lines of its capture (an appeal, a "Read more") and ingested as plain text with
its publication day, ROUNDS times, each round rolled back so every ingest stores a new article.
The generated: 1,000 articles of eight paragraphs drawn from the seeds' paragraphs with their
numbers changed, ingested one after another and kept (the record grows as a desk's does), half
as plain text and half as HTML pages (trafilatura and htmldate then run).
Each run is one batch, as the command's paths and a background job are: one KnownRecord (the
known actors and facts, the boilerplate rules, read once) is given to all its ingests.

Goal: at least 50 articles a second on one core, candidates included. Beside the rate by the
wall clock, the rate a CPU second of this process: on a machine that other work shares, the
wall clock counts the time the core ran something else, and only the CPU figure compares two
runs (SQLite runs in the process, so its work is counted; a PostgreSQL server's is not).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROUNDS = 20
GENERATED = 1_000
APPEAL = (
    "Enjoying ad-free content?\nSupport us\n"
    "Our journalism is banned in Russia. We need your help to keep providing you with the truth.\n"
)
FOOT = "\nRelated Articles\n\nRead more\n"


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
    fixtures = ROOT / "fixtures"
    names = ("outlets", "actors", "subjects", "facts")
    call_command("loaddata", *(str(fixtures / f"{name}.json") for name in names), verbosity=0)


def seed_articles() -> list[dict]:
    rows = json.loads((ROOT / "fixtures" / "articles.json").read_text(encoding="utf-8"))
    return [row["fields"] for row in rows]


def ingest_one(raw: str, *, outlet, published: date | None, content_type: str = "text", known=None):
    from facts.services import ingest
    from facts.services.review import SYSTEM

    return ingest.ingest_article(
        user=SYSTEM,
        raw=raw,
        content_type=content_type,
        outlet=outlet,
        published=published,
        known=known,
    )


def batch_record():
    """What a batch reads of the record once (known actors and facts, boilerplate rules), as
    the command and the background job do for their captures."""
    from facts.services.ingest import KnownRecord

    return KnownRecord.read()


class Rollback(Exception):
    pass


def bench_seeds(rounds: int) -> tuple[int, float, float, int]:
    """Ingest the seeds `rounds` times, each round rolled back. Returns articles, seconds (wall
    clock and this process's CPU) and candidates proposed."""
    from django.db import transaction

    from facts.models import Outlet

    seeds = seed_articles()
    outlets = {slug: Outlet.objects.get(slug=slug) for slug in {s["outlet"][0] for s in seeds}}
    count = candidates = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    known = batch_record()
    for _ in range(rounds):
        try:
            with transaction.atomic():
                for seed in seeds:
                    capture = f"{APPEAL}\n{seed['headline']}\n\n{seed['text']}\n{FOOT}"
                    result = ingest_one(
                        capture,
                        outlet=outlets[seed["outlet"][0]],
                        published=date.fromisoformat(seed["published_earliest"]),
                        known=known,
                    )
                    assert result.created, "each round stores the seeds anew"
                    count += 1
                    candidates += result.candidates
                raise Rollback
        except Rollback:
            pass
    return count, time.perf_counter() - started, time.process_time() - cpu_started, candidates


def generated(n: int, rng: random.Random) -> list[tuple[str, str]]:
    """n articles of eight seed paragraphs each, numbers changed: (content type, capture)."""
    pool = [p for s in seed_articles() for p in s["text"].split("\n\n") if len(p) > 60]
    made = []
    for i in range(n):
        paragraphs = [
            re.sub(r"\d[\d,]*", lambda _m: f"{rng.randrange(2, 99_999):,}", p)
            for p in rng.sample(pool, 8)
        ]
        headline = f"Generated report number {i} on the drills"
        if i % 2:
            body = "".join(f"<p>{p}</p>" for p in paragraphs)
            page = (
                f"<!DOCTYPE html><html><head><title>{headline}</title>"
                f'<meta property="article:published_time" content="2022-02-{1 + i % 28:02d}">'
                "<script>var ad = 1;</script></head><body><nav><a href='/'>Home</a></nav>"
                f"<article><h1>{headline}</h1>{body}</article><footer>Read more</footer>"
                "</body></html>"
            )
            made.append(("html", page))
        else:
            made.append(("text", f"{APPEAL}\n{headline}\n\n" + "\n\n".join(paragraphs) + FOOT))
    return made


def bench_generated(n: int) -> tuple[int, int, float, float, int]:
    """Ingest n generated articles, kept. Returns stored, found stored already, seconds (wall
    clock and this process's CPU) and candidates."""
    from facts.models import Outlet

    outlets = list(Outlet.objects.order_by("pk"))
    articles = generated(n, random.Random(13))
    stored = duplicates = candidates = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    known = batch_record()
    for i, (kind, capture) in enumerate(articles):
        result = ingest_one(
            capture,
            outlet=outlets[i % len(outlets)],
            published=date(2022, 2, 10) if kind == "text" else None,
            content_type=kind,
            known=known,
        )
        stored += result.created
        duplicates += not result.created
        candidates += result.candidates
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return stored, duplicates, wall, cpu, candidates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--generated", type=int, default=GENERATED)
    arguments = parser.parse_args()
    # One core, as the goal says: the process is pinned to the first CPU it may use.
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    set_up_django(os.environ.get("DATABASE_URL"))
    from django.db import connection

    from facts.domain import candidates

    placeholder = "PLACEHOLDER" in (candidates.__doc__ or "")
    print(f"database: {connection.vendor}; one core; extractor: ", end="")
    print("the placeholder (proposes nothing: the plumbing only)" if placeholder else "real")
    # Warm up: imports of trafilatura and lxml, the first queries.
    bench_generated(2)
    count, seconds, cpu, proposed = bench_seeds(arguments.rounds)
    print(
        f"seeds: {count} ingests ({arguments.rounds} rounds of 5) in {seconds:.2f} s: "
        f"{count / seconds:.1f} articles/s ({count / cpu:.1f} a CPU second), "
        f"{proposed} candidates"
    )
    stored, duplicates, seconds, cpu, proposed = bench_generated(arguments.generated)
    total = stored + duplicates
    print(
        f"generated: {total} articles ({stored} stored, {duplicates} found stored already; "
        f"half HTML) in {seconds:.2f} s: {total / seconds:.1f} articles/s "
        f"({total / cpu:.1f} a CPU second), {proposed} candidates"
    )


if __name__ == "__main__":
    main()
