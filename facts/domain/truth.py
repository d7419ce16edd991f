"""Truth discovery: a likely value per item from votes of sources of unequal reliability.

Pure Python, nothing from Django. A vote says that a source gives an item a value: a category,
or an interval (low, high, with an optional point) for a number or a date as ordinal days.
Three methods, over the same votes:

- `majority`: the value most sources give (each source counted once per value);
- `truthfinder`: Yin, Han & Yu, "Truth Discovery with Multiple Conflicting Information
  Providers on the Web" (KDD 2007): a source's trustworthiness is the mean confidence of the
  values it gives, a value's confidence a sigmoid of its sources' scores, with implication
  between similar numbers;
- `likely`: the CRH family (Li et al., "Resolving Conflicts in Heterogeneous Data by Truth
  Discovery and Source Reliability Estimation", SIGMOD 2014): each source's weight is
  -log(its loss / the total loss) against the current estimates (0/1 loss for categories,
  absolute distance normalised by the item's spread for numbers), the estimate is the weighted
  vote (categories) or weighted median (numbers), iterated until nothing moves.

Each estimate comes with a confidence in [0, 1] (the weighted share of the votes that support
the chosen value), the sources that support it with their weights, and a `tied` flag: when two
values score the same, neither is picked silently by position or size; the pick follows a rule
given below, the estimate is flagged and its confidence is at most the rival's share.

The likely value's confidence is that share times the weight of the evidence (`evidence`): a
value backed by one source, or by sources with no track record, is less sure than one backed
by several sources each known from many other items, even when nobody contradicts it.
"""

from __future__ import annotations

import math
import operator
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import reduce
from itertools import repeat

INF = math.inf

# CRH: a source's loss is smoothed toward the mean loss of all sources by this many pseudo
# votes, so that a source with one lucky vote does not outweigh one right on 950 of 1,000 (the
# long-tail problem of CRH that CATD, Li et al. VLDB 2015, addresses with confidence intervals).
PRIOR_VOTES = 2.0
# The likely value's evidence: each supporter counts by how much of its weight rests on its own
# record, n / (n + PRIOR_VOTES) for a source with n votes (1/3 with one vote, 0.98 with 100), and
# the evidence is E / (E + EVIDENCE_PSEUDO_SUPPORTERS): one supporter with a long record gives
# 1/2, three give 3/4, one with a single claim 1/4.
EVIDENCE_PSEUDO_SUPPORTERS = 1.0
MAX_ITERATIONS = 20
# The weight of a source no better than the average: it still breaks a tie between sources
# with no record at all, but never outvotes a source with a good one.
MIN_WEIGHT = 1e-3
# TruthFinder's constants, as in the paper: initial trustworthiness, dampening factor gamma,
# weight of implication rho, and the similarity below which two values imply against each other.
TF_INITIAL_TRUST = 0.9
TF_GAMMA = 0.3
TF_RHO = 0.5
TF_BASE_SIMILARITY = 0.5
TF_TOLERANCE = 1e-6
# How much a shorter list backs a longer one containing it: what TruthFinder's implication
# gives it, rho * (1 - base similarity), so that both methods read nesting alike.
NESTED_SUPPORT = TF_RHO * (1 - TF_BASE_SIMILARITY)


@dataclass(frozen=True, slots=True)
class Value:
    """A category, or an interval with an optional point (a number, a date as ordinal days)."""

    category: str = ""
    low: float = -INF
    high: float = INF
    point: float | None = None
    # A set-valued category (an author list) as its members: a shorter list contained in a
    # longer one supports it (a store that prints only the first author does not deny the
    # others); empty for a plain category, which supports only itself.
    members: frozenset[str] = frozenset()
    # Whether the members come from a declared nesting of categories (a place and the places it
    # lies within, from the fact's category_within), not from a list: then a finer value nested
    # in the leading one is reported when the finer values agree (see `finest_within`).
    nests: bool = False

    @property
    def numeric(self) -> bool:
        return not self.category

    @property
    def number(self) -> float | None:
        """The number that stands for the interval: its point, else its midpoint, else its one
        finite end ("more than 100,000" stands for 100,000); None when it is unbounded."""
        if self.category:
            return None
        if self.point is not None:
            return self.point
        if math.isfinite(self.low) and math.isfinite(self.high):
            return (self.low + self.high) / 2
        if math.isfinite(self.low):
            return self.low
        if math.isfinite(self.high):
            return self.high
        return None

    @property
    def key(self) -> str | float | None:
        """What identifies the value for a vote count: the category or the number."""
        return self.category if self.category else self.number

    def contains(self, number: float) -> bool:
        return self.low <= number <= self.high

    def distance(self, number: float) -> float:
        """How far a number lies outside the interval (0 inside; a point is its own interval)."""
        if self.point is not None and not (math.isfinite(self.low) or math.isfinite(self.high)):
            return abs(self.point - number)
        low = (
            self.low
            if math.isfinite(self.low)
            else (self.point if self.point is not None else -INF)
        )
        high = (
            self.high
            if math.isfinite(self.high)
            else (self.point if self.point is not None else INF)
        )
        if low <= number <= high:
            return 0.0
        return low - number if number < low else number - high


def category(name: str, members: Iterable[str] = (), *, nests: bool = False) -> Value:
    return Value(category=name, members=frozenset(members), nests=nests)


def finest_within(chosen: Value, votes: Sequence[Vote]) -> Value:
    """In a declared nesting, the finest value given that lies within `chosen`, when all the
    values given within it lie on one line (Minneapolis in Minnesota in USA); else `chosen`.

    "USA" does not deny "Minneapolis": a claim of the coarser place is a less precise claim,
    and the finest value the claims support is what a careful reader reports (as the verdict's
    consensus does). When two finer values within it disagree (Minneapolis and St. Paul), none
    is picked over the other here: the coarser leading value stands. Author lists are not a
    declared nesting: a longer list is not reported over a shorter one that leads."""
    if not chosen.nests:
        return chosen
    finer = {
        v.value.key: v.value for v in votes if v.value.nests and chosen.members < v.value.members
    }
    if not finer:
        return chosen
    values = list(finer.values())
    on_one_line = all(
        a.members <= b.members or b.members <= a.members for a in values for b in values
    )
    return max(values, key=lambda v: (len(v.members), v.category)) if on_one_line else chosen


def support(given: Value, candidate: Value) -> float:
    """How much a vote for `given` backs `candidate`, in [0, 1]: fully when it is the same
    value, or a number whose interval holds the candidate ("about 30,000" backs 29,500); by
    NESTED_SUPPORT when it is a list contained in the candidate's (a store printing only the
    first author does not deny the others, but does not name them either)."""
    if given.category or candidate.category:
        if given.key == candidate.key:
            return 1.0
        nested = given.members and candidate.members and given.members < candidate.members
        return NESTED_SUPPORT if nested else 0.0
    point = candidate.number
    return 1.0 if point is not None and (given.key == point or given.contains(point)) else 0.0


def supports(given: Value, candidate: Value) -> bool:
    return support(given, candidate) > 0


def number(point: float, low: float | None = None, high: float | None = None) -> Value:
    """A number, exact unless its interval is given."""
    return Value(
        low=point if low is None else low, high=point if high is None else high, point=point
    )


@dataclass(frozen=True, slots=True)
class Vote:
    """A source gives an item a value."""

    item: str
    source: str
    value: Value


@dataclass(frozen=True)
class Estimate:
    """The value picked for an item, how sure, and the sources behind it with their weights."""

    item: str
    value: Value
    confidence: float
    supporters: tuple[tuple[str, float], ...]
    tied: bool = False
    rivals: int = 0
    # The weight of the evidence in (0, 1] that the confidence includes (see `evidence`); 1 for
    # the methods whose confidence is the share alone (majority, TruthFinder).
    evidence: float = 1.0


@dataclass(frozen=True)
class Result:
    """Per-item estimates and per-source weights (TruthFinder: trustworthiness in [0, 1])."""

    estimates: dict[str, Estimate]
    weights: dict[str, float]
    iterations: int = 1


def usable(votes: Iterable[Vote]) -> list[Vote]:
    """The votes that say something (an unbounded interval says nothing), each (item, source,
    value) once: a source repeating itself gains nothing."""
    seen: set[tuple[str, str, str | float]] = set()
    kept = []
    for vote in votes:
        key = vote.value.key
        if key is None or (vote.item, vote.source, key) in seen:
            continue
        seen.add((vote.item, vote.source, key))
        kept.append(vote)
    return kept


def by_item(votes: Iterable[Vote]) -> dict[str, list[Vote]]:
    items: dict[str, list[Vote]] = defaultdict(list)
    for vote in votes:
        items[vote.item].append(vote)
    return dict(items)


def _supports(vote: Vote, chosen: Value) -> bool:
    return supports(vote.value, chosen)


def _pick(
    scores: Mapping[str | float, float], votes: Sequence[Vote], weights: Mapping[str, float]
) -> tuple[str | float, bool, int]:
    """The best-scoring value key, whether it tied, and how many rivals it had.

    A tie between categories goes to the value whose sources carry more weight in all (their
    track record, not this item's count), then to the alphabetically first, flagged; a tie
    between numbers to the tied value nearest the median of every vote on the item, so that one
    vandal's "14" beside 183,133 and 183,833 is never picked for being the smallest.
    """
    best = max(scores.values())
    tied = sorted((k for k, s in scores.items() if math.isclose(s, best, rel_tol=1e-9)), key=str)
    rivals = len(scores) - 1
    if len(tied) == 1:
        return tied[0], False, rivals
    if all(isinstance(k, float | int) for k in tied):
        numbers = [v.value.number for v in votes if v.value.number is not None]
        middle = statistics.median(numbers)
        return min(tied, key=lambda k: (abs(float(k) - middle), float(k))), True, rivals
    mass: dict[str | float, float] = defaultdict(float)
    for vote in votes:
        if vote.value.key is not None:
            mass[vote.value.key] += weights.get(vote.source, 1.0)
    return max(tied, key=lambda k: (mass[k], -tied.index(k))), True, rivals


def _estimate(
    item: str,
    votes: Sequence[Vote],
    chosen: Value,
    weights: Mapping[str, float],
    tied: bool,
    rivals: int,
) -> Estimate:
    total = sum(weights.get(s, 1.0) for s in {v.source for v in votes})
    degree: dict[str, float] = defaultdict(float)
    for v in votes:
        degree[v.source] = max(degree[v.source], support(v.value, chosen))
    backers = sorted(s for s, d in degree.items() if d > 0)
    share = sum(weights.get(s, 1.0) * degree[s] for s in backers) / total if total > 0 else 0.0
    return Estimate(
        item=item,
        value=chosen,
        confidence=min(1.0, max(0.0, share)),
        supporters=tuple((s, weights.get(s, 1.0)) for s in backers),
        tied=tied,
        rivals=rivals,
    )


def _value_of(key: str | float, votes: Sequence[Vote]) -> Value:
    if isinstance(key, str):
        return next((v.value for v in votes if v.value.key == key), category(key))
    # The tightest interval given for this number, so a date or a range keeps its extent.
    same = [v.value for v in votes if v.value.key == key]
    return min(same, key=lambda v: (v.high - v.low, v.low)) if same else number(float(key))


class Ballot:
    """One item's votes, read once: how much each source backs each candidate value.

    That backing does not depend on the weights, so CRH's rounds (`likely`) read every vote of
    an item once, not once per candidate per round (at 1,000,000 claims that was 2.3 million
    `support` calls a round, for 20 rounds), and each round only sums weights. The sums keep
    the order of the votes (each source at its first vote), so the scores are the same floats
    as when every round read the votes."""

    __slots__ = ("_chosen", "backing", "item", "nested", "votes")

    def __init__(self, item: str, votes: Sequence[Vote], *, nested: bool = False) -> None:
        self.item = item
        self.votes = votes
        self.nested = nested
        candidates = {v.value.key: v.value for v in votes}
        # Per candidate: its backers (in the order of their first vote) and how much each backs it.
        self.backing: dict[str | float, tuple[tuple[str, ...], tuple[float, ...]]] = {}
        for key, candidate in candidates.items():
            assert key is not None
            # A source backs a value by the most any of its votes backs it; `support` once per
            # distinct value given (a value given by many sources is compared once).
            backed: dict[Value, float] = {}
            degree: dict[str, float] = defaultdict(float)
            for v in votes:
                if nested:
                    backing = backed.get(v.value)
                    if backing is None:
                        backing = backed[v.value] = support(v.value, candidate)
                else:
                    backing = float(v.value.key == key)
                degree[v.source] = max(degree[v.source], backing)
            # A source that does not back the value adds w * 0.0 = 0.0 to the sum: left out.
            kept = [(s, d) for s, d in degree.items() if d != 0]
            self.backing[key] = (tuple(s for s, _ in kept), tuple(d for _, d in kept))
        self._chosen: dict[str | float, Value] = {}

    def pick(self, weights: Mapping[str, float]) -> tuple[Value, bool, int]:
        """The value whose sources weigh most (each source once per value), whether it tied,
        and how many rivals it had."""
        get = weights.get
        # sum(weight(s) * degree(s)) in the backers' order, the products and the sum in C.
        scores = {
            key: sum(map(operator.mul, map(get, sources, repeat(1.0)), degrees))
            for key, (sources, degrees) in self.backing.items()
        }
        key, tied, rivals = _pick(scores, self.votes, weights)
        chosen = self._chosen.get(key)
        if chosen is None:
            # What a key stands for depends on the votes alone: found once per key.
            chosen = _value_of(key, self.votes)
            if self.nested:
                chosen = finest_within(chosen, self.votes)
            self._chosen[key] = chosen
        return chosen, tied, rivals

    def estimate(self, weights: Mapping[str, float]) -> Estimate:
        chosen, tied, rivals = self.pick(weights)
        return _estimate(self.item, self.votes, chosen, weights, tied, rivals)


def weighted_vote(
    item: str, votes: Sequence[Vote], weights: Mapping[str, float], *, nested: bool = False
) -> Estimate:
    """The value whose sources weigh most (each source once per value). With `nested`, a
    value is backed by every vote that supports it (see `supports`), not only by its own."""
    return Ballot(item, votes, nested=nested).estimate(weights)


def weighted_median(item: str, votes: Sequence[Vote], weights: Mapping[str, float]) -> Estimate:
    """The weighted median of the votes' numbers; a median that falls exactly between two
    values is a tie, decided by weight and then toward the middle of all votes, and flagged."""
    points: dict[float, float] = defaultdict(float)
    for vote in votes:
        n = vote.value.number
        assert n is not None
        points[n] += weights.get(vote.source, 1.0)
    ordered = sorted(points.items())
    total = sum(points.values())
    running = 0.0
    for index, (n, w) in enumerate(ordered):
        running += w
        if math.isclose(running, total / 2, rel_tol=1e-9) and index + 1 < len(ordered):
            upper = ordered[index + 1][0]
            key, _, _ = _pick({n: w, upper: ordered[index + 1][1]}, votes, weights)
            return _estimate(item, votes, _value_of(key, votes), weights, True, len(ordered) - 1)
        if running > total / 2:
            return _estimate(item, votes, _value_of(n, votes), weights, False, len(ordered) - 1)
    n = ordered[-1][0]
    return _estimate(item, votes, _value_of(n, votes), weights, False, len(ordered) - 1)


def majority(votes: Iterable[Vote]) -> Result:
    """The value most sources give, every source weighing 1."""
    items = by_item(usable(votes))
    estimates = {item: weighted_vote(item, vs, {}) for item, vs in sorted(items.items())}
    sources = {v.source for vs in items.values() for v in vs}
    return Result(estimates=estimates, weights=dict.fromkeys(sorted(sources), 1.0))


# TruthFinder ----------------------------------------------------------------------------------


def similarity(a: Value, b: Value) -> float:
    """How alike two values are, in [0, 1]: categories are alike or not; numbers by their
    relative difference (1 when equal, 0 at a factor of two or more); lists by the share of
    names they have in common (1 when one is contained in the other)."""
    if a.members and b.members:
        return (
            1.0
            if a.members <= b.members
            else len(a.members & b.members) / len(a.members | b.members)
        )
    if a.category or b.category:
        return 1.0 if a.key == b.key else 0.0
    x, y = a.number, b.number
    if x is None or y is None:
        return 0.0
    scale = max(abs(x), abs(y))
    return 1.0 if scale == 0 else max(0.0, 1.0 - abs(x - y) / scale)


def truthfinder(votes: Iterable[Vote], *, max_iterations: int = MAX_ITERATIONS) -> Result:
    """TruthFinder (Yin et al. 2007). Numbers imply each other by similarity; categories do
    not (they are only alike when equal)."""
    items = by_item(usable(votes))
    sources = sorted({v.source for vs in items.values() for v in vs})
    trust = dict.fromkeys(sources, TF_INITIAL_TRUST)
    facts: dict[str, dict[str | float, list[Vote]]] = {}
    for item, vs in items.items():
        grouped: dict[str | float, list[Vote]] = defaultdict(list)
        for v in vs:
            key = v.value.key
            assert key is not None
            grouped[key].append(v)
        facts[item] = dict(grouped)
    confidence: dict[str, dict[str | float, float]] = {}
    iterations = 0
    for _ in range(max_iterations):
        iterations += 1
        score = {s: -math.log(max(1e-12, 1.0 - min(t, 1 - 1e-12))) for s, t in trust.items()}
        for item, grouped in facts.items():
            sigma = {k: sum(score[v.source] for v in vs) for k, vs in grouped.items()}
            values = {k: vs[0].value for k, vs in grouped.items()}
            adjusted = {}
            for k in grouped:
                implied = sum(
                    sigma[other] * (similarity(values[other], values[k]) - TF_BASE_SIMILARITY)
                    for other in grouped
                    if other != k and (values[k].numeric or values[k].members)
                )
                adjusted[k] = sigma[k] + TF_RHO * implied
            confidence[item] = {
                k: 1.0 / (1.0 + math.exp(-TF_GAMMA * a)) for k, a in adjusted.items()
            }
        given: dict[str, list[float]] = defaultdict(list)
        for item, grouped in facts.items():
            for k, vs in grouped.items():
                for v in vs:
                    given[v.source].append(confidence[item][k])
        new = {s: sum(given[s]) / len(given[s]) for s in sources}
        change = max((abs(new[s] - trust[s]) for s in sources), default=0.0)
        trust = new
        if change < TF_TOLERANCE:
            break
    estimates = {}
    for item, vs in sorted(items.items()):
        key, tied, rivals = _pick(confidence[item], vs, trust)
        chosen = _value_of(key, vs)
        backers = sorted({v.source for v in vs if _supports(v, chosen)})
        estimates[item] = Estimate(
            item=item,
            value=chosen,
            confidence=confidence[item][key],
            supporters=tuple((s, trust[s]) for s in backers),
            tied=tied,
            rivals=rivals,
        )
    return Result(estimates=estimates, weights=trust, iterations=iterations)


# The likely value (CRH) -----------------------------------------------------------------------


def _spread(votes: Sequence[Vote]) -> float:
    """The scale a number's loss is divided by: the standard deviation of the item's numbers
    (CRH's normalisation), or 1 when they all agree (every loss is 0 then anyway)."""
    numbers = [v.value.number for v in votes if v.value.number is not None]
    spread = statistics.pstdev(numbers) if len(numbers) > 1 else 0.0
    return spread if spread > 0 else 1.0


def loss(vote: Vote, estimate: Value, spread: float) -> float:
    """0/1 for a category; for a number the distance to the vote's interval over the spread,
    capped at 1 so that one absurd figure weighs like one wrong category."""
    if vote.value.category or estimate.category:
        return 1.0 - support(vote.value, estimate)
    point = estimate.number
    if point is None:
        return 1.0
    return min(1.0, vote.value.distance(point) / spread)


def source_weights(
    items: Mapping[str, Sequence[Vote]],
    estimates: Mapping[str, Estimate],
    spreads: Mapping[str, float],
) -> dict[str, float]:
    """Each source's weight from its track record against the current estimates.

    CRH's weight is -log(source loss / total loss). Over n sources that is log n plus
    -log(source loss / mean loss): every source keeps about log n (7 for 900 stores), so a
    source wrong twice as often as the average still weighs 6.3 against 7, and a crowd of poor
    sources outvotes a few good ones. Here the loss is taken against the mean (the log n shift
    dropped) and floored at MIN_WEIGHT, so a source worse than the average counts for little.
    A source's loss is its mean over its votes, smoothed toward the mean of all votes by
    PRIOR_VOTES pseudo-votes, so that one lucky vote is no track record.
    """
    return Losses(items, spreads).weights({item: e.value for item, e in estimates.items()})


class Losses:
    """The votes' losses against the estimates, kept between CRH's rounds (`likely`).

    A round moves few estimates (at 1,000,000 claims 425 of 10,000 items in the first, 2 to 20
    in the later ones), so it computes the losses of the items whose estimate moved and keeps
    the others'. Each source's losses are kept in one list in the order of the votes (items,
    then each item's votes) and summed left to right, so every total is the same float as
    when each round added every loss in turn."""

    def __init__(self, items: Mapping[str, Sequence[Vote]], spreads: Mapping[str, float]):
        self.items = items
        self.spreads = spreads
        # Each source's votes in order (this dict's order, the sources' first votes, is the
        # order the totals are summed in); each vote's place in its source's list.
        self.counts: dict[str, int] = defaultdict(int)
        self._places: dict[str, list[tuple[list[float], int]]] = {}
        self._losses: dict[str, list[float]] = defaultdict(list)
        for item, vs in items.items():
            places = self._places[item] = []
            for v in vs:
                self.counts[v.source] += 1
                kept = self._losses[v.source]
                places.append((kept, len(kept)))
                kept.append(0.0)
        self._against: dict[str, Value] = {}

    def weights(self, estimates: Mapping[str, Value]) -> dict[str, float]:
        """`source_weights` against these estimated values."""
        for item, vs in self.items.items():
            estimate = estimates[item]
            if self._against.get(item) == estimate:
                continue
            spread = self.spreads[item]
            for (kept, place), v in zip(self._places[item], vs, strict=True):
                kept[place] = loss(v, estimate, spread)
            self._against[item] = estimate
        # reduce(add), not sum(): left to right on every Python (3.12's sum() compensates).
        totals = {s: reduce(operator.add, self._losses[s], 0.0) for s in self.counts}
        votes = sum(self.counts.values())
        prior = (sum(totals.values()) / votes if votes else 0.0) or 1e-3
        counts = self.counts
        smoothed = {
            s: (totals[s] + PRIOR_VOTES * prior) / (counts[s] + PRIOR_VOTES) for s in sorted(totals)
        }
        mean = sum(smoothed.values()) / len(smoothed) if smoothed else 1.0
        return {s: max(MIN_WEIGHT, -math.log(value / mean)) for s, value in smoothed.items()}


def record_strength(count: int) -> float:
    """How much of a source's weight rests on its own record rather than on the prior: its
    votes over its votes plus PRIOR_VOTES (the pseudo-votes of `source_weights`)."""
    return count / (count + PRIOR_VOTES) if count > 0 else 0.0


def evidence(votes: Sequence[Vote], chosen: Value, counts: Mapping[str, int]) -> float:
    """How much evidence backs `chosen`, in [0, 1): the supporters' record strengths summed
    (a nested supporter by its degree of support), E, as E / (E + EVIDENCE_PSEUDO_SUPPORTERS).

    A share of 1.0 from one anonymous editor is not the same as a share of 1.0 from ten
    sources known from hundreds of items; this factor is what tells them apart. It grows with
    every independent supporter and with each supporter's record, never reaches 1, and does
    not depend on the weights (which are relative: an average source weighs little)."""
    degree: dict[str, float] = defaultdict(float)
    for v in votes:
        degree[v.source] = max(degree[v.source], support(v.value, chosen))
    strength = sum(record_strength(counts.get(s, 0)) * d for s, d in degree.items() if d > 0)
    return strength / (strength + EVIDENCE_PSEUDO_SUPPORTERS)


def with_evidence(estimate: Estimate, votes: Sequence[Vote], counts: Mapping[str, int]) -> Estimate:
    """The estimate with its confidence weighed by its evidence (share x evidence)."""
    weight = evidence(votes, estimate.value, counts)
    return replace(estimate, confidence=estimate.confidence * weight, evidence=weight)


def likely(
    votes: Iterable[Vote], *, max_iterations: int = MAX_ITERATIONS, numbers: str = "vote"
) -> Result:
    """The likely value of every item: CRH's alternation of source weights and weighted
    estimates, from the majority (categories) or median (numbers) until nothing changes.

    Each item's votes are read once (`Ballot`, `Losses`); a round sums weights and picks. The
    rounds do not stop sooner than they did (up to MAX_ITERATIONS: at 1,000,000 claims the
    estimates keep moving for all 20), and the result is the same, float for float."""
    items = by_item(usable(votes))
    spreads = {item: _spread(vs) for item, vs in items.items()}
    ordered = sorted(items.items())
    ballots = {
        item: Ballot(item, vs, nested=True)
        for item, vs in ordered
        if not (numbers == "median" and not vs[0].value.category)
    }
    losses = Losses(items, spreads)

    def estimate(weights: Mapping[str, float]) -> dict[str, Value]:
        return {
            item: (
                ballots[item].pick(weights)[0]
                if item in ballots
                else weighted_median(item, vs, weights).value
            )
            for item, vs in ordered
        }

    estimates = estimate({})
    weights: dict[str, float] = {}
    iterations = 0
    for _ in range(max_iterations):
        iterations += 1
        weights = losses.weights(estimates)
        new = estimate(weights)
        moved = any(new[i].key != estimates[i].key for i in new)
        estimates = new
        if not moved:
            break
    # The estimates in full (confidence, supporters) once, with the last round's weights.
    final = {
        item: (
            ballots[item].estimate(weights)
            if item in ballots
            else weighted_median(item, vs, weights)
        )
        for item, vs in ordered
    }
    counts = losses.counts
    final = {item: with_evidence(e, items[item], counts) for item, e in final.items()}
    return Result(estimates=final, weights=weights, iterations=iterations)


METHODS = {"majority": majority, "truthfinder": truthfinder, "likely": likely}
