"""Units of quantities, by pint: pure Python, nothing from Django.

An empty unit is a plain count ("30,000 troops", "twelve Su-35s"): dimensionless.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any

import pint


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The one unit registry, built once (it is slow to build)."""
    return pint.UnitRegistry(non_int_type=Decimal)


def _parse(unit: str) -> Any:
    return registry().parse_units(unit) if unit else registry().dimensionless


def unit_problem(unit: str) -> str | None:
    """Say why a unit is not understood, or None if it is."""
    try:
        _parse(unit)
    except Exception:  # pint's parser raises assorted errors on odd input
        return f"{unit!r} is not a unit the units library knows (try 'kilometer', 'mile', 'day')."
    return None


@lru_cache(maxsize=1024)
def compatibility_problem(unit: str, canonical: str) -> str | None:
    """Say why a claim's unit cannot be converted to its fact's unit, or None if it can."""
    problem = unit_problem(unit) or unit_problem(canonical)
    if problem:
        return problem
    if _parse(unit).dimensionality != _parse(canonical).dimensionality:
        wanted = canonical or "a plain count"
        given = unit or "a plain count"
        return f"{given} cannot be converted to the fact's unit, {wanted}."
    return None


def convert(number: Decimal, unit: str, canonical: str) -> Decimal:
    """Convert a number from a unit to the canonical one: 93 mile -> 149.67… kilometer."""
    if unit == canonical:
        return number
    quantity = registry().Quantity(Decimal(number), _parse(unit))
    return Decimal(quantity.to(_parse(canonical)).magnitude)
