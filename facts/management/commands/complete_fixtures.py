from django.core.management.base import BaseCommand, CommandError

from facts.domain import seeding


class Command(BaseCommand):
    help = (
        "Fill the derived fields of the seed fixtures in place: text hashes, each claim's "
        "offsets, prefix and suffix (found from its wording), bounds, value kind and as-of date."
    )

    def handle(self, *args, **options) -> None:
        problems = seeding.complete_all()
        if problems:
            raise CommandError("\n".join(problems))
        self.stdout.write(self.style.SUCCESS("Seed fixtures completed."))
