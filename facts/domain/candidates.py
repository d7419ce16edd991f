"""Candidate claims proposed from an article's text: pure Python, nothing from Django.

`propose` reads a news body (boilerplate already removed upstream) and returns the quantities,
dates, attributions and direct quotations in it, each anchored to its exact wording by character
offsets (text[start:end] == wording), with its value as a Claim stores it. An editor accepts,
fixes or rejects each; nothing proposed here is ever verified by itself.

What is reused rather than written again:
- hedges and bounds: values.complete_bound and the rules of data/hedges.json;
- what a noun after a number is (a counted noun or a unit of measure): units.counted_noun, pint;
- date expressions: dates.find_expressions finds them with the patterns dates.resolve_date reads,
  and dates.resolve_date / read_period resolve them against the publication day, with the tense
  read by tense.infer_tense from the sentence (tense.sentence_around).

Libraries: number words ("twelve", "twenty-five", "5 million") are read by text2num, which reads
English number words exactly and measures well; quantulum3 is not used (on the seeds it reads
"twelve Su-35" as siemens and "a raft" as roentgen, 2.8 s for one article), nor dateparser's
search_dates (it takes "We" for a date and puts "on Thursday" a week early). Actor names are
matched exactly first, then by rapidfuzz for near spellings ("Zelensky" for "Zelenskiy"); two
actors matched equally well give no actor, never a silent guess.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz, process
from text_to_num import text2num

from facts.domain import dates as date_rules
from facts.domain.tense import infer_tense, sentence_around
from facts.domain.units import counted_noun, registry
from facts.domain.values import complete_bound, load_rules, normalise_hedge

KINDS = ("quantity", "date", "attribution", "quotation")
# The values of facts.models.claims.AttributionMode, kept here as a plain list so that the domain
# imports nothing from Django; tests/test_candidates_attribution.py checks they stay equal.
ATTRIBUTION_MODES = ("direct_quote", "indirect", "own_voice")

# A near match of an actor's name must score this much (rapidfuzz ratio, 0-100) to link it.
_FUZZY_CUTOFF = 90


@dataclass(frozen=True)
class KnownActor:
    """An actor a claim may be credited to, as the record knows it."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownFact:
    """A fact of a known subject that a candidate may state a value of."""

    key: str
    subject: str
    property: str
    value_kind: str
    unit: str = ""
    # The subject's name and aliases as a text may name it; without them, subject is read as
    # its name. A date or a statement is matched to a fact of a subject its sentence names.
    subject_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One proposed claim: where it stands in the text, and its value as a Claim stores it."""

    kind: str
    start: int
    end: int
    wording: str
    number: Decimal | None = None
    number_high: Decimal | None = None
    unit: str = ""
    hedge: str = ""
    bound: str = ""
    # A date's interval; on an attribution, the day the statement was made when the text says
    # it ("the Kremlin said Tuesday"): the as-of of the claims it credits.
    date_earliest: date | None = None
    date_latest: date | None = None
    date_precision: str = ""
    category: str = ""
    actor_key: str | None = None
    actor_suggestion: str = ""
    attribution_cue: str = ""
    attribution_mode: str = "own_voice"
    speaker: str = ""
    # A quantity the text says was not given ("have not disclosed how many troops"): a Claim
    # with undisclosed set and no number.
    undisclosed: bool = False
    fact_key: str | None = None
    fact_suggestion: str = ""
    # The known facts the suggestion names: two that fit equally, or the one fact a statement
    # states (a statement is not put on it: its category is the editor's to choose).
    suggested_fact_keys: tuple[str, ...] = ()
    # A period ("Feb. 10-20") is two values, a start and an end: which one this candidate is.
    part: str = ""


def propose(
    text: str,
    *,
    published: date | None,
    published_latest: date | None = None,
    actors: Sequence[KnownActor] = (),
    facts: Sequence[KnownFact] = (),
) -> list[Candidate]:
    """The candidate claims of an article's text, in the order they stand in it.

    published is the publication day (the first of a window, when published_latest is given:
    an article known only to lie in some days resolves its relative dates over all of them);
    without it, relative dates are proposed unresolved.
    """
    index = _ActorIndex(tuple(actors))
    date_spans = _date_spans(text)
    found: list[Candidate] = []
    dates = _dates(text, date_spans, published, published_latest or published)
    found += _quantities(text, date_spans)
    attributions, dates = _statement_days(text, _attributions(text, index), dates)
    found += dates
    quotations = _quotations(text, attributions)
    quoted = {(q.attribution_cue, q.actor_key) for q in quotations if q.attribution_cue}
    found += [
        _replace(a, attribution_mode="direct_quote")
        if (a.attribution_cue, a.actor_key) in quoted
        else a
        for a in attributions
    ]
    found += quotations
    subjects = _SubjectMentions(text, tuple(facts))
    found = [_with_fact(candidate, facts, text, subjects) for candidate in found]
    return sorted(found, key=lambda c: (c.start, KINDS.index(c.kind), c.end))


# --- Dates -------------------------------------------------------------------------------------

# A year written right after a capitalised word is part of a name ("Union Resolve 2022",
# "Union Shield 2023"), not a date the article states.
_NAME_BEFORE = re.compile(r"[A-Z][\w-]*\s+$")
_LEAD = re.compile(r"\b(?:[Oo]n|[Ii]n|[Uu]ntil|[Ss]ince)[ \u00a0]+$")
_FULL_WORD_DOT = re.compile(r"[A-Za-z]{4,}\.$")


def _date_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for start, end in date_rules.find_expressions(text):
        wording = text[start:end]
        if _FULL_WORD_DOT.search(wording):
            end -= 1  # "in September." ends a sentence; "Wed." is an abbreviation, kept
        if re.fullmatch(r"\d{4}", text[start:end]) and _NAME_BEFORE.search(text[:start][-40:]):
            continue
        lead = _LEAD.search(text[max(0, start - 8) : start])
        if lead and not re.match(r"(?:in|on|until|since|by)\b", wording, re.IGNORECASE):
            start -= len(
                lead[0]
            )  # "on Thursday", "until Feb. 20", "in 2014", as editors quote them
        spans.append((start, end))
    return spans


def _dates(
    text: str, spans: list[tuple[int, int]], published: date | None, latest: date | None
) -> list[Candidate]:
    found = []
    for start, end in spans:
        wording = text[start:end]
        sentence, at = sentence_around(text, start, end)
        lean = infer_tense(wording, sentence, start=start - at)
        if published is None or latest is None:
            found.append(Candidate("date", start, end, wording))
            continue
        period = date_rules.read_period(wording, published, latest, sentence=sentence)
        if period is not None:
            for part, value in zip(("start", "end"), period, strict=True):
                found.append(_date_candidate(start, end, wording, value, part))
            continue
        single = date_rules.resolve_date_window(wording, published, latest, lean=lean)
        found.append(_date_candidate(start, end, wording, single, ""))
    return found


def _date_candidate(
    start: int, end: int, wording: str, value: date_rules.DateValue | None, part: str
) -> Candidate:
    if value is None:
        return Candidate("date", start, end, wording, part=part)
    return Candidate(
        "date",
        start,
        end,
        wording,
        date_earliest=value.earliest,
        date_latest=value.latest,
        date_precision=value.precision,
        part=part,
    )


# --- Quantities --------------------------------------------------------------------------------

_WORD_NUMBERS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "billion",
]
_SCALES = {
    "hundred": 100,
    "thousand": 1000,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_WORD_NUMBER = rf"(?:{'|'.join(_WORD_NUMBERS)})"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = re.compile(
    # Not inside a designator ("Su-35", "S-400", "9K720"), a time ("10:30") or a larger number.
    rf"(?<![\w.,:/-])(?:(?P<digits>{_DIGITS})(?:\s+(?P<scale>hundred|thousand|million|billion|trillion))?"
    rf"|(?P<words>{_WORD_NUMBER}(?:(?:[\s-]+|\s+and\s+){_WORD_NUMBER})*))"
    # Not a larger number or a time; letters right after it are read as a unit or refused in
    # _quantity_at ("200lbs", "six-mile", "10-year-old"); a range ("10-20") may follow.
    r"(?![\d:]|[.,]\d)(?P<glued>-?[^\W\d_]+(?:\^[23])?\b)?",
    re.IGNORECASE,
)
# The second number of a range: "10-20", "10 to 20", "10 and 20" (after "between").
_RANGE_END = re.compile(
    rf"(?:\s*[-–]\s*|\s+(?:to|and)\s+)(?P<digits>{_DIGITS})(?:\s+(?P<scale>hundred|thousand"
    rf"|million|billion))?(?P<words>(?!))?(?![\w:]|[.,]\d|-\w)",
    re.IGNORECASE,
)
_BETWEEN = re.compile(r"\b(?:between|from)\s+$", re.IGNORECASE)
# Words that end the noun phrase after a number: verbs, prepositions, joining words.
# Verbs that follow what is counted and end its phrase: "30,000 troops took part" counts
# troops. Past tenses in -ed are caught by their ending; these are the irregular ones and the
# present tenses news uses after a count (a few, not a dictionary: each seen after a count).
_VERBS_AFTER_A_COUNT = frozenset(
    [
        "took",
        "take",
        "takes",
        "made",
        "make",
        "makes",
        "came",
        "come",
        "comes",
        "went",
        "go",
        "goes",
        "began",
        "begin",
        "begins",
        "sent",
        "send",
        "sends",
        "kept",
        "keep",
        "keeps",
        "held",
        "hold",
        "holds",
        "said",
        "say",
        "says",
        "told",
        "tell",
        "tells",
        "saw",
        "see",
        "sees",
        "left",
        "fled",
        "fought",
        "stood",
        "ran",
        "won",
        "lost",
        "gave",
        "give",
        "gives",
        "got",
        "get",
        "gets",
        "met",
        "meet",
        "meets",
        "remain",
        "remains",
        "face",
        "faces",
        "return",
        "returns",
        "stay",
        "stays",
        "move",
        "moves",
        "arrive",
        "arrives",
        "join",
        "joins",
        "include",
        "includes",
    ]
)

_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "or",
        "but",
        "nor",
        "the",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "with",
        "without",
        "into",
        "onto",
        "over",
        "under",
        "of",
        "off",
        "up",
        "down",
        "out",
        "through",
        "across",
        "around",
        "about",
        "near",
        "along",
        "after",
        "before",
        "since",
        "until",
        "while",
        "during",
        "as",
        "than",
        "that",
        "which",
        "who",
        "whom",
        "whose",
        "were",
        "was",
        "are",
        "is",
        "be",
        "been",
        "being",
        "have",
        "has",
        "had",
        "will",
        "would",
        "could",
        "should",
        "may",
        "might",
        "can",
        "must",
        "shall",
        "do",
        "does",
        "did",
        "not",
        "no",
        "this",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "their",
        "his",
        "her",
        "our",
        "your",
        "my",
        "we",
        "they",
        "he",
        "she",
        "you",
        "i",
        "being",
        "per",
        "each",
        "every",
        "some",
        "all",
        "both",
        "either",
        "neither",
        "if",
        "when",
        "where",
        "so",
        "such",
        "also",
        "only",
        "just",
        "even",
        "still",
        "already",
        "then",
        "now",
        "ago",
    ]
)
_NOUN_WORD = re.compile(r"[A-Za-z][\w'’-]*")
# Nouns that count containers of something named after "of" ("two units of the S-400").
_CONTAINERS = frozenset(
    [
        "unit",
        "units",
        "battery",
        "batteries",
        "battalion",
        "battalions",
        "piece",
        "pieces",
        "set",
        "sets",
        "batch",
        "batches",
    ]
)
# Words before a number that make it no count of its own: "the two countries" refers back,
# "No one", "page 12", "at 10 a.m.".
_NOT_A_COUNT_BEFORE = re.compile(
    r"(?:\b(?:the|these|those|its|their|his|her|our|no|page|pages|p\.|pp\.|no\.|number|chapter"
    r"|article|section|grade|level|phase|round)\s+|[#№]\s*)$",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"^\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o['’]clock|%-)", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"^(?:\s*%|\s+percent\b|\s+per\s+cent\b)", re.IGNORECASE)
_CURRENCY_BEFORE = re.compile(r"[$£€]$")
# "150 kilometers (93 miles)": the same quantity in another unit, one candidate.
_CONVERSION = re.compile(rf"^\s*\(\s*(?:{_DIGITS})\s+[A-Za-z]+\.?\s*\)")
# Vague words with no number ("thousands of others", "several weeks", "some time").
_VAGUE = re.compile(
    r"(?<![\w-])(?P<word>"
    + "|".join(
        sorted((re.escape(k).replace(r"\ ", r"\s+") for k in load_rules().vague), key=len)[::-1]
    )
    + r")(?![\w-])",
    re.IGNORECASE,
)


_UNDISCLOSED = re.compile(
    r"\b(?:not|never|declined\s+to|refused\s+to)\s+(?:disclosed?|said|say|revealed?|specified?"
    r"|stated?)\s+how\s+many\s+(?P<noun>[A-Za-z][\w-]*)",
    re.IGNORECASE,
)
_ONE_MORE = re.compile(
    r"\b(?:a\s+further|another|one\s+more)\s+(?P<unit>day|week|month|year)\b", re.IGNORECASE
)
_NONE_OF = re.compile(r"\b[Nn]one\s+of\s+(?:whom|them|which|the\s+\w+)")
# An ordinal before what is counted says how many there have been so far ("the tenth
# ammunition shipment" is the tenth of them). "first" is left out: "for the first time" counts
# nothing.
_ORDINALS = {
    word: number
    for number, word in enumerate(
        [
            "second",
            "third",
            "fourth",
            "fifth",
            "sixth",
            "seventh",
            "eighth",
            "ninth",
            "tenth",
            "eleventh",
            "twelfth",
            "thirteenth",
            "fourteenth",
            "fifteenth",
            "sixteenth",
            "seventeenth",
            "eighteenth",
            "nineteenth",
            "twentieth",
        ],
        start=2,
    )
}
# Found by their endings, a literal the regex engine skips to quickly, then read as a word
# (a pattern of the twenty words would cost a scan of every letter).
_ORDINAL_END = re.compile(r"(?:th|econd|hird)\b")
_WORD_BEFORE = re.compile(r"(?<![\w-])[A-Za-z]+$")
# A plural unit of time with no number before an adverb of time: "weeks after Russia annexed
# Crimea" is at least two weeks. Only right after a verb or a comma (so "several weeks after",
# "two weeks after" and "the weeks after" are left to the other rules).
_BARE_SPAN = re.compile(r"(?P<unit>days|weeks|months|years)\s+(?:after|before|later)\b")
_BARE_SPAN_BEFORE = re.compile(r"(?:\b[a-z]+ed|\bbegan|\bcame|,)\s$")
# A weapon system named by a designator with a digit ("a Pantsir S1 medium-range
# surface-to-air missile (SAM) system", "9K720 Iskander short-range ballistic missile systems"):
# "a" before it is one; a plural with no number is at least two, as the seeds' curator read
# them.
# Read back from each "system" (rare, and a literal quick to find) over the clause before it.
_SYSTEM = re.compile(r"\b(?P<head>systems?)\b")
_DESIGNATED_BEFORE = re.compile(
    r"(?:(?P<article>\b[Aa]n?)\s+)?"
    r"(?P<name>(?:[A-Z][\w-]*\s+)*(?=[\w-]*\d)(?=[\w-]*[A-Z])[\w-]+(?:\s+[A-Z][\w-]*)*)"
    r"(?:\s+(?:[a-z][\w-]*|\([A-Z]+\))){0,6}?\s+$"
)
_CLAUSE_BREAK = re.compile(r".*[,.;:!?\n“”\"]", re.DOTALL)
_SPAN_BEFORE = re.compile(r"\b(?:next|past|last|coming|recent|previous)\s+$", re.IGNORECASE)


def _quantities(text: str, date_spans: list[tuple[int, int]]) -> list[Candidate]:
    taken = list(date_spans)
    found: list[Candidate] = []
    for match in _NUMBER.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue  # "Feb. 20", "in 2014": read as dates
        candidate = _quantity_at(text, match)
        if candidate is not None:
            found.append(candidate)
            taken.append((candidate.start, candidate.end))
    for match in _UNDISCLOSED.finditer(text):
        noun = match["noun"]
        found.append(Candidate("quantity", *match.span(), match[0], unit=noun, undisclosed=True))
        taken.append(match.span())
    for match in _ONE_MORE.finditer(text):
        # "a further week", "another day": one more of a unit of time.
        if any(s < match.end() and match.start() < e for s, e in taken):
            continue
        found.append(
            Candidate(
                "quantity",
                *match.span(),
                match[0],
                number=Decimal(1),
                unit=_unit_of(match["unit"]),
                bound="exact",
            )
        )
        taken.append(match.span())
    for match in _NONE_OF.finditer(text):
        # "none of whom are going to Ukraine": a count of zero, of what was named before.
        found.append(
            Candidate("quantity", *match.span(), match[0], number=Decimal(0), bound="exact")
        )
        taken.append(match.span())
    found += _implied_counts(text, taken)
    for match in _VAGUE.finditer(text):
        start, end = match.span()
        if any(s < end and start < e for s, e in taken):
            continue
        word = match["word"]
        if normalise_hedge(word) == "some time" and text[end : end + 1].isalpha():
            continue
        if _SPAN_BEFORE.search(text[max(0, start - 12) : start]):
            continue  # "in the next several months": a span of time, not a quantity reported
        noun, noun_end = _noun_after(text, end, allow_of=True)
        if normalise_hedge(word) != "some time" and not noun:
            continue  # "thousands" alone is rarely a count of anything named
        unit = _unit_of(noun)
        hedge, bound = complete_bound(bound="", hedge=normalise_hedge(word))
        found.append(
            Candidate(
                "quantity",
                start,
                noun_end if noun else end,
                text[start : noun_end if noun else end],
                unit=unit,
                hedge=hedge,
                bound=bound,
            )
        )
        taken.append((start, end))
    return found


def _implied_counts(text: str, taken: list[tuple[int, int]]) -> list[Candidate]:
    """Counts written without a number: an ordinal ("tenth ammunition shipment"), a bare
    plural span of time ("weeks after"), a designated weapon system ("a Pantsir S1 ... system",
    "9K720 Iskander ... systems"). Each is appended to taken as it is found."""
    found: list[Candidate] = []

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    def add(start: int, end: int, number: int, unit: str, bound: str) -> None:
        hedge = "at least" if bound == "at_least" else ""
        found.append(
            Candidate(
                "quantity",
                start,
                end,
                text[start:end],
                number=Decimal(number),
                unit=unit,
                hedge=hedge,
                bound=bound,
            )
        )
        taken.append((start, end))

    for end in _ORDINAL_END.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, end.end() - 14), end.end())
        number = _ORDINALS.get(word[0].lower()) if word else None
        if word is None or number is None:
            continue
        noun, noun_end = _noun_after(text, word.end(), allow_of=False)
        if noun and free(word.start(), noun_end):
            add(word.start(), noun_end, number, noun, "exact")
    for match in _BARE_SPAN.finditer(text):
        if _BARE_SPAN_BEFORE.search(text, max(0, match.start() - 12), match.start()) and free(
            *match.span("unit")
        ):
            add(*match.span("unit"), 2, _unit_of(match["unit"]), "at_least")
    for system in _SYSTEM.finditer(text):
        window_start = max(0, system.start() - 150)
        clause = _CLAUSE_BREAK.match(text, window_start, system.start())
        designated = _DESIGNATED_BEFORE.search(
            text, clause.end() if clause else window_start, system.start()
        )
        if designated is None:
            continue
        start = designated.start("article") if designated["article"] else designated.start("name")
        before = text[max(0, start - 20) : start]
        if not free(start, system.end()) or _NUMBER_BEFORE.search(before):
            continue
        plural = system["head"] == "systems"
        if not plural and not designated["article"]:
            continue  # "the S-400 missile defense system": no count stated
        if plural and _NOT_A_COUNT_BEFORE.search(before):
            continue
        add(start, system.end(), 2 if plural else 1, "", "at_least" if plural else "exact")
    return found


_NUMBER_BEFORE = re.compile(rf"(?:{_DIGITS}|{_WORD_NUMBER})[\s-]+$", re.IGNORECASE)


def _quantity_at(text: str, match: re.Match[str]) -> Candidate | None:
    start, end = match.span()
    before, after = text[max(0, start - 20) : start], text[end : end + 20]
    number = _number_of(match)
    if number is None:
        return None
    plain = match["digits"] and not match["scale"] and "," not in match["digits"]
    if plain and len(match["digits"]) == 4 and 1800 <= number <= 2099:
        return None  # a year standing alone, in a name or a date the date rules did not read
    if _NOT_A_COUNT_BEFORE.search(before) or _TIME_AFTER.match(after):
        return None
    if match["glued"]:
        # "200lbs", "75ml", "six-mile", "3-inch": a unit glued to the number or joined by a
        # hyphen; anything else glued on ("10-year-old" is fine, "9K720" is a designator) is not
        # a quantity.
        word = match["glued"].lstrip("-")
        if match["words"] and not match["glued"].startswith("-"):
            return None
        if not _is_measure(word.split("^")[0]) or text[end : end + 1] == "-":
            return None
        hedge_start = _hedge_start(text, start)
        wording = text[hedge_start:end]
        hedge, bound = complete_bound(bound="", hedge="", wording=wording)
        return Candidate(
            "quantity",
            hedge_start,
            end,
            wording,
            number=number,
            unit=word if "^" in word else _unit_of(word),
            hedge=hedge,
            bound=bound,
        )
    number_high = None
    second = _RANGE_END.match(text, end)
    if second and second[0].strip().lower().startswith("and"):
        # "5 and 6 troops" are two counts; "between 5 and 6 troops" is a range.
        second = second if _BETWEEN.search(text[max(0, start - 10) : start]) else None
    if second:
        high = _number_of(second)
        if high is not None and high >= number:
            number_high, end = high, second.end()
            after = text[end : end + 20]
    unit = ""
    stop = end
    if _PERCENT_AFTER.match(after):
        percent = _PERCENT_AFTER.match(after)
        assert percent is not None
        stop, unit = end + percent.end(), "percent"
    elif _CURRENCY_BEFORE.search(before):
        start -= 1
        unit = {"$": "dollar", "£": "pound sterling", "€": "euro"}[text[start]]
    else:
        noun, noun_end = _noun_after(text, end, allow_of=False)
        if not noun:
            return None  # a bare number: a score, a page, a designation; nothing counted
        if text[end:noun_end].lstrip().lower().startswith("of "):
            return None  # "one of which"
        first = noun.split()[0]
        if " " in noun and _is_measure(first):
            # "5 kilometers long", "24 hours to pull out": a unit of measure ends the phrase.
            noun, noun_end = first, text.find(first, end) + len(first)
        stop, unit = noun_end, _unit_of(noun)
        conversion = _CONVERSION.match(text[stop:])
        if conversion and unit and not counted_noun(unit):
            stop += conversion.end()
    hedge_start = _hedge_start(text, start)
    if number_high is not None:
        between = _BETWEEN.search(text[max(0, start - 10) : start])
        hedge_start = start - len(between[0]) if between else start
    wording = text[hedge_start:stop]
    if number_high is not None:
        hedge, bound = "", "range"  # "10-20 troops", "between 10 and 20": a range, no hedge
    else:
        hedge, bound = complete_bound(bound="", hedge="", wording=wording)
    return Candidate(
        "quantity",
        hedge_start,
        stop,
        wording,
        number=number,
        number_high=number_high,
        unit=unit,
        hedge=hedge,
        bound=bound,
    )


def _number_of(match: re.Match[str]) -> Decimal | None:
    if match["digits"]:
        value = Decimal(match["digits"].replace(",", ""))
        if match["scale"]:
            value *= _SCALES[match["scale"].lower()]
        return value
    words = re.sub(r"[\s-]+", " ", match["words"].lower()).replace(" and ", " ")
    if words in _SCALES:
        return None  # "hundred" alone: "hundreds" is vague, "a hundred" is not read here
    try:
        return Decimal(text2num(words, "en"))
    except ValueError:  # "two three": words that are not one number
        return None


def _noun_after(text: str, end: int, *, allow_of: bool) -> tuple[str, int]:
    """The noun phrase right after a number ("Russian troops", "Su-35 air superiority
    fighters", "units of the S-400 missile defense system"), and where it ends."""
    position = end
    words: list[str] = []
    while len(words) < 8:
        gap = re.match(r"[ \u00a0]+", text[position:])
        if not gap:
            break
        word = _NOUN_WORD.match(text, position + gap.end())
        if not word:
            break
        token = word[0]
        lower = token.lower()
        if lower == "of" and words and words[-1].lower() in _CONTAINERS:
            # "units of the S-400 missile defense system": what the containers hold.
            words.append(token)
            position = word.end()
            nxt = re.match(r"\s+the\b", text[position:])
            if nxt:
                words.append("the")
                position += nxt.end()
            continue
        if lower == "of" and allow_of and not words:
            words.append(token)
            position = word.end()
            continue
        if lower in _STOP_WORDS or (words and (lower.endswith("ed") or lower.endswith("ing"))):
            break
        if words and lower in _VERBS_AFTER_A_COUNT:
            break
        if lower in _WORD_NUMBERS:
            break
        words.append(token.rstrip(".’'"))
        position = word.end() - (len(token) - len(token.rstrip(".’'")))
        if text[position : position + 1] in ",;:)(":
            break
    while words and words[-1].lower() in ("of", "the"):
        words.pop()
    if not words:
        return "", end
    phrase = " ".join(words)
    last = text.find(words[-1], end)
    return phrase, last + len(words[-1])


def _is_measure(word: str) -> bool:
    """Whether a word is a unit of measure pint knows ("kilometers", "hours"), not a noun."""
    if counted_noun(word):
        return False
    try:
        return bool(registry().parse_unit_name(word, case_sensitive=False))
    except Exception:  # pint's parser raises assorted errors on odd input
        return False


def _unit_of(noun: str) -> str:
    """A counted noun as written ("troops"); a unit of measure by its pint name ("kilometer")."""
    if not noun:
        return ""
    if noun.lower().startswith("of "):
        return noun[3:]
    first = noun.split()[0]
    if len(noun.split()) == 1 and not counted_noun(noun):
        try:
            readings = registry().parse_unit_name(first, case_sensitive=False)
        except Exception:  # pint's parser raises assorted errors on odd input
            readings = ()
        if readings:
            prefix, name, _suffix = readings[0]
            return f"{prefix}{name}"
    return noun


@lru_cache(maxsize=1)
def _hedge_pattern() -> re.Pattern[str]:
    keys = sorted(load_rules().hedges, key=len, reverse=True)
    alternatives = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in keys)
    return re.compile(rf"(?<![\w-])(?:{alternatives})\s+$", re.IGNORECASE)


def _hedge_start(text: str, start: int) -> int:
    """Where a hedge before a number starts ("some 30,000"), or the number's start."""
    found = _hedge_pattern().search(text[max(0, start - 30) : start])
    return start - (len(found[0]) if found else 0) if found else start


# --- Actors ------------------------------------------------------------------------------------


_ActorNames = tuple[dict[str, set[str]], dict[str, str], list[str], "re.Pattern[str] | None"]


@lru_cache(maxsize=4)
def _actor_names(actors: tuple[KnownActor, ...]) -> _ActorNames:
    """The known actors by folded name and alias, their names longest first, and the pattern
    that finds any of them. Built once for a list of actors (a batch gives every article the
    same): escaping and joining every name and alias again cost 0.1 ms an article with the
    seeds' 33 actors, and grows with the record. Read only, by every index made for them."""
    by_name: dict[str, set[str]] = {}
    names_of = {actor.key: actor.name for actor in actors}
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            folded = _fold(name)
            if folded:
                by_name.setdefault(folded, set()).add(actor.key)
    names = sorted(by_name, key=len, reverse=True)
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    pattern = (
        re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE) if names else None
    )
    return by_name, names_of, names, pattern


class _ActorIndex:
    """Known actors by name and alias: exact look-up first, then rapidfuzz for near spellings."""

    def __init__(self, actors: tuple[KnownActor, ...]) -> None:
        self.by_name, self.names_of, self.names, self.pattern = _actor_names(actors)
        # The text being read (set by _attributions): this index's own, not shared.
        self.text = ""

    def is_person(self, key: str) -> bool:
        """Whether an actor's name reads as a person's: two or more capitalised words and no
        word of an institution ("Dmitry Peskov", not "Russian Defense Ministry")."""
        name = self.names_of.get(key, "")
        words = name.split()
        return (
            len(words) >= 2
            and all(w[:1].isupper() for w in words)
            and not any(w.lower() in _INSTITUTION_WORDS for w in words)
        )

    def mentions(self, text: str) -> list[tuple[int, str]]:
        """Where known actors are named in a text, in order, by a name that is theirs alone."""
        if self.pattern is None:
            return []
        found = []
        for match in self.pattern.finditer(text):
            keys = self.by_name[_fold(match[0])]
            if len(keys) == 1 and (len(match[0]) > 3 or match[0][0].isupper()):
                found.append((match.start(), next(iter(keys))))
        return found

    def find(self, phrase: str) -> tuple[str | None, str, int]:
        """The actor a phrase names: (key or None, what was matched, where it ends in phrase).

        The longest name or alias found wins; one that belongs to two actors gives no actor.
        """
        best: tuple[str | None, str, int] = (None, "", -1)
        if self.pattern is not None:
            matches = [
                m
                for m in self.pattern.finditer(phrase)
                # Short aliases ("US", "EU", "AFP") only as written, in capitals.
                if len(m[0]) > 3 or m[0].isupper() or m[0][0].isupper()
            ]
            if matches:
                match = max(matches, key=lambda m: (len(m[0]), m.end()))
                keys = self.by_name[_fold(match[0])]
                key = next(iter(keys)) if len(keys) == 1 else None
                return key, match[0], match.end()
        runs = re.findall(r"[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*", phrase)
        # A name ends a run of capitalised words ("But Ukraine's President Volodymyr Zelensky"):
        # its last three, two and one words are tried, the longest first.
        names = [
            " ".join(words[-n:])
            for run in runs
            for words in [run.split()]
            for n in range(min(3, len(words)), 0, -1)
        ]
        for name in names:
            if not self.names:
                break
            scored = process.extract(_fold(name), self.names, scorer=fuzz.ratio, limit=2)
            good = [s for s in scored if s[1] >= _FUZZY_CUTOFF]
            if not good:
                continue
            keys = set().union(*(self.by_name[s[0]] for s in good if s[1] == good[0][1]))
            key = next(iter(keys)) if len(keys) == 1 else None
            return key, name, phrase.find(name) + len(name)
        return best


_INSTITUTION_WORDS = frozenset(
    [
        "ministry",
        "government",
        "administration",
        "union",
        "nations",
        "states",
        "kingdom",
        "house",
        "office",
        "council",
        "agency",
        "agencies",
        "media",
        "post",
        "press",
        "times",
        "news",
        "army",
        "forces",
        "military",
        "intelligence",
        "officials",
        "committee",
        "department",
        "pentagon",
        "kremlin",
    ]
)


def _fold(name: str) -> str:
    return " ".join(name.replace("’", "'").lower().split())


# --- Attributions ------------------------------------------------------------------------------

_SPEECH = (
    r"(?:has|have|had)\s+(?:also\s+)?(?:said|told|warned|insisted|stated|confirmed|announced)"
    r"|was\s+quoted\s+as\s+saying|said|says|told(?:\s+reporters)?|announced|added|warned"
    r"|insisted|stated|confirmed|reported|denied|denies|stressed|noted|denounced|called|accused"
    r"|warns?|voiced|sounded|blamed|rebuffed|expressed|(?:have|has)\s+not\s+disclosed"
)
_AFTER_CUE = re.compile(rf"\b(?P<verb>{_SPEECH})\b", re.IGNORECASE)
_ACCORDING = re.compile(r"\b[Aa]ccording\s+to\s+(?P<source>[^,.;:\n“”\"]+)")
_CITING = re.compile(r",\s+citing\s+(?P<source>[^,.;:\n“”\"]+)")
# Where the subject of a speech verb starts: after punctuation or a joining word.
_SUBJECT_START = re.compile(
    r".*(?:[.;:!?\n“”\"(]|,\s|\s[-–—]\s|\b(?:that|and|but|while|as|because|though|although|after"
    r"|when|where|who|which)\s)",
    re.DOTALL,
)
_PRONOUN = re.compile(r"^(?:he|she)$", re.IGNORECASE)
_APPOSITION = re.compile(r"(?P<who>[^,.;:“”\"\n]+),\s+[^,.;:“”\"\n]+,\s*$")


def _opens_sentence(text: str, position: int) -> bool:
    before = text[max(0, position - 3) : position]
    return position == 0 or bool(re.search(r"(?:[.!?\n][\"”’]?\s+|\n)$", before))


def _attributions(text: str, index: _ActorIndex) -> list[Candidate]:
    """Attribution cues and the actors they credit. A cue is kept only when it names a known
    actor (or one near in spelling), or refers back to one by a pronoun ("he said") or a
    definite noun ("the ministry said"): "No one has ever said" credits nobody."""
    mentions = index.mentions(text)
    index.text = text
    found: list[Candidate] = []
    for match in sorted(
        [*_ACCORDING.finditer(text), *_CITING.finditer(text), *_AFTER_CUE.finditer(text)],
        key=lambda m: m.start(),
    ):
        if "source" in match.groupdict() and match["source"] is not None:
            key, name, _ = index.find(match["source"])
            start = match.start() + (2 if match[0].startswith(",") else 0)
            found.append(_attribution(text, start, match.end(), key, name, "indirect"))
            continue
        verb_start, verb_end = match.span()
        head = text[max(0, verb_start - 120) : verb_start]
        cut = _SUBJECT_START.match(head)
        subject_offset = verb_start - len(head) + (cut.end() if cut else 0)
        subject = text[subject_offset:verb_start].strip()
        apposition = _APPOSITION.search(head) if not subject else None
        if apposition:
            # "Dmitry Peskov, a spokesman for Putin, told Tass": the speaker before the comma.
            subject_offset = verb_start - len(head) + apposition.start("who")
            subject = apposition["who"].strip()
        start = text.find(subject, subject_offset) if subject else verb_start
        key, name, _ = index.find(subject) if subject else (None, "", 0)
        if not name and re.search(r"[,”\"]\s*$", head):
            # "…,” said Alexander Volfovich, State Secretary": the speaker after the verb.
            tail = text[verb_end : verb_end + 120]
            tail_key, tail_name, tail_end = index.find(re.split(r"[,.;:\n“”\"]", tail)[0])
            if tail_name:
                found.append(
                    _attribution(
                        text, verb_start, verb_end + tail_end, tail_key, tail_name, "indirect"
                    )
                )
                continue
        if not name and subject:
            credited = [(c.start, c.actor_key) for c in found if c.actor_key]
            key = _referred(subject, verb_start, mentions, credited, index)
            name = subject if key else ""
        if not name:
            continue
        pair = _first_of_pair(text, head, cut, verb_start, index) if key else None
        if pair is not None and pair[0] != key:
            # "Moscow and Minsk have not disclosed": one cue, a claim for each actor (a claim
            # credits one actor; the seeds' curator stored one claim for each, with this cue).
            first_key, first_name, first_start = pair
            found.append(
                _attribution(text, first_start, verb_end, first_key, first_name, "indirect")
            )
            found.append(_attribution(text, first_start, verb_end, key, name, "indirect"))
            continue
        found.append(_attribution(text, start, verb_end, key, name, "indirect"))
    return _with_participles(text, found, index, mentions)


# "X and Y said": the first of two subjects joined by "and", a few words long at most (a
# longer phrase is a clause of its own: "the drills began and Peskov said").
_AND_BEFORE_SUBJECT = re.compile(r"\s+and\s+$")
_PAIR_WORDS = 4


def _first_of_pair(
    text: str, head: str, cut: re.Match[str] | None, verb_start: int, index: _ActorIndex
) -> tuple[str, str, int] | None:
    """The actor named before "and" when a speech verb has two subjects ("Moscow and Minsk
    have not disclosed", "the United States and the European have said"): (key, name, where
    the first subject starts), or None."""
    if cut is None:
        return None
    joined = _AND_BEFORE_SUBJECT.search(head, 0, cut.end())
    if joined is None:
        return None
    before = head[: joined.start()]
    first_cut = _SUBJECT_START.match(before)
    first = before[first_cut.end() if first_cut else 0 :].strip()
    if not first or len(first.split()) > _PAIR_WORDS:
        return None
    key, name, _ = index.find(first)
    if not key:
        return None
    offset = verb_start - len(head) + (first_cut.end() if first_cut else 0)
    return key, name, text.find(first, offset)


# A participle after a comma credits what follows to the subject of its sentence ("…, adding
# that", "…, insisting on", "Truss took a tough message to Moscow on Thursday, accusing").
_PARTICIPLE = re.compile(
    r"(?:,[\"”’]?|[\"”’],)\s+(?P<cue>(?:adding|saying|noting|insisting|stressing|warning|arguing"
    r"|claiming|accusing)\b(?:\s+that\b)?)"
)


def _with_participles(
    text: str, found: list[Candidate], index: _ActorIndex, mentions: list[tuple[int, str]]
) -> list[Candidate]:
    """The attributions found, and one for each participle cue: credited to the actors of the
    last attribution before it in its sentence, else to the first actor its sentence names."""
    added: list[Candidate] = []
    for match in _PARTICIPLE.finditer(text):
        start, end = match.span("cue")
        _sentence, sentence_start = sentence_around(text, start, end)
        earlier = [a for a in found if sentence_start <= a.start and a.end <= start]
        if earlier:
            last = earlier[-1]
            credited = [a for a in earlier if a.start == last.start and a.end == last.end]
            added += [
                _attribution(text, start, end, a.actor_key, a.actor_suggestion, "indirect")
                for a in credited
            ]
            continue
        named = [(p, k) for p, k in mentions if sentence_start <= p < start]
        if named:
            key = named[0][1]
            added.append(_attribution(text, start, end, key, index.names_of[key], "indirect"))
    return sorted(found + added, key=lambda c: c.start) if added else found


def _referred(
    subject: str,
    at: int,
    mentions: list[tuple[int, str]],
    credited: list[tuple[int, str]],
    index: _ActorIndex,
) -> str | None:
    """The actor a pronoun or a definite noun refers back to: "he" or "she" the last actor
    named as a sentence's subject or credited before; "the ministry" the last actor named
    before whose name has "ministry" in it."""
    before = [key for position, key in mentions if position < at]
    if _PRONOUN.match(subject):
        # The last person credited, or named first in a sentence ("Truss was the latest
        # Western diplomat …, where she said"): a name in passing ("promises from Lavrov") is not
        # whom "she" refers to.
        subjects = [(p, k) for p, k in mentions if p < at and _opens_sentence(index.text, p)]
        people = [k for _p, k in sorted(credited + subjects) if index.is_person(k)]
        return people[-1] if people else None
    definite = re.fullmatch(r"the\s+([a-z]+)", subject, re.IGNORECASE)
    if definite:
        head = definite[1].lower().rstrip("s")
        named = [key for key in before if head in _fold(index.names_of[key])]
        return named[-1] if named else None
    return None


def _attribution(
    text: str, start: int, end: int, key: str | None, name: str, mode: str
) -> Candidate:
    wording = text[start:end]
    return Candidate(
        "attribution",
        start,
        end,
        wording,
        actor_key=key,
        actor_suggestion="" if key else name.strip(),
        attribution_cue=wording,
        attribution_mode=mode,
    )


# Between an attribution and the day it was said: "said Tuesday", "said on Wednesday",
# "said … Makei at a press conference on Wednesday".
_STATEMENT_DAY_GAP = re.compile(
    r"(?:\s+(?:at|in|during)\s+(?:a|an|the)\s+[\w ]{0,30}?)?\s+(?:on\s+)?$", re.IGNORECASE
)


def _statement_days(
    text: str, attributions: list[Candidate], dates: list[Candidate]
) -> tuple[list[Candidate], list[Candidate]]:
    """A date right after an attribution ("the Kremlin said Tuesday") is the day the statement
    was made: the as-of of the claims it credits, kept on the attribution, not a date claim of
    its own (the seeds' curator recorded none of them as one)."""
    kept_dates = []
    attributions = list(attributions)
    for day in dates:
        owner = next(
            (
                i
                for i, a in enumerate(attributions)
                if a.end <= day.start and _STATEMENT_DAY_GAP.fullmatch(text[a.end : day.start])
            ),
            None,
        )
        if owner is None or day.part:
            kept_dates.append(day)
            continue
        attributions[owner] = _replace(
            attributions[owner],
            date_earliest=day.date_earliest,
            date_latest=day.date_latest,
            date_precision=day.date_precision,
        )
    return attributions, kept_dates


# --- Quotations --------------------------------------------------------------------------------

_QUOTE = re.compile(r"“(?P<curly>[^“”\n]+)[”\"]|\"(?P<straight>[^\"“”\n]+)[\"”]")


def _quotations(text: str, attributions: list[Candidate]) -> list[Candidate]:
    found = []
    for match in _QUOTE.finditer(text):
        group = "curly" if match["curly"] is not None else "straight"
        start, end = match.span(group)
        # The punctuation that closes the sentence around a quotation is not part of it.
        while end > start and text[end - 1] in " ,.":
            end -= 1
        quoted = text[start:end]
        words = quoted.split()
        if len(words) < 2 or all(w[:1].isupper() or w[:1].isdigit() for w in words):
            continue  # a name in quotes ("Allied Resolve"), not a quotation
        speaker = _speaker_of(text, match.start(), match.end(), attributions)
        if len(words) < _SENTENCE_WORDS and not (
            speaker is not None and _is_statement(text, start, end, match.end())
        ):
            continue  # a scare quote or a title ("heightened alert"), not a statement
        found.append(
            Candidate(
                "quotation",
                start,
                end,
                text[start:end],
                actor_key=speaker.actor_key if speaker else None,
                actor_suggestion=speaker.actor_suggestion if speaker else "",
                attribution_cue=speaker.attribution_cue if speaker else "",
                attribution_mode="direct_quote" if speaker else "own_voice",
                speaker=speaker.wording if speaker else "",
            )
        )
    return found


# A quotation this long reads as a sentence said by someone; a shorter one is a statement only
# when it is credited to a speaker and reads as one (see _is_statement).
_SENTENCE_WORDS = 8
# A finite verb makes a quoted phrase a clause ("will return to their permanent locations");
# without one it is a noun phrase ("dangerous moment", "false flag operation").
_FINITE_VERB = re.compile(
    r"\b(?:will|would|shall|should|can|could|may|might|must|is|are|was|were|has|have|had"
    r"|do|does|did|am)\b",
    re.IGNORECASE,
)
# A speaker's characterisation: "denounced the war games … as “…”", "called the exercises “…”"
# (within the sentence: an abbreviation's dot, "Feb. 20", does not end it).
_CHARACTERISED = re.compile(
    r"\b(?:called|calls|calling|described|describes|describing|denounced|denounces|branded"
    r"|dubbed|termed)\b(?:[^.!?\n“”\"]|\.(?!\s+[A-Z])){0,80}$",
    re.IGNORECASE,
)


def _is_statement(text: str, start: int, end: int, closing: int) -> bool:
    """Whether a short quotation is a statement by its speaker, not a scare quote or a title:
    it closes the speaker's sentence ("… would center around “suppressing and repelling external
    aggression.”"), it is a clause ("“will return to their permanent locations”"), or it is the
    speaker's characterisation of something ("denounced … as “psychological pressure”")."""
    if re.match(r"[.!?]", text[end : end + 1]) or re.match(r"[.!?]", text[closing:]):
        return True
    if _FINITE_VERB.search(text, start, end):
        return True
    return bool(_CHARACTERISED.search(text, max(0, start - 100), start - 1))


def _speaker_of(text: str, start: int, end: int, attributions: list[Candidate]) -> Candidate | None:
    """The attribution nearest a quotation in its paragraph: the sentence it stands in, else
    the one after it ("… ," Truss added.) or before it ("He said …:")."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    paragraph_end = text.find("\n", end)
    paragraph_end = len(text) if paragraph_end == -1 else paragraph_end
    near = [
        a
        for a in attributions
        if paragraph_start <= a.start and a.end <= paragraph_end and not start < a.start < end
    ]
    _sentence, sentence_start = sentence_around(text, start, end)
    # The cue before the quotation in its sentence ("Le Drian called the exercises “…”"), else
    # the first after it ("“…,” Truss added"), else the last before it in the paragraph.
    same_sentence = [a for a in near if sentence_start <= a.start and a.end <= start]
    if same_sentence:
        return same_sentence[-1]
    following = [a for a in near if a.start >= end]
    if following:
        return following[0]
    preceding = [a for a in near if a.end <= start]
    return preceding[-1] if preceding else None


# --- Facts -------------------------------------------------------------------------------------


def _with_fact(
    candidate: Candidate, facts: Sequence[KnownFact], text: str, subjects: _SubjectMentions
) -> Candidate:
    """The known fact a candidate states: a quantity's by its counted noun and unit; a date's
    or a statement's by a subject its sentence names (see _fact_of_a_subject). When none or two
    fit, no fact, and a suggestion for the editor."""
    if candidate.kind != "quantity":
        return _fact_of_a_subject(candidate, text, subjects)
    noun = candidate.unit
    suggestion = f"number of {noun}" if noun else ""
    head = noun.split()[-1].lower().rstrip("s") if noun else ""
    fitting = [
        f
        for f in facts
        if f.value_kind == "quantity"
        and head
        and head in f.property.lower()
        and (not f.unit or f.unit == noun)
    ]
    key = fitting[0].key if len(fitting) == 1 else None
    return _replace(candidate, fact_key=key, fact_suggestion="" if key else suggestion)


# The value kind of the fact a candidate of each kind states (a quotation or an attribution
# states something: a categorical fact).
_FACT_KINDS = {"date": "date", "quotation": "categorical", "attribution": "categorical"}
# A subject's name often ends in when it was ("Liz Truss's visit to Moscow, Feb. 2022"): the
# name before it is how a text names it too.
_NAME_DATE_TAIL = re.compile(r",\s+(?:[A-Z][a-z]{2}\.?\s+)?\d{4}(?:-\d{2,4})?-?$")
# Words of a fact's property that say nothing about which fact it is ("Active phase start date").
_GENERIC_WORDS = frozenset(["date", "day", "when"])
# A few verbs that say a period starts or ends, read as the property's "start" or "end".
_START_END_WORDS = {
    "began": "start",
    "begin": "start",
    "begins": "start",
    "kicked": "start",
    "launch": "start",
    "launched": "start",
    "launches": "start",
    "starts": "start",
    "started": "start",
    "ends": "end",
    "ended": "end",
    "until": "end",
    "conclude": "end",
    "resume": "start",
    "resumes": "start",
    "concludes": "end",
}
_WORD = re.compile(r"[a-z][a-z'’-]+")


class _SubjectMentions:
    """Where a text names the subjects of the known facts (one pass over the text)."""

    def __init__(self, text: str, facts: tuple[KnownFact, ...]) -> None:
        self.facts_of: dict[str, list[KnownFact]] = {}
        self.names_of: dict[str, tuple[str, ...]] = {}
        keys_of: dict[str, set[str]] = {}
        for fact in facts:
            if fact.value_kind not in ("date", "categorical"):
                continue
            self.facts_of.setdefault(fact.subject, []).append(fact)
            self.names_of.setdefault(fact.subject, fact.subject_names or (fact.subject,))
            for name in fact.subject_names or (fact.subject,):
                for form in {name, _NAME_DATE_TAIL.sub("", name)}:
                    if len(form) > 3:
                        keys_of.setdefault(_fold(form), set()).add(fact.subject)
        self.found: list[tuple[int, int, str]] = []
        pattern = _names_pattern(tuple(sorted(keys_of, key=len, reverse=True)))
        if pattern is None:
            return
        for match in pattern.finditer(text):
            self.found += [(match.start(), match.end(), s) for s in keys_of[_fold(match[0])]]

    def name_words(self, subject: str) -> set[str]:
        """The stems of a subject's names: words of a property that only name its subject."""
        return _stems(" ".join(self.names_of.get(subject, ())))  # only for a statement matched

    def within(self, start: int, end: int) -> list[str]:
        return list(dict.fromkeys(s for a, b, s in self.found if start <= a and b <= end))


@lru_cache(maxsize=4)
def _names_pattern(names: tuple[str, ...]) -> re.Pattern[str] | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in names)
    return re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w-])", re.IGNORECASE)


def _fact_of_a_subject(candidate: Candidate, text: str, subjects: _SubjectMentions) -> Candidate:
    """The fact a date or a statement states, of a subject named in its sentence: the one fact
    of that subject and value kind, or the one whose property's words stand in the sentence
    most ("the active phase … will start on Thursday": "Active phase start date"). Two that fit
    equally give no fact but both as the suggestion: never a silent guess. A statement's fact
    is suggested, not set (see below)."""
    kind = _FACT_KINDS.get(candidate.kind)
    if kind is None or not subjects.found:
        return candidate
    near = [s for a, _b, s in subjects.found if candidate.start - 400 < a < candidate.end + 400]
    if not near:
        return candidate
    sentence, at = sentence_around(text, candidate.start, candidate.end)
    fitting = [
        fact
        for subject in subjects.within(at, at + len(sentence))
        for fact in subjects.facts_of.get(subject, ())
        if fact.value_kind == kind
    ]
    if not fitting:
        return candidate
    before = [_stem(w) for w in _WORD.findall(text[at : candidate.start].lower())][::-1]
    properties = {f.key: _stems(f.property) for f in fitting}
    if kind == "categorical":
        # A statement is of a fact only when its sentence has most words of the fact's property,
        # beside the subject's name ("direct military aggression against the Union State is
        # unlikely" for "Likelihood of direct military aggression against the Union State"; one
        # word in common, "aggression" or "countries", is no evidence).
        words = _stems(sentence)
        own = {f.key: properties[f.key] - subjects.name_words(f.subject) for f in fitting}
        fitting = [f for f in fitting if 2 * len(own[f.key] & words) > len(own[f.key])]
    elif len(fitting) > 1:
        # The words that tell the facts apart ("combat readiness", "active"; "start", "end"),
        # weighed by how near before the date they stand: "the combat readiness phase that
        # kicked off on Jan. 18" is the combat readiness phase's start. The nearest of "start" and "end" before the date says which of them it is: "ends this
        # Wednesday" is no start date, whatever else stands nearer.
        # A fact with none of its distinguishing words near enough (a score of 0 or less) is
        # only suggested: the right fact may be one the record does not know yet.
        shared = set.intersection(*properties.values())
        bounds = [w for w in before if w in ("start", "end")]
        if bounds:
            other = "end" if bounds[0] == "start" else "start"
            fitting = [f for f in fitting if other not in properties[f.key]]
        scored = [(_nearness(properties[f.key] - shared, before), f) for f in fitting]
        best = max((score for score, _f in scored), default=0.0)
        if best <= 0:
            return _suggested(candidate, fitting)
        fitting = [f for score, f in scored if score == best]
    if not fitting:
        return candidate
    if len(fitting) == 1:
        if kind == "categorical":
            # A claim of a categorical fact needs one of its categories ("yes", "some stay"),
            # which the extractor does not choose: the fact is suggested, with its key.
            return _replace(
                candidate,
                fact_suggestion=fitting[0].property,
                suggested_fact_keys=(fitting[0].key,),
            )
        return _replace(candidate, fact_key=fitting[0].key, fact_suggestion="")
    return _suggested(candidate, fitting)


def _suggested(candidate: Candidate, facts: list[KnownFact]) -> Candidate:
    """A candidate left for the editor with the facts that fit it as the suggestion."""
    if not facts:
        return candidate
    properties = "; ".join(f.property for f in facts)
    return _replace(
        candidate,
        fact_suggestion=f"one of: {properties}" if len(facts) > 1 else properties,
        suggested_fact_keys=tuple(f.key for f in facts),
    )


# How far before a date (in words) a fact's words may stand to count as naming it.
_NEAR_WORDS = 15


def _nearness(words: set[str], before: list[str]) -> float:
    """How near before a date a fact's distinguishing words stand (before: the sentence's words
    up to the date, nearest first): 1 / (1 + distance) each within _NEAR_WORDS, a word not
    there counting against (-1), averaged so that a two-word name weighs as much as a one-word
    one. Above 0 only when most of them stand near."""
    if not words:
        return 0.0
    near = before[:_NEAR_WORDS]
    return sum(1 / (1 + near.index(w)) if w in near else -1.0 for w in words) / len(words)


def _stems(words: str) -> set[str]:
    """The content words of a phrase, crudely stemmed ("started" and "starts" as "start")."""
    return {
        _stem(word)
        for word in _WORD.findall(words.lower())
        if word not in _STOP_WORDS and word not in _GENERIC_WORDS
    }


def _stem(word: str) -> str:
    return _START_END_WORDS.get(word, word)[:5]


def _replace(candidate: Candidate, **changes: object) -> Candidate:
    from dataclasses import replace

    return replace(candidate, **changes)  # type: ignore[arg-type]
