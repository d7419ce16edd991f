from django.core.management.base import BaseCommand
from django.db import transaction

from facts.models import ArticleStory, StoryBand
from facts.services import stories, verdicts


class Command(BaseCommand):
    help = (
        "Tell which articles are copies of one story (facts/domain/data/independence.json) for "
        "every article not indexed yet (loaded raw with loaddata), or with --all for every "
        "article (after a change of the settings), and refresh the verdicts that change."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--all",
            action="store_true",
            help="Index every article again, not only those that are not indexed yet.",
        )

    def handle(self, *args, all: bool = False, **options) -> None:
        with transaction.atomic():
            if all:
                StoryBand.objects.all().delete()
                ArticleStory.objects.all().delete()
            moved = stories.index_unindexed()
            indexed = ArticleStory.objects.count()
            # After --all every key may have moved: recompute every verdict (only those that
            # differ are written); otherwise only the facts of articles whose story changed.
            changed = verdicts.recompute_all() if all else verdicts.refresh(stories.facts_of(moved))
        self.stdout.write(
            self.style.SUCCESS(
                f"{indexed} articles indexed, {len(moved)} of them copies of an earlier story; "
                + (f"{changed} verdicts recomputed." if all else f"{changed} verdicts changed.")
            )
        )
