"""The groups editors and reviewers work in, with their permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["outlet", "article", "actor", "subject", "fact", "claim"]
EDITORS = [f"{action}_{model}" for model in MODELS for action in ("view", "add", "change")]
REVIEWERS = [f"view_{model}" for model in MODELS] + [
    "change_claim",
    "delete_claim",
    "verify_claim",
    "view_disputedfact",
]


def create_groups(apps, schema_editor):
    # Permissions are made after all migrations on a fresh database: make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in (("Editors", EDITORS), ("Reviewers", REVIEWERS)):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="facts", codename__in=codenames)
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Reviewers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("facts", "0004_disputed_fact_view"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
