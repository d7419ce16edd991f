"""News bodies and wordings as stored: one form for every path in, so offsets stay true.

Pure Python, nothing from Django.
"""

from __future__ import annotations

import unicodedata


def normalise_text(text: str) -> str:
    """The stored form of a news body or a wording: line breaks as \\n, Unicode in NFC.

    A browser sends a textarea back with \\r\\n line breaks and an XLSX cell loses its \\r, so
    without this a save that changes nothing would move every offset after the first line
    break. NFC makes a composed "é" and an "e" with a combining accent the same characters, so
    a wording copied from another rendering of the text still matches it exactly.
    """
    unified = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", unified)
