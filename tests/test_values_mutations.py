"""Quantity bounds, date intervals and anchors at their edges: pure, no database.

Written against the mutants that survived tests/test_values.py (bench/mutation.sh): zero, equal
ends, a wording at the very start or end of a text, overlapping occurrences, and the exact
messages an editor reads in a 400. Every expected value is worked out by hand from a small rule
set defined here, so that editing data/hedges.json cannot change what these tests mean.
"""

import datetime as dt
from decimal import Decimal

import pytest

from facts.domain import values

D = Decimal

RULES = values.HedgeRules(
    bound_kinds={
        "exact": {"low_factor": 1, "high_factor": 1},
        "approximate": {"low_factor": 0.9, "high_factor": 1.1},
        "at_least": {"low_factor": 1, "high_factor": None},
        "more_than": {"low_factor": 1, "high_factor": None},
        "at_most": {"low_factor": 0, "high_factor": 1},
        # Unbounded below: no shipped kind is, but the rules allow it (None is unbounded).
        "less_than": {"low_factor": None, "high_factor": 1},
    },
    hedges={
        "about": {"bound": "approximate"},
        "nearly": {"bound": "approximate", "low_factor": 0.5, "high_factor": 1, "doc": "below"},
        "over": {"bound": "more_than"},
    },
    vague={"several": {"low": 3, "high": 9}, "a few": {"low": 2, "high": None}},
)


# Errors ---------------------------------------------------------------------------------


def test_an_invalid_value_carries_its_field_and_message():
    error = values.InvalidValue("number", "A quantity cannot be negative.")
    assert (error.field, error.message) == ("number", "A quantity cannot be negative.")
    assert str(error) == "A quantity cannot be negative."


# Hedges ---------------------------------------------------------------------------------


def test_a_hedge_is_folded_to_lower_case_single_spaced_words():
    assert values.normalise_hedge("  More\u00a0 THAN\t") == "more than"


@pytest.mark.parametrize(
    ("hedge", "expected"),
    [("About", "approximate"), ("over", "more_than"), ("A\u00a0Few", "vague"), ("loads", None)],
)
def test_a_hedge_word_names_its_bound_kind(hedge, expected):
    assert RULES.bound_for_hedge(hedge) == expected


def test_the_shipped_rules_know_their_hedges_and_vague_words():
    rules = values.load_rules()
    assert rules.bound_for_hedge("Thousands") == "vague"
    assert rules.bound_for_hedge("as many as") == "at_most"
    assert rules.bound_for_hedge("") is None


# Quantity bounds ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"bound": "exact", "number": D(0)}, (D(0), D(0))),
        ({"bound": "exact", "number": D(7)}, (D(7), D(7))),
        ({"bound": "approximate", "number": D(10)}, (D(9), D(11))),
        ({"bound": "approximate", "hedge": "ABOUT", "number": D(10)}, (D(9), D(11))),
        # The hedge's own factors replace the bound kind's, and only its factors.
        ({"bound": "approximate", "hedge": "nearly", "number": D(10)}, (D(5), D(10))),
        ({"bound": "at_least", "number": D(12)}, (D(12), None)),
        ({"bound": "more_than", "hedge": "over", "number": D(12)}, (D(12), None)),
        ({"bound": "at_most", "number": D(50)}, (D(0), D(50))),
        ({"bound": "less_than", "number": D(0)}, (None, D(0))),
        ({"bound": "range", "number": D(10), "number_high": D(10)}, (D(10), D(10))),
        ({"bound": "range", "number": D(0), "number_high": D(3)}, (D(0), D(3))),
        ({"bound": "vague", "hedge": "Several", "number": None}, (D(3), D(9))),
        ({"bound": "vague", "hedge": "a  few", "number": None}, (D(2), None)),
    ],
)
def test_bounds_at_the_edges_are_derived_by_hand_computable_rules(kwargs, expected):
    assert values.quantity_bounds(rules=RULES, **kwargs) == expected


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"bound": "sideways", "number": D(1)}, "bound", "Unknown bound kind 'sideways'."),
        (
            {"bound": "vague", "hedge": "loads", "number": None},
            "hedge",
            "A vague quantity needs a known vague word (a few, several); got 'loads'.",
        ),
        (
            {"bound": "vague", "number": None},
            "hedge",
            "A vague quantity needs a known vague word (a few, several); got ''.",
        ),
        (
            {"bound": "vague", "hedge": "several", "number": D(3)},
            "number",
            "A vague quantity has no number as written.",
        ),
        (
            {"bound": "at_least", "number": None},
            "number",
            "A quantity that is at least needs a number.",
        ),
        ({"bound": "exact", "number": D("-0.5")}, "number", "A quantity cannot be negative."),
        (
            {"bound": "range", "number": D(5)},
            "number_high",
            "A range needs its second number.",
        ),
        (
            {"bound": "range", "number": D(5), "number_high": D("4.99")},
            "number_high",
            "A range's second number cannot be smaller than its first.",
        ),
        (
            {"bound": "exact", "number": D(5), "number_high": D(5)},
            "number_high",
            "Only a range has a second number.",
        ),
        (
            {"bound": "at_least", "hedge": "Over", "number": D(5)},
            "bound",
            "The hedge 'Over' means more than, not at least.",
        ),
    ],
)
def test_an_incomplete_quantity_is_refused_with_the_exact_message(kwargs, field, message):
    with pytest.raises(values.InvalidValue) as refused:
        values.quantity_bounds(rules=RULES, **kwargs)
    assert (refused.value.field, refused.value.message) == (field, message)


def test_the_shipped_rules_are_used_when_none_are_given():
    # data/hedges.json: "about" is approximate, within ten percent either way.
    assert values.quantity_bounds(bound="approximate", hedge="about", number=D(100)) == (
        D(90),
        D(110),
    )


# Dates ----------------------------------------------------------------------------------

FEB_10, FEB_20 = dt.date(2022, 2, 10), dt.date(2022, 2, 20)


@pytest.mark.parametrize("precision", values.DATE_PRECISIONS)
def test_a_single_day_is_a_valid_interval_at_any_precision(precision):
    assert values.check_date_interval(FEB_10, FEB_10, precision) is None


@pytest.mark.parametrize(
    ("earliest", "latest", "precision", "field", "message"),
    [
        (None, FEB_20, "day", "date_earliest", "A date needs its earliest and latest day."),
        (FEB_10, None, "day", "date_earliest", "A date needs its earliest and latest day."),
        (
            FEB_20,
            FEB_10,
            "day",
            "date_latest",
            "A date's latest day cannot come before its earliest.",
        ),
        (FEB_10, FEB_20, "Day", "date_precision", "Unknown date precision 'Day'."),
    ],
)
def test_an_incomplete_date_is_refused_with_the_exact_message(
    earliest, latest, precision, field, message
):
    with pytest.raises(values.InvalidValue) as refused:
        values.check_date_interval(earliest, latest, precision)
    assert (refused.value.field, refused.value.message) == (field, message)


# Anchors --------------------------------------------------------------------------------

TEXT = "Some 30,000 troops came."  # 24 characters; "30,000" stands at 5-11


@pytest.mark.parametrize(
    ("wording", "start", "end", "prefix", "suffix"),
    [
        ("Some", 0, 4, "", " 30,000"),  # at the very start
        ("came.", 19, 24, "troops ", ""),  # at the very end
        ("30,000", 5, 11, "Some ", " troops"),  # the prefix is all the text before it
        ("30,000", 5, 11, "", ""),
    ],
)
def test_a_wording_that_stands_at_its_offsets_has_no_problem(wording, start, end, prefix, suffix):
    assert (
        values.anchor_problem(
            TEXT, wording=wording, start=start, end=end, prefix=prefix, suffix=suffix
        )
        is None
    )


@pytest.mark.parametrize(
    ("wording", "start", "end", "prefix", "suffix", "message"),
    [
        ("", 0, 0, "", "", "The wording cannot be empty."),
        (
            "Some",
            -1,
            3,
            "",
            "",
            "The offsets -1-3 do not fit a wording of 4 characters in a text of 24.",
        ),
        (
            "came.",
            20,
            25,
            "",
            "",
            "The offsets 20-25 do not fit a wording of 5 characters in a text of 24.",
        ),
        (
            "30,000",
            5,
            10,
            "",
            "",
            "The offsets 5-10 do not fit a wording of 6 characters in a text of 24.",
        ),
        ("30,000", 6, 12, "", "", "The article has '0,000 ' at 6-12, not '30,000'."),
        ("30,000", 5, 11, "xSome ", "", "The prefix does not match the text before the wording."),
        ("30,000", 5, 11, "Sum ", "", "The prefix does not match the text before the wording."),
        ("30,000", 5, 11, "", " troop!", "The suffix does not match the text after the wording."),
        ("came.", 19, 24, "", "!", "The suffix does not match the text after the wording."),
    ],
)
def test_a_wording_that_does_not_stand_at_its_offsets_is_explained(
    wording, start, end, prefix, suffix, message
):
    problem = values.anchor_problem(
        TEXT, wording=wording, start=start, end=end, prefix=prefix, suffix=suffix
    )
    assert problem == message


@pytest.mark.parametrize(
    ("text", "wording", "prefix", "expected"),
    [
        ("aaaa", "aa", "", [0, 1, 2]),  # overlapping occurrences all count
        ("30 and 30 and 30", "30", "", [0, 7, 14]),
        ("abc", "", "", []),
        ("abc", "d", "", []),
        ("x ab ab", "ab", "x ", [2]),  # the prefix is all the text before the first
        ("ab ab", "ab", "zz", [0, 3]),  # a prefix nothing follows does not hide them all
    ],
)
def test_every_occurrence_is_found(text, wording, prefix, expected):
    assert values.occurrences(text, wording, prefix=prefix) == expected


def test_an_anchor_is_the_first_occurrence_unless_told_where_to_look():
    assert values.find_anchor("ab ab ab", "ab") == (0, 2)
    # Occurrences at 0, 3 and 6 lie 4, 1 and 2 characters from 4.
    assert values.find_anchor("ab ab ab", "ab", near=4) == (3, 5)
    assert values.find_anchor("ab ab ab", "ab", near=7) == (6, 8)
    assert values.find_anchor("x ab ab", "ab", prefix="x ", near=7) == (2, 4)


def test_a_missing_wording_names_itself():
    with pytest.raises(LookupError, match=r"^'40,000' does not occur in the text\.$"):
        values.find_anchor(TEXT, "40,000")


def test_anchor_context_keeps_32_characters_either_side_by_default():
    text = "x" * 40 + "W" + "y" * 40
    assert values.anchor_context(text, 40, 41) == ("x" * 32, "y" * 32)
    assert values.anchor_context("abcW", 3, 4, width=6) == ("abc", "")


# Relocating a wording in a changed text -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "prefix", "suffix", "expected"),
    [
        # Only the first 30 has both its prefix (from the very start) and its suffix.
        ("then 30 left; so 30 left", "then ", " left", (5, 7)),
        ("then 30 left; then 30 came", "then ", " left", (5, 7)),
        ("then 30 came; then 30 left", "then ", " left", (19, 21)),
        # Neither has both: the one that keeps either side of its context.
        ("now 30 left; then 30 came", "before ", " left", (4, 6)),
        ("now 30 gone; then 30 came", "then ", " left", (18, 20)),
        # Both keep both sides, or both keep one: which is meant cannot be told.
        ("a 30 b; a 30 b", "a ", " b", None),
        ("a 30 c; a 30 d", "a ", " b", None),
        # Gone.
        ("no number here", "a ", " b", None),
    ],
)
def test_a_wording_moves_with_its_context_or_is_orphaned(text, prefix, suffix, expected):
    assert values.relocate(text, wording="30", prefix=prefix, suffix=suffix) == expected
