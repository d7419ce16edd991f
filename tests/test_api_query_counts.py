"""Query counts: every list costs the same number of queries for a page of 5 rows as for a page
of 50, so that no N+1 creeps in; the cross-source views stay under a fixed bound whatever the
size of the data."""

import csv
import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from facts.models import Claim, Fact, Outlet
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClaimFactory,
    FactFactory,
    OutletFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db

ROWS = 55
SMALL, LARGE = 5, 50
# A list reads its page in one query (a subject's facts read the subject too); the changes feed
# reads each of its six models' history once; a cross-source view reads its rows in a handful.
LIST_BOUND = 2
CHANGES_BOUND = 6
CROSS_SOURCE_BOUND = 6
# On PostgreSQL the claims list's page is planned with its joins in the order written, for its
# query only (facts.models.planning.joins_as_written): the setting before it and, inside a
# transaction (each test's), the setting put back after it. Two queries whatever the page.
CLAIMS_LIST_BOUND = LIST_BOUND + (2 if connection.vendor == "postgresql" else 0)
# A signed-in staff reader costs its session, its user and its permissions (its own and its
# groups'), once a request: facts.models.readers.
STAFF_OVERHEAD = 4


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def count_queries(client, url, params) -> tuple[int, dict]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, response.content
    return len(queries), response.json()


def assert_constant(client, url, *, bound, params=None, rows_of=lambda body: body["results"]):
    small, body = count_queries(client, url, {"page_size": SMALL, **(params or {})})
    assert len(rows_of(body)) == SMALL
    large, body = count_queries(client, url, {"page_size": LARGE, **(params or {})})
    assert len(rows_of(body)) == LARGE
    assert small == large, f"{url}: {small} queries for {SMALL} rows, {large} for {LARGE}"
    assert large <= bound, f"{url}: {large} queries"


def actor_three_levels_down():
    """An actor with a chain of three bodies above it, as deep as the lists read in one go."""
    top = ActorFactory()
    return ActorFactory(parent=ActorFactory(parent=ActorFactory(parent=top)))


@pytest.fixture
def claims():
    """Claims of every shape: credited to actors deep in a chain, in an outlet's own voice,
    syndicated from a wire, dates and categories; each with its own article, outlet and fact."""
    wire = OutletFactory(kind="wire")
    made = []
    for i in range(ROWS):
        shape = i % 4
        if shape == 0:
            made.append(ClaimFactory(actor=actor_three_levels_down()))
        elif shape == 1:
            made.append(ClaimFactory(own_voice=True, article=ArticleFactory(wire_source=wire)))
        elif shape == 2:
            made.append(ClaimFactory(date=True, actor=actor_three_levels_down()))
        else:
            made.append(ClaimFactory(categorical=True, own_voice=True))
    return made


@pytest.mark.parametrize(
    "resource", ["outlets", "articles", "actors", "subjects", "facts", "claims"]
)
def test_a_resource_list_costs_the_same_queries_for_5_rows_as_for_50(client, claims, resource):
    bound = CLAIMS_LIST_BOUND if resource == "claims" else LIST_BOUND
    assert_constant(client, f"/api/{resource}/", bound=bound)


def test_a_filtered_and_ordered_claims_list_costs_the_same_queries_for_5_as_for_50(client, claims):
    params = {"ordering": "-as_of", "status": "verified", "q": "0"}
    ClaimFactory.create_batch(LARGE, wording="some 30,000 soldiers")
    assert_constant(client, "/api/claims/", bound=CLAIMS_LIST_BOUND, params=params)


def test_the_claims_list_in_csv_costs_the_same_queries_for_5_rows_as_for_50(client, claims):
    def count(size):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/claims/", {"page_size": size, "format": "csv"})
        assert response.status_code == 200
        assert response.content.decode().count("\n") >= size + 1
        return len(queries)

    assert count(SMALL) == count(LARGE) <= CLAIMS_LIST_BOUND


@pytest.fixture
def disputed_facts():
    """Facts with a real attribution split's verdict, enough for a page of 50."""
    split = FactFactory(categorical=True)
    ClaimFactory(fact=split, categorical=True, category="none stay")
    ClaimFactory(fact=split, categorical=True, category="some stay")
    split.refresh_from_db()
    assert split.verdict == "attribution_split"
    others = [FactFactory(categorical=True).id for _ in range(ROWS)]
    Fact.objects.filter(id__in=others).update(
        verdict=split.verdict,
        verdict_summary=split.verdict_summary,
        verdict_detail=split.verdict_detail,
    )
    return split


def test_the_disputed_facts_cost_the_same_queries_for_5_as_for_50(client, disputed_facts):
    assert_constant(client, "/api/facts/disputed/", bound=LIST_BOUND)


def test_a_subjects_facts_cost_the_same_queries_for_5_as_for_50(client):
    subject = SubjectFactory()
    for _ in range(ROWS):
        ClaimFactory(fact=FactFactory(subject=subject))
    assert_constant(client, f"/api/subjects/{subject.id}/facts/", bound=LIST_BOUND)


def test_the_changes_feed_costs_the_same_queries_for_5_as_for_50(client):
    since = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    ClaimFactory.create_batch(ROWS // 6 + 1)
    assert_constant(
        client,
        "/api/changes/",
        bound=CHANGES_BOUND,
        params={"since": since},
        rows_of=lambda body: body["changes"],
    )


def test_the_staff_claims_list_costs_the_same_queries_for_5_rows_as_for_50(staff_client, claims):
    ClaimFactory.create_batch(3, status=Claim.Status.DRAFT, note="Checked by phone.")
    assert_constant(staff_client, "/api/claims/", bound=CLAIMS_LIST_BOUND + STAFF_OVERHEAD)


def test_the_staff_claims_csv_costs_the_same_queries_for_5_rows_as_for_50(staff_client, claims):
    counts = []
    for size in (SMALL, LARGE):
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get("/api/claims/", {"page_size": size, "format": "csv"})
        assert response.status_code == 200
        assert len(list(csv.reader(io.StringIO(response.content.decode())))) == size + 1
        counts.append(len(queries))
    assert counts[0] == counts[1] <= CLAIMS_LIST_BOUND + STAFF_OVERHEAD, counts


def test_the_public_changes_feed_costs_the_same_queries_for_5_as_for_50(client):
    """The public's feed leaves out the desk's claims in the same query (an EXISTS a row)."""
    since = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    ClaimFactory.create_batch(ROWS // 6 + 1)
    ClaimFactory.create_batch(5, status=Claim.Status.DRAFT)
    assert_constant(
        client,
        "/api/changes/",
        bound=CHANGES_BOUND,
        params={"since": since},
        rows_of=lambda body: body["changes"],
    )


def test_the_staff_changes_feed_costs_the_same_queries_for_5_as_for_50(staff_client):
    since = (timezone.now() - dt.timedelta(seconds=1)).isoformat()
    ClaimFactory.create_batch(ROWS // 6 + 1, status=Claim.Status.DRAFT)
    assert_constant(
        staff_client,
        "/api/changes/",
        bound=CHANGES_BOUND + STAFF_OVERHEAD,
        params={"since": since},
        rows_of=lambda body: body["changes"],
    )


# The cross-source views --------------------------------------------------------------------


def fact_with_claims(n: int) -> Fact:
    """A fact with n verified claims from n outlets and n actors, and a draft."""
    fact = FactFactory()
    for _ in range(n):
        ClaimFactory(fact=fact, actor=actor_three_levels_down())
    ClaimFactory(fact=fact, status=Claim.Status.DRAFT, own_voice=True)
    ClaimFactory(fact=fact, own_voice=True, article=ArticleFactory(wire_source=OutletFactory()))
    return fact


def test_a_comparison_costs_a_fixed_number_of_queries(client):
    counts = []
    for n in (2, 30):
        fact = fact_with_claims(n)
        url = f"/api/facts/{fact.id}/comparison/"
        queries, body = count_queries(client, url, {"include_drafts": "false"})
        assert sum(len(g["claims"]) for g in body["groups"]) >= n
        counts.append(queries)
    assert counts[0] == counts[1] <= CROSS_SOURCE_BOUND, counts


def test_a_comparison_with_drafts_costs_staff_a_fixed_number_of_queries(staff_client):
    counts = []
    for n in (2, 30):
        fact = fact_with_claims(n)
        url = f"/api/facts/{fact.id}/comparison/"
        queries, body = count_queries(staff_client, url, {"include_drafts": "true"})
        assert sum(len(g["claims"]) for g in body["groups"]) >= n
        counts.append(queries)
    assert counts[0] == counts[1] <= CROSS_SOURCE_BOUND + STAFF_OVERHEAD, counts


def outlets_sharing(n: int):
    """Two outlets that both reported n facts, one of them in a split."""
    ours, theirs = ArticleFactory(), ArticleFactory()
    for _ in range(n):
        fact = FactFactory()
        ClaimFactory(fact=fact, article=ours)
        ClaimFactory(fact=fact, article=theirs, actor=ActorFactory())
    split = FactFactory(categorical=True)
    ClaimFactory(fact=split, article=ours, categorical=True, category="none stay")
    ClaimFactory(fact=split, article=theirs, categorical=True, category="some stay")
    return ours.outlet, theirs.outlet


def test_an_agreement_costs_a_fixed_number_of_queries(client):
    counts = []
    for n in (2, 25):
        outlet, other = outlets_sharing(n)
        url = f"/api/outlets/{outlet.id}/agreement/"
        queries, body = count_queries(client, url, {"with": other.slug})
        assert body["shared_facts"] == n + 1
        counts.append(queries)
    assert counts[0] == counts[1] <= CROSS_SOURCE_BOUND, counts


def test_a_record_costs_a_fixed_number_of_queries(client):
    counts = []
    for n in (2, 25):
        outlet, _ = outlets_sharing(n)
        queries, body = count_queries(client, f"/api/outlets/{outlet.id}/record/", {})
        assert body["facts"] == n + 1
        counts.append(queries)
    assert counts[0] == counts[1] <= CROSS_SOURCE_BOUND, counts


def test_an_actors_track_record_costs_a_fixed_number_of_queries(client):
    counts = []
    for n in (2, 25):
        spokesman = actor_three_levels_down()
        for year in range(2000, 2000 + n):
            fact = FactFactory()
            day = dt.date(year, 1, 1)
            article = ArticleFactory(published_earliest=day, published_latest=day)
            ClaimFactory(fact=fact, actor=spokesman, article=article)
            ClaimFactory(fact=fact)
        queries, body = count_queries(client, f"/api/actors/{spokesman.id}/record/", {})
        assert (body["overall"]["facts"], len(body["by_year"])) == (n, n)
        counts.append(queries)
    assert counts[0] == counts[1] <= CROSS_SOURCE_BOUND, counts


def test_an_outlets_track_record_costs_the_same_queries_for_2_years_as_for_25(client):
    counts = []
    for n in (2, 25):
        outlet = OutletFactory()
        for year in range(2000, 2000 + n):
            fact = FactFactory()
            day = dt.date(year, 1, 1)
            article = ArticleFactory(outlet=outlet, published_earliest=day, published_latest=day)
            ClaimFactory(fact=fact, article=article)
            ClaimFactory(fact=fact)
        queries, body = count_queries(client, f"/api/outlets/{outlet.id}/record/", {})
        assert (body["overall"]["facts"], len(body["by_year"])) == (n, n)
        counts.append(queries)
    assert counts[0] == counts[1] <= CROSS_SOURCE_BOUND, counts


def test_the_cross_source_views_of_the_seeds_stay_under_the_bound(client, seeds):
    troops = Fact.objects.get(slug="russian-troops-sent")
    tmt = Outlet.objects.get(slug="the-moscow-times")
    for url, params in [
        (f"/api/facts/{troops.id}/comparison/", {}),
        (f"/api/outlets/{tmt.id}/agreement/", {"with": "the-national-interest"}),
        (f"/api/outlets/{tmt.id}/record/", {}),
        ("/api/actors/kremlin/record/", {}),
        ("/api/facts/disputed/", {}),
    ]:
        queries, _ = count_queries(client, url, params)
        assert queries <= CROSS_SOURCE_BOUND, (url, params, queries)
