import time

from django.core.management.base import BaseCommand, CommandError

from facts.services import corpus


def positive(text: str) -> int:
    value = int(text.replace(",", "").replace("_", ""))
    if value < 1:
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = (
        "Generate a realistic corpus of N claims into an empty database, for benchmarks: "
        "outlets with wire agencies and the stories they carry, bodies with spokespeople, "
        "facts of every value kind with skewed claims (one hot fact), every status, history, "
        "and the verdicts, track records and likely values. The same --seed gives the same "
        "corpus."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--claims", type=positive, required=True, help="claims, e.g. 1000000")
        parser.add_argument("--seed", type=int, default=20220210, help="the random seed")
        parser.add_argument(
            "--hot-fact-claims",
            type=int,
            help="claims on the first (hot) fact; default a tenth of the claims, at most 10,000",
        )
        parser.add_argument(
            "--no-verdicts",
            action="store_true",
            help="leave the verdicts, track records and likely values uncomputed "
            "(`manage.py recompute_verdicts` computes them later)",
        )
        parser.add_argument(
            "--no-stories",
            action="store_true",
            help="leave the articles out of the story index (`manage.py index_stories`)",
        )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()

        def progress(message: str) -> None:
            self.stdout.write(f"[{time.perf_counter() - started:7.1f} s] {message}")

        try:
            report = corpus.generate_corpus(
                claims=options["claims"],
                seed=options["seed"],
                hot_fact_claims=options["hot_fact_claims"],
                compute_verdicts=not options["no_verdicts"],
                index_stories=not options["no_stories"],
                progress=progress if options["verbosity"] > 0 else None,
            )
        except (corpus.CorpusRefused, ValueError) as error:
            raise CommandError(str(error)) from None
        seconds = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.claims:,} claims on {report.articles:,} articles "
                f"({report.copies:,} of them wire copies), {report.shape.facts:,} facts, "
                f"in {seconds:.1f} s."
            )
        )
