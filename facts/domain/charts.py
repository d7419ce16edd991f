"""A fact's values by originator (who says what), drawn as SVG on the server: pure Python,
nothing from Django.

Each originator is a row, named above its marks, so that a relaying outlet never shows as one
voice saying two things. Intervals lie on one axis with its unit named; the consensus, where
there is one, is a labelled band. Each group of agreeing claims has a shape as well as a colour
(read without colour, and by colour-blind readers), and the colours are neutral: the sides of a
split are blue and orange, not a right green and a wrong red. A categorical fact lists each
originator with the category it gives.

The chart is drawn narrow (WIDTH) with large type, so that shrunk to a phone's width its labels
stay about 11 px; text takes the page's colour (currentColor), so it reads in dark mode too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 440
MARGIN = 10
LABEL_SIZE = 15
SMALL_SIZE = 14
LINE = 21
ROW_HEIGHT = 42
# Neutral, colour-blind-safe hues (after Okabe and Ito, darkened to 3:1 or more against white
# and against the admin's dark background); less precise support is grey.
GROUP_COLOURS = ["#0b6bcb", "#b35c00", "#8a4fbf", "#00806a", "#a8327a", "#5c6b00"]
LESS_PRECISE = "#6e7781"
UNGROUPED = "#57606a"
SHAPES = ["circle", "square", "diamond", "triangle"]


@dataclass(frozen=True)
class ChartRow:
    """One claim to draw: `who` is its originator, the row it lies in."""

    who: str
    label: str
    low: float | None
    high: float | None
    group: int | None = None
    role: str = "consensus"
    category: str = ""


def colour(row: ChartRow) -> str:
    if row.role == "less_precise":
        return LESS_PRECISE
    if row.group is None:
        return UNGROUPED
    return GROUP_COLOURS[row.group % len(GROUP_COLOURS)]


def shape_of(row: ChartRow) -> str:
    if row.role == "less_precise" or row.group is None:
        return "ring"
    return SHAPES[row.group % len(SHAPES)]


def marker(shape: str, cx: float, cy: float, fill: str, *, size: float = 6, extra: str = "") -> str:
    """A point mark of the given shape, centred on (cx, cy); `extra` holds attributes and the
    <title> goes inside."""
    s = size
    attributes = f'class="claim" data-shape="{shape}"'
    if shape == "square":
        return (
            f'<rect {attributes} x="{cx - s:.1f}" y="{cy - s:.1f}" width="{2 * s:.1f}"'
            f' height="{2 * s:.1f}" fill="{fill}">{extra}</rect>'
        )
    if shape in ("diamond", "triangle"):
        if shape == "diamond":
            points = [(cx, cy - s - 1), (cx + s + 1, cy), (cx, cy + s + 1), (cx - s - 1, cy)]
        else:
            points = [(cx, cy - s - 1), (cx + s + 1, cy + s), (cx - s - 1, cy + s)]
        drawn = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
        return f'<polygon {attributes} points="{drawn}" fill="{fill}">{extra}</polygon>'
    if shape == "ring":
        return (
            f'<circle {attributes} cx="{cx:.1f}" cy="{cy:.1f}" r="{s - 1:.1f}" fill="none"'
            f' stroke="{fill}" stroke-width="2.5">{extra}</circle>'
        )
    return f'<circle {attributes} cx="{cx:.1f}" cy="{cy:.1f}" r="{s:.1f}" fill="{fill}">{extra}</circle>'


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values across [low, high]."""
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = min((m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw), default=raw)
    first = math.ceil(low / step) * step
    ticks, value = [], first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def by_originator(rows: Sequence[ChartRow]) -> list[tuple[str, list[ChartRow]]]:
    """The rows under each originator: the first group's originators first, then by name."""
    found: dict[str, list[ChartRow]] = {}
    for row in rows:
        found.setdefault(row.who, []).append(row)

    def first_group(item: tuple[str, list[ChartRow]]) -> tuple[int, str]:
        groups = [r.group for r in item[1] if r.group is not None]
        return (min(groups) if groups else 99, item[0])

    return sorted(found.items(), key=first_group)


def legend(
    rows: Sequence[ChartRow], group_names: dict[int, str], top: float
) -> tuple[str, float, int]:
    """One line per group drawn (its shape, colour and name), then the less precise support:
    the SVG, the height it takes and its longest name's length."""
    seen: dict[tuple[str, str], str] = {}
    for row in sorted(rows, key=lambda r: (r.role == "less_precise", r.group or 0)):
        if row.role == "less_precise":
            name = "supports, less precise"
        elif row.group is None:
            name = "not grouped"
        else:
            name = group_names.get(row.group, f"group {row.group + 1}")
        seen.setdefault((shape_of(row), colour(row)), name)
    parts = ['<g class="legend">']
    for index, ((shape, fill), name) in enumerate(seen.items()):
        y = top + index * LINE + LINE / 2
        parts.append(
            marker(shape, MARGIN + 7, y, fill, size=5.5).replace('class="claim"', 'class="key"')
            + f'<text x="{MARGIN + 20}" y="{y + 5:.1f}" font-size="{SMALL_SIZE}"'
            f' fill="currentColor">{escape(shorten(name, 56))}</text>'
        )
    parts.append("</g>")
    longest = max((len(shorten(name, 56)) for name in seen.values()), default=0)
    return "".join(parts), len(seen) * LINE, longest


def interval_chart(
    rows: Sequence[ChartRow],
    *,
    consensus: tuple[float | None, float | None] | None = None,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    title: str = "",
    axis: str = "",
    group_names: dict[int, str] | None = None,
) -> str:
    """Intervals of several claims on one axis, one row per originator, as an SVG document."""
    finite = [v for r in rows for v in (r.low, r.high) if v is not None and math.isfinite(v)]
    if not rows or not finite:
        return empty_chart("No value to draw yet.")
    lo, hi = min(finite), max(finite)
    if consensus:
        lo = min([lo, *(v for v in consensus if v is not None and math.isfinite(v))])
        hi = max([hi, *(v for v in consensus if v is not None and math.isfinite(v))])
    pad = (hi - lo) * 0.08 or max(abs(lo) * 0.1, 1)
    lo, hi = lo - pad, hi + pad
    left_edge, right_edge = MARGIN + 8, WIDTH - MARGIN - 8

    def x(value: float | None, default: float) -> float:
        if value is None or not math.isfinite(value):
            value = default
        return left_edge + (value - lo) / (hi - lo) * (right_edge - left_edge)

    key, key_height, _ = legend(rows, group_names or {}, MARGIN)
    has_band = bool(consensus and (consensus[0] is not None or consensus[1] is not None))
    top = MARGIN + key_height + 8 + (LINE if has_band else 0)
    originators = by_originator(rows)
    bottom = top + len(originators) * ROW_HEIGHT
    height = bottom + 2 * LINE + 12
    parts = [svg_open(height, title), key]
    if has_band and consensus:
        left, right = x(consensus[0], lo), x(consensus[1], hi)
        parts.append(
            f'<rect class="consensus" x="{left:.1f}" y="{top - 4}" width="{max(right - left, 3):.1f}"'
            f' height="{bottom - top + 4}" fill="currentColor" fill-opacity="0.08"'
            ' stroke="currentColor" stroke-opacity="0.5" stroke-dasharray="4 3">'
            "<title>consensus range</title></rect>"
            f'<text class="consensus-label" x="{min(max(left, MARGIN), WIDTH - 130):.1f}"'
            f' y="{top - 8}" font-size="{SMALL_SIZE}" fill="currentColor">consensus range</text>'
        )
    for tick in nice_ticks(lo + pad, hi - pad):
        tx = x(tick, tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{bottom + 4}"'
            ' stroke="currentColor" stroke-opacity="0.2" stroke-width="1"/>'
            f'<text x="{tx:.1f}" y="{bottom + 18}" text-anchor="middle"'
            f' font-size="{SMALL_SIZE}" fill="currentColor">{escape(fmt(tick))}</text>'
        )
    parts.append(
        f'<line x1="{left_edge}" y1="{bottom + 4}" x2="{right_edge}" y2="{bottom + 4}"'
        ' stroke="currentColor" stroke-opacity="0.6"/>'
        f'<text class="axis-label" x="{WIDTH / 2:.0f}" y="{bottom + 18 + LINE}" text-anchor="middle"'
        f' font-size="{SMALL_SIZE}" font-style="italic" fill="currentColor">'
        f"{escape(shorten(axis, 56))}</text>"
    )
    for index, (who, said) in enumerate(originators):
        y = top + index * ROW_HEIGHT
        parts.append(
            f'<text class="row-label" x="{MARGIN}" y="{y + 14}" font-size="{LABEL_SIZE}"'
            f' font-weight="600" fill="currentColor">{escape(shorten(who, 50))}</text>'
        )
        cy = y + 29
        for row in said:
            left, right = x(row.low, lo), x(row.high, hi)
            fill = colour(row)
            title = f"<title>{escape(f'{row.who}: {row.label}')}</title>"
            if right - left >= 3:
                parts.append(
                    f'<line x1="{left:.1f}" y1="{cy}" x2="{right:.1f}" y2="{cy}" stroke="{fill}"'
                    f' stroke-width="4" stroke-linecap="round" stroke-opacity="0.8"/>'
                )
            for value, edge, direction in ((row.low, left, -1), (row.high, right, 1)):
                if value is None or not math.isfinite(value):
                    tip = edge + 8 * direction
                    parts.append(
                        f'<path d="M{edge:.1f},{cy - 5} L{tip:.1f},{cy} L{edge:.1f},{cy + 5}"'
                        f' fill="{fill}"/>'
                    )
            middle = (left + right) / 2
            parts.append(marker(shape_of(row), middle, cy, fill, extra=title))
    parts.append("</svg>")
    return "".join(parts)


def category_chart(
    rows: Sequence[ChartRow],
    categories: Sequence[str],
    *,
    title: str = "",
    group_names: dict[int, str] | None = None,
) -> str:
    """Who gives which category: one row per originator, its category beside its group's
    shape, and how many claims say so."""
    if not rows:
        return empty_chart("No value to draw yet.")
    order = {category: index for index, category in enumerate(categories)}
    key, key_height, key_longest = legend(rows, group_names or {}, MARGIN)
    top = MARGIN + key_height + 8
    originators = by_originator(rows)
    lines: list[tuple[str, list[ChartRow]]] = []
    for who, said in originators:
        for category in sorted({r.category for r in said}, key=lambda c: order.get(c, 99)):
            lines.append((who, [r for r in said if r.category == category]))
    height = top + len(originators) * LINE + len(lines) * LINE + 8
    # As wide as its longest line, so that a phone need not shrink it (about 0.6 em a
    # character): its type stays the size it is drawn at.
    longest = max(
        [len(shorten(who, 50)) * LABEL_SIZE for who, _ in originators]
        + [36 / 0.6 + (len(shorten(r[0].category, 44)) + 12) * SMALL_SIZE for _, r in lines]
        + [20 / 0.6 + key_longest * SMALL_SIZE]
    )
    width = min(WIDTH, max(240, round(MARGIN + longest * 0.6)))
    parts = [svg_open(height, title, width=width), key]
    y = top
    shown: set[str] = set()
    for who, said in lines:
        if who not in shown:
            shown.add(who)
            parts.append(
                f'<text class="row-label" x="{MARGIN}" y="{y + 15}" font-size="{LABEL_SIZE}"'
                f' font-weight="600" fill="currentColor">{escape(shorten(who, 50))}</text>'
            )
            y += LINE
        first = said[0]
        count = f" ({len(said)} claims)" if len(said) > 1 else ""
        title_text = escape(f"{who}: " + " | ".join(r.label for r in said))
        parts.append(
            marker(
                shape_of(first),
                MARGIN + 22,
                y + 10,
                colour(first),
                extra=f"<title>{title_text}</title>",
            )
            + f'<text x="{MARGIN + 36}" y="{y + 15}" font-size="{SMALL_SIZE}" fill="currentColor">'
            f"“{escape(shorten(first.category, 44))}”{count}</text>"
        )
        y += LINE
    parts.append("</svg>")
    return "".join(parts)


def svg_open(height: float, title: str, *, width: int = WIDTH) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fact-chart" width="{width}"'
        f' height="{height:.0f}" viewBox="0 0 {width} {height:.0f}" role="img"'
        f' aria-label="{escape(title or "values by originator")}"'
        ' font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif">'
    )


def empty_chart(message: str) -> str:
    return svg_open(40, "") + (
        f'<text x="8" y="24" font-size="{SMALL_SIZE}" fill="currentColor">{escape(message)}</text></svg>'
    )


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
