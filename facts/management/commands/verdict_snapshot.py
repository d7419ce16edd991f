import io
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from facts.domain import snapshot
from facts.services import snapshots


class Command(BaseCommand):
    help = (
        "Compare every fact's stored verdict with fixtures/expected/verdicts.json (--check: print "
        "each difference, exit 1 on any) or rewrite the file from them (--write)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument(
            "--check", action="store_true", help="Compare; exit 1 on any difference."
        )
        action.add_argument(
            "--write", action="store_true", help="Rewrite the file from the verdicts."
        )
        parser.add_argument(
            "--seeds",
            action="store_true",
            help="Use the verdicts the seed fixtures give, loaded into a database with no record "
            "(this one in a rolled-back transaction if it has none, else a scratch one), "
            "instead of this database's.",
        )
        parser.add_argument(
            "--file", type=Path, default=snapshot.EXPECTED_PATH, help="The snapshot file."
        )

    def handle(
        self, *args: Any, check: bool, write: bool, seeds: bool, file: Path, **options: Any
    ) -> None:
        actual = self.seed_verdicts() if seeds else snapshots.current_verdicts()
        if write:
            snapshot.write(actual, file)
            self.stdout.write(self.style.SUCCESS(f"Wrote {len(actual)} facts' verdicts to {file}."))
            return
        try:
            expected = snapshot.read(file)
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read the snapshot {file}: {error}") from error
        lines = snapshot.diff(expected, actual)
        for line in lines:
            self.stdout.write(line)
        if lines:
            # A difference is either a regression or an improvement: a person decides which,
            # and `--write` records the decision in a diff that review can read.
            raise CommandError(
                f"{snapshot.summary(lines)} Review them; if they are right, "
                "`manage.py verdict_snapshot --write` records them."
            )
        self.stdout.write(self.style.SUCCESS(f"All {len(actual)} verdicts match {file}."))

    def seed_verdicts(self) -> snapshot.Snapshot:
        with snapshots.empty_record_database():
            call_command("load_seeds", verbosity=0, stdout=io.StringIO())
            return snapshots.current_verdicts()
