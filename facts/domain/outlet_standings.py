"""Outlet standings: what an outlet's record and outlet against outlet count, kept per outlet
and per pair of outlets so that both paths read a few rows whatever the outlets' size (issue 16).

Pure Python, nothing from Django. An outlet stands on a fact when one of its articles makes a
verified claim of it: `OutletFact` says how (its claims, how many stand with the consensus,
against it, on any side at all, and which sides). A fact's standing (agreed, disputed, alone)
follows its stored verdict. The totals an outlet's record shows are sums over its facts
(`summary`), and those of outlet against outlet sums over the facts two outlets share
(`pairs`): the services move the stored sums by the difference of a fact's before and after,
so a write costs the facts it touches, never an outlet's size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import combinations

from facts.domain.agreement import DISPUTES, ON_CONSENSUS

AGREED, DISPUTED, ALONE = "agreed", "disputed", "alone"
STANDINGS = (AGREED, DISPUTED, ALONE)

# The summed columns of an outlet's summary and of a pair of outlets, in storage order.
SUMMARY_FIELDS = (
    "claims",
    "facts",
    AGREED,
    DISPUTED,
    ALONE,
    "with_consensus",
    "against_consensus",
    "placed",
)
PAIR_FIELDS = ("shared", "agreed", "disagreed")


def fact_standing(verdict: str, counted_outlets: int) -> str:
    """A fact's standing in an outlet's record: alone when at most one outlet counts for it,
    disputed when its verdict is a dispute, agreed otherwise."""
    if counted_outlets <= 1:
        return ALONE
    if verdict in DISPUTES:
        return DISPUTED
    return AGREED


@dataclass(frozen=True)
class OutletFact:
    """How one outlet stands on one fact: its verified claims of the fact, how many stand with
    the consensus (side 0), against it (a positive side), on any side, and the distinct sides
    (facts.domain.agreement.claim_sides), with the fact's standing."""

    claims: int
    on_consensus: int
    against_consensus: int
    placed: int
    sides: tuple[int, ...]
    standing: str
    # Its claims' ids, sorted: outlet against outlet reads the wordings it lists by them.
    claim_ids: tuple[int, ...] = ()

    @property
    def with_consensus(self) -> bool:
        return self.on_consensus > 0

    @property
    def against(self) -> bool:
        """Against the consensus only: a claim with it counts the fact as with it."""
        return self.on_consensus == 0 and self.against_consensus > 0


def by_outlet(
    claims: Iterable[tuple[int, int | None, int]], standing: str
) -> dict[int, OutletFact]:
    """One fact's outlets from its verified claims, each as (outlet id, side or None, id)."""
    groups: dict[tuple[int, int | None], list[int]] = {}
    for outlet_id, side, claim_id in claims:
        groups.setdefault((outlet_id, side), []).append(claim_id)
    return grouped(groups, standing)


def grouped(
    groups: Mapping[tuple[int, int | None], list[int]], standing: str
) -> dict[int, OutletFact]:
    """One fact's outlets from its verified claims' ids grouped by (outlet id, side or None)."""
    sides: dict[int, dict[int | None, int]] = {}
    ids: dict[int, list[int]] = {}
    for (outlet_id, side), claim_ids in groups.items():
        sides.setdefault(outlet_id, {})[side] = len(claim_ids)
        ids.setdefault(outlet_id, []).extend(claim_ids)
    return {o: of_sides(by_side, standing, ids[o]) for o, by_side in sides.items()}


def of_sides(
    sides: Mapping[int | None, int], standing: str, claim_ids: Iterable[int] = ()
) -> OutletFact:
    """An outlet's standing on a fact from its claims counted by side (None: no side)."""
    placed = {s: n for s, n in sides.items() if s is not None and n}
    return OutletFact(
        claims=sum(sides.values()),
        on_consensus=placed.get(ON_CONSENSUS, 0),
        against_consensus=sum(n for s, n in placed.items() if s > ON_CONSENSUS),
        placed=sum(placed.values()),
        sides=tuple(sorted(placed)),
        standing=standing,
        claim_ids=tuple(sorted(claim_ids)),
    )


def summary(row: OutletFact | None) -> Counter[str]:
    """What one outlet's standing on one fact adds to its summary (nothing when it has none)."""
    if row is None:
        return Counter()
    return Counter(
        {
            "claims": row.claims,
            "facts": 1,
            row.standing: 1,
            "with_consensus": int(row.with_consensus),
            "against_consensus": int(row.against),
            "placed": int(row.placed > 0),
        }
    )


def pair(ours: OutletFact, theirs: OutletFact) -> Counter[str]:
    """What one fact both outlets stand on adds to the pair: shared; agreed when a claim of each
    stands on the same side, disagreed when each has a side and none is the same."""
    if not (ours.placed and theirs.placed):
        return Counter(shared=1)
    together = not set(ours.sides).isdisjoint(theirs.sides)
    return Counter(shared=1, agreed=int(together), disagreed=int(not together))


Pair = tuple[int, int]


def pairs(rows: Mapping[int, OutletFact]) -> dict[Pair, Counter[str]]:
    """What one fact adds to every pair of its outlets, keyed (lower id, higher id)."""
    return {(a, b): pair(rows[a], rows[b]) for a, b in combinations(sorted(rows), 2)}


def pair_moves(
    was: Mapping[int, OutletFact], now: Mapping[int, OutletFact]
) -> dict[Pair, Counter[str]]:
    """How one fact's refresh moves its pairs' totals: only the pairs of an outlet that came,
    went or whose sides moved (a pair reads nothing else), so a claim joining a fact of 200
    outlets recounts 199 pairs, not 19,900."""
    outlets = was.keys() | now.keys()
    moved = {o for o in outlets if _seen(was.get(o)) != _seen(now.get(o))}
    found: dict[Pair, Counter[str]] = {}
    for o in moved:
        for p in outlets:
            if p == o or (p in moved and p < o):  # each pair once
                continue
            move = _counted(now.get(o), now.get(p))
            move.subtract(_counted(was.get(o), was.get(p)))
            if any(move.values()):
                found[min(o, p), max(o, p)] = move
    return found


def _seen(row: OutletFact | None) -> tuple[int, ...] | None:
    return None if row is None else row.sides


def _counted(ours: OutletFact | None, theirs: OutletFact | None) -> Counter[str]:
    return Counter() if ours is None or theirs is None else pair(ours, theirs)


def self_pair(row: Mapping[str, int]) -> dict[str, int]:
    """An outlet against itself, from its summary: every fact shared, agreed where placed."""
    return {"shared": row["facts"], "agreed": row["placed"], "disagreed": 0}


def pair_totals(
    sides: Mapping[int, Mapping[int, int]], facts_of: Mapping[int, int]
) -> dict[Pair, dict[str, int]]:
    """Every pair's totals from scratch, by bit sets over facts rather than fact by fact: for
    each outlet, the set of its facts (`facts_of`, an int used as a bit set) and, per side, the
    facts where it has that side (`sides[outlet][side]`). Shared facts are the intersection of
    the two sets; agreed those where some side's sets intersect; disagreed those where both have
    a side but none in common. Pairs sharing no fact are left out."""
    placed = {o: _union(by_side.values()) for o, by_side in sides.items()}
    found: dict[Pair, dict[str, int]] = {}
    for a, b in combinations(sorted(facts_of), 2):
        shared = (facts_of[a] & facts_of[b]).bit_count()
        if not shared:
            continue
        ours, theirs = sides.get(a, {}), sides.get(b, {})
        together = _union(ours[s] & theirs[s] for s in ours.keys() & theirs.keys())
        both = (placed.get(a, 0) & placed.get(b, 0)).bit_count()
        agreed = together.bit_count()
        found[a, b] = {"shared": shared, "agreed": agreed, "disagreed": both - agreed}
    return found


def _union(masks: Iterable[int]) -> int:
    found = 0
    for mask in masks:
        found |= mask
    return found
