from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from facts.domain import seed_record, seeding
from facts.services import seed_record as seed_record_service
from facts.services import snapshots


class Command(BaseCommand):
    help = (
        "Write fixtures/seed_record.json: every row of the six seed fixtures and each fact's "
        "verdict as load_seeds computes it, so that `loaddata seed_record` gives the seeds. "
        "Generated: run it again whenever a seed fixture changes."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output", type=Path, default=seed_record.SEED_RECORD_PATH, help="The file to write."
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 if the file differs from what the seed fixtures give.",
        )

    def handle(self, *args: Any, output: Path, check: bool, **options: Any) -> None:
        # The verdicts are computed in a database with no record (this one, rolled back, if it
        # has none; else a scratch one), so an editor's data never leaks into the seeds.
        with snapshots.empty_record_database():
            rows = seed_record_service.build()
        if check:
            if not output.exists() or seeding.read(output) != rows:
                raise CommandError(
                    f"{output} is not what the seed fixtures give; "
                    "`manage.py build_seed_record` writes it afresh."
                )
            self.stdout.write(self.style.SUCCESS(f"{output} is up to date."))
            return
        seeding.write(output, rows)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} rows to {output}."))
