"""What the databases can store and give back unchanged: pure Python, nothing from Django.

One value that cannot be stored or read back takes every page that shows it down, and the
history keeps a copy of it; so the API's parser, the models' validation and the importers all
ask these functions, and refuse such a value with a message before it is saved.

- Text: a NUL character (U+0000) is refused by PostgreSQL and breaks dumps; a lone surrogate
  (U+D800..U+DFFF) is not a character at all and cannot be encoded as UTF-8 for a response.
- Numbers: SQLite keeps a decimal as an 8-byte float or integer, and Django reads it back to 15
  significant digits; PostgreSQL's numeric(24, 6) keeps 18 whole digits. Measured by storing,
  reading back and comparing (tests/test_bad_input.py pins it): every number of up to 15 digits
  came back unchanged on both; with 16 most came back changed on SQLite, and 999999999999999999
  (18 digits) made every read of its row fail there. The derived bounds go up to 1.1 times the
  number, which 15 whole digits leave room for in 18.
- JSON: a body nested deeper than a few levels is no shape the API takes, and would only make
  whatever walks it recurse.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal

# The most digits a number may have, whole and decimal together (see the module's docstring).
MAX_DIGITS = 15
# The deepest nesting the API reads: an object in a list in an object is three levels.
MAX_JSON_DEPTH = 32


def surrogate_problem(text: str) -> str | None:
    """Say which lone surrogate a text holds, or None: such a text is no Unicode at all (a
    JSON "\\ud800" escape with no second half), and cannot be encoded for any response."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(error.object[error.start])
        return (
            f"holds a lone surrogate (U+{code:04X}), which is half of a character: "
            "send the text as valid Unicode"
        )
    return None


def text_problem(text: str) -> str | None:
    """Say what in a text cannot be stored ("holds a NUL character …"), or None."""
    if "\x00" in text:
        return "holds a NUL character (U+0000), which cannot be stored"
    return surrogate_problem(text)


def _parts(value: object, path: str = "") -> Iterator[tuple[str, str, bool]]:
    """Every string in a JSON value, with where it is and whether it is an object's key;
    without recursion, so that no nesting can exhaust the stack."""
    stack: list[tuple[str, object]] = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            yield where, item, False
        elif isinstance(item, dict):
            yield from ((where, key, True) for key in item if isinstance(key, str))
            stack.extend(
                (f"{where}[{_quoted(key)}]", inner) for key, inner in reversed(list(item.items()))
            )
        elif isinstance(item, list | tuple):
            stack.extend(
                (f"{where}[{index}]", inner) for index, inner in reversed(list(enumerate(item)))
            )


def _quoted(key: object) -> str:
    """A key as it can be shown in a message: quoted, and escaped where it is unprintable."""
    text = str(key)
    return repr(text) if text_problem(text) is None else ascii(text)


def value_problem(
    value: object, problem_of: Callable[[str], str | None] = text_problem
) -> str | None:
    """Say what in a value (a text, or a JSON list or object holding texts at any depth) cannot
    be stored, and where ("Item [2] holds a NUL character …"); None when all of it can.
    `problem_of` checks one text: text_problem, or surrogate_problem alone."""
    for where, text, is_key in _parts(value):
        problem = problem_of(text)
        if problem is None:
            continue
        if is_key:
            subject = f"A key in {where}" if where else "A key"
        else:
            subject = f"Item {where}" if where else "The text"
        return f"{subject} {problem}."
    return None


def nesting_depth(value: object) -> int:
    """How deep lists and objects nest in a JSON value: 0 for a scalar, 1 for a flat list."""
    deepest = 0
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list | tuple):
            deepest = max(deepest, depth + 1)
            stack.extend((inner, depth + 1) for inner in item)
    return deepest


def digits(number: Decimal) -> int:
    """How many digits a number needs, whole and decimal together, without leading zeros or
    trailing decimal zeros: 30000 has 5, 2.50 has 2, 0.000125 has 3."""
    _sign, figures, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)  # callers check that the number is finite
    if exponent >= 0:
        return len(figures) + exponent if figures != (0,) else 1
    return len(figures)


def number_problem(number: Decimal) -> str | None:
    """Say why a number cannot be stored and read back unchanged, or None."""
    if not number.is_finite():
        return "Give a finite number."
    if digits(number) > MAX_DIGITS:
        return (
            f"A number can have at most {MAX_DIGITS} significant digits, whole and decimal "
            f"together (the largest whole number is {10**MAX_DIGITS - 1:,}): the database "
            "would not give more back unchanged."
        )
    return None
