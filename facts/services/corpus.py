"""Write a generated corpus (manage.py generate_corpus) into an empty record, for benchmarks at
scale: outlets with wire agencies, bodies with their spokespeople, subjects, facts of every
value kind, articles whose texts carry every claim's wording at its offsets, wire stories
carried again by other outlets, claims of every status with editors' notes, a history row for
every record, and the verdicts, track records and likely values computed from them.

The rows go in by bulk_insert (COPY on PostgreSQL, one prepared statement on SQLite), in
batches of whole articles with their claims, so the memory stays flat, all in one transaction
(facts.services.bulk_load) with the big tables' secondary indexes and SQLite's search triggers
set aside and made again at the end: a million claims take minutes, and a load that fails
leaves the record empty. Every row is one the model's validation
accepts (tests/test_generate_corpus.py runs full_clean on a generated corpus): the values come
from facts.domain.values, the offsets from the text they were placed in.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import cache
from typing import Any

from django.db import connection
from django.db.models.base import ModelState

from facts.domain import corpus as shapes
from facts.domain import values
from facts.models import Actor, Article, Claim, Fact, Outlet, Subject
from facts.models.base import slug_of
from facts.services import bulk_insert, bulk_load, claim_placement, stories, verdicts


class CorpusRefused(Exception):
    """The record holds articles or claims already: a corpus goes into an empty one."""


@dataclass(frozen=True)
class CorpusReport:
    shape: shapes.Shape
    claims: int
    articles: int
    copies: int


def _insert(model: type[Any], rows: list[Any], moment: datetime | None = None) -> None:
    """Insert the rows and a creation history row for each, dated when each was created."""
    bulk_insert.insert(model, rows)
    by_moment: dict[datetime, list[Any]] = {}
    for row in rows:
        by_moment.setdefault(moment or row.created_at, []).append(row)
    for when, same in by_moment.items():
        bulk_insert.insert_history(
            model,
            same,
            history_date=when,
            history_type="+",
            history_user_id=None,
            history_change_reason="Generated corpus",
        )


class _Rows:
    """Model instances made from a dict of their columns: Model.__init__ costs about 30 µs a
    claim (it runs every field's default and descriptor), a third of the whole corpus's time at
    a million claims; bulk_insert reads only the instance's dict."""

    def __init__(self, model: type[Any]) -> None:
        self.model = model
        self.defaults = {
            name: value for name, value in model().__dict__.items() if name != "_state"
        }

    def make(self, **columns: Any) -> Any:
        row: Any = object.__new__(self.model)
        row.__dict__.update(self.defaults, **columns)
        row._state = ModelState()
        return row


def _moment(day: Any, rng: random.Random) -> datetime:
    return datetime.combine(
        day, time(6 + rng.randrange(14), rng.randrange(60)), tzinfo=timezone.utc
    )


def generate_corpus(
    *,
    claims: int,
    seed: int = 20220210,
    hot_fact_claims: int | None = None,
    batch_size: int = 20_000,
    compute_verdicts: bool = True,
    index_stories: bool = True,
    progress: Callable[[str], None] | None = None,
) -> CorpusReport:
    """Generate a corpus of `claims` claims into an empty record; see the module's doc."""
    if Article.objects.exists() or Claim.objects.exists():
        raise CorpusRefused(
            "The record holds articles or claims already; generate a corpus into an empty "
            "database (migrate a new one, or flush this one)."
        )
    say = progress or (lambda message: None)
    shape = shapes.Shape.for_claims(claims, hot_fact_claims=hot_fact_claims)
    rng = random.Random(seed)
    start = datetime.combine(shapes.FIRST_DAY, time(0), tzinfo=timezone.utc)

    with bulk_load.bulk_load(tables=_loaded_tables()):
        wires = [Outlet(name=n, slug=slug_of(n), kind="wire") for n in shapes.WIRES]
        kinds = ["newspaper", "broadcaster", "online", "state_media", "independent", "magazine"]
        others = [
            Outlet(name=name, slug=slug_of(name), kind=kinds[i % len(kinds)], country="GB")
            for i, name in enumerate(shapes.outlet_names(shape.outlets))
        ]
        _insert(Outlet, wires + others, start)
        bodies = [
            Actor(name=name, slug=slug_of(name), kind=kind)
            for name, kind in shapes.body_names(shape.bodies)
        ]
        _insert(Actor, bodies, start)
        spokespeople = [
            Actor(
                name=(name := shapes.person_name(i)),
                slug=slug_of(name),
                kind="official",
                parent_id=bodies[i % len(bodies)].pk,
                description=f"Spokesperson of the {bodies[i % len(bodies)].name}.",
            )
            for i in range(shape.spokespeople)
        ]
        _insert(Actor, spokespeople, start)
        subjects = [
            Subject(
                name=(
                    name := f"{shapes.PLACES[i % len(shapes.PLACES)]} "
                    f"{shapes.SUBJECT_WORDS[i % len(shapes.SUBJECT_WORDS)]} {i + 1}"
                ),
                slug=slug_of(name),
            )
            for i in range(shape.subjects)
        ]
        _insert(Subject, subjects, start)
        plans = [shapes.plan_fact(i, rng) for i in range(shape.facts)]
        facts = [
            Fact(
                subject_id=subjects[i % len(subjects)].pk,
                property=plan.property,
                slug=slug_of(plan.property),
                value_kind=plan.value_kind,
                unit=plan.unit,
                categories=list(plan.categories),
            )
            for i, plan in enumerate(plans)
        ]
        _insert(Fact, facts, start)
        say(
            f"{len(wires) + len(others)} outlets, {len(bodies) + len(spokespeople)} actors, "
            f"{len(subjects)} subjects, {len(facts)} facts"
        )

        facts_by_id = {fact.pk: fact for fact in facts}
        speakers: list[Actor | None] = [*bodies, *spokespeople, None]
        hot_share = shape.hot_fact_claims / shape.claims
        written = articles_written = copies = 0
        wire_ids = {w.pk for w in wires}
        # Originals from a wire, each carried again by another outlet: one article in ten a copy.
        wire_share = shapes.WIRE_COPY_SHARE / (1 - shapes.WIRE_COPY_SHARE)
        while written < shape.claims:
            batch_articles: list[Article] = []
            batch_claims: list[Claim] = []
            while written < shape.claims and len(batch_claims) < batch_size:
                count = min(shapes.CLAIMS_PER_ARTICLE, shape.claims - written)
                original, claims_of = _article(
                    index=articles_written,
                    count=count,
                    outlet=wires[articles_written % len(wires)]
                    if rng.random() < wire_share
                    else others[rng.randrange(len(others))],
                    facts=facts,
                    plans=plans,
                    subjects={s.pk: s.name for s in subjects},
                    speakers=speakers,
                    hot_share=hot_share,
                    rng=rng,
                )
                batch_articles.append(original)
                batch_claims += claims_of
                written += count
                articles_written += 1
                # A wire story, carried again by another outlet: the same text and claims.
                remaining = shape.claims - written
                if original.outlet_id in wire_ids and remaining >= count:
                    carrier = others[rng.randrange(len(others))]
                    copy, copied = _copy(original, claims_of, carrier, articles_written)
                    batch_articles.append(copy)
                    batch_claims += copied
                    written += count
                    articles_written += 1
                    copies += 1
            _insert(Article, batch_articles)
            for claim in batch_claims:
                article = claim.__dict__.pop("_article")
                claim.article_id = article.pk
                claim_placement.place_on(claim, fact=facts_by_id[claim.fact_id], article=article)
            _insert(Claim, batch_claims)
            if index_stories:
                stories.index_new(articles=batch_articles)
            say(f"{written:,} claims on {articles_written:,} articles")

        if compute_verdicts:
            say("computing verdicts, track records and likely values")
            verdicts.recompute_all(record_changes=False)
        say("making the indexes set aside for the load")
    if connection.vendor == "postgresql":
        # A million rows written in a few minutes: until autovacuum gets to them the planner
        # believes the tables are as small as they were, and picks scans over the indexes (the
        # search's GIN indexes above all). The figures measured on a fresh corpus must be the
        # ones a settled database gives.
        say("analysing the tables for the planner")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return CorpusReport(shape=shape, claims=written, articles=articles_written, copies=copies)


def _loaded_tables() -> list[str]:
    """The tables a million rows go into: their secondary indexes are made at the end."""
    models = (Claim, Article)
    return [m._meta.db_table for m in models] + [
        bulk_insert.history_model(m)._meta.db_table for m in models
    ]


@cache
def _claim_rows() -> _Rows:
    return _Rows(Claim)


def _article(
    *,
    index: int,
    count: int,
    outlet: Outlet,
    facts: list[Fact],
    plans: list[shapes.FactPlan],
    subjects: dict[int, str],
    speakers: list[Actor | None],
    hot_share: float,
    rng: random.Random,
) -> tuple[Article, list[Claim]]:
    """An article with `count` claims, each in a sentence of its own, fillers between."""
    day = shapes.FIRST_DAY + timedelta(days=rng.randrange(shapes.DAYS))
    sentences: list[str] = []
    placed: list[tuple[int, shapes.ClaimPlan, int, Actor | None]] = []
    length = 0
    for i in range(count):
        if i and i % 5 == 0:
            filler = shapes.filler(rng)
            sentences.append(filler)
            length += len(filler) + 1
        fact_index = 0 if rng.random() < hot_share else 1 + shapes.skewed_index(len(facts) - 1, rng)
        speaker = speakers[rng.randrange(len(speakers))] if rng.random() < 0.8 else None
        name = None if speaker is None else speaker.name
        plan = shapes.plan_claim(
            plans[fact_index], subjects[facts[fact_index].subject_id], name, rng
        )
        placed.append((length + plan.wording_at, plan, fact_index, speaker))
        sentences.append(plan.sentence)
        length += len(plan.sentence) + 1
    text = " ".join(sentences)
    moment = _moment(day, rng)
    headline = f"{subjects[facts[placed[0][2]].subject_id]}: what the sources say"
    article = Article(
        outlet=outlet,
        slug=f"corpus-{index}",
        url=f"https://{slug_of(outlet.name)}.example/{day:%Y/%m/%d}/corpus-{index}",
        headline=headline,
        byline=shapes.person_name(index),
        published_earliest=day,
        published_latest=day,
        published_precision="day",
        text=text,
        text_hash=Article.hash_text(text),
        created_at=moment,
        updated_at=moment,
    )
    claims = []
    for offset, plan, fact_index, speaker in placed:
        status = shapes.status_of(rng)
        end = offset + len(plan.wording)
        prefix, suffix = values.anchor_context(text, offset, end)
        mode = (
            "own_voice"
            if speaker is None
            else ("direct_quote" if rng.random() < 0.2 else "indirect")
        )
        claims.append(
            _claim_rows().make(
                fact_id=facts[fact_index].pk,
                # Its id once the article is inserted (see generate_corpus).
                _article=article,
                status=status,
                value_kind=facts[fact_index].value_kind,
                as_of=day,
                wording=plan.wording,
                prefix=prefix,
                suffix=suffix,
                start=offset,
                end=end,
                actor_id=None if speaker is None else speaker.pk,
                attribution_cue="" if speaker is None else f"{speaker.name} said",
                attribution_mode=mode,
                note=shapes.NOTES.get(status, ""),
                created_at=moment,
                updated_at=moment,
                **plan.fields,
            )
        )
    return article, claims


def _copy(
    original: Article, claims: list[Claim], carrier: Outlet, index: int
) -> tuple[Article, list[Claim]]:
    """The original's wire story as another outlet carries it, a day later."""
    assert original.published_earliest is not None
    day: date = original.published_earliest + timedelta(days=1)
    moment = original.created_at + timedelta(days=1)
    copy = Article(
        outlet=carrier,
        slug=f"corpus-{index}",
        url=f"https://{carrier.slug}.example/{day:%Y/%m/%d}/corpus-{index}",
        headline=original.headline,
        byline=original.byline,
        published_earliest=day,
        published_latest=day,
        published_precision="day",
        text=original.text,
        text_hash=original.text_hash,
        wire_source=original.outlet,
        created_at=moment,
        updated_at=moment,
    )
    copied = []
    for claim in claims:
        fields = {
            f.attname: getattr(claim, f.attname)
            for f in Claim._meta.concrete_fields
            if not f.primary_key and f.attname not in {"article_id", "created_at", "updated_at"}
        }
        copied.append(
            _claim_rows().make(**fields, _article=copy, created_at=moment, updated_at=moment)
        )
    return copy, copied
