"""Each claim's side in its fact's stored verdict, kept on the claim (issue 16: the outlet paths
count sides in SQL), filled here from the verdicts already stored."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from facts.domain.agreement import claim_sides

BATCH = 500


def fill_sides(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """The sides the verdict service would write (the domain's rule), from each fact's stored
    verdict JSON, a batch of facts at a time; one prepared UPDATE per batch."""
    Fact = apps.get_model("facts", "Fact")
    Claim = apps.get_model("facts", "Claim")
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    sql = (
        f"UPDATE {quote(Claim._meta.db_table)} SET {quote('verdict_side')} = %s "
        f"WHERE {quote('id')} = %s"
    )
    ids = list(Fact.objects.order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        details = Fact.objects.filter(id__in=ids[start : start + BATCH]).values_list(
            "verdict_detail", flat=True
        )
        params: list[list[int]] = []
        for detail in details:
            groups = (detail or {}).get("groups", [])
            sides = claim_sides((g["role"], g["claims"]) for g in groups)
            params.extend([side, claim_id] for claim_id, side in sides.items())
        if params:
            with connection.cursor() as cursor:
                cursor.executemany(sql, params)


class Migration(migrations.Migration):
    dependencies = [
        ("facts", "0022_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="claim",
            name="verdict_side",
            field=models.SmallIntegerField(
                blank=True,
                editable=False,
                help_text="The claim's side in its fact's verdict "
                "(facts.domain.agreement.claim_sides): 0 with the consensus, 1, 2 … against "
                "it, -1, -2 … when no side leads; null in no group.",
                null=True,
            ),
        ),
        migrations.RunPython(fill_sides, migrations.RunPython.noop, elidable=True),
    ]
