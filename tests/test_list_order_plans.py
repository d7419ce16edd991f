"""The public claims list, in every order a client may ask for, reads its page off an index
instead of sorting every verified claim (issue 16: 0.5 s at 100,000 claims on SQLite for
`?ordering=-updated_at` and `-as_of`, 0.4 s on PostgreSQL for `-as_of`, growing with the record;
docs/PERFORMANCE.md). The plans are read on a few rows, with sorting made dear on PostgreSQL
so that the plan shows what it does on a large table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import ClaimFactory

ROOT = Path(__file__).resolve().parents[1]
ORDERINGS = ["-updated_at", "updated_at", "-as_of", "as_of", "-start", "-id", "id"]


def list_query(client, params: dict[str, str]) -> str:
    """The SQL of the list's page (the one query that reads claims)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/claims/", params)
    assert response.status_code == 200, response.content[:300]
    (page,) = [q["sql"] for q in queries.captured_queries if 'FROM "facts_claim"' in q["sql"]]
    return page


def plan_of(sql: str) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}")
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return "\n".join(row[-1] for row in cursor.fetchall())


def reads_in_order(plan: str) -> bool:
    if connection.vendor == "postgresql":
        # With sorting switched off, a Sort node left in the plan is one no index could spare.
        return " Sort " not in f" {plan} " and "Sort Key" not in plan
    return "TEMP B-TREE FOR ORDER BY" not in plan


@pytest.mark.parametrize("ordering", ORDERINGS)
def test_the_public_list_reads_each_order_off_an_index(client, db, ordering):
    ClaimFactory.create_batch(3)
    plan = plan_of(list_query(client, {"ordering": ordering}))
    assert reads_in_order(plan), plan


def test_a_filter_for_undisclosed_claims_reads_an_index_of_them(client, db):
    ClaimFactory.create_batch(3)
    plan = plan_of(list_query(client, {"undisclosed": "true"}))
    assert "claim_list_undisclosed" in plan, plan


def test_an_as_of_filter_walks_the_list_in_its_order_on_sqlite(client, db):
    """SQLite has no statistics of as_of's values: given an index by as_of, it read a filter
    for a year through it and sorted the year's claims by id for one page (2.8 s at 1M)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's statistics choose between the index and the walk")
    ClaimFactory.create_batch(3)
    params = {"as_of_after": "2025-01-01", "as_of_before": "2025-12-31"}
    plan = plan_of(list_query(client, params))
    assert reads_in_order(plan), plan


def test_an_as_of_filter_in_as_of_order_reads_the_range_off_the_as_of_index(client, db):
    ClaimFactory.create_batch(3)
    params = {"as_of_after": "2025-01-01", "as_of_before": "2025-12-31", "ordering": "-as_of"}
    plan = plan_of(list_query(client, params))
    assert reads_in_order(plan), plan
    assert "claim_list_by_as_of" in plan, plan


def facts_query(client, path: str) -> str:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return next(q["sql"] for q in queries.captured_queries if 'FROM "facts_fact"' in q["sql"])


@pytest.mark.parametrize("path", ["/api/facts/?disputed=true", "/api/facts/disputed/"])
def test_the_disputed_facts_are_read_in_the_lists_order_not_sorted(client, seeds, path):
    """On SQLite the verdict's index was taken for the four kinds of dispute, and every
    disputed fact sorted for one page: 204 ms at 1M claims (4,229 of 10,000 facts)."""
    plan = plan_of(facts_query(client, path))
    assert reads_in_order(plan), plan


def test_the_disputed_facts_are_the_seed_facts_whose_pinned_verdict_is_a_dispute(client, seeds):
    # The seeds' verdicts as pinned by a person (fixtures/expected/verdicts.json): six
    # attribution splits and one contested fact.
    pinned = json.loads((ROOT / "fixtures" / "expected" / "verdicts.json").read_text())
    disputes = {"change_over_time", "attribution_split", "value_conflict", "contested"}
    expected = sorted(v["property"] for v in pinned.values() if v["kind"] in disputes)
    assert len(expected) == 7
    for path in ("/api/facts/?disputed=true&page_size=100", "/api/facts/disputed/?page_size=100"):
        listed = client.get(path).json()["results"]
        assert sorted(fact["property"] for fact in listed) == expected


def test_a_category_filter_reads_an_index_of_the_category_in_the_lists_order(client, db):
    """One category of many was found by walking every verified claim until a page of it:
    28 ms at 1M claims against 10 ms at 10k (docs/PERFORMANCE.md)."""
    ClaimFactory.create_batch(3)
    plan = plan_of(list_query(client, {"category": "the troops will return"}))
    assert "claim_list_by_category" in plan, plan
    assert reads_in_order(plan), plan


@pytest.mark.parametrize("by", ["slug", "id"])
@pytest.mark.parametrize(
    ("name", "index"), [("subject", "claim_list_by_subject"), ("outlet", "claim_list_by_outlet")]
)
def test_the_claims_of_a_subject_or_an_outlet_are_read_off_their_index_in_the_lists_order(
    client, db, name, index, by
):
    """Through the fact or the article, a page of a subject's or an outlet's claims walked every
    verified claim until it had 51 of them on SQLite (16.6 and 44.8 ms at 1M claims against
    9.0 and 8.7 at 10k), and PostgreSQL gathered all of them and sorted them (48 ms at 1M).
    The claim carries both (facts.services.claim_placement), indexed in the list's order."""
    claim, *_others = ClaimFactory.create_batch(3)
    row = claim.fact.subject if name == "subject" else claim.article.outlet
    plan = plan_of(list_query(client, {name: row.slug if by == "slug" else str(row.pk)}))
    assert index in plan, plan
    assert reads_in_order(plan), plan


def test_the_claims_of_an_actor_are_read_off_their_index_in_the_lists_order(client, db):
    """PostgreSQL gathered an actor's claims by the foreign key's index, joined every article
    to them and sorted them for one page (34 ms at 1M claims against 14 ms at 10k)."""
    claim, *_others = ClaimFactory.create_batch(3)
    assert claim.actor is not None
    plan = plan_of(list_query(client, {"actor": claim.actor.slug}))
    assert "claim_list_by_actor" in plan, plan
    assert reads_in_order(plan), plan
