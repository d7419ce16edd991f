"""An article's text with its claims' wordings marked: pure Python, nothing from Django.

Wordings may overlap ("Fe. 10-20" is the start and the end of a period, and a categorical claim
may span a quantity's wording), so the text is cut at every start and end, and each piece lists
every claim that covers it.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass
from html import escape

# When claims of several statuses cover one piece, it shows the most settled one.
STATUS_RANK = {"verified": 0, "draft": 1, "candidate": 2, "rejected": 3}


@dataclass(frozen=True)
class Span:
    """One claim's wording in the text."""

    claim_id: int
    start: int
    end: int
    status: str
    title: str = ""


@dataclass(frozen=True)
class Piece:
    """A run of text and the claims whose wordings cover it."""

    start: int
    end: int
    spans: tuple[Span, ...]


def pieces(text: str, spans: Iterable[Span]) -> list[Piece]:
    """Cut the text at every span's ends; each piece knows the spans covering it."""
    valid = [s for s in spans if 0 <= s.start < s.end <= len(text)]
    cuts = sorted({0, len(text), *(s.start for s in valid), *(s.end for s in valid)})
    result = []
    for start, end in itertools.pairwise(cuts):
        covering = tuple(s for s in valid if s.start <= start and end <= s.end)
        result.append(Piece(start, end, covering))
    return result


def highlighted_html(text: str, spans: Iterable[Span], *, link: str = "") -> str:
    """The text as HTML, each covered piece in a <mark> styled by the most settled status
    among its claims; `link` is a URL pattern with {id} for the claim a click opens."""
    out = []
    for piece in pieces(text, spans):
        chunk = escape(text[piece.start : piece.end], quote=False)
        if not piece.spans:
            out.append(chunk)
            continue
        shown = min(piece.spans, key=lambda s: (STATUS_RANK.get(s.status, 9), s.claim_id))
        ids = ",".join(str(s.claim_id) for s in piece.spans)
        titles = " | ".join(s.title for s in piece.spans if s.title)
        classes = f"claim claim-{escape(shown.status)}" + (
            " claim-overlap" if len(piece.spans) > 1 else ""
        )
        href = f' data-href="{escape(link.format(id=shown.claim_id))}"' if link else ""
        # Reachable by keyboard and named for screen readers: a mark is a button that opens
        # its claim, or lists its claims where wordings overlap.
        count = len(piece.spans)
        name = titles or ", ".join(f"claim {s.claim_id}" for s in piece.spans)
        label = f"{count} claims: {name}" if count > 1 else f"Claim: {name}"
        out.append(
            f'<mark class="{classes}" data-claims="{ids}" title="{escape(titles)}"{href}'
            f' tabindex="0" role="button" aria-label="{escape(label)}">{chunk}</mark>'
        )
    return "".join(out)
