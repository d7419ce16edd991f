"""What is not news in a captured page's text: donation appeals, promotional lines, captions,
"read more" links. Rules are data (facts.models.BoilerplateRule: general ones from a data
migration, per-outlet ones added by editors); this module applies them. Pure Python, nothing
from Django.

A capture is read as paragraphs (its non-empty lines). A "line" rule drops each paragraph it
matches in full; a "tail" rule drops the paragraph it matches and everything after it (an
appeal at the foot of a page: "A Message from The Moscow Times:" and its buttons). A paragraph
the same as the one kept before it is dropped too (a headline printed twice). The body is the
kept paragraphs joined by blank lines, the form the seed fixtures store.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

LINE = "line"
TAIL = "tail"
KINDS = (LINE, TAIL)

# A headline is short and ends without a full stop; a byline is a list of names.
HEADLINE_MAX = 200
SENTENCE_END = tuple('.!?"”’:;…')
BYLINE = re.compile(
    r"(?:By\s+)?[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){1,3}"
    r"(?:(?:,\s*|\s+and\s+|,\s+and\s+)[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){1,3})*"
)


@dataclass(frozen=True)
class Rule:
    """One rule: a regular expression matched against a whole paragraph (stripped)."""

    pattern: str
    kind: str = LINE

    def compiled(self) -> re.Pattern[str]:
        return _compile(self.pattern)


_CACHE: dict[str, re.Pattern[str]] = {}


def _compile(pattern: str) -> re.Pattern[str]:
    found = _CACHE.get(pattern)
    if found is None:
        found = _CACHE[pattern] = re.compile(pattern)
    return found


def pattern_problem(pattern: str) -> str:
    """Why a rule's pattern cannot be used ("" when it can)."""
    if not pattern.strip():
        return "Give a pattern."
    try:
        re.compile(pattern)
    except re.error as error:
        return f"Not a regular expression: {error}."
    return ""


@dataclass(frozen=True)
class Cleaned:
    """A capture's news body, with what was taken out of it."""

    body: str
    removed: tuple[str, ...] = ()
    headline: str = ""
    byline: str = ""
    paragraphs: tuple[str, ...] = field(default=())


def paragraphs(text: str) -> list[str]:
    """The text's non-empty lines, stripped (no-break spaces inside are kept as written)."""
    return [line.strip() for line in text.split("\n") if line.strip()]


def strip(
    text: str, rules: Iterable[Rule], *, headline: str = "", byline: str = "", infer: bool = True
) -> Cleaned:
    """The news body of a capture: the rules applied, the headline and byline taken out of its
    head (those given, else, when `infer`, a short first paragraph with no full stop and a list
    of names after it)."""
    lines_rules = [r.compiled() for r in rules if r.kind == LINE]
    tail_rules = [r.compiled() for r in rules if r.kind == TAIL]
    kept: list[str] = []
    removed: list[str] = []
    every = paragraphs(text)
    for index, line in enumerate(every):
        if any(p.fullmatch(line) for p in tail_rules):
            removed.extend(every[index:])
            break
        if any(p.fullmatch(line) for p in lines_rules) or (kept and kept[-1] == line):
            removed.append(line)
            continue
        kept.append(line)
    found_headline, found_byline = _head(kept, headline=headline, byline=byline, infer=infer)
    # The headline printed again further down (002) goes with the first.
    if found_headline:
        removed.extend(line for line in kept if line == found_headline)
        kept = [line for line in kept if line != found_headline]
    if found_byline and kept and kept[0] == found_byline:
        removed.append(kept.pop(0))
    return Cleaned(
        body="\n\n".join(kept),
        removed=tuple(removed),
        headline=found_headline,
        byline=found_byline,
        paragraphs=tuple(kept),
    )


def _head(kept: Sequence[str], *, headline: str, byline: str, infer: bool) -> tuple[str, str]:
    """The headline and byline standing at the head of the kept paragraphs."""
    found_headline = ""
    rest = list(kept)
    if (headline and rest and rest[0] == headline.strip()) or (
        infer and not headline and len(rest) > 1 and _looks_like_headline(rest[0])
    ):
        found_headline = rest.pop(0)
    found_byline = ""
    if (byline and rest and rest[0] == byline.strip()) or (
        infer
        and not byline
        and found_headline
        and len(rest) > 1
        and len(rest[0]) <= HEADLINE_MAX
        and BYLINE.fullmatch(rest[0])
    ):
        found_byline = rest[0]
    return found_headline, found_byline


def _looks_like_headline(line: str) -> bool:
    return len(line) <= HEADLINE_MAX and not line.endswith(SENTENCE_END) and " " in line


def applicable(rules: Iterable[tuple[int | None, Rule]], outlet_id: int | None) -> list[Rule]:
    """The general rules and the outlet's own."""
    return [rule for owner, rule in rules if owner is None or owner == outlet_id]
