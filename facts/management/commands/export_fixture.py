from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from facts.services import exports


class Command(BaseCommand):
    help = (
        "Write a loadable, self-contained fixture of a subject's facts (or of the facts an "
        "article reports), with their claims and what those need, to freeze a real case as a "
        "regression test: `loaddata` it into an empty database and the verdicts come back."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        part = parser.add_mutually_exclusive_group(required=True)
        part.add_argument("--subject", metavar="SLUG", help="Export this subject's facts.")
        part.add_argument(
            "--article", metavar="SLUG", help="Export the facts this article reports."
        )
        parser.add_argument(
            "--output",
            type=Path,
            help="The fixture file to write (.json); standard output if none.",
        )

    def handle(
        self,
        *args: Any,
        subject: str | None,
        article: str | None,
        output: Path | None,
        **options: Any,
    ) -> None:
        try:
            if subject is not None:
                rows = exports.subject_fixture(slug=subject)
            else:
                rows = exports.article_fixture(slug=str(article))
        except exports.NotFound as error:
            raise CommandError(str(error)) from error
        text = exports.render(rows)
        if output is None:
            self.stdout.write(text, ending="")
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} rows to {output}."))
