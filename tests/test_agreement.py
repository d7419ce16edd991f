"""Agreement over one fact's claims: pure functions, no database."""

import math
import random
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from facts.domain import agreement, units
from facts.domain.agreement import Evidence, quantity_precision
from tests.hypothesis_budget import examples

DAY = 738_000  # an ordinal day, for as-of dates


def claim(claim_id, low, high, *, who="us", outlet=1, article=None, as_of=DAY, **extra):
    point = extra.pop("point", (low + high) / 2 if not math.isinf(low + high) else None)
    return Evidence(
        claim_id=claim_id,
        article_id=article if article is not None else claim_id,
        outlet_id=outlet,
        originator=who,
        originator_name=who,
        outlet_name=f"outlet {outlet}",
        as_of=as_of,
        low=low,
        high=high,
        point=point,
        precision=extra.pop("precision", quantity_precision(low, high, point)),
        **extra,
    )


def said(claim_id, category, *, who, as_of=DAY, **extra):
    return Evidence(
        claim_id=claim_id,
        article_id=extra.pop("article", claim_id),
        outlet_id=extra.pop("outlet", 1),
        originator=who,
        originator_name=who,
        as_of=as_of,
        category=category,
        **extra,
    )


def test_overlapping_values_from_two_originators_agree_on_their_intersection():
    result = agreement.verdict(
        [claim(1, 27_000, 33_000, who="us"), claim(2, 29_000, 35_000, who="nato", outlet=2)]
    )
    assert result.kind == agreement.AGREED
    assert (result.consensus.low, result.consensus.high) == (29_000, 33_000)
    assert result.originators == 2 and result.outlets == 2


def test_twenty_outlets_repeating_one_source_are_one_originator():
    copies = [claim(i, 27_000, 33_000, who="nato", outlet=i) for i in range(20)]
    result = agreement.verdict(copies)
    assert result.kind == agreement.SINGLE_ORIGINATOR
    assert (result.outlets, result.originators) == (20, 1)
    assert "single originator" in result.summary


def test_an_own_voice_restatement_in_the_same_article_is_not_a_new_originator():
    credited = claim(1, 27_000, 33_000, who="nato", article=7)
    restated = claim(2, 27_000, 33_000, who="outlet:1", article=7, own_voice=True)
    result = agreement.verdict([credited, restated])
    assert result.originators == 1
    assert result.kind == agreement.SINGLE_ORIGINATOR


def test_an_own_voice_value_more_precise_than_the_credited_one_stays_the_outlets():
    vague = claim(1, 2_000, 99_999, who="kremlin", article=7)
    precise = claim(2, 30_000, 30_000, who="outlet:1", article=7, own_voice=True)
    resolved = agreement.resolve_originators([vague, precise])
    assert resolved[1].originator == "outlet:1"


def test_the_same_wire_story_in_two_outlets_counts_once():
    first = claim(1, 10, 10, who="outlet:1", outlet=1, own_voice=True, story="abc")
    copy = claim(2, 10, 10, who="outlet:2", outlet=2, own_voice=True, story="abc")
    result = agreement.verdict([first, copy])
    assert (result.outlets, result.originators) == (2, 1)


def test_a_vague_compatible_value_is_a_precision_difference_not_a_conflict():
    result = agreement.verdict(
        [
            claim(1, 27_000, 33_000, who="us"),
            claim(2, 27_000, 33_000, who="nato", outlet=2),
            claim(3, 2_000, 99_999, who="examiner", outlet=3, point=None),
        ]
    )
    assert result.kind == agreement.AGREED
    assert [g.role for g in result.groups] == ["consensus", "less_precise"]
    assert [d.type for d in result.differences] == [agreement.PRECISION_DIFFERENCE]
    assert set(result.consensus.originators) == {"us", "nato"}
    assert "less precise" in result.summary


def test_one_precise_source_and_vague_others_are_a_precision_difference():
    result = agreement.verdict(
        [claim(1, 30_000, 30_000, who="us"), claim(2, 2_000, 99_999, who="x", point=None)]
    )
    assert result.kind == agreement.PRECISION_DIFFERENCE


def test_disjoint_values_from_one_source_at_one_time_are_a_value_conflict():
    result = agreement.verdict([claim(1, 10, 10, who="a"), claim(2, 20, 20, who="a", article=2)])
    assert result.kind == agreement.VALUE_CONFLICT
    assert "do not overlap" in result.differences[0].reason


def test_disjoint_values_weeks_apart_are_a_change_over_time():
    result = agreement.verdict(
        [
            claim(1, 90_000, 110_000, who="us", as_of=DAY),
            claim(2, 130_000, 130_000, who="nato", as_of=DAY + 21),
        ]
    )
    assert result.kind == agreement.CHANGE_OVER_TIME
    assert "changed over time" in result.summary


def test_one_source_changing_its_value_a_day_later_is_a_change_over_time():
    result = agreement.verdict(
        [claim(1, 10, 10, who="us", as_of=DAY), claim(2, 20, 20, who="us", as_of=DAY + 1)]
    )
    assert result.kind == agreement.CHANGE_OVER_TIME


def test_values_that_line_up_with_different_originators_are_an_attribution_split():
    result = agreement.verdict(
        [
            said(1, "none stay", who="kremlin", party=True),
            said(2, "none stay", who="minsk", party=True),
            said(3, "some stay", who="western governments", as_of=DAY + 2, party=True),
        ]
    )
    assert result.kind == agreement.ATTRIBUTION_SPLIT
    assert result.consensus.category == "none stay"
    assert "“some stay” according to western governments" in result.summary


def test_the_consensus_is_the_group_with_most_originators_not_most_claims():
    result = agreement.verdict(
        [said(i, "a", who="one") for i in range(5)]
        + [said(10, "b", who="two"), said(11, "b", who="three")]
    )
    assert result.consensus.category == "b"


def test_a_fact_that_was_not_disclosed_says_so():
    result = agreement.verdict([claim(1, 0, 0, who="kremlin", undisclosed=True)])
    assert result.kind == agreement.NOT_DISCLOSED
    assert agreement.verdict([]).kind == agreement.NO_CLAIMS


def test_open_ended_values_agree_on_their_overlap():
    result = agreement.verdict(
        [claim(1, 100_000, math.inf, who="a"), claim(2, 100_000, math.inf, who="b", outlet=2)]
    )
    assert result.kind == agreement.AGREED
    assert result.consensus.low == 100_000 and math.isinf(result.consensus.high)
    assert "at least 100,000" in result.summary


def test_miles_and_kilometres_of_one_distance_agree():
    miles = units.convert(Decimal(93), "mile", "kilometer")
    kilometres = claim(1, 135, 165, who="cnn")
    in_miles = claim(2, float(miles) * 0.9, float(miles) * 1.1, who="afp", outlet=2)
    result = agreement.verdict([kilometres, in_miles], unit="kilometer")
    assert result.kind == agreement.AGREED
    assert "kilometers" in result.summary


def test_rival_groups_beyond_the_limit_are_counted_not_listed():
    scattered = [claim(i, i * 10, i * 10, who=f"s{i}", outlet=i) for i in range(40)]
    result = agreement.verdict(scattered)
    # Forty sources, forty values: no side leads.
    assert result.kind == agreement.CONTESTED
    assert result.consensus is None
    assert "; and 28 more claims." in result.summary  # 12 sides listed, the limit
    assert len(result.groups) <= agreement.MAX_RIVAL_GROUPS + 2
    listed = sum(len(g.members) for g in result.groups)
    assert listed + result.unlisted_claims == 40


def test_a_date_reason_prints_days():
    result = agreement.verdict([claim(1, DAY, DAY, who="a"), claim(2, DAY, DAY, who="b")])
    assert agreement.iso_day(DAY) in agreement.describe_group(
        result.consensus, agreement.iso_day, ""
    )


# Properties ----------------------------------------------------------------------------------

bounds = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@st.composite
def interval_claims(draw, max_size=12):
    size = draw(st.integers(min_value=1, max_value=max_size))
    claims = []
    for i in range(size):
        a, b = draw(bounds), draw(bounds)
        claims.append(
            claim(
                i,
                min(a, b),
                max(a, b),
                who=draw(st.sampled_from(["us", "nato", "kremlin", "minsk"])),
                outlet=draw(st.integers(1, 4)),
                as_of=DAY + draw(st.integers(0, 30)),
            )
        )
    return claims


def fingerprint(result):
    return (
        result.kind,
        [(g.role, [e.claim_id for e in g.members], g.low, g.high) for g in result.groups],
        [(d.type, d.claims) for d in result.differences],
        (result.claims, result.articles, result.outlets, result.originators),
    )


@settings(max_examples=examples(200), deadline=None)
@given(interval_claims(), st.randoms(use_true_random=False))
def test_the_verdict_does_not_depend_on_the_order_of_claims(claims, rng: random.Random):
    shuffled = list(claims)
    rng.shuffle(shuffled)
    assert fingerprint(agreement.verdict(claims)) == fingerprint(agreement.verdict(shuffled))


@settings(max_examples=examples(300), deadline=None)
@given(bounds, bounds, bounds, bounds)
def test_two_sources_agree_exactly_when_their_intervals_overlap_either_way_round(a, b, c, d):
    first = claim(1, min(a, b), max(a, b), who="us", precision=0)
    second = claim(2, min(c, d), max(c, d), who="nato", outlet=2, precision=0)
    overlap = first.low <= second.high and second.low <= first.high
    for pair in ([first, second], [second, first]):
        kind = agreement.verdict(pair).kind
        assert (kind == agreement.AGREED) == overlap
        # One source against one other: no side leads.
        assert overlap or kind == agreement.CONTESTED


@settings(max_examples=examples(200), deadline=None)
@given(interval_claims())
def test_every_consensus_member_contains_the_consensus(claims):
    result = agreement.verdict(claims)
    consensus = result.groups[0]  # the consensus, or the first side when no side leads
    assert consensus.low <= consensus.high
    for e in consensus.members:
        assert e.low <= consensus.low and consensus.high <= e.high


@settings(max_examples=examples(200), deadline=None)
@given(interval_claims())
def test_every_claim_is_in_one_group_or_counted_as_unlisted(claims):
    result = agreement.verdict(claims)
    listed = [e.claim_id for g in result.groups for e in g.members]
    assert len(listed) == len(set(listed))
    assert len(listed) + result.unlisted_claims == len(claims)


@settings(max_examples=examples(100), deadline=None)
@given(
    st.decimals(min_value=Decimal("0.001"), max_value=Decimal("1e6"), places=3),
    st.sampled_from(["mile", "foot", "meter", "nautical_mile"]),
)
def test_a_unit_round_trip_returns_the_number(number, unit):
    there = units.convert(number, unit, "kilometer")
    back = units.convert(there, "kilometer", unit)
    assert abs(back - number) <= abs(number) * Decimal("1e-9")


def test_a_range_no_source_pinned_to_a_point_is_described_without_an_invented_midpoint():
    # CNN's "a decree published Tuesday", in an article known only to be from 2023 before
    # September: any Tuesday from Jan. 3 to Aug. 29.
    low, high = date(2023, 1, 3).toordinal(), date(2023, 8, 29).toordinal()
    result = agreement.verdict(
        [claim(1, low, high, who="putin", point=None, precision=2)], fmt=agreement.iso_day
    )
    assert result.summary.startswith("2023-01-03 to 2023-08-29, from a single originator")
    assert "about" not in result.summary


def test_a_split_names_each_side_without_a_verb_that_could_disagree_with_it():
    result = agreement.verdict(
        [
            said(1, "none stay", who="The Kremlin", party=True),
            said(2, "some stay", who="NATO", outlet=2, party=True),
            said(3, "some stay", who="United States", outlet=3, party=True),
        ]
    )
    assert result.kind == agreement.ATTRIBUTION_SPLIT
    # "The Kremlin say" was wrong, and "Western governments says" would be: no verb at all.
    assert result.summary == (
        "Attribution split: “some stay” according to NATO, United States; “none stay” according "
        "to The Kremlin: the sides line up by interested party."
    )


def test_counts_agree_with_their_nouns():
    assert agreement.counted(1, "article") == "1 article"
    assert agreement.counted(2, "article") == "2 articles"
    assert agreement.counted(1_000, "claim") == "1,000 claims"
