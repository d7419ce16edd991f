import time

from django.core.management.base import BaseCommand

from facts.services import verdicts


class Command(BaseCommand):
    help = "Recompute and store every fact's verdict over its verified claims."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = verdicts.recompute_all()
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{count} verdicts recomputed in {seconds:.1f} s."))
