"""Indexes for `q` on the claims and articles (issue 16): without them a search reads every
claim and its article's headline through a regex (5.85 s at 1M claims on SQLite when nothing
matches).

- PostgreSQL: pg_trgm GIN indexes on the searched columns. pg_trgm reads the trigrams off the
  very regex `q` has always been (words in order, substrings, case aside), so what a search
  finds is unchanged. CREATE EXTENSION needs a superuser, or the extension made beforehand.
- SQLite: FTS5 tables with the trigram tokenizer (substrings of three characters or more,
  case aside), external content (the index only, read from the tables), kept in step by
  triggers, so rows written by any path (bulk inserts, generate_corpus, raw SQL) are found.

Mind on SQLite: a later migration that remakes facts_claim or facts_article (Django copies the
table to alter a column) drops their triggers; such a migration must run
`sqlite_search_table` again (drop and make) (the search tests fail otherwise: they run on migrated tables).

Migration state has nothing to change: these are raw schema objects, not the models'.
"""

from django.db import migrations

CLAIM_COLUMNS = ("wording", "attribution_cue")
ARTICLE_COLUMNS = ("headline", "byline", "text")


def sqlite_search_table(table: str, columns: tuple[str, ...]) -> list[str]:
    """An external-content trigram FTS5 table over `columns` of `table`, its triggers, and
    its index built from the rows already there."""
    search = f"{table}_search"
    names = ", ".join(columns)
    new = ", ".join(f"new.{column}" for column in columns)
    old = ", ".join(f"old.{column}" for column in columns)
    return [
        f"CREATE VIRTUAL TABLE {search} USING fts5({names}, content='{table}', "
        "content_rowid='id', tokenize='trigram')",
        f"CREATE TRIGGER {search}_insert AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {search}_delete AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {search}({search}, rowid, {names}) VALUES ('delete', old.id, {old}); END",
        # Only when a searched column changes: a claim's status or an article's capture
        # leaves the index alone.
        f"CREATE TRIGGER {search}_update AFTER UPDATE OF {names} ON {table} BEGIN "
        f"INSERT INTO {search}({search}, rowid, {names}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {search}(rowid, {names}) VALUES (new.id, {new}); END",
        f"INSERT INTO {search}({search}) VALUES ('rebuild')",
    ]


def drop_sqlite_search_table(table: str) -> list[str]:
    search = f"{table}_search"
    return [
        f"DROP TRIGGER IF EXISTS {search}_insert",
        f"DROP TRIGGER IF EXISTS {search}_delete",
        f"DROP TRIGGER IF EXISTS {search}_update",
        f"DROP TABLE IF EXISTS {search}",
    ]


POSTGRESQL_INDEXES = {
    "facts_claim_wording_trgm": ("facts_claim", "wording"),
    "facts_claim_cue_trgm": ("facts_claim", "attribution_cue"),
    "facts_article_headline_trgm": ("facts_article", "headline"),
    "facts_article_byline_trgm": ("facts_article", "byline"),
    "facts_article_text_trgm": ("facts_article", "text"),
}


def create_search_indexes(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = ["CREATE EXTENSION IF NOT EXISTS pg_trgm"] + [
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            for name, (table, column) in POSTGRESQL_INDEXES.items()
        ]
    elif vendor == "sqlite":
        statements = sqlite_search_table("facts_claim", CLAIM_COLUMNS) + sqlite_search_table(
            "facts_article", ARTICLE_COLUMNS
        )
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


def drop_search_indexes(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # The extension stays: other schemas may use it.
        statements = [f"DROP INDEX IF EXISTS {name}" for name in POSTGRESQL_INDEXES]
    elif vendor == "sqlite":
        statements = drop_sqlite_search_table("facts_claim") + drop_sqlite_search_table(
            "facts_article"
        )
    else:
        return
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("facts", "0021_api_token"),
    ]

    operations = [
        migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False),
    ]
