#!/usr/bin/env python3
"""Benchmark `q` on the claims and articles lists, in one run on one database: the first page
(51 rows, ordered by -id, as the API asks) of the public claims and of the articles with each
search, through the row-by-row regex `q` was until issue 16 ("regex"), through this tree's
`Claim.objects.matching` / `Article.objects.matching` ("after") and, with `--base PATH`,
through another tree's (a git worktree of an earlier commit, "base"), its queries run in a
process of its own, the two alternated round by round. Every way must give the same rows (the
script stops otherwise); then the plans of this tree's queries.

    .venv/bin/python bench/search.py sqlite:////tmp/qsearch-100k.sqlite3
    .venv/bin/python bench/search.py postgres://postgres@127.0.0.1:5432/qsearch_100k \
        --base /work/wt-base --regex-rounds 1 --rounds 5
    # a migration of this tree changed the indexes: the base on a copy left at its migration
    .venv/bin/python bench/search.py postgres://postgres@127.0.0.1:5432/qsearch_100k \
        --base /work/wt-base --base-database postgres://postgres@127.0.0.1:5432/qsearch_100k_base

Times are wall-clock medians in ms of the query alone (no HTTP, no serializer), each after one
unmeasured run: compare them within one run, as ratios. `bench/api_reads.py` measures the
same searches through gunicorn.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# The searches: a word no text holds, a frequent word, a word's prefix, a rare phrase (a few
# claims, far apart), words of a headline, words each frequent but rare together in that
# order (in the claims, "said" is in the cues and "troops" in the wordings; "Costa said" is
# in the cues as "Costa 1 said"), and searches of short words only (no trigram: the fallback).
SEARCHES = {
    "matching nothing": "zebrafinch",
    "a frequent word": "troops",
    "a word prefix": "troo",
    "a rare phrase": "October 7, 2022",
    "headline words": "harbour OFFENSIVE 10",
    "rare together": "said troops",
    "rare together 2": "Costa said",
    "short words": "EU 9",
    "a short word": "zq",
}
PAGE = 51


def setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factsite.settings")
    import django

    django.setup()


def page(list_name: str, text: str) -> list[int]:
    """The first page's ids through the tree's own `matching` (imported from sys.path[0])."""
    from facts.models import Article, Claim

    if list_name == "claims":
        rows = Claim.objects.public().matching(text).order_by("-id")
    else:
        rows = Article.objects.matching(text).order_by("-id")
    return list(rows.values_list("id", flat=True)[:PAGE])


def regex_page(list_name: str, text: str) -> list[int]:
    """The first page through the regex alone, row by row, as `q` was until issue 16."""
    from django.db.models import Q

    from facts.domain.search import words_pattern
    from facts.models import Article, Claim

    pattern = words_pattern(text)
    if list_name == "claims":
        condition = (
            Q(wording__iregex=pattern)
            | Q(article__headline__iregex=pattern)
            | Q(attribution_cue__iregex=pattern)
        )
        rows = Claim.objects.public().filter(condition).order_by("-id")
    else:
        condition = (
            Q(headline__iregex=pattern) | Q(text__iregex=pattern) | Q(byline__iregex=pattern)
        )
        rows = Article.objects.filter(condition).order_by("-id")
    return list(rows.values_list("id", flat=True)[:PAGE])


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return (time.perf_counter() - started) * 1000, result


def worker(database_url: str) -> None:
    """Run pages asked on stdin (one JSON line each: list, text), answer ms and ids."""
    setup(database_url)
    for line in sys.stdin:
        list_name, text = json.loads(line)
        ms, ids = timed(lambda: page(list_name, text))  # noqa: B023 (called at once)
        print(json.dumps([ms, ids]), flush=True)


class Base:
    """Another tree's `matching`, in a process of its own: this file run as a worker with the
    other tree first on sys.path and its interpreter."""

    def __init__(self, tree: Path, database_url: str) -> None:
        code = (
            f"import runpy, sys; sys.path.insert(0, {str(tree)!r}); sys.argv = ['search', "
            f"'--worker', {database_url!r}]; runpy.run_path({__file__!r}, run_name='__main__')"
        )
        self.process = subprocess.Popen(
            [str(tree / ".venv" / "bin" / "python"), "-c", code],
            cwd=tree,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def page(self, list_name: str, text: str) -> tuple[float, list[int]]:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps([list_name, text]) + "\n")
        self.process.stdin.flush()
        ms, ids = json.loads(self.process.stdout.readline())
        return ms, ids


def main() -> None:
    if sys.argv[1:2] == ["--worker"]:
        worker(sys.argv[2])
        return
    sys.path.insert(0, str(ROOT))
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--regex-rounds", type=int, default=1, help="0 to leave it out")
    parser.add_argument("--base", type=Path, help="a tree to compare with (its .venv)")
    parser.add_argument(
        "--base-database",
        help="the base's database (the same rows, at the base's migration) if not the same",
    )
    parser.add_argument("--only", nargs="*", help="the names of SEARCHES to run")
    arguments = parser.parse_args()
    setup(arguments.database_url)
    from django.db import connection

    from facts.models import Article, Claim

    if connection.vendor == "postgresql":
        # The planner chooses between the trigram indexes and the list's order by its
        # statistics: fresh ones, as autovacuum keeps them (generate_corpus leaves none).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE facts_claim, facts_article")
        if arguments.base_database:
            import psycopg

            with psycopg.connect(arguments.base_database) as other:
                other.execute("ANALYZE facts_claim, facts_article")
    base_database = arguments.base_database or arguments.database_url
    base = Base(arguments.base, base_database) if arguments.base else None
    searches = {name: SEARCHES[name] for name in arguments.only or SEARCHES}
    print(
        f"{connection.vendor}: {Claim.objects.count():,} claims, "
        f"{Article.objects.count():,} articles; medians in ms"
    )
    print(f"{'list':9} {'search':18} {'rows':>5} {'regex':>9} {'base':>9} {'after':>9}")
    for list_name in ("claims", "articles"):
        for name, text in searches.items():
            found = page(list_name, text)
            after_ms: list[float] = []
            base_ms: list[float] = []
            for _ in range(arguments.rounds + 1):  # the first of each unmeasured
                if base:
                    ms, ids = base.page(list_name, text)
                    assert ids == found, f"{list_name}, {name}: the base's rows differ"
                    base_ms.append(ms)
                ms, ids = timed(lambda: page(list_name, text))  # noqa: B023
                assert ids == found
                after_ms.append(ms)
            regex_ms: list[float] = []
            for _ in range(arguments.regex_rounds):
                ms, ids = timed(lambda: regex_page(list_name, text))  # noqa: B023
                assert ids == found, f"{list_name}, {name}: the regex's rows differ"
                regex_ms.append(ms)

            def median(timings: list[float]) -> str:
                return f"{statistics.median(timings):9.1f}" if timings else f"{'-':>9}"

            print(
                f"{list_name:9} {name:18} {len(found):>5} {median(regex_ms)} "
                f"{median(base_ms[1:])} {median(after_ms[1:])}",
                flush=True,
            )
    for name in ("matching nothing", "rare together"):
        rows = Claim.objects.public().matching(SEARCHES[name]).order_by("-id")
        query = rows.values_list("id", flat=True)[:PAGE]
        print(f"\nPlan of the claims' first page, {name}:")
        print(query.explain(analyze=True) if connection.vendor == "postgresql" else query.explain())
    rows = Article.objects.matching(SEARCHES["matching nothing"]).order_by("-id")
    print("\nPlan of the articles' first page, matching nothing:")
    query = rows.values_list("id", flat=True)[:PAGE]
    print(query.explain(analyze=True) if connection.vendor == "postgresql" else query.explain())


if __name__ == "__main__":
    main()
