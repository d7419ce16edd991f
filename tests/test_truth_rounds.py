"""The likely value's rounds (facts.domain.truth.likely) read each item's votes once: a round
sums weights, it does not compare every vote with every candidate again. The oracle for the
result is CRH's rounds written out plainly below, as `likely` ran them before: every round
reads every vote; the two must agree float for float."""

import random
from collections import defaultdict
from collections.abc import Mapping, Sequence

import pytest

from facts.domain import truth
from facts.domain.truth import Vote, category, number


def plain_vote(item: str, votes: Sequence[Vote], weights: Mapping[str, float]) -> truth.Estimate:
    """The weighted vote as written before: each candidate reads every vote."""
    scores: dict[str | float, float] = defaultdict(float)
    candidates = {v.value.key: v.value for v in votes}
    for key, candidate in candidates.items():
        assert key is not None
        degree: dict[str, float] = defaultdict(float)
        for v in votes:
            degree[v.source] = max(degree[v.source], truth.support(v.value, candidate))
        scores[key] = sum(weights.get(s, 1.0) * d for s, d in degree.items())
    key, tied, rivals = truth._pick(scores, votes, weights)
    chosen = truth.finest_within(truth._value_of(key, votes), votes)
    return truth._estimate(item, votes, chosen, weights, tied, rivals)


def plain_weights(
    items: Mapping[str, Sequence[Vote]], estimates: Mapping[str, truth.Estimate]
) -> dict[str, float]:
    """The source weights as written before: every loss of every vote, added in turn."""
    totals: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for item, vs in items.items():
        spread = truth._spread(vs)
        for v in vs:
            totals[v.source] += truth.loss(v, estimates[item].value, spread)
            counts[v.source] += 1
    votes = sum(counts.values())
    prior = (sum(totals.values()) / votes if votes else 0.0) or 1e-3
    smoothed = {
        s: (totals[s] + truth.PRIOR_VOTES * prior) / (counts[s] + truth.PRIOR_VOTES)
        for s in sorted(totals)
    }
    mean = sum(smoothed.values()) / len(smoothed) if smoothed else 1.0
    return {s: max(truth.MIN_WEIGHT, -truth.math.log(x / mean)) for s, x in smoothed.items()}


def plain_likely(votes: list[Vote]) -> truth.Result:
    items = truth.by_item(truth.usable(votes))

    def estimate(weights: Mapping[str, float]) -> dict[str, truth.Estimate]:
        return {item: plain_vote(item, vs, weights) for item, vs in sorted(items.items())}

    estimates, weights, rounds = estimate({}), {}, 0
    for _ in range(truth.MAX_ITERATIONS):
        rounds += 1
        weights = plain_weights(items, estimates)
        new = estimate(weights)
        moved = any(new[i].value.key != estimates[i].value.key for i in new)
        estimates = new
        if not moved:
            break
    counts: dict[str, int] = defaultdict(int)
    for vs in items.values():
        for v in vs:
            counts[v.source] += 1
    estimates = {i: truth.with_evidence(e, items[i], counts) for i, e in estimates.items()}
    return truth.Result(estimates=estimates, weights=weights, iterations=rounds)


PLACES = {"Minsk": ["Minsk", "Belarus"], "Belarus": ["Belarus"], "Brest": ["Brest", "Belarus"]}
AUTHORS = [["knuth"], ["knuth", "plass"], ["plass"], ["knuth", "plass", "liang"]]


def random_votes(seed: int, items: int = 40, sources: int = 12) -> list[Vote]:
    """Numbers (points and intervals), plain categories, nested places and author lists,
    from sources of unequal reliability, some giving two values on an item."""
    rng = random.Random(seed)
    found = []
    for i in range(items):
        kind = i % 4
        for s in range(sources):
            if rng.random() > 0.6:
                continue
            good = rng.random() < (0.9 if s < 4 else 0.5)
            for _ in range(rng.choice([1, 1, 1, 2])):
                if kind == 0:
                    n = 200 if good else rng.choice([100, 200, 300, 400])
                    value = number(n) if rng.random() < 0.7 else number(n, n - 50, n + 50)
                elif kind == 1:
                    value = category("yes" if good else rng.choice(["yes", "no", "maybe"]))
                elif kind == 2:
                    place = "Minsk" if good else rng.choice(list(PLACES))
                    value = category(place, PLACES[place], nests=True)
                else:
                    names = AUTHORS[1] if good else rng.choice(AUTHORS)
                    value = category("; ".join(names), names)
                found.append(Vote(f"i{i}", f"s{s}", value))
    return found


@pytest.mark.parametrize("seed", range(12))
def test_it_gives_the_same_estimates_weights_and_rounds_as_reading_every_vote_each_round(
    seed: int,
):
    given = random_votes(seed)
    fast, plain = truth.likely(given), plain_likely(given)
    assert fast == plain
    assert list(fast.estimates) == list(plain.estimates)
    assert list(fast.weights) == list(plain.weights)


def test_it_compares_the_votes_with_the_candidates_once_however_many_rounds_it_takes(
    monkeypatch: pytest.MonkeyPatch,
):
    # Numbers only: their losses are distances, so every `support` call is a vote read for
    # a candidate (or for the confidence and evidence at the end). Before, each round read
    # every vote once per candidate: 20 rounds made 20 times the calls.
    given = [v for v in random_votes(18, items=160) if v.value.numeric]
    assert truth.likely(given).iterations >= 3
    calls = 0
    support = truth.support

    def counted(given: truth.Value, candidate: truth.Value) -> float:
        nonlocal calls
        calls += 1
        return support(given, candidate)

    monkeypatch.setattr(truth, "support", counted)
    truth.likely(given, max_iterations=1)
    one_round = calls
    calls = 0
    truth.likely(given)
    assert calls == one_round
