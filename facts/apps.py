from typing import Any

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.management import call_command
from django.db.models.signals import post_migrate


def create_cache_table(*, using: str, **kwargs: Any) -> None:
    """The database cache's table (the API's rate limits count in it when there is no Redis),
    made by every `migrate`: a fresh clone, a deployment and CI all migrate, and so none can
    miss the separate `createcachetable` step. Does nothing when the table is there, or when
    the cache is Redis."""
    from django.db import connections

    # On SQLite the table is in a database of its own (factsite/cache.py), which `migrate`
    # (of the default database) does not visit: made here too.
    for alias in connections:
        call_command("createcachetable", database=alias, verbosity=0)


class FactsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facts"
    verbose_name = "Fact table"

    def ready(self) -> None:
        # The admin lives with the rest of the editors' workspace (facts/workspace/), not in
        # the facts/admin.py that autodiscovery looks for.
        from facts.workspace import admin, tokens  # noqa: F401

        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="facts-cache-table")


class FactsiteAdminConfig(admin_apps.AdminConfig):
    """Django's admin, its index the review desk (facts.workspace.desk): the documented way to
    give the index its own view, and the site stays the one `admin.site` names."""

    # Not the facts app's own config: that is FactsConfig, chosen when "facts" is listed.
    default = False

    default_site = "facts.workspace.desk.DeskAdminSite"
