from django.db import migrations, models

# The claims by as_of, on SQLite too (`?ordering=-as_of` sorted every verified claim there:
# 0.75 s at 100,000 claims, growing with the record). On PostgreSQL migration 0025 made the same
# index by hand; it is now the model's, so it goes first and comes back as Django's own. The
# as_of range filters tell SQLite they hold most claims (ClaimQuerySet.as_of_from), so it does
# not read them through this index and sort their claims for one page.


def drop_postgresql_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute('DROP INDEX IF EXISTS "claim_list_by_as_of"')


def make_postgresql_index(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            'CREATE INDEX IF NOT EXISTS "claim_list_by_as_of" ON "facts_claim" ("status", "as_of", "id")'
        )


class Migration(migrations.Migration):
    dependencies = [
        ("facts", "0030_claim_subject_and_outlet"),
    ]

    operations = [
        migrations.RunPython(drop_postgresql_index, make_postgresql_index, elidable=False),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["status", "as_of", "id"], name="claim_list_by_as_of"),
        ),
    ]
