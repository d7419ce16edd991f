import time

from django.core.management.base import BaseCommand

from facts.services import verdicts


class Command(BaseCommand):
    help = (
        "Recompute and store every fact's verdict over its verified claims (and with them the "
        "track records and likely values). --background hands it to a task worker instead."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--background",
            action="store_true",
            help="Enqueue the recomputation as a background task (run by `manage.py "
            "db_worker`, or `rqworker` with REDIS_URL) and return at once.",
        )

    def handle(self, *args, **options) -> None:
        if options["background"]:
            from facts import tasks

            result = tasks.recompute_verdicts.enqueue()
            self.stdout.write(self.style.SUCCESS(f"Queued as task {result.id}."))
            return
        started = time.perf_counter()
        count = verdicts.recompute_all()
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{count} verdicts recomputed in {seconds:.1f} s."))
