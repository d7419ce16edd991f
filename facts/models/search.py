"""The search indexes behind `q` (migration 0022_search_indexes), read by the querysets.

- SQLite: FTS5 tables with the trigram tokenizer, external content (they hold the index only)
  over the claims' wording and attribution cue and the articles' headline, byline and text,
  kept in step by triggers; `candidate_*` give the ids they find.
- PostgreSQL: pg_trgm GIN indexes on the same columns, read by the planner off the regex.

The regex of `facts.domain.search.words_pattern` decides what matches on both: an index only
narrows the rows it is tried on.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, F, Func, Value
from django.db.models.expressions import RawSQL

from facts.domain.search import trigram_match_query

CLAIM_SEARCH_TABLE = "facts_claim_search"
ARTICLE_SEARCH_TABLE = "facts_article_search"


class EqualsAny(Func):
    """PostgreSQL: `column = ANY(%s)` with the ids as one array parameter, however many: the
    planner sees how many, and an index scan can take it (unlike IN (subquery))."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()

    def __init__(self, column: str, ids: list[int], **extra: Any) -> None:
        array = Value(ids, output_field=ArrayField(BigIntegerField()))
        super().__init__(F(column), array, **extra)


# Past this many candidates a search's words are frequent: the rows are read in the list's
# order, and a page is found soon (5,000 in 1M claims is 1 row in 200: 51 rows within about
# 10,000), sooner than every candidate is read from the index, tried by the regex and sorted
# (docs/PERFORMANCE.md, "Search"). The count is of candidates, not matches: words frequent
# each but rare together ("troops the") are read in order too, as slowly as before.
FREQUENT = 5000
# Articles: each candidate's text (6 KB on average) is a longer regex to try than a claim's
# wording, so the rows are read in order sooner.
FREQUENT_ARTICLES = 500


class Candidates:
    """The ids SQLite's trigram index finds for a search, as a subquery (RawSQL)."""

    def __init__(self, sql: str, params: list[str]) -> None:
        self.sql = sql
        self.params = params

    def subquery(self) -> RawSQL:
        return RawSQL(self.sql, self.params)

    def are_few(self, *, using: str, frequent: int | None = None) -> bool:
        """Whether the index finds fewer than `frequent` rows (FREQUENT unless given), counted
        up to there only: the index gives its rows lazily."""
        limit = FREQUENT if frequent is None else frequent
        with connections[using].cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM ({self.sql} LIMIT {int(limit)})", self.params)
            (count,) = cursor.fetchone()
        return bool(count < limit)


def _match(table: str) -> str:
    return f"SELECT rowid FROM {table} WHERE {table} MATCH %s"


def candidate_articles(text: str, *, columns: tuple[str, ...]) -> Candidates | None:
    """The articles whose `columns` may hold the search, or None when no word is long enough
    for the index (then every article is a candidate)."""
    column = "{" + " ".join(columns) + "}"
    query = trigram_match_query(text, column=column)
    if query is None:
        return None
    return Candidates(_match(ARTICLE_SEARCH_TABLE), [query])


def candidate_claims(text: str, *, claim_table: str) -> Candidates | None:
    """The claims whose wording, attribution cue or article's headline may hold the search,
    or None when no word is long enough for the index. UNION ALL: a claim found twice is
    one row of the `id IN` all the same, and the count of `are_few` an upper bound."""
    query = trigram_match_query(text)
    headline_query = trigram_match_query(text, column="headline")
    if query is None or headline_query is None:
        return None
    return Candidates(
        f"{_match(CLAIM_SEARCH_TABLE)} UNION ALL SELECT id FROM {claim_table}"
        f" WHERE article_id IN ({_match(ARTICLE_SEARCH_TABLE)})",
        [query, headline_query],
    )
