"""The search indexes of 0022 tuned for `q` at a million claims (issue 16; docs/PERFORMANCE.md,
"Search").

PostgreSQL: the pg_trgm GIN indexes keep a pending list of 512 kB at most, not 4 MB
(`gin_pending_list_limit`). Rows inserted since the last VACUUM wait in that unsorted list,
which every search reads through and which the planner prices: at a million claims, with
autovacuum yet to merge them, it read the 20,000 articles whole (1.1 s) rather than their
indexes (0.2 ms once merged). 512 kB is read in about a millisecond, and inserts still go in by
batches (no pending list at all, `fastupdate = off`, made inserts 4 to 6 times slower: 1,000
articles in 16-22 s against 3-4 s). The lists waiting now are merged here.

SQLite: a trigram index of the articles' headlines alone. A claim's search looks for its words
in its article's headline too. In the articles' index (`facts_article_search`, 0022) a
headline's trigrams share their lists with the texts' (6 KB each): a search of common words
read megabytes of them to find a few headlines, and pushed the claims' index out of SQLite's
page cache. This index holds the headlines only, kept in step by triggers as 0022's are.

Mind on SQLite, as for 0022: a later migration that remakes facts_article drops these triggers
and must make them again (`sqlite_headline_table`, and 0022's `sqlite_search_table`).
"""

from django.db import migrations

# The SQL beside the other search tables' (facts.services.search_index), where the bulk load
# that sets them aside and makes them again finds it too.
from facts.services.search_index import drop_sqlite_search_table, sqlite_search_table

TABLE = "facts_article"
SEARCH = "facts_article_headline_search"


def sqlite_headline_table() -> list[str]:
    return sqlite_search_table(TABLE, ("headline",), search=SEARCH)


# migration 0022's POSTGRESQL_INDEXES
GIN_INDEXES = (
    "facts_claim_wording_trgm",
    "facts_claim_cue_trgm",
    "facts_article_headline_trgm",
    "facts_article_byline_trgm",
    "facts_article_text_trgm",
)


def create(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for name in GIN_INDEXES:
            schema_editor.execute(f"ALTER INDEX {name} SET (gin_pending_list_limit = 512)")
            # The rows already waiting, merged into the index (what VACUUM would do).
            schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")
    elif vendor == "sqlite":
        for statement in sqlite_headline_table():
            schema_editor.execute(statement)


def drop(apps, schema_editor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for name in GIN_INDEXES:
            schema_editor.execute(f"ALTER INDEX {name} RESET (gin_pending_list_limit)")
        return
    if vendor != "sqlite":
        return
    for statement in drop_sqlite_search_table(TABLE, search=SEARCH):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("facts", "0025_claim_list_order_indexes"),
    ]

    operations = [
        migrations.RunPython(create, drop, elidable=False),
    ]
