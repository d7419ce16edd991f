"""Invariants any correct verdict engine keeps, whatever its grouping and tie-breaks: pure, no
database (issue 10, item 8).

They say nothing about which side wins a tie or how a disagreement is typed, only what must not
depend on the order of the input, on which side of zero the values lie, or on a repeated claim.
Only `verdict()`, `Evidence` and the verdict's groups, counts and kind are used, so that a
rewrite of the engine's internals leaves them standing.
"""

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from facts.domain import agreement
from facts.domain.agreement import Evidence
from tests.hypothesis_budget import examples

DAY = 738_000  # an ordinal day (2021-07-21), for as-of dates
ORIGINATORS = ["us", "nato", "kremlin", "minsk", "reuters"]
CATEGORIES = ["none stay", "some stay", "all stay"]


def consensus_of(result: agreement.Verdict) -> agreement.Group | None:
    """The group the verdict presents as the consensus, if it picked one."""
    return next((g for g in result.groups if g.role == "consensus"), None)


def fingerprint(result: agreement.Verdict) -> tuple:
    return (
        result.kind,
        result.summary,
        [
            (g.role, [e.claim_id for e in g.members], g.low, g.high, g.category)
            for g in result.groups
        ],
        [(d.type, d.groups, d.claims, d.reason) for d in result.differences],
        [e.claim_id for e in result.undisclosed],
        (result.claims, result.articles, result.outlets, result.originators),
        result.unlisted_claims,
    )


@st.composite
def claims(draw, *, categorical=None, min_size=1, max_size=10, own_voice=True):
    """A fact's claims: intervals on a small grid (so that ties, touching ends and negative
    numbers are common) or categories, some undisclosed, some in the outlet's own voice."""
    if categorical is None:
        categorical = draw(st.booleans())
    size = draw(st.integers(min_value=min_size, max_value=max_size))
    result = []
    for claim_id in range(1, size + 1):
        outlet = draw(st.integers(1, 4))
        voiced = own_voice and draw(st.integers(0, 5)) == 0
        fields = {
            "claim_id": claim_id,
            "article_id": draw(st.integers(1, 6)),
            "outlet_id": outlet,
            "originator": f"outlet:{outlet}" if voiced else draw(st.sampled_from(ORIGINATORS)),
            "outlet_name": f"outlet {outlet}",
            "own_voice": voiced,
            "story": draw(st.sampled_from(["", "wire"])) if voiced else "",
            "as_of": DAY + draw(st.integers(0, 20)),
            "undisclosed": draw(st.integers(0, 7)) == 0,
        }
        if categorical:
            fields["category"] = draw(st.sampled_from(CATEGORIES))
        else:
            low = draw(st.integers(-6, 6)) * 5
            high = low + draw(st.sampled_from([0, 0, 1, 5, 10, 40]))
            fields.update(
                low=float(low),
                high=float(high),
                point=(low + high) / 2,
                precision=1 if high - low > 10 else 0,
            )
        result.append(Evidence(**fields))
    return result


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_the_verdict_is_the_same_for_any_order_of_the_claims(data):
    evidence = data.draw(claims())
    shuffled = data.draw(st.permutations(evidence))
    assert fingerprint(agreement.verdict(shuffled)) == fingerprint(agreement.verdict(evidence))


@settings(max_examples=examples(150), deadline=None)
@given(claims())
def test_every_disclosed_claim_is_in_exactly_one_group_or_counted_as_unlisted(evidence):
    result = agreement.verdict(evidence)
    disclosed = {e.claim_id for e in evidence if not e.undisclosed}
    listed = [e.claim_id for g in result.groups for e in g.members]
    assert len(listed) == len(set(listed))
    assert set(listed) <= disclosed
    assert len(listed) + result.unlisted_claims == len(disclosed)
    assert {e.claim_id for e in result.undisclosed} == {e.claim_id for e in evidence} - disclosed


@settings(max_examples=examples(150), deadline=None)
@given(claims())
def test_the_consensus_members_share_one_value(evidence):
    consensus = consensus_of(agreement.verdict(evidence))
    if consensus is None:
        return
    members = consensus.members
    if any(e.category for e in members):
        assert len({e.category for e in members}) == 1
    else:
        # Intervals on a line that overlap pairwise share a point, and the other way round.
        assert max(e.low for e in members) <= min(e.high for e in members)


@settings(max_examples=examples(150), deadline=None)
@given(claims(own_voice=False))
def test_the_counts_are_the_sizes_of_the_sets_they_count(evidence):
    result = agreement.verdict(evidence)
    assert result.claims == len(evidence)
    assert result.articles == len({e.article_id for e in evidence})
    assert result.outlets == len({e.outlet_id for e in evidence})
    assert result.originators == len({e.originator for e in evidence if not e.undisclosed})


@settings(max_examples=examples(150), deadline=None)
@given(st.data())
def test_a_second_claim_from_an_originator_in_the_consensus_never_changes_the_verdict(data):
    evidence = data.draw(claims(own_voice=False))
    before = agreement.verdict(evidence)
    consensus = consensus_of(before)
    if consensus is None:
        return
    member = data.draw(st.sampled_from(consensus.members))
    again = replace(
        member,
        claim_id=max(e.claim_id for e in evidence) + 1,
        article_id=99,
        outlet_id=data.draw(st.integers(1, 5)),
    )
    after = agreement.verdict([*evidence, again])
    assert after.kind == before.kind
    assert after.originators == before.originators
    assert [e.claim_id for e in consensus_of(after).members] == [
        *(e.claim_id for e in consensus.members),
        again.claim_id,
    ]


def mirrored(e: Evidence) -> Evidence:
    return replace(e, low=-e.high, high=-e.low, point=None if e.point is None else -e.point)


@st.composite
def a_clear_majority_and_its_rivals(draw):
    """A consensus no tie-break decides: `size` originators whose narrow intervals all contain
    `centre`, rivals from fewer other originators in slots that overlap neither the consensus
    nor each other, and coarse claims around the consensus."""
    centre = draw(st.integers(-1_000, 1_000)) * 10
    size = draw(st.integers(2, 4))
    backers = ORIGINATORS[:size]
    rival_names = [f"rival {i}" for i in range(size - 1)]
    evidence = []

    def add(originator, low, high, precision):
        evidence.append(
            Evidence(
                claim_id=len(evidence) + 1,
                article_id=len(evidence) + 1,
                outlet_id=draw(st.integers(1, 4)),
                originator=originator,
                as_of=DAY + draw(st.integers(0, 20)),
                low=float(low),
                high=float(high),
                point=(low + high) / 2,
                precision=precision,
            )
        )

    for name in backers:
        add(name, centre - draw(st.integers(0, 3)), centre + draw(st.integers(0, 3)), 0)
    for _ in range(draw(st.integers(0, 6))):
        slot = draw(st.integers(1, 4)) * 10 * draw(st.sampled_from([-1, 1]))
        add(draw(st.sampled_from(rival_names)), centre + slot - 1, centre + slot + 1, 0)
    for _ in range(draw(st.integers(0, 2))):
        add(draw(st.sampled_from(ORIGINATORS)), centre - 200, centre + 200, 1)
    return draw(st.permutations(evidence))


def shape(result: agreement.Verdict) -> tuple:
    consensus = consensus_of(result)
    assert consensus is not None
    others = {frozenset(e.claim_id for e in g.members) for g in result.groups if g is not consensus}
    return (
        result.kind,
        [e.claim_id for e in consensus.members],
        others,
        sorted(d.type for d in result.differences),
        (result.claims, result.articles, result.outlets, result.originators),
    )


@settings(max_examples=examples(150), deadline=None)
@given(a_clear_majority_and_its_rivals())
def test_negative_numbers_behave_like_positive_ones(evidence):
    result = agreement.verdict(evidence)
    mirror = agreement.verdict([mirrored(e) for e in evidence])
    assert shape(mirror) == shape(result)
    ours, theirs = consensus_of(result), consensus_of(mirror)
    assert (theirs.low, theirs.high) == (-ours.high, -ours.low)
    assert theirs.best == (None if ours.best is None else -ours.best)
