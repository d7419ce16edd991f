import time

from django.core.management.base import BaseCommand

from facts.services import track_records


class Command(BaseCommand):
    help = (
        "Rebuild every outlet's and originator's track record from the stored verdicts "
        "(recompute_verdicts rebuilds them too)."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        counted = track_records.recompute_all()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Track records rebuilt from {counted} counted facts in {seconds:.1f} s."
            )
        )
