"""Quantity bounds and anchors: pure functions, no database."""

from decimal import Decimal

import pytest

from facts.domain import values

D = Decimal


@pytest.mark.parametrize(
    ("bound", "hedge", "number", "expected"),
    [
        ("exact", "", D(3000), (D(3000), D(3000))),
        ("approximate", "some", D(30000), (D(27000), D(33000))),
        ("approximate", "around", D(30000), (D(27000), D(33000))),
        ("approximate", "About", D(30000), (D(27000), D(33000))),
        ("approximate", "nearly", D(100), (D(90), D(100))),
        ("more_than", "over", D(100000), (D(100000), None)),
        ("more_than", "more than", D(100000), (D(100000), None)),
        ("at_most", "as many as", D(50000), (D(0), D(50000))),
        ("at_most", "up to", D(5000000), (D(0), D(5000000))),
        ("less_than", "fewer than", D(10), (D(0), D(10))),
        ("at_least", "at least", D(12), (D(12), None)),
    ],
)
def test_it_derives_bounds_from_the_hedge_rules(bound, hedge, number, expected):
    lower, upper = values.quantity_bounds(bound=bound, hedge=hedge, number=number)
    assert (lower, upper) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("thousands", (D(2000), D(99999))),
        ("several", (D(3), D(9))),
        ("dozens", (D(24), D(199))),
        ("a certain number of", (D(2), None)),
    ],
)
def test_it_bounds_a_vague_word_by_the_rules(word, expected):
    assert values.quantity_bounds(bound="vague", hedge=word, number=None) == expected


def test_a_range_runs_from_its_first_to_its_second_number():
    assert values.quantity_bounds(bound="range", number=D(10), number_high=D(20)) == (D(10), D(20))


def test_it_folds_no_break_spaces_and_case_in_a_hedge():
    assert values.normalise_hedge("More\u00a0than") == "more than"
    bounds = values.quantity_bounds(bound="more_than", hedge="More\u00a0than", number=D(5))
    assert bounds == (D(5), None)


@pytest.mark.parametrize(
    ("kwargs", "field", "message"),
    [
        ({"bound": "sideways", "number": D(1)}, "bound", "Unknown bound kind"),
        ({"bound": "approximate", "hedge": "over", "number": D(1)}, "bound", "means more than"),
        ({"bound": "vague", "hedge": "loads", "number": None}, "hedge", "known vague word"),
        ({"bound": "vague", "hedge": "thousands", "number": D(3)}, "number", "no number"),
        ({"bound": "exact", "number": None}, "number", "needs a number"),
        ({"bound": "exact", "number": D(-1)}, "number", "cannot be negative"),
        ({"bound": "range", "number": D(5)}, "number_high", "second number"),
        ({"bound": "range", "number": D(5), "number_high": D(4)}, "number_high", "smaller"),
        ({"bound": "exact", "number": D(5), "number_high": D(6)}, "number_high", "Only a range"),
    ],
)
def test_it_refuses_an_incomplete_quantity_with_a_message(kwargs, field, message):
    with pytest.raises(values.InvalidValue) as refused:
        values.quantity_bounds(**kwargs)
    assert refused.value.field == field
    assert message in refused.value.message


def test_every_hedge_in_the_rules_names_a_known_bound_kind():
    rules = values.load_rules()
    assert set(rules.bound_kinds) == set(values.BOUND_KINDS)
    for hedge, rule in rules.hedges.items():
        assert rule["bound"] in values.BOUND_KINDS, hedge
    for word, rule in rules.vague.items():
        assert rule["high"] is None or rule["low"] <= rule["high"], word


def test_it_reads_another_rules_file_when_given_one(tmp_path):
    path = tmp_path / "hedges.json"
    path.write_text(
        '{"bound_kinds": {"approximate": {"low_factor": 0.5, "high_factor": 2}},'
        ' "hedges": {"about": {"bound": "approximate"}}, "vague": {}}'
    )
    rules = values.load_rules(str(path))
    bounds = values.quantity_bounds(bound="approximate", hedge="about", number=D(10), rules=rules)
    assert bounds == (D(5), D(20))


def test_a_date_interval_must_run_forwards():
    import datetime as dt

    with pytest.raises(values.InvalidValue, match="cannot come before"):
        values.check_date_interval(dt.date(2022, 2, 20), dt.date(2022, 2, 10), "day")
    with pytest.raises(values.InvalidValue, match="Unknown date precision"):
        values.check_date_interval(dt.date(2022, 2, 1), dt.date(2022, 2, 28), "fortnight")
    values.check_date_interval(dt.date(2022, 2, 1), dt.date(2022, 2, 28), "month")


TEXT = "Some 30,000 troops came; then 30,000 more, and 3,000 left."


def test_an_anchor_matches_only_the_exact_wording_at_its_offsets():
    start = TEXT.index("30,000 more")
    ok = values.anchor_problem(
        TEXT, wording="30,000 more", start=start, end=start + 11, prefix="then ", suffix=","
    )
    assert ok is None
    moved = values.anchor_problem(
        TEXT, wording="30,000 more", start=0, end=11, prefix="", suffix=""
    )
    assert "not '30,000 more'" in moved


def test_digits_never_match_loosely():
    assert values.occurrences(TEXT, "3,000") == [TEXT.index("3,000 left")]
    assert values.occurrences(TEXT, "30000") == []


def test_a_prefix_picks_the_occurrence_it_precedes():
    assert values.occurrences(TEXT, "30,000", prefix="then ") == [TEXT.index("30,000 more")]
    start, end = values.find_anchor(TEXT, "30,000", near=len(TEXT))
    assert TEXT[start:end] == "30,000" and start == TEXT.index("30,000 more")


def test_a_wording_that_is_not_there_cannot_be_anchored():
    with pytest.raises(LookupError):
        values.find_anchor(TEXT, "40,000")


def test_anchor_context_keeps_a_little_text_either_side():
    start = TEXT.index("then")
    prefix, suffix = values.anchor_context(TEXT, start, start + 4, width=6)
    assert (prefix, suffix) == ("came; ", " 30,00")
