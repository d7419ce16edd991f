"""What a search (`q`) finds: its words in order, each a substring of the text, any run of
white space between them, case aside; and the index queries that narrow the rows to look at.

A search is checked on each candidate row by a regex (the meaning, the same on every
database). The indexes only narrow the candidates, so they must never leave out a row the
regex would find: on SQLite a trigram full-text query (FTS5, `tokenize='trigram'`) with each
word of three characters or more as a quoted substring; on PostgreSQL pg_trgm reads the
trigrams off the regex itself.
"""

from __future__ import annotations

import itertools
import re

# Words in a search match across any run of white space, the no-break spaces of the seed
# texts included ("in February last year" finds "in February\u00a0last year").
SPACES = " \t\n\r\u00a0\u2009\u202f"
SPACE = f"[{SPACES}]+"
MAX_SEARCH_LENGTH = 200
# FTS5's trigram tokenizer matches substrings of three characters or more: a shorter search
# (one word of one or two characters) has no trigram and would match nothing.
TRIGRAM = 3


def search_words(text: str) -> list[str]:
    """The words of a search, split at any white space."""
    return text.split()


def words_pattern(text: str) -> str | None:
    """A case-insensitive regex for the words of a search, any spaces between them; None for a
    search with no words (no filter)."""
    words = search_words(text)
    if not words:
        return None
    return SPACE.join(re.escape(word) for word in words)


def _quoted(text: str) -> str:
    """An FTS5 string: every character inside double quotes is literal, a quote written twice."""
    return '"' + text.replace('"', '""') + '"'


def _odd_spacing(before: str, after: str) -> set[str]:
    """The trigrams that a junction of two words spaced otherwise than by one plain space must
    hold: the last letter of the first word, then one other white space and the next word's
    first letter, or two white spaces (`before` + "\t" + `after`, `before` + "  ")."""
    single = {before + space + after for space in SPACES if space != " "}
    double = {before + first + second for first in SPACES for second in SPACES}
    return single | double


def trigram_match_queries(text: str, *, columns: tuple[str, ...]) -> list[str]:
    """FTS5 MATCH expressions (trigram tokenizer) such that every row the search's regex finds
    in `columns` (all of the index's) matches one of them, so that they can narrow the rows the regex is tried on;
    none when the search is shorter than a trigram (one word of one or two characters): then
    no index can narrow them.

    The regex finds the words in order, with a run of white space between them, in one field.
    A field that holds them with one plain space between holds the words joined by one space,
    a substring (a phrase of trigrams to FTS5): that is the first query, nearly exact, so
    words frequent each but rare together in that order find few rows. A field spaced
    otherwise (a no-break space, two spaces, a new line) holds, at some junction of two words,
    one of the trigrams of `_odd_spacing`, and each word of three characters or more: one
    query a column for those (the words must be in one field). Each is a query of its own
    (the caller joins their rows), as FTS5 reads an OR of phrases far more slowly than each.

    User input never reaches FTS5's syntax: every string is quoted (`_quoted`).
    """
    words = search_words(text)
    phrase = " ".join(words)
    if len(phrase) < TRIGRAM:
        return []
    queries = [_quoted(phrase)]
    junctions = list(itertools.pairwise(words))
    if junctions:
        # Sorted, so that equal searches give equal queries.
        odd = sorted(set().union(*(_odd_spacing(a[-1], b[0]) for a, b in junctions)))
        long_words = sorted({_quoted(word) for word in words if len(word) >= TRIGRAM})
        spaced = "(" + " OR ".join(_quoted(trigram) for trigram in odd) + ")"
        condition = " AND ".join([*long_words, spaced])
        queries += [f"{column} : ({condition})" for column in columns]
    return queries


# The ASCII letters that Python's case-insensitive regex (the meaning of `q` on SQLite) also
# finds as characters outside ASCII: "k" as the Kelvin sign, "s" as the long s, "i" as the
# dotted and dotless i. Found by trying every character against every ASCII one.
_NON_ASCII_CASES = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def short_word(text: str) -> tuple[str, str] | None:
    """For a search too short for the trigram index (one word of one or two characters) in
    ASCII: the word, and the characters outside ASCII that the regex also takes for its
    letters (often none). A row can match only if a field holds the word, ASCII case aside
    (SQL's LIKE), or one of those characters: a test in C, before the regex in Python.
    None for any other search."""
    words = search_words(text)
    if len(words) != 1 or len(words[0]) >= TRIGRAM or not words[0].isascii():
        return None
    word = words[0]
    partners = "".join(_NON_ASCII_CASES.get(letter, "") for letter in sorted(set(word.lower())))
    return word, partners
