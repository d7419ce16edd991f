"""The schema of `q`'s search indexes (issue 16), in one place for the migrations that make them
(0022, and 0026 for the headlines alone) and the bulk load that sets them aside and makes them again (facts.services.bulk_load).

- PostgreSQL: pg_trgm GIN indexes on the searched columns. pg_trgm reads the trigrams off the
  very regex `q` has always been (words in order, substrings, case aside), so what a search
  finds is unchanged.
- SQLite: FTS5 tables with the trigram tokenizer (substrings of three characters or more,
  case aside), external content (the index only, read from the tables), kept in step by
  triggers, so rows written by any path (bulk inserts, generate_corpus, raw SQL) are found.

Only SQL text here, nothing from the models: a migration runs it against its historical schema.
"""

from __future__ import annotations

CLAIM_COLUMNS = ("wording", "attribution_cue")
ARTICLE_COLUMNS = ("headline", "byline", "text")
# Each SQLite search table, by its name: the table it indexes and the columns. The headlines
# alone have their own (migration 0026): in the articles' index a headline's trigrams share
# lists with the 6 KB texts (docs/PERFORMANCE.md).
SQLITE_SEARCHES = {
    "facts_claim_search": ("facts_claim", CLAIM_COLUMNS),
    "facts_article_search": ("facts_article", ARTICLE_COLUMNS),
    "facts_article_headline_search": ("facts_article", ("headline",)),
}

POSTGRESQL_INDEXES = {
    "facts_claim_wording_trgm": ("facts_claim", "wording"),
    "facts_claim_cue_trgm": ("facts_claim", "attribution_cue"),
    "facts_article_headline_trgm": ("facts_article", "headline"),
    "facts_article_byline_trgm": ("facts_article", "byline"),
    "facts_article_text_trgm": ("facts_article", "text"),
}


def sqlite_triggers(table: str, columns: tuple[str, ...], *, search: str = "") -> list[str]:
    """The triggers that keep a search table (`table`_search unless named) in step with the
    rows of `table`."""
    search = search or f"{table}_search"
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        f"CREATE TRIGGER {search}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {search}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {search}({search}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        # Only when a searched column changes: a claim's status or an article's capture
        # leaves the index alone.
        f"CREATE TRIGGER {search}_update AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {search}({search}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, {new}); END",
    ]


def drop_sqlite_triggers(table: str, *, search: str = "") -> list[str]:
    search = search or f"{table}_search"
    return [f"DROP TRIGGER IF EXISTS {search}_{event}" for event in ("insert", "delete", "update")]


def rebuild_sqlite_search(table: str, *, search: str = "") -> str:
    """Build the search table's index afresh from every row of `table`, in one pass."""
    search = search or f"{table}_search"
    return f"INSERT INTO {search}({search}) VALUES ('rebuild')"


def sqlite_search_table(table: str, columns: tuple[str, ...], *, search: str = "") -> list[str]:
    """An external-content trigram FTS5 table over `columns` of `table`, its triggers, and
    its index built from the rows already there."""
    search = search or f"{table}_search"
    return [
        f"CREATE VIRTUAL TABLE {search} USING fts5({', '.join(columns)}, content='{table}', "
        "content_rowid='id', tokenize='trigram')",
        *sqlite_triggers(table, columns, search=search),
        rebuild_sqlite_search(table, search=search),
    ]


def drop_sqlite_search_table(table: str, *, search: str = "") -> list[str]:
    search = search or f"{table}_search"
    return [*drop_sqlite_triggers(table, search=search), f"DROP TABLE IF EXISTS {search}"]


def postgresql_indexes() -> list[str]:
    return ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
        f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
        for name, (table, column) in POSTGRESQL_INDEXES.items()
    ]
