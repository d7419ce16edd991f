from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from facts import seeding


class Command(BaseCommand):
    help = "Load the seed articles and their curated facts (fixtures/*.json), all or nothing."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            call_command("loaddata", *map(str, seeding.seed_paths()), verbosity=options["verbosity"])
        self.stdout.write(self.style.SUCCESS("Seed fixtures loaded."))
