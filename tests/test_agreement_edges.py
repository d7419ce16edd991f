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
        originator_name=extra.pop("originator_name", who),
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


# The rewritten engine's thresholds, nesting and sweep (bench/MUTANTS.md, agreement.py) -----


def test_the_shipped_thresholds_are_the_ones_docs_verdicts_describes():
    assert agreement.load_thresholds() == agreement.Thresholds(
        outlier_max_originators=2,
        outlier_min_majority=3,
        outlier_min_ratio=3.0,
        interested_party_kinds=frozenset({"government", "alliance", "military", "official"}),
    )


def test_thresholds_are_read_from_the_file_given(tmp_path):
    path = tmp_path / "verdicts.json"
    path.write_text(
        '{"outlier": {"max_originators": 1, "min_majority": 4, "min_ratio": 2.5},'
        ' "interested_party_kinds": {"kinds": ["military"]}}',
        encoding="utf-8",
    )
    assert agreement.load_thresholds(path) == agreement.Thresholds(
        1, 4, 2.5, frozenset({"military"})
    )


@pytest.mark.parametrize(
    ("kind", "expected"), [("government", True), ("official", True), ("organisation", False)]
)
def test_governments_and_officials_are_interested_parties_analysts_are_not(kind, expected):
    assert agreement.is_interested_party(kind) is expected


@pytest.mark.parametrize(
    ("precision", "rank"), [("day", 0), ("month", 2), ("year", 4), ("decade", 5), ("", 5)]
)
def test_an_unknown_date_precision_ranks_coarser_than_a_year(precision, rank):
    assert agreement.date_precision(precision) == rank


def test_a_category_contains_those_nested_two_levels_below_it():
    within = {"Minsk": "Belarus", "Belarus": "Europe"}
    assert agreement.category_contains("Europe", "Minsk", within)
    assert not agreement.category_contains("Minsk", "Europe", within)


def test_a_list_in_another_order_neither_contains_the_other():
    assert not agreement.category_contains("Tolkien; Lewis", "Lewis; Tolkien", {})
    assert agreement.category_contains("Lewis", "Lewis; Tolkien", {})


def test_a_nesting_that_goes_round_in_a_circle_still_compares_the_lists_items():
    # nesting_problem() refuses such a nesting; category_contains() must still end.
    within = {"Tolkien; Lewis": "Inklings", "Inklings": "Tolkien; Lewis"}
    assert agreement.category_contains("Tolkien", "Tolkien; Lewis", within)
    looping = {"Minsk": "Belarus", "Belarus": "Europe", "Europe": "Belarus"}
    assert not agreement.category_contains("Asia", "Minsk", looping)


def test_list_items_ignore_case_and_the_spacing_inside_a_name():
    assert agreement.list_items(" J. R. R.  Tolkien ;LEWIS; ") == {"j. r. r. tolkien", "lewis"}


def test_coarser_categories_that_support_the_consensus_are_named_together():
    within = {"Minsk": "Belarus", "Belarus": "Europe"}
    result = agreement.verdict(
        [said(1, "Minsk", who="a"), said(2, "Belarus", who="b"), said(3, "Europe", who="c")],
        within=within,
    )
    assert result.kind == agreement.PRECISION_DIFFERENCE
    assert [(g.role, g.category) for g in result.groups] == [
        ("consensus", "Minsk"),
        ("less_precise", "Belarus, Europe"),
    ]


def test_a_rival_category_is_a_rival_unless_it_is_an_outlier():
    result = agreement.verdict(
        [
            said(1, "none stay", who="a"),
            said(2, "none stay", who="b"),
            said(3, "none stay", who="c"),
            said(4, "some stay", who="d"),
        ]
    )
    # Three against one: at least three, three times as many.
    assert [g.role for g in result.groups] == ["consensus", "outlier"]
    result = agreement.verdict(
        [said(1, "none stay", who="a"), said(2, "none stay", who="b"), said(3, "some", who="d")]
    )
    assert result.kind == agreement.VALUE_CONFLICT
    assert [g.role for g in result.groups] == ["consensus", "rival"]


def test_a_rival_category_counts_the_originators_of_the_category_nested_in_it():
    # Moscow is in Russia: d and e both back the rival side, so it is two against three, a
    # value conflict, not an outlier of one.
    result = agreement.verdict(
        [
            said(1, "Belarus", who="a"),
            said(2, "Belarus", who="b"),
            said(3, "Belarus", who="c"),
            said(4, "Russia", who="d"),
            said(5, "Moscow", who="e"),
        ],
        within={"Moscow": "Russia"},
    )
    assert result.kind == agreement.VALUE_CONFLICT
    assert result.margin == agreement.Margin(3, 2)
    assert [(g.category, g.support) for g in result.groups] == [
        ("Belarus", 3),
        ("Moscow", 2),
        ("Russia", 2),
    ]


def test_in_a_tie_the_category_more_originators_state_in_its_own_words_is_listed_first():
    # Every side has two backers: "Zeta" two originators of its own, "Alpha" one and one who
    # said the broader "Alphas", which is listed last, after the finer "Alpha".
    result = agreement.verdict(
        [
            said(1, "Zeta", who="a"),
            said(2, "Zeta", who="b"),
            said(3, "Zetas", who="a"),
            said(4, "Alpha", who="c"),
            said(5, "Alphas", who="d"),
        ],
        within={"Zeta": "Zetas", "Alpha": "Alphas"},
    )
    assert result.kind == agreement.CONTESTED
    assert [g.category for g in result.groups if g.role == "side"] == ["Zeta", "Alpha", "Alphas"]


def test_in_a_tie_the_category_with_more_claims_is_listed_first():
    result = agreement.verdict(
        [said(1, "Zeta", who="a"), said(2, "Zeta", who="a", article=9), said(3, "Alpha", who="b")]
    )
    assert result.kind == agreement.CONTESTED
    assert [g.category for g in result.groups] == ["Zeta", "Alpha"]


def group_of(*as_of_days):
    return agreement.Group(
        role="rival",
        members=[claim(i, 1, 1, who=f"w{i}", as_of=day) for i, day in enumerate(as_of_days)],
    )


@pytest.mark.parametrize(
    ("ours", "theirs", "expected"),
    [
        ((DAY, DAY + 3), (DAY + 10, DAY + 12), 7),  # from our last day to their first
        ((DAY + 10, DAY + 12), (DAY, DAY + 3), 7),
        ((DAY, DAY + 5), (DAY + 3, DAY + 8), None),  # the ranges overlap
        ((DAY + 3, DAY + 8), (DAY, DAY + 5), None),
    ],
)
def test_the_days_between_two_groups_run_from_the_end_of_one_to_the_start_of_the_other(
    ours, theirs, expected
):
    assert agreement.days_between(group_of(*ours), group_of(*theirs)) == expected


def test_a_rival_of_two_against_six_is_an_outlier():
    result = agreement.verdict(
        [said(i, "none stay", who=f"w{i}") for i in range(1, 7)]
        + [said(7, "some stay", who="x"), said(8, "some stay", who="y")]
    )
    assert result.kind == agreement.OUTLIER
    assert result.summary == (
        "“none stay”, from 6 independent originators (w1, w2, w3, w4, w5, w6). Outlier: "
        "“some stay” according to x, y alone, against “none stay” from 6 independent "
        "originators: an outlier; the consensus stands."
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [(30_000.0, "30,000"), (149.67, "149.67"), (1_234.5, "1,234.5"), (2.001, "2"), (-2.5, "-2.5")],
)
def test_a_number_is_written_with_thousands_separators_and_no_trailing_zeros(value, expected):
    assert agreement.plain_number(value) == expected


@pytest.mark.parametrize(
    ("unit", "expected"),
    [("kilometer", "kilometers"), ("foot", "feet"), ("days", "days"), ("km²", "km²")],
)
def test_a_unit_is_made_plural_once(unit, expected):
    assert agreement.plural(unit) == expected


def test_an_originator_without_a_name_is_listed_by_its_key():
    assert agreement.names({7: "", 3: "Reuters"}) == "7, Reuters"


def test_the_best_estimate_is_the_median_of_the_sources_points_not_the_middle():
    result = agreement.verdict(
        [claim(1, 0, 100, who="a", point=10), claim(2, 0, 100, who="b", point=10)]
    )
    assert result.consensus.best == 10
    assert result.summary.startswith("Agreed: about 10 (0 to 100), from 2")


@pytest.mark.parametrize(("low", "high", "best"), [(100_000, math.inf, 100_000), (-math.inf, 5, 5)])
def test_the_best_estimate_of_an_open_interval_is_its_one_bound(low, high, best):
    result = agreement.verdict([claim(1, low, high, who="a"), claim(2, low, high, who="b")])
    assert result.consensus.best == best


def test_a_claim_of_any_value_has_no_best_estimate():
    result = agreement.verdict([claim(1, -math.inf, math.inf, who="a")])
    assert result.consensus.best is None


def test_a_precision_difference_names_the_less_precise_claim_and_the_unit():
    result = agreement.verdict(
        [
            claim(1, 100, 100, who="a"),
            claim(2, 100, 100, who="b"),
            claim(3, 50, 500, who="c"),
        ],
        unit="kilometer",
    )
    assert [(g.role, g.low, g.high) for g in result.groups] == [
        ("consensus", 100, 100),
        ("less_precise", 50, 500),
    ]
    # The less precise claim backs the value; it is no rival.
    assert result.margin == agreement.Margin(3, 0)
    assert result.summary == (
        "Agreed: 100 kilometers, from 2 independent originators (a, b). claim 3 (c, in outlet 3), "
        "50 to 500 kilometers is compatible with 100 kilometers but less precise."
    )


def test_a_precision_difference_lists_three_less_precise_claims_and_counts_the_rest():
    coarse = [claim(i, 50, 500, who=w) for i, w in [(3, "c"), (4, "d"), (5, "e"), (6, "f")]]
    result = agreement.verdict(
        [claim(1, 100, 100, who="a"), claim(2, 100, 100, who="b"), *coarse], unit="kilometer"
    )
    assert result.summary.endswith(
        "claim 3 (c, in outlet 3), 50 to 500 kilometers; claim 4 (d, in outlet 4), 50 to 500 "
        "kilometers; claim 5 (e, in outlet 5), 50 to 500 kilometers; and 1 more are compatible "
        "with 100 kilometers but less precise."
    )


def test_a_precision_difference_of_categories_quotes_the_broader_ones():
    result = agreement.verdict(
        [said(1, "Minsk", who="a"), said(2, "Belarus", who="b"), said(3, "Europe", who="c")],
        within={"Minsk": "Belarus", "Belarus": "Europe"},
    )
    assert result.summary == (
        "Compatible: “Minsk” according to a; other sources agree only less precisely."
    )
    assert [d.reason for d in result.differences] == [
        "claim 2 (b, in 2), “Belarus”; claim 3 (c, in 3), “Europe” are compatible with “Minsk” "
        "but less precise."
    ]


def test_a_change_over_time_gives_each_sides_first_and_last_day():
    result = agreement.verdict(
        [
            claim(1, 10, 10, who="a", as_of=DAY),
            claim(2, 10, 10, who="b", as_of=DAY + 2),
            claim(3, 20, 20, who="c", as_of=DAY + 20),
            claim(4, 20, 20, who="d", as_of=DAY + 25),
        ]
    )
    assert result.summary == (
        "Change over time: 10 as of 2022-02-20–2022-02-22, but 20 as of 2022-03-12–2022-03-17: "
        "the value changed over time."
    )


def test_a_value_conflict_gives_both_values_with_their_unit():
    result = agreement.verdict(
        [claim(1, 100, 100, who="a"), claim(2, 100, 100, who="b"), claim(3, 200, 200, who="c")],
        unit="kilometer",
    )
    assert [(d.type, d.groups, d.claims) for d in result.differences] == [
        (agreement.VALUE_CONFLICT, (0, 1), (1, 3))
    ]
    assert result.summary == (
        "Value conflict: claim 1 (a, in outlet 1) says 100 kilometers but claim 3 (c, in outlet 3) "
        "says 200 kilometers: the values do not overlap."
    )


# Which claims share the consensus value: a wide but precise claim (1,000 to 1,200) reaches two
# values; it joins the one more originators back, then the one more claims back.


def test_a_claim_reaching_two_values_joins_the_one_more_originators_back():
    result = agreement.verdict(
        [
            claim(1, 1_000, 1_200, who="a"),
            claim(2, 1_000, 1_020, who="b"),
            claim(3, 1_000, 1_020, who="b2"),
            claim(4, 1_180, 1_200, who="c"),
        ]
    )
    assert consensus_ids(result) == [1, 2, 3]
    assert result.kind == agreement.OUTLIER


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        # c says 1,150-1,200 and 1,160-1,200: two claims beside a's, against b's one.
        (
            [(1_000, 1_200, "a"), (1_000, 1_050, "b"), (1_150, 1_200, "c"), (1_160, 1_200, "c")],
            [1, 3, 4],
        ),
        # the mirror: b's two claims are the lower value.
        (
            [(1_000, 1_200, "a"), (1_000, 1_050, "b"), (1_010, 1_050, "b"), (1_150, 1_200, "c")],
            [1, 2, 3],
        ),
        # a's two claims reach both values; x's ends before c's two begin.
        (
            [
                (1_000, 1_200, "a"),
                (1_000, 1_200, "a"),
                (1_000, 1_010, "x"),
                (1_150, 1_200, "c"),
                (1_160, 1_200, "c"),
            ],
            [1, 2, 4, 5],
        ),
        # b's two claims against c's one, with z's lone claim in between.
        (
            [
                (1_000, 1_200, "a"),
                (1_000, 1_050, "b"),
                (1_010, 1_050, "b"),
                (1_100, 1_110, "z"),
                (1_150, 1_200, "c"),
            ],
            [1, 2, 3],
        ),
    ],
)
def test_a_claim_reaching_two_values_as_well_backed_joins_the_one_more_claims_back(
    claims, expected
):
    result = agreement.verdict(
        [claim(i, low, high, who=who) for i, (low, high, who) in enumerate(claims, start=1)]
    )
    assert consensus_ids(result) == expected


@pytest.mark.parametrize(("within", "categories"), [(None, ["Minsk"]), ({}, ["Minsk"])])
def test_no_nesting_is_no_problem(within, categories):
    assert agreement.nesting_problem(within, categories) == ""


@pytest.mark.parametrize(
    ("within", "categories", "problem"),
    [
        (
            ["Minsk"],
            ["Minsk"],
            'Nesting is a mapping of narrower to broader category: {"Minsk": "Belarus"}.',
        ),
        (
            {"Minsk": "Belarus"},
            None,
            "'Minsk' and 'Belarus' must both be among the fact's categories.",
        ),
        (
            {"Minsk": ["Belarus"]},
            ["Minsk", "Belarus"],
            "'Minsk' and ['Belarus'] must both be among the fact's categories.",
        ),
        (
            {"Minsk": "Belarus", "Belarus": "Europe", "Europe": "Belarus"},
            ["Minsk", "Belarus", "Europe"],
            "The nesting of 'Minsk' goes round in a circle.",
        ),
    ],
)
def test_a_nesting_problem_is_said_in_words(within, categories, problem):
    assert agreement.nesting_problem(within, categories) == problem


@pytest.mark.parametrize(
    ("evidence", "expected"),
    [
        (
            {
                "label": "some 30,000 soldiers",
                "originator_name": "United States",
                "outlet_name": "The Moscow Times",
            },
            "“some 30,000 soldiers” (United States, in The Moscow Times)",
        ),
        ({"originator_name": "Reuters", "outlet_name": "Reuters"}, "claim 4 (Reuters)"),
        ({}, "claim 4 (us, in 3)"),
    ],
)
def test_a_claim_is_quoted_with_who_said_it_and_where(evidence, expected):
    e = Evidence(claim_id=4, article_id=1, outlet_id=3, originator="us", **evidence)
    assert agreement.quote(e) == expected


@pytest.mark.parametrize(("low", "high"), [(0, 27_000), (33_000, math.inf)])
def test_a_coarse_claim_that_reaches_the_consensus_end_supports_it(low, high):
    result = agreement.verdict([*about_30_000(), claim(3, low, high, who="examiner")])
    assert result.kind == agreement.AGREED
    assert supporting_ids(result) == {1, 2, 3}


def test_a_category_never_overlaps_a_number():
    assert not said(1, "Minsk", who="a").overlaps(claim(2, 1, 1, who="b"))
    assert not claim(2, 1, 1, who="b").overlaps(said(1, "Minsk", who="a"))


@pytest.mark.parametrize(
    ("low", "high", "point", "expected"),
    [(50_000, math.inf, None, 1), (75, 100, 75, 1), (75, 100, None, 0)],
)
def test_a_quantitys_width_is_measured_against_its_point_when_it_has_one(
    low, high, point, expected
):
    assert quantity_precision(low, high, point) == expected


def test_an_interval_is_described_in_words():
    fmt = agreement.plain_number
    assert agreement.describe_interval(1, 2, fmt) == "1 to 2"
    assert agreement.describe_interval(0, 1, fmt, "kilometer") == "0 to 1 kilometers"
    assert agreement.describe_interval(1, 1, fmt, "kilometer") == "1 kilometer"
    assert agreement.describe_interval(-math.inf, math.inf, fmt, "kilometer") == "any value"


def test_a_bound_below_is_said_with_its_words_and_unit():
    result = agreement.verdict(
        [
            claim(1, -math.inf, 100, who="a", bound="at_most"),
            claim(2, -math.inf, 100, who="b", bound="at_most"),
        ],
        unit="kilometer",
    )
    assert (
        result.summary == "Agreed: at most 100 kilometers, from 2 independent originators (a, b)."
    )


def test_an_open_interval_with_a_point_is_not_about_that_point():
    result = agreement.verdict(
        [
            claim(1, 100_000, math.inf, who="a", point=100_000),
            claim(2, 100_000, math.inf, who="b", point=100_000),
        ]
    )
    assert result.summary == "Agreed: at least 100,000, from 2 independent originators (a, b)."


def test_about_a_value_gives_the_unit_on_both_sides():
    result = agreement.verdict(about_30_000(), unit="soldier")
    assert result.summary == (
        "Agreed: about 30,000 soldiers (27,000 to 33,000 soldiers), from 2 independent "
        "originators (nato, us)."
    )


def test_a_sources_phrase_is_quoted_when_the_other_source_gave_no_words():
    result = agreement.verdict(
        [
            claim(1, 27_000, 33_000, who="a", phrase="some 30,000", phrase_read_as_interval=True),
            claim(2, 27_000, 33_000, who="b"),
        ]
    )
    assert result.summary.startswith("Agreed: some 30,000 (27,000 to 33,000), from 2")


def test_the_best_estimate_without_points_is_the_middle_of_the_interval():
    result = agreement.verdict(
        [claim(1, 0, 100, who="a", point=None), claim(2, 0, 100, who="b", point=None)]
    )
    assert result.consensus.best == 50


def test_a_value_found_last_still_leads_when_coarser_claims_back_it():
    precise = [claim(i, 100 * i, 100 * i, who=f"w{i}") for i in range(1, 12)]
    coarse = [claim(12, 1_050, 2_000, who="x"), claim(13, 1_050, 2_000, who="y")]
    result = agreement.verdict([*precise, *coarse])
    assert consensus_ids(result) == [11]
    assert result.margin == agreement.Margin(3, 1)


def test_in_a_tie_the_side_with_more_originators_of_its_own_is_listed_first():
    # d's coarse 450 to 2,000 backs c's 500: two against two. Only the tied sides are sides.
    result = agreement.verdict(
        [
            claim(1, 100, 100, who="a"),
            claim(2, 100, 100, who="b"),
            claim(3, 500, 500, who="c"),
            claim(4, 450, 2_000, who="d"),
        ],
        unit="kilometer",
    )
    assert result.summary == (
        "Contested: 100 kilometers according to a, b; 500 kilometers according to c. No side "
        "leads (2 independent originators each); no value is picked."
    )
    assert [g.role for g in result.groups] == ["side", "side", "rival"]


def test_an_undisclosed_figure_names_who_withheld_it():
    result = agreement.verdict(
        [
            Evidence(
                claim_id=1,
                article_id=1,
                outlet_id=1,
                originator="k",
                originator_name="The Kremlin",
                undisclosed=True,
            ),
            Evidence(claim_id=2, article_id=2, outlet_id=2, originator="mod", undisclosed=True),
        ]
    )
    assert (result.kind, result.summary) == (
        agreement.NOT_DISCLOSED,
        "Not disclosed (The Kremlin, mod).",
    )
    assert (result.claims, result.articles, result.outlets, result.originators) == (2, 2, 2, 0)


def test_no_claims_is_said_as_such():
    result = agreement.verdict([])
    assert (result.kind, result.summary, result.claims) == (
        agreement.NO_CLAIMS,
        "No claim counts yet.",
        0,
    )


def test_claims_beyond_ten_listed_rivals_are_counted_as_a_value_conflict():
    # Three agree on 100 and a fourth source's 50 to 500 backs it; twelve others each give
    # another value: ten of them are listed as rivals, two are only counted.
    agreeing = [claim(i, 100, 100, who=f"w{i}") for i in (1, 2, 3)]
    coarse = claim(4, 50, 500, who="w4")
    scattered = [claim(i, 1_000 * i, 1_000 * i, who=f"s{i}") for i in range(5, 17)]
    result = agreement.verdict([*agreeing, coarse, *scattered])
    assert [g.role for g in result.groups] == ["consensus", "less_precise"] + ["outlier"] * 10
    assert result.unlisted_claims == 2
    assert (result.kind, result.summary) == (
        agreement.VALUE_CONFLICT,
        "Value conflict: 2 more claims disagree.",
    )


def test_a_change_over_time_outweighs_an_outlier_in_the_summary():
    result = agreement.verdict(
        [claim(i, 100, 100, who=f"w{i}") for i in range(1, 7)]
        + [claim(7, 500, 500, who="x"), claim(8, 900, 900, who="y", as_of=DAY + 30)]
    )
    assert [d.type for d in result.differences] == [agreement.OUTLIER, agreement.CHANGE_OVER_TIME]
    assert result.kind == agreement.CHANGE_OVER_TIME
    assert result.summary == (
        "Change over time: 100 as of 2022-02-20–2022-02-20, but 900 as of 2022-03-22–2022-03-22: "
        "the value changed over time."
    )


def test_copies_of_one_story_are_the_first_outlets_even_when_it_comes_first():
    result = agreement.verdict(
        [
            claim(
                1,
                10,
                10,
                who="o1",
                outlet=1,
                own_voice=True,
                story="wire-1",
                originator_name="outlet one",
            ),
            claim(
                2,
                10,
                10,
                who="o2",
                outlet=2,
                own_voice=True,
                story="wire-1",
                originator_name="outlet two",
            ),
        ]
    )
    assert result.summary == (
        "10, from a single originator (outlet one): no independent confirmation."
    )


def test_an_outlet_restating_a_partys_figure_speaks_for_that_party():
    # The article credits 100 to the Kremlin and says 100 in its own voice: both are the
    # Kremlin's, an interested party, against the United States: a split, with no value picked.
    result = agreement.verdict(
        [
            claim(1, 100, 100, who="kremlin", article=1, originator_name="The Kremlin", party=True),
            replace(
                claim(2, 100, 100, who="outlet", article=1, own_voice=True),
                originator_name="Outlet",
            ),
            claim(3, 200, 200, who="us", originator_name="United States", party=True),
        ]
    )
    assert result.kind == agreement.ATTRIBUTION_SPLIT
    assert result.summary == (
        "Attribution split: 100 according to The Kremlin; 200 according to United States. No side "
        "leads (1 independent originator each); no value is picked."
    )
