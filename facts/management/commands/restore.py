from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from facts.services import backups

from .backup import human_size


class Command(BaseCommand):
    help = (
        "Replace the whole database with a backup made by `manage.py backup`: every table, "
        "history included. Rows added since the backup are lost."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to restore.")
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="Do not ask for confirmation.",
        )

    def handle(self, *args, path: Path, interactive: bool = True, **options) -> None:
        try:
            # Refuse a wrong file before asking, so that "yes" is never wasted on it.
            backups.check_restorable(path=path)
            if interactive and not self.confirmed(path):
                self.stdout.write("Restore cancelled; the database was not changed.")
                return
            summary = backups.restore(path=path)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the {backups.ENGINE_NAMES[summary.engine]} database from {summary.path} "
                f"({human_size(summary.size)}): {summary.tables} tables, {summary.rows} rows."
            )
        )
        if summary.tables_not_in_backup:
            self.stdout.write(
                self.style.WARNING(
                    "These tables are not in the backup and were left as they were: "
                    + ", ".join(summary.tables_not_in_backup)
                )
            )
        if summary.unapplied_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"The backup predates {summary.unapplied_migrations} migrations of this code; "
                    "run `manage.py migrate` before serving the site."
                )
            )

    def confirmed(self, path: Path) -> bool:
        name = connection.settings_dict["NAME"]
        answer = input(
            f"This replaces the whole database {name} with the backup {path}; every change made "
            "since the backup is lost.\nType 'yes' to continue, or 'no' to cancel: "
        )
        return answer.strip().lower() == "yes"
