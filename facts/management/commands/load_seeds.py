from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from facts.domain import seeding
from facts.models import Article
from facts.services import stories, verdicts


class Command(BaseCommand):
    help = "Load the seed articles and their curated facts (fixtures/*.json), all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database that has no article yet, so editors' work is kept.",
        )

    def handle(self, *args, if_empty: bool = False, **options) -> None:
        if if_empty and Article.objects.exists():
            self.stdout.write("The database has articles already; the seeds were not loaded again.")
            return
        with transaction.atomic():
            call_command("loaddata", *map(str, seeding.seed_paths()), verbosity=0)
            # Fixtures are saved raw, past the services that tell copies of a story, keep
            # verdicts fresh and record the history that the changes feed reads: do it now.
            stories.index_unindexed()
            facts = verdicts.recompute_all(record_changes=False)
            call_command("populate_history", auto=True, verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Seed fixtures loaded; {facts} verdicts computed."))
