"""Cases the seeds never exercise, each a verdict a careful editor would give whatever the engine
does inside: a coarse claim outside the consensus, a rival one day earlier, touching intervals,
repeated claims against independent ones, negative numbers (issue 10, item 8). Pure, no database.

Written against mutants that survived the whole suite (bench/mutation.sh). None of them pins
which side a tie between equally backed sides goes to: that is the engine's to decide.
"""

import math
from dataclasses import replace
from datetime import date

import pytest

from facts.domain import agreement
from facts.domain.agreement import Evidence, quantity_precision

DAY = date(2022, 2, 20).toordinal()
# The kinds that say the sources do not disagree; anything else (a split, a conflict, a change
# over time, an outlier, a contest) says they do.
NOT_A_DISAGREEMENT = {
    agreement.AGREED,
    agreement.SINGLE_ORIGINATOR,
    agreement.PRECISION_DIFFERENCE,
    agreement.NOT_DISCLOSED,
    agreement.NO_CLAIMS,
}


def claim(claim_id, low, high, *, who, outlet=None, article=None, as_of=DAY, **extra):
    point = extra.pop("point", None if math.isinf(low) or math.isinf(high) else (low + high) / 2)
    return Evidence(
        claim_id=claim_id,
        article_id=claim_id if article is None else article,
        outlet_id=claim_id if outlet is None else outlet,
        originator=who,
        originator_name=who,
        outlet_name=f"outlet {claim_id if outlet is None else outlet}",
        as_of=as_of,
        low=low,
        high=high,
        point=point,
        precision=extra.pop("precision", quantity_precision(low, high, point)),
        **extra,
    )


def said(claim_id, category, *, who, article=None, outlet=None, **extra):
    return Evidence(
        claim_id=claim_id,
        article_id=claim_id if article is None else article,
        outlet_id=claim_id if outlet is None else outlet,
        originator=who,
        originator_name=who,
        as_of=DAY,
        category=category,
        **extra,
    )


def consensus_ids(result):
    consensus = next((g for g in result.groups if g.role == "consensus"), None)
    return None if consensus is None else [e.claim_id for e in consensus.members]


def supporting_ids(result):
    """Claims the verdict counts with the consensus: in it, or compatible with it."""
    return {
        e.claim_id
        for g in result.groups
        if g.role in ("consensus", "less_precise")
        for e in g.members
    }


def about_30_000(*, sign=1):
    """The US and NATO say about 30,000 (27,000 to 33,000), or its mirror below zero."""
    low, high = sorted((sign * 27_000, sign * 33_000))
    return [claim(1, low, high, who="us"), claim(2, low, high, who="nato")]


# A coarse claim outside the consensus ---------------------------------------------------


@pytest.mark.parametrize(
    ("sign", "low", "high"),
    [
        (1, 100_000, math.inf),  # "more than 100,000", above the consensus
        (1, 0, 10_000),  # "fewer than 10,000", below it
        (-1, -math.inf, -100_000),  # the same below zero
        (-1, -10_000, 0),
    ],
)
def test_a_coarse_claim_outside_the_consensus_is_not_counted_as_support(sign, low, high):
    coarse = claim(3, low, high, who="examiner")
    assert coarse.precision > 0
    result = agreement.verdict([*about_30_000(sign=sign), coarse])
    assert 3 not in supporting_ids(result)
    assert consensus_ids(result) == [1, 2]
    assert result.kind not in NOT_A_DISAGREEMENT
    assert "less precise" not in result.summary


@pytest.mark.parametrize("sign", [1, -1])
def test_a_coarse_claim_around_the_consensus_is_support_not_a_dispute(sign):
    low, high = sorted((sign * 2_000, sign * 99_999))  # "thousands"
    result = agreement.verdict([*about_30_000(sign=sign), claim(3, low, high, who="examiner")])
    assert result.kind == agreement.AGREED
    assert supporting_ids(result) == {1, 2, 3}
    assert (result.consensus.low, result.consensus.high) == tuple(
        sorted((sign * 27_000, sign * 33_000))
    )


# Own-voice claims beside a credited one -------------------------------------------------


def test_an_own_voice_figure_that_differs_from_the_credited_one_is_the_outlets_own():
    credited = claim(1, 10_000, 10_000, who="nato", article=7, outlet=1)
    own = claim(2, 30_000, 30_000, who="outlet:1", article=7, outlet=1, own_voice=True)
    result = agreement.verdict([credited, own])
    assert result.originators == 2
    assert result.kind not in NOT_A_DISAGREEMENT
    assert {e.originator for g in result.groups for e in g.members} == {"nato", "outlet:1"}


def test_an_own_voice_category_that_differs_from_the_credited_one_is_the_outlets_own():
    credited = said(1, "none stay", who="kremlin", article=7, outlet=1)
    own = said(2, "some stay", who="outlet:1", article=7, outlet=1, own_voice=True)
    result = agreement.verdict([credited, own])
    assert result.originators == 2


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ((10, 20), (21, 30), False),
        ((21, 30), (10, 20), False),
        ((10, 20), (20, 30), True),  # closed intervals that touch share their end
        ((20, 30), (10, 20), True),
        ((-30, -20), (-19, -10), False),
        ((-19, -10), (-30, -20), False),
    ],
)
def test_two_intervals_overlap_only_when_they_share_a_point(first, second, expected):
    a = claim(1, *first, who="a")
    b = claim(2, *second, who="b")
    assert a.overlaps(b) is expected
    assert b.overlaps(a) is expected


def test_categories_overlap_only_when_they_are_the_same():
    assert said(1, "none stay", who="a").overlaps(said(2, "none stay", who="b"))
    assert not said(1, "none stay", who="a").overlaps(said(2, "some stay", who="b"))


# Time -----------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [-1, 1])
def test_other_sources_a_day_apart_are_a_disagreement_not_a_change_over_time(offset):
    # The US and NATO say about 30,000 as of Feb. 20; the Kremlin says 9,000 a day earlier
    # (or later): different sources a day apart disagree, nothing shows the value changed.
    rival = claim(3, 9_000, 9_000, who="kremlin", as_of=DAY + offset)
    result = agreement.verdict([*about_30_000(), rival])
    assert result.kind != agreement.CHANGE_OVER_TIME
    assert result.kind not in NOT_A_DISAGREEMENT
    assert consensus_ids(result) == [1, 2]


@pytest.mark.parametrize("offset", [-1, 1])
def test_one_source_changing_its_value_a_day_apart_is_a_change_over_time(offset):
    result = agreement.verdict(
        [claim(1, 10, 10, who="us"), claim(2, 20, 20, who="us", as_of=DAY + offset)]
    )
    assert result.kind == agreement.CHANGE_OVER_TIME


@pytest.mark.parametrize("sign", [-1, 1])
def test_other_sources_the_change_gap_apart_are_a_change_over_time(sign):
    gap = agreement.CHANGE_MIN_DAYS
    rival = claim(3, 9_000, 9_000, who="kremlin", as_of=DAY + sign * gap)
    assert agreement.verdict([*about_30_000(), rival]).kind == agreement.CHANGE_OVER_TIME
    closer = claim(3, 9_000, 9_000, who="kremlin", as_of=DAY + sign * (gap - 1))
    assert agreement.verdict([*about_30_000(), closer]).kind != agreement.CHANGE_OVER_TIME


# Which side leads -----------------------------------------------------------------------


@pytest.mark.parametrize("rival_day", [DAY - 1, DAY + 1])
def test_a_date_one_day_off_does_not_join_the_consensus(rival_day):
    # Two originators say Feb. 20; one says Feb. 19 (or 21). Each is a single day.
    result = agreement.verdict(
        [
            claim(1, DAY, DAY, who="us"),
            claim(2, DAY, DAY, who="nato"),
            claim(3, rival_day, rival_day, who="tass"),
        ],
        fmt=agreement.iso_day,
    )
    assert consensus_ids(result) == [1, 2]
    assert (result.consensus.low, result.consensus.high) == (DAY, DAY)
    assert result.kind not in NOT_A_DISAGREEMENT


def test_intervals_that_touch_agree_on_their_shared_end():
    # "Feb. 10-20" and "Feb. 20-22" share Feb. 20.
    result = agreement.verdict(
        [
            claim(1, DAY - 10, DAY, who="us", precision=0),
            claim(2, DAY, DAY + 2, who="nato", precision=0),
        ]
    )
    assert result.kind == agreement.AGREED
    assert (result.consensus.low, result.consensus.high) == (DAY, DAY)


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("majority_first", [True, False])
def test_a_side_with_fewer_originators_never_leads_however_many_claims_it_has(sign, majority_first):
    near, far = (10_000, 20_000) if majority_first else (20_000, 10_000)
    majority = [
        claim(i, sign * near, sign * near, who=who)
        for i, who in ((1, "us"), (2, "nato"), (3, "uk"))
    ]
    repeated = [claim(i, sign * far, sign * far, who="kremlin") for i in range(4, 10)]
    result = agreement.verdict([*majority, *repeated])
    assert consensus_ids(result) == [1, 2, 3]
    assert result.consensus.low == result.consensus.high == sign * near
    assert result.kind not in NOT_A_DISAGREEMENT


@pytest.mark.parametrize("sign", [1, -1])
@pytest.mark.parametrize("fewer_first", [True, False])
def test_a_side_with_fewer_claims_never_leads_one_with_as_many_originators(sign, fewer_first):
    # Two originators each side; the Kremlin repeats itself. Repeats are not independence, so
    # the sides may be called even, but the side with fewer claims cannot be ahead.
    few, many = (10_000, 20_000) if fewer_first else (20_000, 10_000)
    fewer = [
        claim(1, sign * few, sign * few, who="us"),
        claim(2, sign * few, sign * few, who="nato"),
    ]
    more = [claim(i, sign * many, sign * many, who="kremlin") for i in range(3, 7)]
    more.append(claim(7, sign * many, sign * many, who="minsk"))
    result = agreement.verdict([*fewer, *more])
    assert consensus_ids(result) != [1, 2]
    assert result.kind not in NOT_A_DISAGREEMENT
    assert {e.claim_id for g in result.groups for e in g.members} == set(range(1, 8))


@pytest.mark.parametrize("sign", [1, -1])
def test_two_even_sides_are_a_disagreement_with_both_sides_listed(sign):
    result = agreement.verdict(
        [
            claim(1, sign * 10, sign * 10, who="us"),
            claim(2, sign * 10, sign * 10, who="nato"),
            claim(3, sign * 20, sign * 20, who="kremlin"),
            claim(4, sign * 20, sign * 20, who="minsk"),
        ]
    )
    assert result.kind not in NOT_A_DISAGREEMENT
    sides = {frozenset(e.claim_id for e in g.members) for g in result.groups}
    assert sides == {frozenset({1, 2}), frozenset({3, 4})}


# Negative numbers -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("low", "high", "point", "expected"),
    [
        (27_000, 33_000, 30_000, 0),
        (-33_000, -27_000, -30_000, 0),
        (10, 1_000, 505, 1),
        (-1_000, -10, -505, 1),  # as vague as its mirror above zero
        (-1_000, -10, None, 1),
        (-5, 5, 0, 1),
        (0, 0, 0, 0),
        (0, 0, None, 0),
    ],
)
def test_a_negative_quantity_is_as_precise_as_its_mirror(low, high, point, expected):
    assert quantity_precision(low, high, point) == expected


def test_a_consensus_below_zero_is_the_mirror_of_one_above():
    # Temperatures: two stations say about -30 (-33 to -27), one says -31.
    result = agreement.verdict(
        [
            claim(1, -33, -27, who="a"),
            claim(2, -33, -27, who="b"),
            claim(3, -31, -31, who="c"),
            claim(4, -10, -10, who="d"),
        ]
    )
    assert consensus_ids(result) == [1, 2, 3]
    assert (result.consensus.low, result.consensus.high, result.consensus.best) == (-31, -31, -31)


@pytest.mark.parametrize("undated", [1, 3])
def test_a_claim_with_no_as_of_date_is_never_a_change_over_time(undated):
    # Nothing says when an undated claim held, so time cannot explain a disagreement with it.
    evidence = [*about_30_000(), claim(3, 9_000, 9_000, who="kremlin", as_of=DAY + 30)]
    evidence[undated - 1] = replace(evidence[undated - 1], as_of=None)
    if undated == 1:
        evidence[1] = replace(evidence[1], as_of=None)
    assert agreement.verdict(evidence).kind != agreement.CHANGE_OVER_TIME


def test_a_quantity_exactly_the_precise_width_is_precise():
    width = agreement.PRECISE_RELATIVE_WIDTH
    assert quantity_precision(100, 100 + 100 * width, 100) == 0
    assert quantity_precision(-100 - 100 * width, -100, -100) == 0
