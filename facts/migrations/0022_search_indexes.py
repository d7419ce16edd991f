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
`facts.services.search_index.sqlite_search_table` again (drop and make) (the search tests fail otherwise: they run on migrated tables).

Migration state has nothing to change: these are raw schema objects, not the models'.
"""

from django.db import migrations

# The SQL lives beside the bulk load that sets these indexes aside and makes them again
# (facts.services.bulk_load): one definition for both.
from facts.services.search_index import (
    ARTICLE_COLUMNS,
    CLAIM_COLUMNS,
    POSTGRESQL_INDEXES,
    drop_sqlite_search_table,
    postgresql_indexes,
    sqlite_search_table,
)

def create_search_indexes(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        statements = postgresql_indexes()
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
