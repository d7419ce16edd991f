"""The search indexes behind `q` (migrations 0022_search_indexes, 0026), read by the querysets.

- SQLite: FTS5 tables with the trigram tokenizer, external content (they hold the index only)
  over the claims' wording and attribution cue, the articles' headline, byline and text, and
  the articles' headline alone,
  kept in step by triggers; `candidate_*` give the ids they find.
- PostgreSQL: pg_trgm GIN indexes on the same columns, read by the planner off the regex.

The regex of `facts.domain.search.words_pattern` decides what matches on both: an index only
narrows the rows it is tried on.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import connections
from django.db.models import BigIntegerField, BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL

from facts.domain.search import short_word, trigram_match_queries

CLAIM_SEARCH_TABLE = "facts_claim_search"
ARTICLE_SEARCH_TABLE = "facts_article_search"
# The headlines alone (migration 0026), for the claims' search: in the articles' index their
# trigrams share lists with the texts', megabytes to read for a common word.
HEADLINE_SEARCH_TABLE = "facts_article_headline_search"
# The columns of each (migration 0022_search_indexes).
CLAIM_SEARCH_COLUMNS = ("wording", "attribution_cue")
ARTICLE_SEARCH_COLUMNS = ("headline", "byline", "text")


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
# (docs/PERFORMANCE.md, "Search"). The count is of candidates, nearly the matches: words
# frequent each but rare together ("said troops") find few, since the index is asked for the
# words in order, one space between, in one field (facts.domain.search.trigram_match_query).
FREQUENT = 5000
# Articles: each candidate's text (6 KB on average) is a longer regex to try than a claim's
# wording, so the rows are read in order sooner.
FREQUENT_ARTICLES = 500


class Candidates:
    """The ids SQLite's trigram index finds for a search (a query of UNION ALLs)."""

    def __init__(self, sql: str, params: list[str]) -> None:
        self.sql = sql
        self.params = params

    def few(self, *, using: str, frequent: int | None = None) -> RawSQL | None:
        """The ids the index finds, as a subquery of one JSON parameter, if fewer than
        `frequent` (FREQUENT unless given); None if more. Read up to there only: the index
        gives its rows lazily. Read once, here: the list's query takes them as they are,
        rather than asking the index again."""
        limit = FREQUENT if frequent is None else frequent
        with connections[using].cursor() as cursor:
            # One row: the count, and the ids as a JSON array (built by SQLite, not Python).
            cursor.execute(
                f"SELECT count(*), json_group_array(rowid) FROM ({self.sql} LIMIT {int(limit)})",
                self.params,
            )
            (count, ids) = cursor.fetchone()
        if count >= limit:
            return None
        return RawSQL("SELECT value FROM json_each(%s)", [ids])


def _match(table: str, queries: list[str]) -> str:
    """The rowids of `table` that match any of the queries, one FTS5 scan each."""
    return " UNION ALL ".join(f"SELECT rowid FROM {table} WHERE {table} MATCH %s" for _ in queries)


def candidate_articles(text: str, *, columns: tuple[str, ...]) -> Candidates | None:
    """The articles whose `columns` may hold the search, or None when it is too short for the
    index (then every article is a candidate)."""
    queries = trigram_match_queries(text, columns=columns)
    if not queries:
        return None
    return Candidates(_match(ARTICLE_SEARCH_TABLE, queries), queries)


def candidate_claims(text: str, *, claim_table: str) -> Candidates | None:
    """The claims whose wording, attribution cue or article's headline may hold the search,
    or None when it is too short for the index. UNION ALL: a claim found twice is one row of
    the `id IN` all the same, and the count of `are_few` an upper bound."""
    queries = trigram_match_queries(text, columns=CLAIM_SEARCH_COLUMNS)
    headline_queries = trigram_match_queries(text, columns=("headline",))
    if not queries:
        return None
    return Candidates(
        f"{_match(CLAIM_SEARCH_TABLE, queries)} UNION ALL SELECT id FROM {claim_table}"
        f" WHERE article_id IN ({_match(HEADLINE_SEARCH_TABLE, headline_queries)})",
        queries + headline_queries,
    )


class HoldsAnyOf(Func):
    """SQLite: whether a text holds any of some characters (GLOB '*[...]*', in C)."""

    arg_joiner = " GLOB "
    template = "%(expressions)s"
    output_field = BooleanField()

    def __init__(self, field: str, characters: str, **extra: Any) -> None:
        super().__init__(F(field), Value(f"*[{characters}]*"), **extra)


def short_word_condition(text: str, *, fields: tuple[str, ...]) -> Q | None:
    """SQLite, a search of one word of one or two characters (no trigram): a condition every
    row the regex finds meets, tested in C (LIKE, GLOB) so that the regex, a call into Python,
    is tried on the few rows that meet it rather than on every row. None for another search
    (or a word outside ASCII: LIKE folds the case of ASCII only)."""
    found = short_word(text)
    if found is None:
        return None
    word, partners = found
    condition = Q()
    for field in fields:
        condition |= Q(**{f"{field}__icontains": word})
        if partners:
            condition |= Q(HoldsAnyOf(field, partners))
    return condition
