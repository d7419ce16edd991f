"""Outlet standings (issue 16): the per-outlet and per-pair totals the outlet paths read are
moved by each verdict refresh, and after any sequence of writes they are what a rebuild from the
claims gives; the paths give the same numbers as counting the claims."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command

from facts.domain import outlet_standings as domain
from facts.models import Claim, OutletFact, OutletPair, OutletSummary
from facts.services import claims, outlet_standings, records, review, verdicts
from tests.factories import ActorFactory, ArticleFactory, ClaimFactory, FactFactory, OutletFactory

pytestmark = pytest.mark.django_db


def kept() -> tuple:
    """The three tables as comparable sets (sides and claim ids sorted: a rebuild
    on SQLite may store them unsorted)."""
    facts = {
        (
            r["outlet_id"],
            r["fact_id"],
            *(r[c] for c in outlet_standings.FACT_COLUMNS[:4]),
            tuple(sorted(r["sides"])),
            r["standing"],
            tuple(sorted(r["claim_ids"])),
        )
        for r in OutletFact.objects.values()
    }
    summaries = {tuple(r.values()) for r in OutletSummary.objects.values()}
    pairs = {tuple(r.values())[1:] for r in OutletPair.objects.values()}
    return facts, summaries, pairs


def assert_same_as_rebuilt() -> None:
    incremental = kept()
    outlet_standings.rebuild()
    assert incremental == kept()


def test_it_keeps_the_standings_a_rebuild_gives_through_adding_changing_rejecting_and_moving():
    ours, theirs, third = (ArticleFactory() for _ in range(3))
    facts = [FactFactory() for _ in range(3)]
    assert_same_as_rebuilt()
    # Adding: agreeing claims, then a rival value on the first fact (a side against them).
    made = [ClaimFactory(fact=f, article=a) for f in facts for a in (ours, theirs)]
    assert OutletPair.objects.get().shared == 3
    assert_same_as_rebuilt()
    rival = ClaimFactory(
        fact=facts[0], article=third, number=Decimal("90000"), actor=ActorFactory()
    )
    ClaimFactory(fact=facts[0], article=third, number=Decimal("90000"), actor=ActorFactory())
    assert_same_as_rebuilt()
    # Changing a value: its side moves.
    claims.update_claim(user=review.SYSTEM, claim=made[1], number=Decimal("90000"))
    assert_same_as_rebuilt()
    # Rejecting, and verifying again.
    claims.set_claim_status(user=review.SYSTEM, claims=[made[0]], status=Claim.Status.REJECTED)
    assert_same_as_rebuilt()
    claims.set_claim_status(user=review.SYSTEM, claims=[made[0]], status=Claim.Status.VERIFIED)
    assert_same_as_rebuilt()
    # Moving a claim to another outlet's article, another fact, and an article to another outlet.
    claims.update_claim(user=review.SYSTEM, claim=rival, article=ours)
    assert_same_as_rebuilt()
    claims.move_claim(user=review.SYSTEM, claim=made[2], fact=facts[2])
    assert_same_as_rebuilt()
    third.outlet = OutletFactory()
    records.save_record(user=review.SYSTEM, row=third)
    assert_same_as_rebuilt()
    # Deleting: an outlet that no longer stands on any fact keeps no summary and no pair.
    claims.delete_claims(user=review.SYSTEM, claims=Claim.objects.filter(article=third))
    assert_same_as_rebuilt()
    assert not OutletSummary.objects.filter(outlet=third.outlet).exists()
    claims.delete_claims(user=review.SYSTEM, claims=Claim.objects.filter(article=theirs))
    assert_same_as_rebuilt()
    assert OutletPair.objects.count() == 0


def test_a_full_recompute_and_the_command_rebuild_the_standings(seeds):
    before = kept()
    OutletFact.objects.all().delete()
    OutletSummary.objects.all().delete()
    verdicts.recompute_all()
    assert kept() == before
    OutletPair.objects.all().delete()
    call_command("recompute_outlet_standings", verbosity=0)
    assert kept() == before


def test_the_pairs_by_bit_sets_count_what_fact_by_fact_pairs_count():
    # Three outlets on four facts: outlet 1 and 2 agree on fact 0, disagree on 1, share 2
    # without sides on one of them; outlet 3 shares fact 3 with outlet 1 only.
    rows = {
        0: {1: [0], 2: [0, 1], 3: []},
        1: {1: [1], 2: [0]},
        2: {1: [], 2: [2]},
        3: {1: [-1], 3: [-1]},
    }
    by_fact: dict = {}
    position: dict[int, int] = {}
    facts_of: dict[int, int] = {}
    sides_of: dict[int, dict[int, int]] = {}
    for fact, outlets in rows.items():
        bit = 1 << position.setdefault(fact, len(position))
        for outlet, sides in outlets.items():
            facts_of[outlet] = facts_of.get(outlet, 0) | bit
            for s in sides:
                sides_of.setdefault(outlet, {})[s] = sides_of.get(outlet, {}).get(s, 0) | bit
        standing = {
            o: domain.of_sides({s: 1 for s in sides}, "agreed") for o, sides in outlets.items()
        }
        for key, numbers in domain.pairs(standing).items():
            by_fact.setdefault(key, {f: 0 for f in domain.PAIR_FIELDS})
            for f in domain.PAIR_FIELDS:
                by_fact[key][f] += numbers[f]
    assert domain.pair_totals(sides_of, facts_of) == by_fact
    assert by_fact[1, 2] == {"shared": 3, "agreed": 1, "disagreed": 1}
    assert by_fact[1, 3] == {"shared": 2, "agreed": 1, "disagreed": 0}


def test_an_outlet_against_itself_shares_and_agrees_on_each_of_its_facts(client):
    article = ArticleFactory()
    for _ in range(2):
        ClaimFactory(fact=FactFactory(), article=article)
    outlet = article.outlet
    body = client.get(f"/api/outlets/{outlet.id}/agreement/", {"with": outlet.slug}).json()
    figures = tuple(body[k] for k in ("shared_facts", "compared", "agreed", "disagreed"))
    assert figures == (2, 2, 2, 0)
    assert [row["agree"] for row in body["facts"]] == [True, True]


def test_a_facts_pair_moves_are_the_difference_of_its_pairs_before_and_after():
    def row(*sides: int) -> domain.OutletFact:
        return domain.of_sides({s: 1 for s in sides} or {None: 1}, "agreed")

    was = {1: row(0), 2: row(0), 3: row(1), 4: row()}
    now = {1: row(1), 2: row(0), 4: row(), 5: row(0)}  # 1 moves, 3 goes, 5 comes
    expected: dict = {}
    for key, numbers in domain.pairs(now).items():
        expected.setdefault(key, Counter()).update(numbers)
    for key, numbers in domain.pairs(was).items():
        expected.setdefault(key, Counter()).subtract(numbers)

    def plain(moves: dict) -> dict:
        return {k: [v[f] for f in domain.PAIR_FIELDS] for k, v in moves.items() if any(v.values())}

    expected, moves = plain(expected), plain(domain.pair_moves(was, now))
    assert moves == expected
    assert (2, 4) not in moves  # neither moved
