"""Track records: how often each outlet and each originator stood with the independent consensus.

Pure Python, nothing from Django. `standings()` reads one fact's stored verdict detail (see
facts.services.verdicts.detail) and says where each subject stood on that fact, overall and by
the year of the articles its claims appeared in; `tally()` adds standings up into records.

Subjects are (type, id) pairs:
- ("outlet", id): an outlet as publisher, for every claim in its articles, whoever it credits;
- ("outlet_voice", id): an outlet as originator, for claims in its own voice (a wire copy
  counts under the wire agency: the verdict's "outlet:<id>" originator keys);
- ("actor", id): an actor as originator (the top of its parent chain: a spokesman counts under
  the body he speaks for: the verdict's "actor:<id>" originator keys).

Only facts with at least MIN_ORIGINATORS independent originators count: a sole source trivially
agrees with itself.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from facts.domain.agreement import counted

# The verdict detail's vocabulary, in one place (facts.domain.agreement and the verdict engine
# write these strings).
ROLE_CONSENSUS = "consensus"
ROLE_LESS_PRECISE = "less_precise"
ROLE_RIVAL = "rival"
ROLE_OUTLIER = "outlier"
ROLE_SIDE = "side"  # every group of a verdict where no side leads: no group is the consensus
KIND_OUTLIER = "outlier"
KIND_CONTESTED = "contested"
CHANGE_OVER_TIME = "change_over_time"

# Where a subject stood on one fact.
WITH_CONSENSUS = "with_consensus"
OUTLIER = "outlier"
AGAINST = "against"
CONTESTED = "contested"
UNCOUNTED = "uncounted"
STANDINGS = (WITH_CONSENSUS, OUTLIER, AGAINST, CONTESTED)

ROLE_STANDINGS = {
    ROLE_CONSENSUS: WITH_CONSENSUS,
    ROLE_LESS_PRECISE: WITH_CONSENSUS,  # a coarser claim that contains the consensus supports it
    ROLE_OUTLIER: OUTLIER,
    ROLE_RIVAL: AGAINST,
    ROLE_SIDE: CONTESTED,
}
# A subject with claims in several groups of one fact stands where its best claim stands: an
# outlet that reported both the consensus and a rival value did report the consensus.
PRECEDENCE = {WITH_CONSENSUS: 0, OUTLIER: 1, AGAINST: 2, CONTESTED: 3, UNCOUNTED: 4}

MIN_ORIGINATORS = 2

OUTLET = "outlet"
OUTLET_VOICE = "outlet_voice"
ACTOR = "actor"
SUBJECT_TYPES = (OUTLET, OUTLET_VOICE, ACTOR)
ORIGINATOR_TYPES = {"outlet": OUTLET_VOICE, "actor": ACTOR}

Subject = tuple[str, int]
# (subject type, subject id, year or None for overall)
Key = tuple[str, int, int | None]


class ClaimSource(NamedTuple):
    """What the verdict detail does not say of a counted claim: the outlet that published it,
    the originator the database credits it to (before the engine settles restatements and
    copies), and the year its article was published. A named tuple: built once per claim on
    a full rebuild, and a tuple costs a third of a frozen dataclass to build."""

    outlet_id: int
    originator: str
    year: int | None


def originator_subject(key: str) -> Subject | None:
    """The subject of a verdict's originator key ("actor:12", "outlet:3")."""
    kind, _, number = key.partition(":")
    subject_type = ORIGINATOR_TYPES.get(kind)
    if subject_type is None or not number.isdigit():
        return None
    return subject_type, int(number)


def claim_standing(role: str, change_over_time: bool) -> str:
    """Where a claim in a group of this role stands. A rival that differs from the consensus by
    a change over time held its value at another time: it neither stood with the consensus
    nor against it."""
    if role == ROLE_RIVAL and change_over_time:
        return UNCOUNTED
    return ROLE_STANDINGS.get(role, UNCOUNTED)


def counts(detail: Mapping[str, Any]) -> bool:
    """Whether a fact counts toward track records: enough independent originators."""
    originators = detail.get("counts", {}).get("originators", 0)
    return bool(originators >= MIN_ORIGINATORS and detail.get("groups"))


def standings(detail: Mapping[str, Any], sources: Mapping[int, ClaimSource]) -> dict[Key, str]:
    """Where each subject stood on one fact: overall (year None) and by year.

    `sources` describes the fact's counted claims by id; claims of the detail missing from it
    are left out. A claim counts for its originator only when the verdict lists that originator
    in its group: a claim the engine credits to someone else (an own-voice restatement of a
    credited figure, a copy of another outlet's story) counts for that someone through their
    own claim, not twice.
    """
    if not counts(detail):
        return {}
    moved_in_time = {
        difference["groups"][1]
        for difference in detail.get("differences", [])
        if difference.get("type") == CHANGE_OVER_TIME and len(difference.get("groups", ())) == 2
    }
    found: dict[Key, str] = {}
    rank = PRECEDENCE

    def stand(subject_type: str, subject_id: int, year: int | None, standing: str) -> None:
        # An article without a known year counts overall only.
        for key in ((subject_type, subject_id, None), (subject_type, subject_id, year)):
            before = found.get(key)
            if before is None or rank[standing] < rank[before]:
                found[key] = standing
            if year is None:
                break

    for index, group in enumerate(detail.get("groups", [])):
        standing = claim_standing(group.get("role", ""), index in moved_in_time)
        if standing == UNCOUNTED:
            continue
        listed = {o["key"] for o in group.get("originators", [])}
        for claim_id in group.get("claims", []):
            source = sources.get(claim_id)
            if source is None:
                continue
            outlet_id, originator_key, year = source
            stand(OUTLET, outlet_id, year, standing)
            if originator_key in listed:
                originator = originator_subject(originator_key)
                if originator is not None:
                    stand(*originator, year, standing)
    return found


@dataclass(frozen=True)
class Record:
    """A subject's record over some facts, with the counts behind every share."""

    facts: int = 0
    with_consensus: int = 0
    outliers: int = 0
    against: int = 0
    contested: int = 0

    @property
    def share_with_consensus(self) -> float | None:
        return round(self.with_consensus / self.facts, 3) if self.facts else None

    @property
    def summary(self) -> str:
        return summary(self)


# Record's field for each standing.
FIELDS = {
    WITH_CONSENSUS: "with_consensus",
    OUTLIER: "outliers",
    AGAINST: "against",
    CONTESTED: "contested",
}


def tally(found: Iterable[tuple[Key, str]]) -> Counter[tuple[Key, str]]:
    """How many facts each (subject, year) stood on, by standing."""
    return Counter((key, standing) for key, standing in found if standing in STANDINGS)


def record(numbers: Mapping[str, int]) -> Record:
    """A record from its counts by standing."""
    values = {FIELDS[s]: numbers.get(s, 0) for s in STANDINGS}
    return Record(facts=sum(values.values()), **values)


def summary(r: Record) -> str:
    """A record in words, with the counts behind the share."""
    if not r.facts:
        return (
            f"no fact with at least {MIN_ORIGINATORS} independent originators yet: "
            "a sole source agrees with itself"
        )
    text = f"with the consensus on {r.with_consensus} of {counted(r.facts, 'fact')}"
    text += f"; {counted(r.outliers, 'outlier')}"
    if r.against:
        text += f"; against it on {r.against}"
    if r.contested:
        text += f"; {r.contested} contested"
    return text
