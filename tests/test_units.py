"""Units by pint: pure functions, no database."""

from decimal import Decimal

from facts.domain import units


def test_it_converts_miles_to_kilometres():
    assert round(units.convert(Decimal(93), "mile", "kilometer"), 1) == Decimal("149.7")


def test_a_count_needs_no_conversion():
    assert units.convert(Decimal(12), "", "") == Decimal(12)


def test_it_names_a_unit_it_does_not_know():
    assert "not a unit" in units.unit_problem("furlongz")
    assert units.unit_problem("kilometer") is None
    assert units.unit_problem("") is None


def test_it_refuses_to_compare_a_distance_with_a_duration():
    assert "cannot be converted" in units.compatibility_problem("mile", "day")
    assert "a plain count cannot be converted" in units.compatibility_problem("", "kilometer")
    assert units.compatibility_problem("hour", "week") is None
