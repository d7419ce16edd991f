#!/usr/bin/env python3
"""Benchmark the story lookup (facts.services.stories): what finding the copies of one saved
article costs with 10,000 and then 100,000 articles stored, in one run, and the ratio.

    .venv/bin/python bench/stories.py                       # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/factsite_bench .venv/bin/python bench/stories.py

The corpus: news bodies of 150 words drawn from 5,000 words, one in twenty a copy of an earlier
one with a word changed (a wire story run twice), indexed in bulk as the migration does. Timed,
best of 9 and median, for a new text that is a copy of a stored one and for a text of its own:
`place` (its signature, the one indexed query for its candidates, their confirmation) and the
whole `save_record` of a new article (validation, insert, history, story, band keys), rolled
back each time so the corpus keeps its size.

Goal: no scan of the record, so the lookup costs the same at 100,000 articles as at 10,000
(a ratio near 1; a scan would make it 10).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from facts.domain import stories  # noqa: E402  (pure: needs no Django set-up)

WORDS = 150
VOCABULARY = 5_000
COPY_EVERY = 20


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
    from django.db import connection

    if connection.vendor == "sqlite":
        # A scratch file: no need to wait for the disk on each commit of the bulk load.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous = OFF")


class Texts:
    """News bodies of random words, every COPY_EVERY-th a copy of an earlier one."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.vocabulary = [f"w{i}x{rng.randrange(10**6)}" for i in range(VOCABULARY)]
        self.made: list[str] = []

    def fresh(self) -> str:
        return " ".join(self.rng.choice(self.vocabulary) for _ in range(WORDS)) + "."

    def copy_of(self, text: str) -> str:
        words = text.split(" ")
        words[self.rng.randrange(10, WORDS - 10)] = "changed"
        return " ".join(words)

    def next(self) -> str:
        if self.made and len(self.made) % COPY_EVERY == COPY_EVERY - 1:
            text = self.copy_of(self.rng.choice(self.made))
        else:
            text = self.fresh()
        self.made.append(text)
        return text


def grow(texts: Texts, target: int) -> float:
    """Store and index articles up to `target`, in bulk, past the services (as the migration
    indexes a record); returns the seconds it took."""
    from django.db import transaction

    from facts.models import Article, ArticleStory, Outlet, StoryBand

    started = time.perf_counter()
    settings = stories.load_settings()
    outlets = list(Outlet.objects.order_by("pk"))
    if not outlets:
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Outlet {i}", slug=f"outlet-{i}") for i in range(200)
        )
    count = Article.objects.count()
    batch = 5_000
    while count < target:
        size = min(batch, target - count)
        with transaction.atomic():
            made = [texts.next() for _ in range(size)]
            rows = Article.objects.bulk_create(
                Article(
                    outlet=outlets[(count + i) % len(outlets)],
                    slug=f"article-{count + i}",
                    text=text,
                    text_hash=Article.hash_text(text),
                )
                for i, text in enumerate(made)
            )
            signatures = {row.pk: stories.signature(row.text, settings) for row in rows}
            # Each copy joins the story of the earliest stored article it shares a band with
            # and is nearly the same as; the bench needs keys, not a perfect grouping.
            keys: dict[int, str] = {row.pk: row.text_hash for row in rows}
            ArticleStory.objects.bulk_create(
                ArticleStory(article_id=pk, key=keys[pk], signature=sig.to_bytes())
                for pk, sig in signatures.items()
            )
            StoryBand.objects.bulk_create(
                (
                    StoryBand(article_id=pk, key=key)
                    for pk, sig in signatures.items()
                    for key in stories.band_keys(sig, settings)
                ),
                batch_size=10_000,
            )
        count += size
    return time.perf_counter() - started


class Rollback(Exception):
    pass


def timed(function, runs: int = 9) -> tuple[float, float]:
    """Best and median of several runs, in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return min(timings), statistics.median(timings)


def measure(texts: Texts) -> dict[str, tuple[float, float]]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from facts.models import Article, Outlet
    from facts.services import records
    from facts.services import stories as story_service
    from facts.services.review import SYSTEM

    outlet = Outlet.objects.order_by("pk").first()
    copy_text = texts.copy_of(texts.made[len(texts.made) // 2])
    own_text = texts.fresh()

    def place(text: str) -> None:
        article = Article(outlet=outlet, slug="measured", text=text)
        article.text_hash = Article.hash_text(text)
        placement = story_service.place(article=article)
        if text is copy_text:
            assert placement.story != article.text_hash, "the copy was not found"

    def save(text: str) -> None:
        try:
            with transaction.atomic():
                article = Article(outlet=outlet, slug="measured", headline="Measured", text=text)
                records.save_record(user=SYSTEM, row=article)
                raise Rollback
        except Rollback:
            pass

    with CaptureQueriesContext(connection) as queries:
        place(copy_text)
    assert len(queries.captured_queries) == 1, queries.captured_queries
    return {
        "place a copy": timed(lambda: place(copy_text)),
        "place a text of its own": timed(lambda: place(own_text)),
        "save_record a copy": timed(lambda: save(copy_text)),
        "save_record a text of its own": timed(lambda: save(own_text)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="a DATABASE_URL; default: a temporary SQLite file")
    parser.add_argument("--small", type=int, default=10_000, help="articles at the first mark")
    parser.add_argument("--large", type=int, default=100_000, help="articles at the second mark")
    args = parser.parse_args()
    set_up_django(args.database or os.environ.get("BENCH_DATABASE_URL"))
    from django.db import connection

    texts = Texts(random.Random(20220210))
    results = {}
    for mark in (args.small, args.large):
        seconds = grow(texts, mark)
        print(
            f"Stored and indexed up to {mark:,} articles in {seconds:.1f} s ({connection.vendor})."
        )
        results[mark] = measure(texts)
    small, large = results[args.small], results[args.large]
    print(
        f"\n{'milliseconds (best / median of 9)':<34}"
        f"{f'{args.small:,} articles':>22}{f'{args.large:,} articles':>22}{'ratio of medians':>18}"
    )
    for name in small:
        (best_s, median_s), (best_l, median_l) = small[name], large[name]
        print(
            f"{name:<34}{f'{best_s:.2f} / {median_s:.2f}':>22}{f'{best_l:.2f} / {median_l:.2f}':>22}"
            f"{median_l / median_s:>18.2f}"
        )


if __name__ == "__main__":
    main()
