import time

from django.core.management.base import BaseCommand

from facts.services import outlet_standings


class Command(BaseCommand):
    help = (
        "Rebuild the outlet standings that an outlet's record and outlet against outlet read "
        "(per outlet, per outlet and fact, per pair of outlets) from the verified claims and "
        "their stored sides (recompute_verdicts rebuilds them too)."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        rows = outlet_standings.rebuild()
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Outlet standings rebuilt: {rows} outlet-fact rows in {seconds:.1f} s."
            )
        )
