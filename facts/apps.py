from django.apps import AppConfig


class FactsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facts"
    verbose_name = "Fact table"

    def ready(self) -> None:
        # The admin lives with the rest of the editors' workspace (facts/workspace/), not in
        # the facts/admin.py that autodiscovery looks for.
        from facts.workspace import admin, tokens  # noqa: F401
