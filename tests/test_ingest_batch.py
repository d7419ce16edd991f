"""Ingest speed (issue 13, item 5): a batch of ingests reads what it matches against (known
actors and facts, the outlet's boilerplate rules) once, not once an article, and proposes the
very candidates single ingests do. bench/ingest.py measures the rate; these test the reads."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from facts.models import BoilerplateRule, Claim, Fact
from facts.services import ingest
from facts.services.review import SYSTEM
from tests.factories import ActorFactory, FactFactory, OutletFactory

pytestmark = pytest.mark.django_db

FIRST = (
    "Nearly 30,000 Russian troops are in Belarus for drills that end on Feb. 20, NATO said.\n\n"
    "Kremlin spokesman Dmitry Peskov told reporters on Thursday that “the troops will return "
    "to their bases” once the drills end."
)
SECOND = (
    "Twelve Su-35 fighters and two units of the S-400 arrived in Belarus, according to "
    "NATO.\n\nThe drills will start on Thursday, Peskov said."
)
PUBLISHED = date(2022, 2, 17)


def record() -> None:
    ActorFactory(slug="nato", name="NATO")
    ActorFactory(slug="dmitry-peskov", name="Dmitry Peskov", aliases=["Peskov"])
    ActorFactory(slug="russian-defense-ministry", name="Russian Defense Ministry")
    FactFactory(value_kind="quantity", subject__name="Allied Resolve", property="Troops")


def ingest_text(text: str, *, outlet, known: ingest.KnownRecord | None = None):
    return ingest.ingest_article(
        user=SYSTEM,
        raw=text,
        content_type="text",
        outlet=outlet,
        published=PUBLISHED,
        known=known,
    )


def claims_of(article) -> list[tuple]:
    return list(
        Claim.objects.filter(article=article)
        .order_by("start", "end", "pk")
        .values_list(
            "wording",
            "start",
            "end",
            "fact_id",
            "actor_id",
            "attribution_mode",
            "number",
            "date_earliest",
            "category",
            "note",
            "status",
        )
    )


def rows_read(queries: CaptureQueriesContext) -> set[str]:
    """The tables whose rows the queries read (not the claims' highest id, which the insert
    reserves ids after)."""
    return {
        table
        for query in queries.captured_queries
        if query["sql"].startswith('SELECT "')
        for table in re.findall(r'FROM "(\w+)"', query["sql"])
    }


def test_the_second_ingest_of_a_batch_reads_no_actor_fact_rule_or_stored_claim():
    record()
    # The "Unsorted" facts as a record that has ingested before holds them (one made by an
    # ingest of the batch is not kept: it may be rolled back with its article).
    for kind in ingest.UNSORTED_FACTS:
        ingest.unsorted_fact(kind)
    outlet = OutletFactory()
    known = ingest.KnownRecord.read()
    first = ingest_text(FIRST, outlet=outlet, known=known)
    assert first.candidates > 0
    with CaptureQueriesContext(connection) as queries:
        second = ingest_text(SECOND, outlet=outlet, known=known)
    assert second.created and second.candidates > 0
    read = rows_read(queries)
    # Read once a batch: the known actors and facts, their rows, the boilerplate rules; and a
    # new article has no stored claim to compare its candidates with.
    assert not read & {"facts_actor", "facts_fact", "facts_boilerplaterule", "facts_claim"}


def test_a_batch_proposes_the_candidates_single_ingests_propose():
    record()
    alone, batched = OutletFactory(), OutletFactory()
    singly = [ingest_text(text, outlet=alone) for text in (FIRST, SECOND)]
    known = ingest.KnownRecord.read()
    in_batch = [ingest_text(text, outlet=batched, known=known) for text in (FIRST, SECOND)]
    for one, other in zip(singly, in_batch, strict=True):
        assert claims_of(one.article) and claims_of(one.article) == claims_of(other.article)
        assert (one.candidates, one.skipped) == (other.candidates, other.skipped)


def test_an_unsorted_fact_made_by_an_ingest_rolled_back_is_not_kept_for_the_batch():
    outlet = OutletFactory()
    known = ingest.KnownRecord.read()
    with pytest.raises(RuntimeError), transaction.atomic():
        ingest_text(FIRST, outlet=outlet, known=known)
        assert Fact.objects.filter(subject__slug=ingest.UNSORTED_SUBJECT).exists()
        raise RuntimeError("the batch's caller rolls this ingest back")
    assert not Fact.objects.filter(subject__slug=ingest.UNSORTED_SUBJECT).exists()
    result = ingest_text(SECOND, outlet=outlet, known=known)
    assert result.candidates > 0
    facts = set(Claim.objects.filter(article=result.article).values_list("fact_id", flat=True))
    assert facts and Fact.objects.filter(pk__in=facts).count() == len(facts)


def test_a_rule_added_for_an_outlet_while_a_batch_runs_is_read_by_the_next_batch():
    outlet = OutletFactory()
    known = ingest.KnownRecord.read()
    ingest_text(FIRST, outlet=outlet, known=known)
    BoilerplateRule.objects.create(outlet=outlet, pattern=r"The drills will start.*")
    kept = ingest_text(SECOND, outlet=outlet, known=known)
    assert "The drills will start" in kept.article.text
    # A new batch (here a single ingest) reads the rule.
    dropped = ingest_text(
        "Minsk said the exercise went to plan.\n\nThe drills will start again in May.",
        outlet=outlet,
    )
    assert dropped.created and "The drills will start" not in dropped.article.text
