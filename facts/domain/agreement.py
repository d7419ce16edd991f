"""Cross-source agreement for one fact: pure Python, nothing from Django.

Each claim arrives as Evidence: an interval (a quantity in the fact's canonical unit, or a date
as ordinal days) or a category, with who stands behind it. `verdict()` groups the claims that
agree, finds the conflicts and types them, and counts articles, outlets and independent
originators separately.

- Claims agree when their intervals overlap; the consensus is the intersection of the largest
  agreeing group among the most precise claims, the group backed by most originators (a sweep
  over interval ends, O(n log n)).
- Less precise claims that overlap the consensus support it as a precision difference ("thousands"
  beside "about 30,000"); the others, and precise claims outside the group, form rival groups.
- A rival group is a change over time when the as-of dates of the two groups do not overlap; an
  outlier when a few originators stand against a clear majority (thresholds in data/verdicts.json);
  an attribution split when the sides line up by interested party (governments, militaries,
  spokespeople) with none on both sides; otherwise a value conflict. When no side leads, the fact
  is contested and no value is picked.
- A coarser value that contains a side's value supports it: "in February" supports Feb. 20,
  "Belarus" supports "Minsk" (see `category_contains`), and counts toward that side's lead.

docs/VERDICTS.md defines every type with examples.
"""

from __future__ import annotations

import json
import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, TypedDict

INF = math.inf

AGREED = "agreed"
SINGLE_ORIGINATOR = "single_originator"
VALUE_CONFLICT = "value_conflict"
CHANGE_OVER_TIME = "change_over_time"
ATTRIBUTION_SPLIT = "attribution_split"
PRECISION_DIFFERENCE = "precision_difference"
OUTLIER = "outlier"
CONTESTED = "contested"
NOT_DISCLOSED = "not_disclosed"
NO_CLAIMS = "no_claims"

VERDICTS = (
    AGREED,
    SINGLE_ORIGINATOR,
    PRECISION_DIFFERENCE,
    OUTLIER,
    CHANGE_OVER_TIME,
    ATTRIBUTION_SPLIT,
    VALUE_CONFLICT,
    CONTESTED,
    NOT_DISCLOSED,
    NO_CLAIMS,
)
# Verdicts where the sources disagree and no single consensus settles it. An outlier is not one:
# its consensus stands, and the outlier is named beside it.
DISPUTES = (CHANGE_OVER_TIME, ATTRIBUTION_SPLIT, VALUE_CONFLICT, CONTESTED)
# The columns a fact stores its verdict in (facts.models.Fact), besides the time it was computed:
# one list for the model, the refresh that compares them and the generated seed fixture.
STORED_COLUMNS = (
    "verdict",
    "verdict_summary",
    "verdict_detail",
    "consensus_low",
    "consensus_high",
    "consensus_best",
    "consensus_category",
    "counted_claims",
    "counted_articles",
    "counted_outlets",
    "counted_originators",
)
# Which finding names the verdict when a fact has several rival groups.
SEVERITY = {OUTLIER: 0, CHANGE_OVER_TIME: 1, ATTRIBUTION_SPLIT: 2, VALUE_CONFLICT: 3}

THRESHOLDS_PATH = Path(__file__).parent / "data" / "verdicts.json"


@dataclass(frozen=True)
class Thresholds:
    """The engine's thresholds, read from data/verdicts.json."""

    outlier_max_originators: int
    outlier_min_majority: int
    outlier_min_ratio: float
    interested_party_kinds: frozenset[str]


def load_thresholds(path: Path = THRESHOLDS_PATH) -> Thresholds:
    data = json.loads(path.read_text(encoding="utf-8"))
    outlier = data["outlier"]
    return Thresholds(
        outlier_max_originators=int(outlier["max_originators"]),
        outlier_min_majority=int(outlier["min_majority"]),
        outlier_min_ratio=float(outlier["min_ratio"]),
        interested_party_kinds=frozenset(data["interested_party_kinds"]["kinds"]),
    )


THRESHOLDS = load_thresholds()


def is_interested_party(actor_kind: str) -> bool:
    """Whether an actor of this kind has a stake in what it reports (a government, a military,
    a spokesman), as opposed to a reporting source."""
    return actor_kind in THRESHOLDS.interested_party_kinds


# A quantity is stated precisely when its interval is at most this wide relative to its value:
# "about 30,000" (27,000-33,000, 0.2) is precise; "thousands" or "more than 100,000" is not.
PRECISE_RELATIVE_WIDTH = 0.25
DATE_PRECISION_RANKS = {"day": 0, "week": 1, "month": 2, "quarter": 3, "year": 4}
# Rival groups beyond this many are summarised, not listed, so that a fact with 100,000
# scattered claims still gets its verdict in O(n log n).
MAX_RIVAL_GROUPS = 10
# Values that hold this many days apart or more can have changed between the two dates.
CHANGE_MIN_DAYS = 7


@dataclass(frozen=True, slots=True)
class Evidence:
    """One claim as the agreement sees it."""

    claim_id: int
    article_id: int
    outlet_id: int
    originator: str
    originator_name: str = ""
    outlet_name: str = ""
    own_voice: bool = False
    story: str = ""
    as_of: int | None = None
    low: float = -INF
    high: float = INF
    point: float | None = None
    precision: int = 0
    category: str = ""
    undisclosed: bool = False
    label: str = ""
    # The value as the source gave it ("as many as 50,000", "several weeks", "in 2014"), quoted
    # in summaries instead of an interval the source never said.
    phrase: str = ""
    # Whether the phrase's words do not say the interval it was read as ("some 30,000",
    # "several weeks"), so that a summary shows that interval beside it.
    phrase_read_as_interval: bool = False
    # The kind of bound the source gave ("more_than"), for a group whose sources worded one
    # bound differently ("over 100,000", "more than 100,000").
    bound: str = ""
    # Whether the originator is an interested party (see is_interested_party).
    party: bool = False

    def overlaps(self, other: Evidence) -> bool:
        if self.category or other.category:
            return self.category == other.category
        return self.low <= other.high and other.low <= self.high


@dataclass
class Group:
    """Claims that agree with each other, and the interval or category they share."""

    role: str
    members: list[Evidence]
    low: float = -INF
    high: float = INF
    best: float | None = None
    category: str = ""

    # Who backs this side: its members' originators and those of coarser claims that contain
    # its value (filled by the grouping; the members' originators alone until then).
    backers: dict[str, str] = field(default_factory=dict)

    @property
    def originators(self) -> dict[str, str]:
        return {e.originator: e.originator_name for e in self.members}

    @property
    def support(self) -> int:
        """How many independent originators back this side."""
        return len(self.backers or self.originators)

    @property
    def outlets(self) -> dict[int, str]:
        return {e.outlet_id: e.outlet_name for e in self.members}

    def as_of_range(self) -> tuple[int, int] | None:
        days = [e.as_of for e in self.members if e.as_of is not None]
        return (min(days), max(days)) if days else None


class Counts(TypedDict):
    """How many claims, articles, outlets and independent originators a verdict stands on."""

    claims: int
    articles: int
    outlets: int
    originators: int


@dataclass
class Difference:
    """A typed finding between two groups, with a representative pair of claims."""

    type: str
    groups: tuple[int, int]
    claims: tuple[int, int]
    reason: str


@dataclass(frozen=True)
class Margin:
    """Originators behind the leading side, behind the best rival, and the difference."""

    leading: int
    runner_up: int

    @property
    def margin(self) -> int:
        return self.leading - self.runner_up


@dataclass
class Verdict:
    """The agreement of one fact's claims."""

    kind: str
    summary: str
    groups: list[Group] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    undisclosed: list[Evidence] = field(default_factory=list)
    claims: int = 0
    articles: int = 0
    outlets: int = 0
    originators: int = 0
    unlisted_claims: int = 0
    margin: Margin = field(default_factory=lambda: Margin(0, 0))

    @property
    def consensus(self) -> Group | None:
        """The side that leads; None when no claim counts or no side leads (contested)."""
        if not self.groups or self.groups[0].role != "consensus":
            return None
        return self.groups[0]

    @property
    def disputed(self) -> bool:
        return self.kind in DISPUTES


# Precision ---------------------------------------------------------------------------------


def quantity_precision(low: float, high: float, point: float | None) -> int:
    """0 for a precisely stated quantity, 1 for a vague or open-ended one."""
    if math.isinf(low) or math.isinf(high):
        return 1
    scale = abs(point) if point else max(abs(low), abs(high))
    if scale == 0:
        return 0 if high == low else 1
    return 0 if (high - low) / scale <= PRECISE_RELATIVE_WIDTH else 1


def date_precision(precision: str) -> int:
    """The rank of a date precision: 0 for a day, up to 4 for a year."""
    return DATE_PRECISION_RANKS.get(precision, len(DATE_PRECISION_RANKS))


# Independence ------------------------------------------------------------------------------


def resolve_originators(evidence: Sequence[Evidence]) -> list[Evidence]:
    """Settle who originates each own-voice claim.

    An own-voice claim that restates a value the same article credits to someone else is that
    someone's; own-voice claims in copies of one story (the same text in several outlets) are
    one originator, the first outlet's.
    """
    credited: dict[int, list[Evidence]] = {}
    stories: dict[str, Evidence] = {}
    for e in evidence:
        if not e.own_voice and not e.undisclosed:
            credited.setdefault(e.article_id, []).append(e)
        if e.own_voice and e.story:
            first = stories.get(e.story)
            if first is None or (e.outlet_id, e.claim_id) < (first.outlet_id, first.claim_id):
                stories[e.story] = e
    resolved = []
    for e in evidence:
        if e.own_voice and not e.undisclosed:
            # A restatement agrees with the credited value and adds no precision to it.
            source = next(
                (
                    c
                    for c in credited.get(e.article_id, ())
                    if c.overlaps(e) and c.precision <= e.precision
                ),
                None,
            )
            if source is not None:
                e = replace(
                    e,
                    originator=source.originator,
                    originator_name=source.originator_name,
                    party=source.party,
                )
            elif e.story in stories and stories[e.story].outlet_id != e.outlet_id:
                first = stories[e.story]
                e = replace(e, originator=first.originator, originator_name=first.originator_name)
        resolved.append(e)
    return resolved


# Grouping ----------------------------------------------------------------------------------


def largest_agreeing_group(evidence: Sequence[Evidence]) -> tuple[list[Evidence], float]:
    """The claims whose intervals all share one point, chosen to have most originators
    (then most claims); returns them and that point. O(n log n)."""
    events = []
    for e in evidence:
        # Starts sort before ends at the same coordinate: closed intervals touch.
        events.append((e.low, 0, e.claim_id, e))
        events.append((e.high, 1, e.claim_id, e))
    events.sort(key=lambda event: event[:3])
    active: dict[str, int] = {}
    claims = 0
    best_key, best_point = (-1, -1), -INF
    for coordinate, is_end, _, e in events:
        if is_end:
            claims -= 1
            active[e.originator] -= 1
            if not active[e.originator]:
                del active[e.originator]
        else:
            claims += 1
            active[e.originator] = active.get(e.originator, 0) + 1
            key = (len(active), claims)
            if key > best_key:
                best_key, best_point = key, coordinate
    group = [e for e in evidence if e.low <= best_point <= e.high]
    return group, best_point


def interval_group(role: str, members: list[Evidence]) -> Group:
    """A group of overlapping claims, with their shared interval and best estimate."""
    low = max(e.low for e in members)
    high = min(e.high for e in members)
    points = [min(max(e.point, low), high) for e in members if e.point is not None]
    if points:
        best = statistics.median(points)
    elif math.isinf(low) and math.isinf(high):
        best = None
    elif math.isinf(low) or math.isinf(high):
        best = high if math.isinf(low) else low
    else:
        best = (low + high) / 2
    members = sorted(members, key=lambda e: e.claim_id)
    return Group(role=role, members=members, low=low, high=high, best=best)


def interval_groups(evidence: list[Evidence]) -> tuple[list[Group], list[Evidence]]:
    """Consensus, less precise supporters and rival groups of interval claims, and the claims
    left unlisted beyond MAX_RIVAL_GROUPS.

    The sides are the agreeing groups among the most precise claims; a coarser claim that
    overlaps a side backs it ("in February" backs Feb. 20, not May 20), so the side backed by most
    originators leads and the consensus reports the finest value its backers support.
    """
    finest = min(e.precision for e in evidence)
    core = [e for e in evidence if e.precision == finest]
    coarse = [e for e in evidence if e.precision != finest]
    sides: list[Group] = []
    while core and len(sides) < MAX_RIVAL_GROUPS + 1:
        members, _ = largest_agreeing_group(core)
        sides.append(interval_group("rival", members))
        taken = {e.claim_id for e in members}
        core = [e for e in core if e.claim_id not in taken]
    # An originator that states a precise value backs that value only: its coarser words
    # elsewhere do not make it a backer of a rival side too.
    precise_sides: dict[str, set[int]] = {}
    for index, side in enumerate(sides):
        for e in side.members:
            precise_sides.setdefault(e.originator, set()).add(index)
    for index, side in enumerate(sides):
        backers = {
            e.originator: e.originator_name
            for e in coarse
            if side_contains(e, side) and index in precise_sides.get(e.originator, {index})
        }
        side.backers = {**backers, **side.originators}
    # Most backers first; then most originators of its own, most claims, the value: a fixed
    # order, and a tie on backers is reported as contested by verdict(), never settled by it.
    sides.sort(key=lambda g: (-g.support, -len(g.originators), -len(g.members), g.low, g.high))
    consensus = sides[0]
    consensus.role = "consensus"
    supporters = [e for e in coarse if side_contains(e, consensus)]
    groups = [consensus]
    if supporters:
        groups.append(
            Group(
                role="less_precise",
                members=sorted(supporters, key=lambda e: e.claim_id),
                low=min(e.low for e in supporters),
                high=max(e.high for e in supporters),
            )
        )
    groups.extend(sides[1:])
    supporting = {e.claim_id for e in supporters}
    rest = core + [e for e in coarse if e.claim_id not in supporting]
    while rest and len(groups) < MAX_RIVAL_GROUPS + 2:
        finest = min(e.precision for e in rest)
        members, _ = largest_agreeing_group([e for e in rest if e.precision == finest])
        rival = interval_group("rival", members)
        taken = {e.claim_id for e in members}
        groups.append(rival)
        rest = [e for e in rest if e.claim_id not in taken]
    return groups, rest


def side_contains(e: Evidence, side: Group) -> bool:
    """Whether a claim's interval reaches the side's shared interval (both ends closed)."""
    return e.low <= side.high and side.low <= e.high


CategoryNesting = Mapping[str, str]
LIST_SEPARATOR = ";"


def list_items(category: str) -> frozenset[str]:
    """The items of a list value ('Tolkien; Lewis'), compared without case or extra spaces."""
    return frozenset(
        " ".join(item.split()).casefold() for item in category.split(LIST_SEPARATOR) if item.strip()
    )


def broader(category: str, within: CategoryNesting) -> tuple[list[str], bool]:
    """The categories `category` lies within, nearest first, and whether the chain goes round
    in a circle (it stops where it would repeat). One walk for matching and for validation."""
    found: list[str] = []
    seen, node = {category}, category
    while node in within:
        node = within[node]
        if node in seen:
            return found, True
        seen.add(node)
        found.append(node)
    return found, False


def category_in(broad: str, narrow: str, within: CategoryNesting) -> bool:
    """Whether the fact's declared nesting puts `narrow` within `broad` (Minsk within Belarus)."""
    return broad in broader(narrow, within)[0]


def category_contains(broad: str, narrow: str, within: CategoryNesting) -> bool:
    """Whether `broad` contains `narrow`: Belarus contains Minsk when the fact nests Minsk within
    Belarus (`within` maps a category to the one it lies within); a shorter list of items
    contains any longer list with all of its items ('Tolkien' contains 'Tolkien; Lewis')."""
    if broad == narrow:
        return False
    if category_in(broad, narrow, within):
        return True
    if LIST_SEPARATOR not in narrow:
        return False
    return list_items(broad) < list_items(narrow)


def nesting_problem(within: object, categories: object) -> str:
    """What is wrong with a fact's category nesting, or '' (the rule the model's clean() and
    the API both report): a mapping of a listed category to another listed one, with no cycle."""
    if within in (None, {}):
        return ""
    if not isinstance(within, dict):
        return 'Nesting is a mapping of narrower to broader category: {"Minsk": "Belarus"}.'
    listed = set(categories) if isinstance(categories, list) else set()
    for narrow, broad in within.items():
        if not isinstance(broad, str) or narrow not in listed or broad not in listed:
            return f"{narrow!r} and {broad!r} must both be among the fact's categories."
        if narrow == broad:
            return f"{narrow!r} cannot lie within itself."
    for start in within:
        if broader(start, within)[1]:
            return f"The nesting of {start!r} goes round in a circle."
    return ""


def category_groups(
    evidence: list[Evidence], within: CategoryNesting | None = None
) -> tuple[list[Group], list[Evidence]]:
    """One group per category, the one backed by most originators first.

    In a nesting the fact declares (`within`), a claim backs its own category, every category
    that contains it (Minsk is in Belarus) and every category it contains (a claim of Belarus
    does not contradict Minsk). The leading category is the one with most backers, the finer of
    two that nest; its group holds the claims of it and of finer categories, and coarser claims
    that contain it support it as less precise.

    A shorter list of items supports a longer one that contains it as less precise, but backs
    no side: on the Book-Author data, letting every shorter list back every longer one made any
    store that added a wrong name to a list the consensus (consensus accuracy 0.79 -> 0.56).
    """
    within = within or {}
    by_category: dict[str, list[Evidence]] = {}
    for e in evidence:
        by_category.setdefault(e.category, []).append(e)
    categories = sorted(by_category)
    contained = {
        (broad, narrow)
        for broad in categories
        for narrow in categories
        if category_contains(broad, narrow, within)
    }
    # The nesting that backs sides and joins finer categories to a consensus: the declared one.
    nests = {(broad, narrow) for broad, narrow in contained if category_in(broad, narrow, within)}

    def backers(category: str) -> dict[str, str]:
        related = [
            c
            for c in categories
            if c == category or (c, category) in nests or (category, c) in nests
        ]
        return {e.originator: e.originator_name for c in related for e in by_category[c]}

    def depth(category: str) -> int:
        return sum(1 for c in categories if (c, category) in nests)

    def weight(category: str) -> tuple[int, int, int, int, str]:
        members = by_category[category]
        own = len({e.originator for e in members})
        return (-len(backers(category)), -depth(category), -own, -len(members), category)

    ordered = sorted(categories, key=weight)
    leader = ordered[0]
    finer = [c for c in categories if (leader, c) in nests]
    coarser = [c for c in categories if (c, leader) in contained]
    consensus_members = [e for c in [leader, *finer] for e in by_category[c]]
    groups = [
        Group(
            role="consensus",
            members=sorted(consensus_members, key=lambda e: e.claim_id),
            category=leader,
            backers=backers(leader),
        )
    ]
    if coarser:
        supporters = [e for c in coarser for e in by_category[c]]
        groups.append(
            Group(
                role="less_precise",
                members=sorted(supporters, key=lambda e: e.claim_id),
                category=", ".join(coarser),
            )
        )
    others = [c for c in ordered if c != leader and c not in finer and c not in coarser]
    groups.extend(
        Group(
            role="rival",
            members=sorted(by_category[c], key=lambda e: e.claim_id),
            category=c,
            backers=backers(c),
        )
        for c in others[:MAX_RIVAL_GROUPS]
    )
    rest = [e for c in others[MAX_RIVAL_GROUPS:] for e in by_category[c]]
    return groups, rest


# Typing the disagreement -------------------------------------------------------------------


def days_between(consensus: Group, rival: Group) -> int | None:
    """How many days separate the as-of dates of two groups; None when they overlap."""
    ours, theirs = consensus.as_of_range(), rival.as_of_range()
    if not ours or not theirs:
        return None
    if ours[1] < theirs[0]:
        return theirs[0] - ours[1]
    if theirs[1] < ours[0]:
        return ours[0] - theirs[1]
    return None


def dispute_type(consensus: Group, rival: Group) -> str:
    """Why two sides disagree: a change over time, an attribution split or a value conflict.

    Different sources speaking a day apart are a split, not a change: time explains a
    disagreement when the same originator changed its value, or when the values hold at least
    CHANGE_MIN_DAYS apart. The sides split by attribution when each is backed only by interested
    parties (a government, a military, a spokesman, as the press reports them) and none stands
    on both; when a reporting source in its own voice or one party is on both, the values
    conflict.
    """
    gap = days_between(consensus, rival)
    shared = set(consensus.originators) & set(rival.originators)
    if gap is not None and (shared or gap >= CHANGE_MIN_DAYS):
        return CHANGE_OVER_TIME
    if not shared and all(e.party for e in (*consensus.members, *rival.members)):
        return ATTRIBUTION_SPLIT
    return VALUE_CONFLICT


def is_outlier(consensus: Group, rival: Group, thresholds: Thresholds = THRESHOLDS) -> bool:
    """A few originators against a clear majority (data/verdicts.json holds the thresholds)."""
    return (
        rival.support <= thresholds.outlier_max_originators
        and consensus.support >= thresholds.outlier_min_majority
        and consensus.support >= thresholds.outlier_min_ratio * rival.support
    )


Formatter = Callable[[float], str]


def plain_number(value: float) -> str:
    """30000.0 -> '30,000'; 149.67 -> '149.67'."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def iso_day(value: float) -> str:
    """An ordinal day as an ISO date."""
    return date.fromordinal(int(value)).isoformat()


IRREGULAR_PLURALS = {"foot": "feet", "inch": "inches", "century": "centuries"}


def plural(unit: str) -> str:
    """'kilometer' -> 'kilometers'; units written otherwise are left as they are."""
    if not unit.isalpha():
        return unit
    return IRREGULAR_PLURALS.get(unit, unit if unit.endswith("s") else unit + "s")


def describe_interval(low: float, high: float, fmt: Formatter, unit: str = "") -> str:
    """'27,000 to 33,000', 'at least 100,000', '2022-02-20'."""
    suffix = f" {unit if low == high == 1 else plural(unit)}" if unit else ""
    if math.isinf(low) and math.isinf(high):
        return "any value"
    if math.isinf(low):
        return f"at most {fmt(high)}{suffix}"
    if math.isinf(high):
        return f"at least {fmt(low)}{suffix}"
    if low == high:
        return f"{fmt(low)}{suffix}"
    return f"{fmt(low)} to {fmt(high)}{suffix}"


# How a bound kind is said, and which end of the interval it names: a group of "over 100,000"
# and "more than 100,000" is "more than 100,000", not "at least 100,000".
OPEN_BOUND_WORDS = {
    "more_than": ("more than", "low"),
    "at_least": ("at least", "low"),
    "less_than": ("less than", "high"),
    "at_most": ("at most", "high"),
}


def group_phrase(group: Group) -> tuple[str, bool]:
    """The words of the sources when they gave the group's value in one way ('several weeks'),
    and whether the interval they were read as should be shown beside them."""
    members = [e for e in group.members if e.phrase and (e.low, e.high) == (group.low, group.high)]
    phrases = {e.phrase for e in members}
    if len(phrases) != 1:
        return "", False
    return phrases.pop(), any(e.phrase_read_as_interval for e in members)


def describe_group(group: Group, fmt: Formatter, unit: str) -> str:
    """A group's value as the sources gave it: '“none stay”', 'as many as 50,000', 'in 2014',
    'several weeks (21 to 63 days)', 'about 30,000 (27,000 to 33,000)', '2022-02-20'."""
    if group.category:
        return f"“{group.category}”"
    interval = describe_interval(group.low, group.high, fmt, unit)
    phrase, read_as_interval = group_phrase(group)
    if phrase:
        return f"{phrase} ({interval})" if read_as_interval and phrase != interval else phrase
    bounds = {e.bound for e in group.members}
    if len(bounds) == 1 and (bound := bounds.pop()) in OPEN_BOUND_WORDS:
        words, end = OPEN_BOUND_WORDS[bound]
        limit = group.low if end == "low" else group.high
        if all((e.low, e.high) == (group.low, group.high) for e in group.members):
            return f"{words} {describe_interval(limit, limit, fmt, unit)}"
    if (
        group.best is None
        or group.low == group.high
        or math.isinf(group.low)
        or math.isinf(group.high)
        # "About" a midpoint no source gave means nothing ("a decree published Tuesday", in an
        # article only known to be from January to August 2023): the interval is the value.
        or all(e.point is None for e in group.members)
    ):
        return interval
    return f"about {describe_interval(group.best, group.best, fmt, unit)} ({interval})"


def names(mapping: Mapping[Any, str]) -> str:
    listed = sorted(name or str(key) for key, name in mapping.items())
    return ", ".join(listed)


def counted(number: int, noun: str) -> str:
    """'1 claim', '3 claims': the noun agrees with its number."""
    return f"{number:,} {noun if number == 1 else noun + 's'}"


def quote(e: Evidence) -> str:
    """'“some 30,000 soldiers” (United States, in The Moscow Times)'."""
    words = f"“{e.label}”" if e.label else f"claim {e.claim_id}"
    who = e.originator_name or e.originator
    outlet = e.outlet_name or str(e.outlet_id)
    return f"{words} ({who})" if who == outlet else f"{words} ({who}, in {outlet})"


def difference_reason(
    kind: str, consensus: Group, rival: Group, fmt: Formatter, unit: str, day: Formatter
) -> str:
    a, b = consensus.members[0], rival.members[0]
    ours, theirs = describe_group(consensus, fmt, unit), describe_group(rival, fmt, unit)
    if kind == PRECISION_DIFFERENCE:
        shown = [
            f"{quote(e)}, "
            + (f"“{e.category}”" if e.category else describe_interval(e.low, e.high, fmt, unit))
            for e in rival.members[:3]
        ]
        more = len(rival.members) - len(shown)
        listed = "; ".join(shown) + (f"; and {more} more" if more > 0 else "")
        verb = "is" if len(rival.members) == 1 else "are"
        return f"{listed} {verb} compatible with {ours} but less precise."
    if kind == CHANGE_OVER_TIME:
        ours_days, theirs_days = consensus.as_of_range(), rival.as_of_range()
        # A change over time is only ever found between groups that both have as-of days.
        assert ours_days is not None and theirs_days is not None
        return (
            f"{ours} as of {day(ours_days[0])}–{day(ours_days[1])}, but {theirs} as of "
            f"{day(theirs_days[0])}–{day(theirs_days[1])}: the value changed over time."
        )
    if kind == OUTLIER:
        return (
            f"{theirs} according to {names(rival.originators)} alone, against {ours} from "
            f"{counted(consensus.support, 'independent originator')}: an outlier; the consensus "
            "stands."
        )
    if kind == ATTRIBUTION_SPLIT:
        return (
            f"{ours} according to {names(consensus.originators)}; {theirs} according to "
            f"{names(rival.originators)}: the sides line up by interested party."
        )
    return f"{quote(a)} says {ours} but {quote(b)} says {theirs}: the values do not overlap."


# The verdict -------------------------------------------------------------------------------


def verdict(
    evidence: Iterable[Evidence],
    *,
    fmt: Formatter = plain_number,
    unit: str = "",
    day: Formatter = iso_day,
    within: CategoryNesting | None = None,
) -> Verdict:
    """The typed verdict of one fact's claims (pass only the claims that count); `within` nests
    a categorical fact's categories (see category_contains)."""
    evidence = resolve_originators(sorted(evidence, key=lambda e: e.claim_id))
    disclosed = [e for e in evidence if not e.undisclosed]
    undisclosed = [e for e in evidence if e.undisclosed]
    counts: Counts = {
        "claims": len(evidence),
        "articles": len({e.article_id for e in evidence}),
        "outlets": len({e.outlet_id for e in evidence}),
        "originators": len({e.originator for e in disclosed}),
    }
    if not disclosed:
        if undisclosed:
            who = names({e.originator: e.originator_name for e in undisclosed})
            return Verdict(
                NOT_DISCLOSED, f"Not disclosed ({who}).", undisclosed=undisclosed, **counts
            )
        return Verdict(NO_CLAIMS, "No claim counts yet.", **counts)

    categorical = any(e.category for e in disclosed)
    grouped = category_groups(disclosed, within) if categorical else interval_groups(disclosed)
    groups, unlisted = grouped
    consensus = groups[0]
    rivals = [g for g in groups[1:] if g.role != "less_precise"]
    margin = Margin(consensus.support, max((g.support for g in rivals), default=0))
    differences: list[Difference] = []
    kinds: list[str] = []
    for index, group in enumerate(groups[1:], start=1):
        if group.role == "less_precise":
            kind = PRECISION_DIFFERENCE
        else:
            kind = dispute_type(consensus, group)
            # Interested parties lining up against each other are a split however many stand
            # on each side: counting governments does not settle what is true.
            if kind == VALUE_CONFLICT and is_outlier(consensus, group):
                kind = OUTLIER
                group.role = "outlier"
            kinds.append(kind)
        differences.append(
            Difference(
                type=kind,
                groups=(0, index),
                claims=(consensus.members[0].claim_id, group.members[0].claim_id),
                reason=difference_reason(kind, consensus, group, fmt, unit, day),
            )
        )
    if unlisted:
        kinds.append(VALUE_CONFLICT)
    # No side leads when a rival that disputes the consensus has as many backers: every side
    # is listed and no value is picked (a tie is never settled by which value is smaller).
    tied = [
        g
        for g, d in zip(groups[1:], differences, strict=True)
        if d.type in (ATTRIBUTION_SPLIT, VALUE_CONFLICT)
        and g.support >= consensus.support
        # One source on both sides contradicts itself: that is a value conflict, not a tie.
        and not set(g.originators) & set(consensus.originators)
    ]
    result = Verdict(
        "",
        "",
        groups=groups,
        differences=differences,
        undisclosed=undisclosed,
        unlisted_claims=len(unlisted),
        margin=margin,
        **counts,
    )
    value = describe_group(consensus, fmt, unit)
    # Agreement is said of the value itself: coarser claims that back it count toward its lead,
    # not toward "agreed" (they are listed as less precise beside it).
    backers = consensus.originators
    if tied:
        sides = [consensus, *tied]
        for group in groups:
            if group.role != "less_precise":
                group.role = "side" if any(group is side for side in sides) else group.role
        listed = "; ".join(
            f"{describe_group(g, fmt, unit)} according to {names(g.originators)}" for g in sides
        )
        each = counted(consensus.support, "independent originator")
        more = f"; and {counted(len(unlisted), 'more claim')}" if unlisted else ""
        # A tie between interested parties is still a split, with no value picked; any other
        # tie is contested.
        split = not unlisted and all(
            d.type == ATTRIBUTION_SPLIT for d in differences if d.type != PRECISION_DIFFERENCE
        )
        result.kind = ATTRIBUTION_SPLIT if split else CONTESTED
        title = "Attribution split" if split else "Contested"
        result.summary = (
            f"{title}: {listed}{more}. No side leads ({each} each); no value is picked."
        )
    elif kinds:
        kind = max(kinds, key=SEVERITY.__getitem__)
        rival = next((d for d in differences if d.type == kind), None)
        detail = rival.reason if rival else f"{len(unlisted)} more claims disagree."
        title = {
            VALUE_CONFLICT: "Value conflict",
            ATTRIBUTION_SPLIT: "Attribution split",
            CHANGE_OVER_TIME: "Change over time",
            OUTLIER: "Outlier",
        }[kind]
        result.kind = kind
        result.summary = f"{title}: {detail}"
        if kind == OUTLIER:
            result.summary = (
                f"{value}, from {counted(len(backers), 'independent originator')} "
                f"({names(backers)}). {title}: {detail}"
            )
    elif counts["originators"] <= 1:
        result.kind = SINGLE_ORIGINATOR
        result.summary = (
            f"{value}, from a single originator ({names(backers)}): no independent confirmation."
        )
    elif len(backers) >= 2:
        result.kind = AGREED
        result.summary = (
            f"Agreed: {value}, from {len(backers)} independent originators ({names(backers)})."
        )
        result.summary += "".join(
            f" {d.reason}" for d in differences if d.type == PRECISION_DIFFERENCE
        )
    else:
        result.kind = PRECISION_DIFFERENCE
        result.summary = (
            f"Compatible: {value} according to {names(backers)}; other sources agree only less "
            "precisely."
        )
    return result


# Sides, per claim --------------------------------------------------------------------------

# The side of a claim in a verdict that leads: the consensus, with the coarser claims that
# contain it ("less_precise" only ever comes with a consensus).
ON_CONSENSUS = 0
LEADING_ROLES = ("consensus", "less_precise")


def claim_sides(groups: Iterable[tuple[str, Iterable[int]]]) -> dict[int, int]:
    """Which side each claim of a verdict stands on, from its groups as (role, claim ids) in
    the verdict's order: 0 for the consensus and the claims that support it less precisely;
    1, 2 … for each rival or outlier side of a verdict that has a consensus; -1, -2 … for each
    side of one that has none (contested, or a tied split). The sign says, from one claim
    alone, whether its fact has a consensus: what an outlet's record needs to tell a claim
    against the consensus from one on a fact where no side leads. Claims in no group
    (undisclosed values) have no side."""
    groups = list(groups)
    led = any(role in LEADING_ROLES for role, _ in groups)
    sides: dict[int, int] = {}
    other = 0
    for role, claim_ids in groups:
        if role in LEADING_ROLES:
            side = ON_CONSENSUS
        else:
            other += 1
            side = other if led else -other
        for claim_id in claim_ids:
            sides[claim_id] = side
    return sides
