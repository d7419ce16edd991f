#!/usr/bin/env python3
"""Benchmark the bulk import: claims a second for 1,000, 10,000 and 100,000 rows.

    .venv/bin/python bench/imports.py                       # temporary SQLite file
    .venv/bin/python bench/imports.py --rows 1000 10000
    .venv/bin/python bench/imports.py --database postgres://postgres@127.0.0.1:5432/bench_imports
    .venv/bin/python bench/imports.py --into-corpus --rows 1000 10000 --database sqlite:////tmp/f-1m.sqlite3

Two shapes of rows, each imported into a fresh record of stored articles and facts:
- "stored": each row names a stored article (whose text holds the wording) and a stored fact,
  as a newsroom's own tooling sends them; the wording is anchored in the text;
- "inline": a client with only facts: each article is given in full by its URL (no text: its
  claims are stored unanchored), its outlet and the actors in full, one article per 10 rows.

With --into-corpus the record is not emptied: each import's articles and facts are added beside
a generated corpus (under slugs of their own), so the figure is an import into a record of that
size (issue 16: imports at 10k, 100k and 1M claims). Use a copy of the corpus.

Imports past settings.IMPORT_SYNC_MAX_ROWS run as the API runs them then: as a background job
(facts.services.jobs), its body run here in this process as a worker runs it, so the figure
includes storing the job's rows and its result.

Goal (issue 11): at least 5,000 claims a second for 10,000 rows on SQLite and PostgreSQL, with
queries per import that do not grow with the rows (tests/test_import_for_clients.py asserts it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from verdicts import set_up_django  # noqa: E402  (bench/verdicts.py)

CLAIMS_PER_ARTICLE = 10


def article_text(article: int) -> str:
    """A news body with ten distinct numbers, one a claim each."""
    return " ".join(
        f"Officials said about {number(article, j):,} troops had reached range {j}."
        for j in range(CLAIMS_PER_ARTICLE)
    )


def number(article: int, j: int) -> int:
    return 1000 + article * CLAIMS_PER_ARTICLE + j


def stored_record(rows: int, tag: str = "") -> None:
    """Outlets, articles with texts, subjects and facts, written in bulk."""
    from django.db import transaction

    from facts.models import Article, Fact, Outlet, Subject

    articles = max(1, rows // CLAIMS_PER_ARTICLE)
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            Outlet(name=f"Outlet {tag}{i}", slug=f"outlet-{tag}{i}") for i in range(20)
        )
        Article.objects.bulk_create(
            Article(
                slug=f"article-{tag}{i}",
                outlet=outlets[i % len(outlets)],
                text=article_text(i),
                text_hash=Article.hash_text(article_text(i)),
                headline=f"Article {tag}{i}",
            )
            for i in range(articles)
        )
        subject = Subject.objects.create(name=f"Drills {tag}", slug=f"drills{tag}", kind="event")
        Fact.objects.bulk_create(
            Fact(subject=subject, slug=f"fact-{j}", property=f"Troops {j}", value_kind="quantity")
            for j in range(max(1, rows // 10))
        )


def stored_rows(rows: int, tag: str = "") -> list[dict]:
    facts = max(1, rows // 10)
    return [
        {
            "article": f"article-{tag}{i // CLAIMS_PER_ARTICLE}",
            "fact": [f"drills{tag}", f"fact-{i % facts}"],
            "wording": f"about {number(i // CLAIMS_PER_ARTICLE, i % CLAIMS_PER_ARTICLE):,}",
            "number": number(i // CLAIMS_PER_ARTICLE, i % CLAIMS_PER_ARTICLE),
            "hedge": "about",
            "bound": "approximate",
        }
        for i in range(rows)
    ]


def inline_rows(rows: int, tag: str = "") -> list[dict]:
    facts = max(1, rows // 10)
    made = []
    for i in range(rows):
        article = i // CLAIMS_PER_ARTICLE
        made.append(
            {
                "article": {
                    "url": f"https://news.example/{tag}{article}",
                    "outlet": {"name": f"Outlet {tag}{article % 20}", "kind": "newspaper"},
                    "headline": f"Article {tag}{article}",
                    "published_earliest": "2022-02-09",
                    "published_latest": "2022-02-09",
                    "published_precision": "day",
                },
                "fact": [f"drills{tag}", f"fact-{i % facts}"],
                "wording": f"about {number(article, i % CLAIMS_PER_ARTICLE):,}",
                "number": number(article, i % CLAIMS_PER_ARTICLE),
                "hedge": "about",
                "bound": "approximate",
                "attribution_mode": "indirect",
                "actor": {"name": f"Ministry {i % 7}", "kind": "government"},
            }
        )
    return made


def empty_record() -> None:
    from django.db import connection

    from facts.models import Actor, Article, ArticleStory, Claim, Fact, Outlet, StoryBand, Subject

    for model in (Claim, StoryBand, ArticleStory, Article, Fact, Subject, Actor, Outlet):
        model.history.model.objects.all().delete() if hasattr(model, "history") else None
        model.objects.all().delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1000, 10_000, 100_000])
    parser.add_argument("--shapes", nargs="+", default=["stored", "inline"])
    parser.add_argument("--database", help="a DATABASE_URL; default: a temporary SQLite file")
    parser.add_argument(
        "--into-corpus",
        action="store_true",
        help="import beside the record already there (a copy of a generated corpus), not into "
        "an emptied one",
    )
    args = parser.parse_args()
    set_up_django(args.database or os.environ.get("BENCH_DATABASE_URL"))
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from facts.api import importing
    from facts.services import jobs

    user = get_user_model().objects.filter(username="bench").first()
    user = user or get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    from facts.models import Claim

    into = f", into a record of {Claim.objects.count():,} claims" if args.into_corpus else ""
    print(
        f"Bulk import on {connection.vendor}{into}, one process (COPY is not counted as a query):"
    )
    for shape in args.shapes:
        for count in args.rows:
            # A tag of its own for each import into a corpus: its slugs and URLs are new there.
            tag = f"bench{time.time_ns()}-" if args.into_corpus else ""
            if not args.into_corpus:
                empty_record()
            stored_record(count, tag)
            rows = (stored_rows if shape == "stored" else inline_rows)(count, tag)
            as_job = count > settings.IMPORT_SYNC_MAX_ROWS
            with CaptureQueriesContext(connection) as queries:
                started, cpu_started = time.perf_counter(), time.process_time()
                if as_job:
                    job = jobs.submit_import(user=user, rows=rows)
                    state = jobs.run_import_job(job_id=job.pk)
                    job.refresh_from_db()
                    assert state == "succeeded", job.errors[:5]
                    created = job.result["created"]
                else:
                    created = importing.import_claims(rows=rows, user=user).created
                seconds = time.perf_counter() - started
                cpu = time.process_time() - cpu_started
            assert created == count, created
            # The CPU time of this process too: on a machine shared with other work the wall
            # time varies by half from run to run, this process's own time much less (on
            # PostgreSQL it leaves out the server's).
            print(
                f"  {shape:>6} {count:>7,} rows{' (job)' if as_job else ''}: {seconds:6.2f} s, "
                f"{count / seconds:8,.0f} claims/s, {len(queries.captured_queries):,} queries, "
                f"{cpu:.2f} s CPU in this process"
            )


if __name__ == "__main__":
    main()
