"""The claims list's page is planned with its joins in the order its SQL writes them, on
PostgreSQL: its query joins ten tables, and searching their orders was most of the query's time
(6.3 ms of 7 at 1M claims; 1 ms in the written order, the same plans: docs/PERFORMANCE.md,
issue 16). Only that query: the queries after it, in the same transaction or not, keep the
planner's own search."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import ClaimFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a PostgreSQL planner setting"
)


def join_collapse_limit() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


def is_the_page(sql: str) -> bool:
    # The list's page: the claims with the actor's chain joined (four times).
    return 'FROM "facts_claim"' in sql and sql.count('"facts_actor"') > 1


def limits_of_the_pages(client, path: str) -> list[str]:
    """join_collapse_limit as each query of the list's page met it."""
    seen: list[str] = []

    def watch(execute, sql, params, many, context):
        if is_the_page(sql):
            # On the page's own cursor, just before its query.
            context["cursor"].execute("SHOW join_collapse_limit")
            seen.append(context["cursor"].fetchone()[0])
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    return seen


@pytest.mark.parametrize("path", ["/api/claims/", "/api/claims/?ordering=-updated_at&q=the"])
def test_it_plans_the_pages_joins_in_the_order_written(client, db, path):
    ClaimFactory.create_batch(3)
    assert limits_of_the_pages(client, path) == ["1"]


def test_it_puts_the_planners_search_back_for_the_rest_of_the_transaction(client, db):
    ClaimFactory.create_batch(3)
    before = join_collapse_limit()
    assert client.get("/api/claims/").status_code == 200
    assert connection.in_atomic_block  # the test's own transaction, still open
    assert join_collapse_limit() == before == "8"


def test_it_leaves_no_transaction_open_after_the_list(client, transactional_db):
    ClaimFactory.create_batch(3)
    assert client.get("/api/claims/").status_code == 200
    assert not connection.in_atomic_block
    assert join_collapse_limit() == "8"
