import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from facts.services import truth_benchmark as bench


class Command(BaseCommand):
    help = (
        "Load public truth-discovery sets with known answers through the claim import into a "
        "fresh database, and print the accuracy of majority vote, TruthFinder, the verdict's "
        "consensus and the likely value."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data",
            required=True,
            type=Path,
            help="The folder holding book_author/, population/, flights_raha/ and "
            "tdh_hierarchical/ (birthplaces/, heritages/).",
        )
        parser.add_argument(
            "--sets",
            default=",".join(bench.READERS),
            help=f"Which sets, comma-separated (default: {','.join(bench.READERS)}).",
        )
        parser.add_argument(
            "--limit", type=int, default=None, help="At most this many items per set."
        )
        parser.add_argument(
            "--rescore",
            action="store_true",
            help="Load nothing: score the sets an earlier run loaded into this database "
            "(with the same --sets and --limit), e.g. after a change to a method.",
        )

    def handle(self, *args, **options) -> None:
        names = [n.strip() for n in options["sets"].split(",") if n.strip()]
        unknown = [n for n in names if n not in bench.READERS]
        if unknown:
            raise CommandError(
                f"Unknown set(s): {', '.join(unknown)}; choose from {', '.join(bench.READERS)}."
            )
        folder: Path = options["data"]
        missing = [bench.FOLDERS[n] for n in names if not (folder / bench.FOLDERS[n]).is_dir()]
        if missing:
            raise CommandError(f"{folder} has no folder {', '.join(missing)}.")
        if not options["rescore"]:
            try:
                bench.refuse_unless_fresh()
            except bench.BenchmarkRefused as refused:
                raise CommandError(str(refused)) from None
        user = bench.benchmark_user()
        started = time.perf_counter()
        for name in names:
            dataset = bench.limited(
                bench.READERS[name](folder / bench.FOLDERS[name]), options["limit"]
            )
            timing = None if options["rescore"] else bench.load(dataset, user)
            for line in bench.report(bench.score(dataset), timing, dataset.left_out):
                self.stdout.write(line)
            self.stdout.write("")
        self.stdout.write(f"total {time.perf_counter() - started:.1f} s")
