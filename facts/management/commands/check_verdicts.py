from django.core.management.base import BaseCommand, CommandError

from facts.services import verdicts


class Command(BaseCommand):
    help = (
        "Recompute every fact's verdict from its verified claims and print each one that "
        "differs from the stored verdict; exit non-zero on any drift. Writes nothing."
    )

    def handle(self, *args, **options) -> None:
        drift = verdicts.drifted()
        for found in drift:
            self.stdout.write(
                f"fact {found.fact_id}: stored {found.stored}, computed {found.computed} "
                f"(differs in {', '.join(found.fields)})"
            )
        if drift:
            raise CommandError(
                f"{len(drift)} stored verdict(s) differ from their claims; "
                "`manage.py recompute_verdicts` stores them afresh."
            )
        self.stdout.write(self.style.SUCCESS("Every stored verdict matches its claims."))
