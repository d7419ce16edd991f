from django.core.management.base import BaseCommand, CommandError

from facts.services import claim_placement


class Command(BaseCommand):
    help = (
        "List every claim whose subject is not its fact's or whose outlet is not its "
        "article's (facts.services.claim_placement); exit non-zero if any. Writes nothing."
    )

    def handle(self, *args, **options) -> None:
        found = list(
            claim_placement.misplaced()
            .order_by("pk")
            .values_list("pk", "subject_id", "fact__subject_id", "outlet_id", "article__outlet_id")
        )
        for pk, subject, fact_subject, outlet, article_outlet in found:
            self.stdout.write(
                f"claim {pk}: subject {subject} (its fact's: {fact_subject}), "
                f"outlet {outlet} (its article's: {article_outlet})"
            )
        if found:
            raise CommandError(
                f"{len(found)} claim(s) are listed under another subject or outlet than their "
                "fact's or article's: written past the services."
            )
        self.stdout.write(self.style.SUCCESS("Every claim is listed under its fact and article."))
