"""Each claim carries its fact's subject and its article's outlet (facts.services.claim_placement),
with an index of each in the claims list's order (issue 16: the claims of a subject or an outlet
grew with the record).

The columns are added nullable and with no foreign key, filled by one set-based UPDATE (the
rule of facts.services.claim_placement, in SQL), then made NOT NULL with their foreign keys
(PostgreSQL checks a key added to a filled column in one pass, where a key present during the
UPDATE queues a trigger per row); the indexes come last, built once over the filled columns.

SQLite cannot alter a column: Django copies the table for each AlterField, rebuilding its
fifteen indexes each time. Here the table is copied once for both columns (the AlterFields
change the state only there), and the search index's triggers, which a copy drops (migration
0022), are made again; the search table itself still holds the same rows by the same ids.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

# The bulk load's indexes set aside, and the search index's SQL, as generate_corpus and
# migrations 0022 and 0026 take them.
from facts.services import bulk_load
from facts.services.search_index import SQLITE_SEARCHES, drop_sqlite_triggers, sqlite_triggers


def fill_placement(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """One UPDATE ... FROM for every claim (SQLite has it since 3.33, PostgreSQL always): a
    claim's subject is its fact's, its outlet its article's.

    PostgreSQL writes a new version of every row, and each goes into every index of the table
    (17 of them), in random order: the claims' secondary indexes are set aside for the UPDATE
    and built again after it, each in one sort, as generate_corpus does (facts.services.
    bulk_load): the whole migration took 54.9 s at 1M claims where the UPDATE alone, every
    index kept, took 159.5 s (docs/PERFORMANCE.md). SQLite updates only the indexes that hold
    a column changed (none)."""
    Claim = apps.get_model("facts", "Claim")
    quote = schema_editor.connection.ops.quote_name
    claim = quote(Claim._meta.db_table)
    fact = quote(apps.get_model("facts", "Fact")._meta.db_table)
    article = quote(apps.get_model("facts", "Article")._meta.db_table)
    update = (
        f"UPDATE {claim} SET {quote('subject_id')} = f.{quote('subject_id')}, "
        f"{quote('outlet_id')} = a.{quote('outlet_id')} "
        f"FROM {fact} AS f, {article} AS a "
        f"WHERE f.{quote('id')} = {claim}.{quote('fact_id')} "
        f"AND a.{quote('id')} = {claim}.{quote('article_id')}"
    )
    if schema_editor.connection.vendor == "postgresql":
        with bulk_load.bulk_load(tables=[Claim._meta.db_table]):
            schema_editor.execute(update)
        # The new columns have no statistics until autovacuum comes: without them the planner
        # guesses how many claims a subject holds, and walked the list rather than the index.
        schema_editor.execute(f"ANALYZE {claim}")
    else:
        schema_editor.execute(update)


class AlterFieldNotOnSQLite(migrations.AlterField):
    """An AlterField whose table copy SQLite leaves to remake_on_sqlite (one copy for both).
    Backwards, the one marked `copies_back` (the first, so the last undone) copies the table
    back as it was before both, nullable with no foreign key, for RemoveField to drop."""

    def __init__(self, *args, copies_back: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.copies_back = copies_back

    def deconstruct(self):
        name, args, kwargs = super().deconstruct()
        if self.copies_back:
            kwargs["copies_back"] = True
        return name, args, kwargs

    def database_forwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state) -> None:
        if schema_editor.connection.vendor != "sqlite":
            super().database_backwards(app_label, schema_editor, from_state, to_state)
        elif self.copies_back:
            schema_editor._remake_table(to_state.apps.get_model(app_label, self.model_name))
            search_triggers_on_sqlite(to_state.apps, schema_editor)


def remake_on_sqlite(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """SQLite: the claims' table copied once as the state now has it (both columns NOT NULL,
    with their foreign keys), then the search triggers the copy dropped made again."""
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor._remake_table(apps.get_model("facts", "Claim"))  # type: ignore[attr-defined]
    search_triggers_on_sqlite(apps, schema_editor)


def search_triggers_on_sqlite(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The claims' search triggers, made again after a copy of the table (both ways)."""
    if schema_editor.connection.vendor != "sqlite":
        return
    claim_table = apps.get_model("facts", "Claim")._meta.db_table
    for search, (table, columns) in SQLITE_SEARCHES.items():
        if table == claim_table:
            for statement in drop_sqlite_triggers(table, search=search) + sqlite_triggers(
                table, columns, search=search
            ):
                schema_editor.execute(statement)


def placed_field(model: str, copied_from: str, *, filled: bool) -> models.ForeignKey:
    return models.ForeignKey(
        db_constraint=filled,
        db_index=False,
        editable=False,
        help_text=f"Copied from the {copied_from}.",
        null=not filled,
        on_delete=django.db.models.deletion.PROTECT,
        related_name="+",
        to=model,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("facts", "0029_claim_list_by_category"),
    ]

    operations = [
        # Backwards, last: removing the columns copies the table on SQLite too.
        migrations.RunPython(migrations.RunPython.noop, search_triggers_on_sqlite),
        migrations.AddField(
            model_name="claim",
            name="subject",
            field=placed_field("facts.subject", "fact", filled=False),
        ),
        migrations.AddField(
            model_name="claim",
            name="outlet",
            field=placed_field("facts.outlet", "article", filled=False),
        ),
        migrations.RunPython(fill_placement, migrations.RunPython.noop),
        AlterFieldNotOnSQLite(
            model_name="claim",
            name="subject",
            field=placed_field("facts.subject", "fact", filled=True),
            copies_back=True,
        ),
        AlterFieldNotOnSQLite(
            model_name="claim",
            name="outlet",
            field=placed_field("facts.outlet", "article", filled=True),
        ),
        migrations.RunPython(remake_on_sqlite, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["subject", "status", "id"], name="claim_list_by_subject"),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["outlet", "status", "id"], name="claim_list_by_outlet"),
        ),
    ]
