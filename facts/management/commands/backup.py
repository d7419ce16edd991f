from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from facts.services import backups


class Command(BaseCommand):
    help = (
        "Back up the whole database, history included, to PATH: SQLite's online backup API or "
        "PostgreSQL's pg_dump (custom format). Restore it with `manage.py restore PATH`."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The backup file to write.")
        parser.add_argument("--force", action="store_true", help="Replace PATH if it exists.")

    def handle(self, *args, path: Path, force: bool = False, **options) -> None:
        try:
            summary = backups.backup(path=path, force=force)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the {backups.ENGINE_NAMES[summary.engine]} database to {summary.path} "
                f"({human_size(summary.size)}): {summary.tables} tables, {summary.rows} rows."
            )
        )


def human_size(size: int) -> str:
    """1,234,567 bytes as "1.2 MB"."""
    if size < 1024:
        return f"{size} bytes"
    scaled = float(size)
    for unit in ("KB", "MB", "GB"):
        scaled /= 1024
        if scaled < 1024 or unit == "GB":
            break
    return f"{scaled:.1f} {unit}"
