"""`manage.py extraction_eval`: how well the candidates of facts/domain/candidates.py match
the curated seed claims, per kind.

It reads the seed record from fixtures/ directly (articles, actors, facts, claims) and runs
`propose` on each article's text: nothing is written, so it works on an empty database and
leaves any database as it was.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from facts.domain import seeding
from facts.domain.candidates import KINDS, Candidate, KnownActor, KnownFact, propose
from facts.domain.extraction_scores import Curated, Score, add, overlaps, score
from facts.domain.values import occurrences

# The goals of issue 13, printed beside the figures.
GOALS = {"quantity": (0.9, 0.8), "date": (0.9, 0.8)}
GOAL_ACTORS = 0.8


class Command(BaseCommand):
    help = (
        "Propose candidate claims for the five seed articles and print precision and recall "
        "per kind against the curated seed claims (reads fixtures/, writes nothing)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--details", action="store_true", help="List every date and attribution scored."
        )

    def handle(self, *args: Any, details: bool = False, **options: Any) -> None:
        rows = _fixture_rows()
        actors = [
            KnownActor(r["fields"]["slug"], r["fields"]["name"], tuple(r["fields"]["aliases"]))
            for r in rows["facts.actor"]
        ]
        subject_names = {
            r["fields"]["slug"]: (r["fields"]["name"], *r["fields"]["aliases"])
            for r in rows["facts.subject"]
        }
        facts = [
            KnownFact(
                # A fact's slug is unique within its subject only ("date").
                "/".join((r["fields"]["subject"][0], r["fields"]["slug"])),
                r["fields"]["subject"][0],
                r["fields"]["property"],
                r["fields"]["value_kind"],
                r["fields"]["unit"],
                subject_names=subject_names[r["fields"]["subject"][0]],
            )
            for r in rows["facts.fact"]
        ]
        matched: Counter[str] = Counter()
        scores: list[Score] = []
        date_lines: list[str] = []
        elapsed = 0.0
        for article in rows["facts.article"]:
            fields = article["fields"]
            text = fields["text"]
            claims = [
                c["fields"]
                for c in rows["facts.claim"]
                if c["fields"]["article"] == [fields["slug"]]
            ]
            curated = _curated(text, claims)
            began = time.perf_counter()
            candidates = propose(
                text,
                published=date.fromisoformat(fields["published_earliest"]),
                published_latest=date.fromisoformat(fields["published_latest"]),
                actors=actors,
                facts=facts,
            )
            elapsed += time.perf_counter() - began
            scores += [score(kind, candidates, curated) for kind in KINDS]
            matched += _facts_matched(text, candidates, claims)
            date_lines += _date_lines(fields["slug"], candidates, curated)
        articles = len(rows["facts.article"])
        self.stdout.write(
            f"Candidates for {articles} seed articles "
            f"({1000 * elapsed / articles:.1f} ms an article):"
        )
        self.stdout.write(
            f"{'kind':<12}{'cands':>6}{'curated':>8}{'precision':>10}{'recall':>8}"
            f"{'P right':>9}{'R right':>9}   goal (R / P)"
        )
        for total in add(scores):
            goal = GOALS.get(total.kind)
            self.stdout.write(
                f"{total.kind:<12}{total.candidates:>6}{total.curated:>8}"
                f"{total.precision:>10.2f}{total.recall:>8.2f}"
                f"{total.right_precision:>9.2f}{total.right_recall:>9.2f}"
                + (f"   >= {goal[0]} / >= {goal[1]}" if goal else "")
            )
        totals = {s.kind: s for s in add(scores)}
        attributions, quotations = totals["attribution"], totals["quotation"]
        self.stdout.write(
            f"Attributions linked to the right actor: {attributions.right_curated} of "
            f"{attributions.found_curated} found ({_share(attributions)}; goal >= {GOAL_ACTORS}); "
            f"quotations with the right speaker: {quotations.right_curated} of "
            f"{quotations.found_curated} found ({_share(quotations)})."
        )
        dates = totals["date"]
        self.stdout.write(
            f"Curated dates resolved to the right days: {dates.right_curated} of {dates.curated} "
            f"(found {dates.found_curated})."
        )
        self.stdout.write(
            "Curated dates and statements matched to their fact: "
            + "; ".join(
                f"{kind}s {matched[kind, 'right']} right, {matched[kind, 'wrong']} wrong, "
                f"{matched[kind, 'both suggested']} left with it among those suggested, of "
                f"{matched[kind, 'found']} found"
                for kind in ("date", "statement")
            )
            + "."
        )
        self.stdout.write(
            "Measured on the seeds with span overlap (issue 13): Recognizers-Text dates 0.95 / "
            "0.59, 18 of 24 right; dateparser search_dates 0.91 / 0.61, 9-16 of 24; quantulum3 "
            "quantities 0.70 / 0.74; a plain regex 0.77 / 0.68 (recall / precision)."
        )
        if details:
            self.stdout.write("\n".join(date_lines))


def _facts_matched(
    text: str, candidates: list[Candidate], claims: list[dict[str, Any]]
) -> Counter[tuple[str, str]]:
    """For each curated date and statement a candidate was found for (a date by its wording;
    a statement by a quotation of its wording or an attribution of its cue): whether the
    candidates name its fact (right: a date's fact set, a statement's suggested alone), another
    fact (wrong), or none but a suggestion of two or more facts, one of them its own."""
    tally: Counter[tuple[str, str]] = Counter()
    for claim in claims:
        if claim["value_kind"] == "quantity":
            continue
        kind = "date" if claim["value_kind"] == "date" else "statement"
        spans = [(claim["start"], claim["end"])]
        if kind == "statement" and claim["attribution_cue"]:
            cue = claim["attribution_cue"].split("…")[0].strip()
            spans += [(s, s + len(cue)) for s in occurrences(text, cue)]
        mine = [
            c
            for c in candidates
            if (c.kind == "date") == (kind == "date")
            and c.kind != "quantity"
            and any(overlaps(c.start, c.end, a, b) for a, b in spans)
        ]
        if not mine:
            continue
        tally[kind, "found"] += 1
        fact = "/".join(claim["fact"])
        # A date's fact is set; a statement's is suggested alone (its category is the editor's).
        keys = {c.fact_key for c in mine if c.fact_key} | {
            c.suggested_fact_keys[0] for c in mine if len(c.suggested_fact_keys) == 1
        }
        if fact in keys:
            tally[kind, "right"] += 1
        if keys - {fact}:
            tally[kind, "wrong"] += 1
        if not keys and any(fact in c.suggested_fact_keys for c in mine):
            tally[kind, "both suggested"] += 1
    return tally


def _share(total: Score) -> str:
    return f"{total.right_curated / total.found_curated:.2f}" if total.found_curated else "n/a"


def _fixture_rows() -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for path in seeding.seed_paths():
        if path.name == "seed_record.json":
            continue  # the same rows again, as one file
        for row in seeding.read(path):
            rows.setdefault(row["model"], []).append(row)
    return rows


def _curated(text: str, claims: list[dict[str, Any]]) -> list[Curated]:
    """The curated claims of one article as scored: quantities and dates by their wording,
    attributions by their cue as it stands in the text, quotations by their wording."""
    found: list[Curated] = []
    cues: set[tuple[int, str]] = set()
    for claim in claims:
        start, end, wording = claim["start"], claim["end"], claim["wording"]
        number = None if claim["number"] is None else Decimal(claim["number"])
        if claim["value_kind"] in ("quantity", "date"):
            found.append(
                Curated(
                    claim["value_kind"],
                    start,
                    end,
                    wording,
                    number=number,
                    unit=claim["unit"],
                    hedge=claim["hedge"],
                    date_earliest=_day(claim["date_earliest"]),
                    date_latest=_day(claim["date_latest"]),
                    undisclosed=claim["undisclosed"],
                )
            )
        actor = claim["actor"][0] if claim["actor"] else None
        if claim["attribution_mode"] == "direct_quote":
            found.append(Curated("quotation", start, end, wording, actor_key=actor))
        cue = claim["attribution_cue"].split("…")[0].strip()
        if actor and cue:
            starts = occurrences(text, cue)
            if starts:
                # The occurrence nearest the claim's wording: "Peskov said" twice in one text.
                cue_start = min(starts, key=lambda s: abs(s - start))
                if (cue_start, actor) not in cues:
                    cues.add((cue_start, actor))
                    found.append(
                        Curated(
                            "attribution", cue_start, cue_start + len(cue), cue, actor_key=actor
                        )
                    )
    return found


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _date_lines(slug: str, candidates: list[Candidate], curated: list[Curated]) -> list[str]:
    lines = []
    for claim in (c for c in curated if c.kind == "date"):
        mine = [
            c
            for c in candidates
            if c.kind == "date" and overlaps(c.start, c.end, claim.start, claim.end)
        ]
        resolved = ", ".join(f"{c.date_earliest}..{c.date_latest}" for c in mine) or "not found"
        right = any(
            (c.date_earliest, c.date_latest) == (claim.date_earliest, claim.date_latest)
            for c in mine
        )
        lines.append(
            f"{slug[:24]:<24} {claim.wording[:40]!r:<44} curated {claim.date_earliest}.."
            f"{claim.date_latest}  proposed {resolved}  {'right' if right else 'WRONG'}"
        )
    return lines
