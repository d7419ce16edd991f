import time

from django.core.management.base import BaseCommand

from facts.services import likely


class Command(BaseCommand):
    help = (
        "Recompute and store every fact's likely value, weighing originators by their track "
        "records over all facts."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        count = likely.recompute_likely()
        seconds = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(f"{count} likely values computed in {seconds:.1f} s."))
