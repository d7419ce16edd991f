"""Track records: how often each outlet and originator stood with the independent consensus,
overall and by year, in the API and the admin, kept in step with the verdicts."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from facts.domain import track_records as domain
from facts.domain.track_records import ClaimSource, Record
from facts.models import Claim, TrackRecord
from facts.services import articles, claims, review
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory, OutletFactory

# The pure classifier, on hand-written verdict details -------------------------------------


def group(role: str, claim_ids: list[int], originators: list[str]) -> dict:
    return {
        "role": role,
        "claims": claim_ids,
        "originators": [{"key": key, "name": key} for key in originators],
        "outlets": [],
    }


def detail(*groups: dict, originators: int | None = None, differences=()) -> dict:
    keys = {o["key"] for g in groups for o in g["originators"]}
    return {
        "groups": list(groups),
        "differences": list(differences),
        "counts": {"originators": len(keys) if originators is None else originators},
    }


def src(outlet: int, originator: str, year: int | None = 2022) -> ClaimSource:
    return ClaimSource(outlet_id=outlet, originator=originator, year=year)


def test_claims_in_the_consensus_or_less_precise_than_it_stand_with_the_consensus():
    found = domain.standings(
        detail(
            group("consensus", [1, 2], ["actor:10", "actor:11"]),
            group("less_precise", [3], ["actor:12"]),
        ),
        {1: src(100, "actor:10"), 2: src(101, "actor:11"), 3: src(102, "actor:12")},
    )
    assert found[("actor", 12, None)] == "with_consensus"
    assert found[("outlet", 102, None)] == "with_consensus"
    assert found[("actor", 10, 2022)] == "with_consensus"
    assert len(found) == 12  # 3 outlets and 3 actors, overall and in 2022


def test_an_outlier_group_stands_as_an_outlier_and_a_rival_group_as_against():
    found = domain.standings(
        detail(
            group("consensus", [1, 2, 3], ["actor:1", "actor:2", "actor:3"]),
            group("outlier", [4], ["outlet:9"]),
            group("rival", [5], ["actor:5"]),
        ),
        {
            1: src(100, "actor:1"),
            2: src(100, "actor:2"),
            3: src(100, "actor:3"),
            4: src(9, "outlet:9"),
            5: src(101, "actor:5"),
        },
    )
    assert found[("outlet_voice", 9, None)] == "outlier"
    assert found[("outlet", 9, None)] == "outlier"
    assert found[("actor", 5, None)] == "against"
    assert found[("outlet", 101, None)] == "against"
    assert found[("outlet", 100, None)] == "with_consensus"


def test_every_side_of_a_contested_fact_is_contested():
    found = domain.standings(
        detail(group("side", [1], ["actor:1"]), group("side", [2], ["actor:2"])),
        {1: src(100, "actor:1"), 2: src(101, "actor:2")},
    )
    assert set(found.values()) == {"contested"}
    assert found[("actor", 2, None)] == "contested"


def test_a_fact_with_a_single_originator_counts_for_no_one():
    single = detail(group("consensus", [1, 2], ["actor:1"]))
    assert domain.standings(single, {1: src(100, "actor:1"), 2: src(101, "actor:1")}) == {}


def test_an_outlet_on_both_sides_of_a_fact_stands_with_the_consensus():
    found = domain.standings(
        detail(
            group("rival", [1], ["actor:1"]),
            group("consensus", [2, 3], ["actor:2", "actor:3"]),
        ),
        {1: src(100, "actor:1"), 2: src(100, "actor:2"), 3: src(101, "actor:3")},
    )
    assert found[("outlet", 100, None)] == "with_consensus"
    assert found[("actor", 1, None)] == "against"


def test_a_rival_value_that_changed_over_time_is_neither_with_nor_against_the_consensus():
    found = domain.standings(
        detail(
            group("consensus", [1, 2], ["actor:1", "actor:2"]),
            group("rival", [3], ["actor:3"]),
            differences=[{"type": "change_over_time", "groups": [0, 1]}],
        ),
        {1: src(100, "actor:1"), 2: src(101, "actor:2"), 3: src(102, "actor:3")},
    )
    assert ("actor", 3, None) not in found
    assert ("outlet", 102, None) not in found


def test_a_claim_the_engine_credits_to_another_originator_counts_for_its_outlet_only():
    # An own-voice restatement of the actor's figure: the engine lists actor:1, not outlet:100.
    found = domain.standings(
        detail(group("consensus", [1, 2, 3], ["actor:1", "actor:2"])),
        {1: src(100, "actor:1"), 2: src(100, "outlet:100"), 3: src(101, "actor:2")},
    )
    assert ("outlet_voice", 100, None) not in found
    assert found[("outlet", 100, None)] == "with_consensus"


def test_a_subject_counts_a_fact_once_overall_and_once_in_each_year_it_reported_it():
    found = domain.standings(
        detail(group("consensus", [1, 2, 3], ["actor:1", "actor:2"])),
        {1: src(100, "actor:1", 2021), 2: src(100, "actor:1", 2022), 3: src(101, "actor:2", None)},
    )
    outlet_keys = sorted((k for k in found if k[:2] == ("outlet", 100)), key=repr)
    assert outlet_keys == [("outlet", 100, 2021), ("outlet", 100, 2022), ("outlet", 100, None)]
    # An article of unknown year counts overall only.
    assert [k for k in found if k[:2] == ("outlet", 101)] == [("outlet", 101, None)]


@pytest.mark.parametrize(
    "record, sentence",
    [
        (
            Record(facts=140, with_consensus=92, outliers=3, against=45),
            "with the consensus on 92 of 140 facts; 3 outliers; against it on 45",
        ),
        (
            Record(facts=1, with_consensus=0, outliers=1),
            "with the consensus on 0 of 1 fact; 1 outlier",
        ),
        (
            Record(facts=3, with_consensus=2, contested=1),
            "with the consensus on 2 of 3 facts; 0 outliers; 1 contested",
        ),
        (
            Record(),
            "no fact with at least 2 independent originators yet: a sole source agrees with itself",
        ),
    ],
)
def test_a_record_says_its_counts_in_words_with_grammar_by_count(record, sentence):
    assert record.summary == sentence


def test_the_share_with_the_consensus_is_rounded_to_three_places():
    assert Record(facts=140, with_consensus=92, against=48).share_with_consensus == 0.657
    assert Record().share_with_consensus is None


# Stored records, through the services and the API ----------------------------------------

RIVAL_TEXT = "Officials said exactly 50,000 soldiers were sent."


def report(fact, outlet, actor, *, rival=False, year=2022, status=Claim.Status.VERIFIED) -> Claim:
    """A claim on the fact in a new article of the outlet: some 30,000 soldiers, or 50,000."""
    day = dt.date(year, 2, 10)
    fields = {}
    if rival:
        fields = {
            "wording": "exactly 50,000 soldiers",
            "number": Decimal(50000),
            "bound": "exact",
            "hedge": "exactly",
        }
    article = ArticleFactory(
        outlet=outlet,
        published_earliest=day,
        published_latest=day,
        **({"text": RIVAL_TEXT} if rival else {}),
    )
    return ClaimFactory(fact=fact, article=article, actor=actor, status=status, **fields)


def record(client, kind: str, pk: int) -> dict:
    response = client.get(f"/api/{kind}/{pk}/record/")
    assert response.status_code == 200, response.content
    return response.json()


def counts(part: dict) -> tuple[int, int, int, int, int]:
    return (
        part["facts"],
        part["with_consensus"],
        part["outliers"],
        part["against"],
        part["contested"],
    )


@pytest.fixture
def three_facts(db):
    """Outlet A reports three facts, each beside outlets B and C: on two it gives the
    consensus (30,000) with B; on the third, actor Z in A says 50,000 against B and C's 30,000
    (two originators to one: the consensus stands)."""
    a, b, c = OutletFactory(name="A"), OutletFactory(name="B"), OutletFactory(name="C")
    x, y, w, z = (ActorFactory(name=n) for n in ("X", "Y", "W", "Z"))
    facts = [FactFactory() for _ in range(3)]
    for fact in facts[:2]:
        report(fact, a, x)
        report(fact, b, y)
    report(facts[2], a, z, rival=True)
    report(facts[2], b, y)
    report(facts[2], c, w)
    return {"a": a, "b": b, "c": c, "x": x, "y": y, "w": w, "z": z, "facts": facts}


def test_an_outlet_with_the_consensus_on_2_of_3_facts_and_against_it_on_1(client, three_facts):
    body = record(client, "outlets", three_facts["a"].pk)
    assert counts(body["overall"]) == (3, 2, 0, 1, 0)
    assert body["overall"]["share_with_consensus"] == 0.667
    assert (
        body["overall"]["summary"]
        == "with the consensus on 2 of 3 facts; 0 outliers; against it on 1"
    )
    assert [(r["year"], counts(r)) for r in body["by_year"]] == [(2022, (3, 2, 0, 1, 0))]
    assert "at least 2 independent originators" in body["rule"]
    # No claim of A is in its own voice.
    assert counts(body["as_originator"]["overall"]) == (0, 0, 0, 0, 0)
    # The record's older fields stay as they were.
    assert body["facts"] == 3


def test_each_originator_has_its_own_record(client, three_facts):
    assert counts(record(client, "actors", three_facts["z"].pk)["overall"]) == (1, 0, 0, 1, 0)
    assert counts(record(client, "actors", three_facts["y"].pk)["overall"]) == (3, 3, 0, 0, 0)
    assert counts(record(client, "actors", three_facts["x"].pk)["overall"]) == (2, 2, 0, 0, 0)
    assert counts(record(client, "outlets", three_facts["c"].pk)["overall"]) == (1, 1, 0, 0, 0)


def test_a_fact_with_a_single_originator_counts_toward_no_record(client, db):
    outlet, actor = OutletFactory(), ActorFactory()
    fact = FactFactory()
    report(fact, outlet, actor)
    report(fact, OutletFactory(), actor)
    body = record(client, "outlets", outlet.pk)
    assert counts(body["overall"]) == (0, 0, 0, 0, 0)
    assert body["overall"]["share_with_consensus"] is None
    assert body["overall"]["summary"].startswith("no fact with at least 2 independent")
    assert body["by_year"] == []


def test_a_spokesmans_claims_count_under_the_body_he_speaks_for(client, db):
    kremlin = ActorFactory(name="The Kremlin")
    peskov = ActorFactory(name="Dmitry Peskov", parent=kremlin)
    other = ActorFactory(name="NATO")
    for _ in range(2):
        fact = FactFactory()
        report(fact, OutletFactory(), peskov)
        report(fact, OutletFactory(), other)
    body = record(client, "actors", peskov.pk)
    assert body["actor"]["name"] == "Dmitry Peskov"
    assert body["counted_under"]["name"] == "The Kremlin"
    assert counts(body["overall"]) == (2, 2, 0, 0, 0)
    assert counts(record(client, "actors", kremlin.pk)["overall"]) == (2, 2, 0, 0, 0)
    assert not TrackRecord.objects.filter(subject_type="actor", subject_id=peskov.pk).exists()


def test_a_record_is_split_by_the_year_the_articles_were_published(client, db):
    outlet = OutletFactory()
    for year in (2021, 2022, 2022):
        fact = FactFactory()
        report(fact, outlet, ActorFactory(), year=year)
        report(fact, OutletFactory(), ActorFactory(), year=year)
    # One fact reported by the outlet in both years counts once overall.
    both = FactFactory()
    report(both, outlet, ActorFactory(), year=2021)
    report(both, outlet, ActorFactory(), year=2023)
    body = record(client, "outlets", outlet.pk)
    assert counts(body["overall"]) == (4, 4, 0, 0, 0)
    assert [(r["year"], r["facts"]) for r in body["by_year"]] == [(2021, 2), (2022, 2), (2023, 1)]
    assert body["by_year"][0]["summary"] == "with the consensus on 2 of 2 facts; 0 outliers"


def test_verifying_a_claim_moves_the_records(client, three_facts):
    a, z = three_facts["a"], three_facts["z"]
    fact = three_facts["facts"][2]
    # A second and a third originator for 50,000, as drafts: nothing moves yet.
    drafts = [
        report(fact, OutletFactory(), ActorFactory(), rival=True, status=Claim.Status.DRAFT)
        for _ in range(2)
    ]
    assert counts(record(client, "outlets", a.pk)["overall"]) == (3, 2, 0, 1, 0)
    claims.set_claim_status(
        user=review.SYSTEM,
        claims=Claim.objects.filter(pk__in=[d.pk for d in drafts]),
        status="verified",
    )
    # Now 50,000 has three originators against two: A and Z stand with the consensus.
    assert counts(record(client, "outlets", a.pk)["overall"]) == (3, 3, 0, 0, 0)
    assert counts(record(client, "actors", z.pk)["overall"]) == (1, 1, 0, 0, 0)
    assert counts(record(client, "outlets", three_facts["c"].pk)["overall"]) == (1, 0, 0, 1, 0)
    # Rejecting them again puts every count back.
    claims.set_claim_status(
        user=review.SYSTEM,
        claims=Claim.objects.filter(pk__in=[d.pk for d in drafts]),
        status="rejected",
    )
    assert counts(record(client, "outlets", a.pk)["overall"]) == (3, 2, 0, 1, 0)
    assert counts(record(client, "outlets", three_facts["c"].pk)["overall"]) == (1, 1, 0, 0, 0)


def test_a_new_publication_year_moves_a_fact_to_that_year(client, three_facts):
    article = three_facts["facts"][0].claims.get(article__outlet=three_facts["a"]).article
    article.published_earliest = article.published_latest = dt.date(2020, 5, 1)
    articles.save_article(user=review.SYSTEM, article=article)
    body = record(client, "outlets", three_facts["a"].pk)
    assert [(r["year"], r["facts"]) for r in body["by_year"]] == [(2020, 1), (2022, 2)]
    assert body["overall"]["facts"] == 3


def stored_records() -> list[tuple]:
    # Rows a refresh emptied to no fact at all read as no row: leave them out.
    rows = TrackRecord.objects.filter(facts__gt=0).order_by("subject_type", "subject_id", "year")
    return list(
        rows.values_list("subject_type", "subject_id", "year", "facts", "with_consensus", "against")
    )


def test_the_command_rebuilds_the_records_the_refreshes_kept(client, three_facts):
    kept = stored_records()
    TrackRecord.objects.all().delete()
    out = io.StringIO()
    call_command("recompute_track_records", stdout=out)
    assert "Track records rebuilt from 3 counted facts" in out.getvalue()
    assert stored_records() == kept
    assert ("outlet", three_facts["a"].pk, None, 3, 2, 1) in kept
    assert ("outlet", three_facts["a"].pk, 2022, 3, 2, 1) in kept


def test_recomputing_the_verdicts_rebuilds_the_track_records(client, three_facts):
    TrackRecord.objects.all().delete()
    call_command("recompute_verdicts", stdout=io.StringIO())
    assert counts(record(client, "outlets", three_facts["a"].pk)["overall"]) == (3, 2, 0, 1, 0)


@pytest.mark.parametrize("kind", ["outlets", "actors"])
def test_an_unknown_outlet_or_actor_has_no_record(client, db, kind):
    assert client.get(f"/api/{kind}/999999/record/").status_code == 404


def test_records_are_public(client, three_facts):
    assert client.get(f"/api/actors/{three_facts['z'].pk}/record/").status_code == 200


# The admin ---------------------------------------------------------------------------------


def test_the_outlet_page_shows_its_track_record(admin_client_logged_in, three_facts):
    page = admin_client_logged_in.get(f"/admin/facts/outlet/{three_facts['a'].pk}/change/")
    html = page.content.decode()
    assert "with the consensus on 2 of 3 facts; 0 outliers; against it on 1" in html
    assert "<th>2022</th><td>3</td><td>2</td><td>0</td><td>1</td><td>0</td><td>66.7%</td>" in html


def test_the_actor_page_shows_the_record_it_counts_under(admin_client_logged_in, db):
    kremlin = ActorFactory(name="The Kremlin")
    peskov = ActorFactory(name="Dmitry Peskov", parent=kremlin)
    fact = FactFactory()
    report(fact, OutletFactory(), peskov)
    report(fact, OutletFactory(), ActorFactory())
    html = admin_client_logged_in.get(f"/admin/facts/actor/{peskov.pk}/change/").content.decode()
    assert "Counted under The Kremlin, the body Dmitry Peskov speaks for" in html
    assert "with the consensus on 1 of 1 fact; 0 outliers" in html
