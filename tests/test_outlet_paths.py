"""The outlet paths (issue 16): outlet against outlet and an outlet's record count each claim's
stored side in SQL, never reading a fact's verdict JSON, and give the numbers they gave when
they read it."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facts.domain.agreement import claim_sides
from facts.models import Claim, Outlet
from facts.services import verdicts
from tests.factories import ArticleFactory, ClaimFactory, FactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()


def test_claim_sides_put_the_consensus_at_0_the_sides_against_it_after_and_unled_sides_below():
    led = [("consensus", [1, 2]), ("less_precise", [3]), ("rival", [4]), ("outlier", [5])]
    assert claim_sides(led) == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2}
    assert claim_sides([("side", [1]), ("side", [2, 3])]) == {1: -1, 2: -2, 3: -2}
    assert claim_sides([]) == {}


def test_a_claim_gets_its_side_with_its_facts_verdict_and_a_recompute_puts_it_back():
    fact = FactFactory(categorical=True)
    none_stay = ClaimFactory(fact=fact, categorical=True, category="none stay")
    some_stay = ClaimFactory(fact=fact, categorical=True, category="some stay")
    sides = dict(Claim.objects.filter(fact=fact).values_list("id", "verdict_side"))
    # A split of two with no side leading: two sides, both below 0.
    assert sides[none_stay.id] < 0 and sides[some_stay.id] < 0
    assert sides[none_stay.id] != sides[some_stay.id]
    Claim.objects.filter(fact=fact).update(verdict_side=None)
    verdicts.recompute_all()
    assert dict(Claim.objects.filter(fact=fact).values_list("id", "verdict_side")) == sides


def test_the_outlet_paths_never_read_a_facts_verdict_json(client):
    ours, theirs = ArticleFactory(), ArticleFactory()
    for _ in range(3):
        fact = FactFactory()
        ClaimFactory(fact=fact, article=ours)
        ClaimFactory(fact=fact, article=theirs)
    urls = [
        (f"/api/outlets/{ours.outlet_id}/agreement/", {"with": theirs.outlet.slug}),
        (f"/api/outlets/{ours.outlet_id}/record/", {}),
    ]
    for url, params in urls:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        assert response.status_code == 200
        assert not [q["sql"] for q in queries if "verdict_detail" in q["sql"]], url


def test_outlet_against_outlet_lists_its_first_100_shared_facts_and_counts_them_all(client):
    ours, theirs = ArticleFactory(), ArticleFactory()
    facts = [FactFactory() for _ in range(101)]
    for fact in facts:
        ClaimFactory(fact=fact, article=ours)
        ClaimFactory(fact=fact, article=theirs)
    url = f"/api/outlets/{ours.outlet_id}/agreement/"
    body = client.get(url, {"with": theirs.outlet.slug}).json()
    assert (body["shared_facts"], body["compared"], body["facts_listed_at_most"]) == (101, 101, 100)
    assert [row["fact"]["id"] for row in body["facts"]] == [f.id for f in facts[:100]]


# The seeds' figures as the verdict JSON gave them before the sides were stored (read from
# the starting commit's API): shared, compared, agreed, disagreed.
SEED_AGREEMENTS = {
    ("the-moscow-times", "the-national-interest"): (5, 5, 5, 0),
    ("the-moscow-times", "washington-examiner"): (4, 4, 4, 0),
    ("the-national-interest", "washington-examiner"): (2, 2, 2, 0),
    ("cnn", "washington-examiner"): (0, 0, 0, 0),
}
# claims, facts, counts, with the consensus, against it.
SEED_RECORDS = {
    "the-moscow-times": (60, 36, {"agreed": 5, "alone": 29, "disputed": 2}, 32, 0),
    "the-national-interest": (22, 13, {"agreed": 3, "alone": 8, "disputed": 2}, 12, 1),
    "washington-examiner": (15, 12, {"agreed": 3, "alone": 8, "disputed": 1}, 12, 0),
    "cnn": (20, 18, {"agreed": 2, "alone": 16, "disputed": 0}, 17, 0),
}


@pytest.mark.parametrize("pair", list(SEED_AGREEMENTS))
def test_outlet_against_outlet_gives_the_seeds_figures_of_before(client, seeds, pair):
    outlet = Outlet.objects.get(slug=pair[0])
    body = client.get(f"/api/outlets/{outlet.id}/agreement/", {"with": pair[1]}).json()
    figures = tuple(body[k] for k in ("shared_facts", "compared", "agreed", "disagreed"))
    assert figures == SEED_AGREEMENTS[pair]


@pytest.mark.parametrize("slug", list(SEED_RECORDS))
def test_an_outlets_record_gives_the_seeds_figures_of_before(client, seeds, slug):
    outlet = Outlet.objects.get(slug=slug)
    body = client.get(f"/api/outlets/{outlet.id}/record/").json()
    keys = ("claims", "facts", "counts", "with_consensus", "against_consensus")
    assert tuple(body[k] for k in keys) == SEED_RECORDS[slug]
