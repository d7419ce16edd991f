"""The tense a date is written in, read from the words around it: nothing from Django.

"The drills will start on Thursday" and "the Kremlin said on Thursday" name different
Thursdays: the next one and the last one. `infer_tense` reads which from the wording and, when
it is known, the sentence the wording stands in (`sentence_around`); dates.py uses the answer as
a lean, not a rule (see `dates.resolve_date`'s `lean`).

How the tense is read, each step only when the one before found nothing:

1. The markers are the future's ("will", "is to", "is expected to", "is scheduled to", "plans
   to", "next", "upcoming", "starting" ...) and the past's ("said", "announced", "was", "were",
   "has", "last", "ago", "began" ...). A future phrase is read first and hides the words in it:
   "will be held" is future, though "held" alone is past.
2. The date's clause: the part of the sentence between punctuation and joining words ("that",
   "and", "but", "which" ...) that holds the date. Its marker nearest before the date decides
   ("the Kremlin said Tuesday"); else its marker nearest after it ("on Thursday the drills will
   begin").
3. Else the marker nearest before the date in the sentence: in "is scheduled to resume on
   Thursday and end on Feb. 20", "end on Feb. 20" is future too.
4. Else, for a date in the clause that opens the sentence ("On Thursday, the drills will
   begin"), the first marker of the clause after it.
5. Else None: the tense is not written. A marker after the date in another clause is not used:
   in "the phase that kicked off on Jan. 18 ends this Wednesday, the drills are to resume", the
   drills' future says nothing about Jan. 18.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

TENSES = ("past", "future")

_AUXILIARY_FUTURE = (
    # "will", "won't", "'ll" and "shall", with what they govern: "will be held", "will have ended"
    r"\b(?:will|shall|won['’]t|wo\s+not)\b(?:\s+not)?(?:\s+(?:be|have\s+been|have))?(?:\s+[a-z]+)?"
    r"|['’]ll\b(?:\s+[a-z]+)?"
    # "is to resume", "are to be held", "is going to", "is expected to", "are scheduled to"
    r"|\b(?:is|are|am|['’]s|['’]re)\s+(?:not\s+)?(?:(?:going|expected|scheduled|set|due|planned"
    r"|slated|poised|likely|supposed|meant)\s+)?to\b(?:\s+be)?(?:\s+[a-z]+)?"
    r"|\b(?:is|are)\s+(?:not\s+)?(?:scheduled|planned|slated|set|due)\s+(?:for|on)\b"
)
_FUTURE = (
    _AUXILIARY_FUTURE
    + r"|\b(?:expected|scheduled|slated|planned|set|due)\s+to\b(?:\s+be)?(?:\s+[a-z]+)?"
    r"|\b(?:scheduled|planned|slated)\s+(?:for|on)\b"
    r"|\b(?:plans?|planning|intends?|intending|aims?|aiming|hopes?|promised|promises|vowed"
    r"|vows|threatens|threatened|has|have|needs?)\s+to\b(?:\s+[a-z]+)?"
    r"|\bmust\b|\bnext\b|\bupcoming\b|\bcoming\b|\bstarting\b|\bfrom\s+now\b"
    r"|\btomorrow\b|\bsoon\b|\blater\s+(?:this|in)\b"
    # Headline infinitives: "Russia to pull troops out on Sunday".
    r"|\bto\s+(?:begin|start|end|resume|finish|continue|last|take\s+place|arrive|leave|launch"
    r"|hold|return|withdraw|complete|conclude|close|open)\b"
)
_PAST = (
    r"\b(?:said|announced|confirmed|told|stated|reported|added|noted|claimed|denied|insisted"
    r"|warned|acknowledged|admitted|revealed|declared|explained|wrote|tweeted|was|were|had|has"
    r"|have|did|began|begun|started|launched|kicked\s+off|ended|finished|concluded|held|met"
    r"|arrived|left|took|came|went|made|gave|signed|published|delivered|visited|sent|ordered"
    r"|completed|opened|closed|returned|withdrew|pulled|moved|last|ago|earlier|previously"
    r"|yesterday|already|recently)\b"
)
# Where a clause ends: punctuation, or a word that joins clauses.
_CLAUSE_BREAK = (
    r"[,;:()\[\]\"“”]|\s[-–—]\s|\s[–—]|[–—]\s"
    r"|\b(?:that|which|who|whom|whose|and|but|while|whereas|although|though|because|after|before"
    r"|when|whenever|as|if|unless|until|since|so)\b"
)
# Where a date stands inside a wording: its first weekday, month, nearby day or digit.
_DATE_WORD = (
    r"\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\b"
    r"|\b(?:jan|feb|fe|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\b\.?"
    r"|\b(?:today|tonight|tomorrow|yesterday|week|month|year|quarter)\b|\d"
)
# Words after which a full stop does not end a sentence ("Feb. 10", "Mr. Peskov").
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "gen",
        "lt",
        "col",
        "sgt",
        "maj",
        "capt",
        "adm",
        "gov",
        "sen",
        "rep",
        "rev",
        "prof",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "approx",
        "jan",
        "feb",
        "fe",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "u.s",
        "u.k",
        "u.n",
        "e.g",
        "i.e",
        "a.m",
        "p.m",
    ]
)
_SENTENCE_END = r"[.!?]+[\"'”’)\]]*(?=\s)|\n"


@cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class _Marker:
    start: int
    end: int
    tense: str


def sentence_around(text: str, start: int, end: int) -> tuple[str, int]:
    """The sentence of a text that holds the characters start to end, and where it starts.

    A sentence ends at a line break or at a full stop, question or exclamation mark before a
    space, except after an abbreviation ("Feb. 10", "Mr. Peskov", "U.S. forces") or an
    initial. A wording that runs over sentences gets all of them.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"The span {start}-{end} is not inside a text of {len(text)} characters.")
    ends = _sentence_ends(text)
    # The last end before the span (ends are in order, by start and by end alike) and the
    # first after it; an end inside the span joins its sentences.
    before = bisect_right(ends.ends, start)
    first = ends.ends[before - 1] if before else 0
    after = bisect_left(ends.starts, end)
    last = len(text)
    if after < len(ends.starts):
        last = ends.starts[after] if ends.line_breaks[after] else ends.ends[after]
    sentence = text[first:last]
    stripped = len(sentence) - len(sentence.lstrip())
    return sentence.strip(), first + stripped


@dataclass(frozen=True)
class _SentenceEnds:
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    line_breaks: tuple[bool, ...]


@lru_cache(maxsize=1)
def _sentence_ends(text: str) -> _SentenceEnds:
    """Where a text's sentences end, in order, abbreviations and initials left out. Found
    once a text: the extractor asks for the sentence around each of its candidates, and
    finding the ends again each time (an abbreviation test at every full stop) was a tenth of
    its time on a long article. One text kept: the one being read."""
    found = [
        (match.start(), match.end(), match[0] == "\n")
        for match in _regex(_SENTENCE_END).finditer(text)
        if match[0] == "\n" or not _after_abbreviation(text, match.start())
    ]
    return _SentenceEnds(
        starts=tuple(start for start, _, _ in found),
        ends=tuple(end for _, end, _ in found),
        line_breaks=tuple(line_break for _, _, line_break in found),
    )


def _after_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at dot ends an abbreviation or an initial rather than a sentence."""
    if text[dot] != ".":
        return False
    # Only the last few characters: searching the whole text before every full stop made
    # sentence_around quadratic in an article's length. No abbreviation is this long.
    word = re.search(r"[\w.]*$", text[max(0, dot - 24) : dot])
    token = word[0].lower() if word else ""
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def infer_tense(wording: str, sentence: str = "", *, start: int | None = None) -> str | None:
    """'past', 'future' or None: the tense the wording's date is written in, read from the
    wording and the sentence it stands in (see the module's docstring).

    start is where the wording stands in the sentence; without it the wording is looked for
    there, and a sentence that does not hold the wording is not used.
    """
    if sentence and start is None:
        found = sentence.find(wording)
        start = found if found >= 0 else None
    if not sentence or start is None or sentence[start : start + len(wording)] != wording:
        sentence, start = wording, 0
    date_word = _regex(_DATE_WORD).search(wording)
    at = start + (date_word.start() if date_word else 0)
    markers = _markers(sentence)
    clause_start, clause_end = _clause_of(sentence, at)
    before = [m for m in markers if m.end <= at or (m.start < at < m.end)]
    in_clause_before = [m for m in before if m.start >= clause_start]
    if in_clause_before:
        return in_clause_before[-1].tense
    in_clause_after = [m for m in markers if at <= m.start and m.end <= clause_end]
    if in_clause_after:
        return in_clause_after[0].tense
    if before:
        return before[-1].tense
    if clause_start == 0 and clause_end < len(sentence):
        # A date that opens the sentence ("On Thursday, the drills will begin") goes with the
        # verb of the clause that follows it.
        following_end = _clause_of(sentence, clause_end + 1)[1]
        following = [m for m in markers if clause_end <= m.start and m.end <= following_end]
        if following:
            return following[0].tense
    return None


@lru_cache(maxsize=1)
def _markers(sentence: str) -> tuple[_Marker, ...]:
    """The tense markers of a sentence in order; a future phrase hides the words inside it.
    The last sentence's kept: a date's tense is read twice from its sentence (when it is
    found, and when read_period reads it)."""
    future = [_Marker(m.start(), m.end(), "future") for m in _regex(_FUTURE).finditer(sentence)]
    past = [
        _Marker(m.start(), m.end(), "past")
        for m in _regex(_PAST).finditer(sentence)
        if not any(f.start <= m.start() < f.end for f in future)
    ]
    return tuple(sorted(future + past, key=lambda m: m.start))


def _clause_of(sentence: str, at: int) -> tuple[int, int]:
    """The start and end of the clause that holds the character at."""
    first, last = 0, len(sentence)
    for match in _regex(_CLAUSE_BREAK).finditer(sentence):
        if match.end() <= at:
            first = match.end()
        elif match.start() > at:
            last = match.start()
            break
    return first, last
