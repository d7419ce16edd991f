"""Units of quantities, by pint: pure Python, nothing from Django.

An empty unit is a plain count ("30,000", "twelve"): dimensionless. On a count fact (a fact
whose unit is empty) a claim may also name what it counts: "30,000 troops", "12 fighter jets".
Such a counted noun is kept as written and compares one to one with a plain count. What is a
counted noun and what is a unit of measure is decided here (`counted_noun`), by these rules:

- A short phrase of words (letters first: "Su-35 fighters" is one) that pint does not read as a
  unit is a counted noun. A phrase with a word pint does read as a unit ("troops per day",
  "tons of grain") is not: it is measured, not counted, and pint is asked about it as a whole.
- pint reads some nouns as units: "points" (a printer's point), "stones" (14 pounds), "cycles"
  (2π radians, so counting cycles would multiply them by 6.28). data/counted_nouns.json lists
  those that count things in the news; on a count fact they are nouns, on a fact with a unit of
  measure pint's reading stands.
- pint also reads a word as a prefix's symbol glued to a unit's name: "camps" is centi-amps,
  "units" micro-nits. A real unit writes symbols with symbols ("cm", "kA") or names with names
  ("centimeter"); a one- or two-letter prefix before a unit's name is taken as a misreading, and
  the word as a noun.
- A currency ("dollars", "euros") is neither: pint does not convert money, and counting dollars
  one to one with euros would be wrong, so it is refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Any

import pint

COUNTED_NOUNS_PATH = Path(__file__).parent / "data" / "counted_nouns.json"

# A counted noun is a short phrase: "troops", "fighter jets", "Su-35 fighter jets", "barrels of
# oil". Longer text is a wording put in the wrong field.
_MAX_NOUN_WORDS = 8
# A word of a noun phrase: a letter first, then letters, digits, hyphens, apostrophes, a dot.
_NOUN_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
# Words that make a phrase a rate ("troops per day"), not something counted.
_RATE_WORDS = frozenset({"per"})


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry:
    """The one unit registry, built once (it is slow to build)."""
    return pint.UnitRegistry(non_int_type=Decimal)


@dataclass(frozen=True)
class _NounRules:
    """The word lists of data/counted_nouns.json."""

    misread: frozenset[str]
    currencies: frozenset[str]
    number_words: frozenset[str]
    function_words: frozenset[str]


@lru_cache(maxsize=1)
def _noun_rules() -> _NounRules:
    data = json.loads(COUNTED_NOUNS_PATH.read_text(encoding="utf-8"))
    return _NounRules(
        misread=frozenset(data["nouns_pint_misreads"]),
        currencies=frozenset(data["currencies"]["words"]),
        number_words=frozenset(data["number_words"]["words"]),
        function_words=frozenset(data["function_words"]["words"]),
    )


def _singular(word: str) -> str:
    """A word folded for the lists: lower case, and without a plural's final s."""
    word = word.lower()
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _parse(unit: str) -> Any:
    return registry().parse_units(unit) if unit else registry().dimensionless


def _noun_words(unit: str) -> list[str] | None:
    """The words of a unit that reads as a noun phrase, or None if it does not."""
    words = unit.split()
    if not 1 <= len(words) <= _MAX_NOUN_WORDS:
        return None
    if not all(_NOUN_WORD.fullmatch(word) for word in words):
        return None  # "km/h", "m^2", "10 km"
    if any(word.lower() in _RATE_WORDS for word in words):
        return None
    return words


def _misread_with_a_prefix(word: str) -> bool:
    """Whether pint reads a word only as a prefix's short symbol glued to a unit's name: "camps"
    as centi-ampere, "units" as micro-nit. Real units write a symbol with a symbol ("cm")."""
    readings = registry().parse_unit_name(word, case_sensitive=False)
    if not readings:
        return False
    for prefix, _unit, _suffix in readings:
        if not prefix:
            return False  # a unit in its own right: "meters", "kt" (a knot)
        spellings = _prefix_spellings(prefix)
        written = next((s for s in spellings if word.lower().startswith(s.lower())), "")
        if not (written and len(written) <= 2 and len(word) - len(written) >= 3):
            return False  # "kilometers": a name with a name; "km": a symbol with a symbol
    return True


@lru_cache(maxsize=64)
def _prefix_spellings(prefix: str) -> tuple[str, ...]:
    """The ways a prefix is written ("centi": "centi", "c"), longest first."""
    definition = registry()._prefixes[prefix]
    spellings = {definition.name, definition.symbol or "", *definition.aliases} - {""}
    return tuple(sorted(spellings, key=len, reverse=True))


def _unit_word(word: str) -> bool:
    """Whether pint reads one word of a phrase as a unit of measure ("tons", "day")."""
    try:
        readings = registry().parse_unit_name(word, case_sensitive=False)
    except Exception:  # pint's parser raises assorted errors on odd input
        return False
    return bool(readings) and not _misread_with_a_prefix(word)


def is_currency(unit: str) -> bool:
    """Whether a unit names money ("dollars", "US dollars", "euros")."""
    return any(_singular(word) in _noun_rules().currencies for word in unit.split())


def is_number_word(unit: str) -> bool:
    """Whether a unit holds a word that multiplies the number ("dozen", "thousand")."""
    return any(word.lower() in _noun_rules().number_words for word in unit.split())


def counted_noun(unit: str) -> bool:
    """Whether a claim's unit names the things counted ("troops", "fighter jets", "points")
    rather than a unit of measure ("kilometer", "days"); the rules are in the module's
    docstring. An empty unit is a plain count, not a noun."""
    words = _noun_words(unit)
    if words is None or is_currency(unit) or is_number_word(unit):
        return False
    rules = _noun_rules()
    misread, function_words = rules.misread, rules.function_words
    if " ".join(_singular(word) for word in words) in misread:
        return True
    for word in words:
        folded = _singular(word)
        if word.lower() in function_words or folded in misread:
            continue
        if _unit_word(word):
            return False  # "tons of grain", "man hours": measured, not counted
    try:
        _parse(unit)
    except Exception:  # pint does not know it: a noun
        return True
    # pint reads it only through prefixes glued to names ("camps"): a noun all the same.
    return all(_misread_with_a_prefix(word) for word in words if word.lower() not in function_words)


def is_plain_count(unit: str) -> bool:
    """Whether a fact's unit makes it a count: empty (a fact's unit is a pint unit or none)."""
    return not unit


def counts_as_plain(unit: str, canonical: str) -> bool:
    """Whether a claim's unit is read as a count of things against its fact's unit: a counted
    noun on a count fact ("30,000 troops" for "troops deployed")."""
    return is_plain_count(canonical) and bool(unit) and counted_noun(unit)


def unit_problem(unit: str) -> str | None:
    """Say why a unit of measure is not understood, or None if it is (a fact's unit)."""
    try:
        _parse(unit)
    except Exception:  # pint's parser raises assorted errors on odd input
        return f"{unit!r} is not a unit the units library knows (try 'kilometer', 'mile', 'day')."
    return None


@lru_cache(maxsize=1024)
def compatibility_problem(unit: str, canonical: str) -> str | None:
    """Say why a claim's unit cannot be converted to its fact's unit, or None if it can."""
    if not unit and not canonical:
        # A plain count on a count fact: nothing to read, so no need to build the registry
        # (a third of a second, in each worker process that meets its first count).
        return None
    problem = unit_problem(canonical)
    if problem:
        return problem
    if unit and is_currency(unit):
        return (
            f"{unit!r} is a currency: the units library does not convert money, and a count of "
            "it would be compared one to one with other currencies. Record the amount in a fact "
            "whose unit is that currency's, or leave the unit empty for a plain count."
        )
    if unit and is_number_word(unit):
        return (
            f"{unit!r} holds a word that multiplies the number: give the whole number "
            "(24 for 'two dozen', 30000 for '30 thousand') and only what is counted as the unit."
        )
    if counts_as_plain(unit, canonical):
        return None
    if unit and not is_plain_count(canonical) and counted_noun(unit):
        try:
            if _parse(unit).dimensionality == _parse(canonical).dimensionality:
                return None  # a listed noun that is a unit here: "12 stones" in kilograms
        except Exception:  # not a unit at all: "troops"
            pass
        return (
            f"{unit!r} is not a unit of measure the units library can convert to {canonical}, "
            f"the fact's unit; read as what is counted, it fits only a fact that counts things: "
            f"give the number in {canonical} or a unit convertible to it."
        )
    problem = unit_problem(unit)
    if problem:
        return problem
    if _parse(unit).dimensionality != _parse(canonical).dimensionality:
        wanted = canonical or "a plain count"
        given = unit or "a plain count"
        return f"{given} cannot be converted to the fact's unit, {wanted}."
    return None


def convert(number: Decimal, unit: str, canonical: str) -> Decimal:
    """Convert a number from a unit to the canonical one: 93 mile -> 149.67… kilometer; a
    counted noun on a count fact is the number itself (30,000 troops -> 30,000)."""
    if unit == canonical or counts_as_plain(unit, canonical):
        return number
    quantity = registry().Quantity(Decimal(number), _parse(unit))
    return Decimal(quantity.to(_parse(canonical)).magnitude)
