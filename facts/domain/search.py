"""What a search (`q`) finds: its words in order, each a substring of the text, any run of
white space between them, case aside; and the index queries that narrow the rows to look at.

A search is checked on each candidate row by a regex (the meaning, the same on every
database). The indexes only narrow the candidates, so they must never leave out a row the
regex would find: on SQLite a trigram full-text query (FTS5, `tokenize='trigram'`) with each
word of three characters or more as a quoted substring; on PostgreSQL pg_trgm reads the
trigrams off the regex itself.
"""

from __future__ import annotations

import re

# Words in a search match across any run of white space, the no-break spaces of the seed
# texts included ("in February last year" finds "in February\u00a0last year").
SPACE = "[ \t\n\r\u00a0\u2009\u202f]+"
MAX_SEARCH_LENGTH = 200
# FTS5's trigram tokenizer matches substrings of three characters or more; a shorter word
# has no trigram and would match nothing, so it is left to the regex.
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


def trigram_match_query(text: str, *, column: str | None = None) -> str | None:
    """An FTS5 MATCH expression that every row the search's regex finds matches: each word of
    three characters or more as a quoted string (a substring for the trigram tokenizer),
    joined by AND, in `column` only if given. None when no word is long enough: then the index
    cannot narrow the rows.

    User input never reaches FTS5's syntax: inside double quotes every character is literal,
    and a double quote is written twice.
    """
    terms = [
        '"' + word.replace('"', '""') + '"' for word in search_words(text) if len(word) >= TRIGRAM
    ]
    if not terms:
        return None
    # The same word twice adds nothing; sorted so equal searches give equal queries.
    expression = " AND ".join(sorted(set(terms)))
    if column is None:
        return expression
    return f"{column} : ({expression})"
