#!/usr/bin/env python3
"""Benchmark `q` on the claims and articles lists, before and after the search indexes, in one
run on one database: the first page (51 rows, ordered by -id, as the API asks) of the public
claims with each search, through the row-by-row regex `q` was until issue 16 ("before") and
through `Claim.objects.matching` ("after"), median of `--rounds`; then the plan of the
"after" query for the term that matches nothing.

    DATABASE_URL=sqlite:////tmp/qsearch-100k.sqlite3 .venv/bin/python manage.py migrate
    DATABASE_URL=sqlite:////tmp/qsearch-100k.sqlite3 .venv/bin/python manage.py \
        generate_corpus --claims 100000
    .venv/bin/python bench/search.py sqlite:////tmp/qsearch-100k.sqlite3
    .venv/bin/python bench/search.py postgres://postgres@127.0.0.1:5432/qsearch_100k

Times are wall-clock medians in ms of the query alone (no HTTP, no serializer): compare them
within one run, as ratios. `bench/api_reads.py` measures the same searches through gunicorn.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The searches: a word no text holds, a frequent word, a word's prefix, a rare phrase (a few
# claims, far apart), words of a headline, and a search of short words only (no index can
# narrow those: the fallback).
SEARCHES = {
    "matching nothing": "zebrafinch",
    "a frequent word": "troops",
    "a word prefix": "troo",
    "a rare phrase": "October 7, 2022",
    "headline words": "harbour OFFENSIVE 10",
    "short words only": "zq",
}
PAGE = 51


def median_ms(function: Callable[[], Any], rounds: int) -> float:
    function()
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before-rounds", type=int, default=3)
    arguments = parser.parse_args()
    os.environ["DATABASE_URL"] = arguments.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Q

    from facts.domain.search import words_pattern
    from facts.models import Article, Claim

    def claims_before(text: str) -> list[int]:
        pattern = words_pattern(text)
        condition = (
            Q(wording__iregex=pattern)
            | Q(article__headline__iregex=pattern)
            | Q(attribution_cue__iregex=pattern)
        )
        rows = Claim.objects.public().filter(condition).order_by("-id")
        return list(rows.values_list("id", flat=True)[:PAGE])

    def claims_after(text: str) -> list[int]:
        rows = Claim.objects.public().matching(text).order_by("-id")
        return list(rows.values_list("id", flat=True)[:PAGE])

    def articles_before(text: str) -> list[int]:
        pattern = words_pattern(text)
        condition = (
            Q(headline__iregex=pattern) | Q(text__iregex=pattern) | Q(byline__iregex=pattern)
        )
        rows = Article.objects.filter(condition).order_by("-id")
        return list(rows.values_list("id", flat=True)[:PAGE])

    def articles_after(text: str) -> list[int]:
        rows = Article.objects.matching(text).order_by("-id")
        return list(rows.values_list("id", flat=True)[:PAGE])

    if connection.vendor == "postgresql":
        # The planner chooses between the trigram indexes and the list's order by its
        # statistics: fresh ones, as autovacuum keeps them (generate_corpus leaves none).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE facts_claim, facts_article")
    print(
        f"{connection.vendor}: {Claim.objects.count():,} claims, "
        f"{Article.objects.count():,} articles"
    )
    print(f"{'list':9} {'search':18} {'rows':>5} {'before ms':>10} {'after ms':>9} {'ratio':>7}")
    for list_name, before, after in (
        ("claims", claims_before, claims_after),
        ("articles", articles_before, articles_after),
    ):
        for name, text in SEARCHES.items():
            found = after(text)
            assert found == before(text), f"{list_name}, {name}: the results differ"
            before_ms = median_ms(partial(before, text), arguments.before_rounds)
            after_ms = median_ms(partial(after, text), arguments.rounds)
            print(
                f"{list_name:9} {name:18} {len(found):>5} {before_ms:>10.1f} "
                f"{after_ms:>9.1f} {before_ms / after_ms:>6.1f}x"
            )
    for name in ("matching nothing", "a frequent word"):
        rows = Claim.objects.public().matching(SEARCHES[name]).order_by("-id")
        query = rows.values_list("id", flat=True)[:PAGE]
        print(f"\nPlan of the claims' first page, {name}:")
        if connection.vendor == "postgresql":
            print(query.explain(analyze=True))
        else:
            print(query.explain())


if __name__ == "__main__":
    main()
