"""A fact's values by outlet, drawn as SVG on the server: pure Python, nothing from Django.

Intervals lie on one axis, one row per claim grouped by outlet; the consensus is a shaded band;
each group of agreeing claims has its colour, so a conflict is plain to see. Open-ended values
run to the edge with an arrow. A categorical fact is a grid: outlets by categories.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
LABEL_WIDTH = 190
ROW_HEIGHT = 22
TOP = 34
BOTTOM = 30
# One colour per group: the consensus first, then rivals; less precise support is grey.
GROUP_COLOURS = ["#1a7f37", "#cf222e", "#8250df", "#bc4c00", "#0969da", "#953800"]
LESS_PRECISE = "#8c959f"


@dataclass(frozen=True)
class ChartRow:
    """One claim to draw."""

    outlet: str
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
        return "#57606a"
    return GROUP_COLOURS[row.group % len(GROUP_COLOURS)]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
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


def interval_chart(
    rows: Sequence[ChartRow],
    *,
    consensus: tuple[float | None, float | None] | None = None,
    fmt: Callable[[float], str] = lambda v: f"{v:,.0f}",
    title: str = "",
) -> str:
    """Intervals of several claims on one axis, as an SVG document."""
    finite = [v for r in rows for v in (r.low, r.high) if v is not None and math.isfinite(v)]
    if not rows or not finite:
        return empty_chart("No value to draw yet.")
    lo, hi = min(finite), max(finite)
    pad = (hi - lo) * 0.08 or max(abs(lo) * 0.1, 1)
    lo, hi = lo - pad, hi + pad
    plot = WIDTH - LABEL_WIDTH - 20

    def x(value: float | None, default: float) -> float:
        if value is None or not math.isfinite(value):
            value = default
        return LABEL_WIDTH + (value - lo) / (hi - lo) * plot

    ordered = sorted(rows, key=lambda r: (r.outlet, r.group if r.group is not None else 99))
    height = TOP + len(ordered) * ROW_HEIGHT + BOTTOM
    parts = [svg_open(height, title)]
    if consensus and (consensus[0] is not None or consensus[1] is not None):
        left, right = x(consensus[0], lo), x(consensus[1], hi)
        parts.append(
            f'<rect class="consensus" x="{left:.1f}" y="{TOP - 6}" width="{max(right - left, 2):.1f}"'
            f' height="{len(ordered) * ROW_HEIGHT + 6}" fill="#dafbe1" stroke="#1a7f37"'
            ' stroke-dasharray="3 2"><title>consensus</title></rect>'
        )
    for tick in nice_ticks(lo + pad, hi - pad):
        tx = x(tick, tick)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{TOP - 8}" x2="{tx:.1f}" y2="{height - BOTTOM + 4}"'
            ' stroke="#d0d7de" stroke-width="0.5"/>'
            f'<text x="{tx:.1f}" y="{height - BOTTOM + 18}" text-anchor="middle"'
            f' font-size="10" fill="#57606a">{escape(fmt(tick))}</text>'
        )
    for index, row in enumerate(ordered):
        y = TOP + index * ROW_HEIGHT + ROW_HEIGHT / 2
        left, right = x(row.low, lo), x(row.high, hi)
        stroke = colour(row)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="#24292f">{escape(shorten(row.outlet, 28))}</text>'
        )
        label = escape(f"{row.outlet}: {row.label}")
        if right - left < 3:
            parts.append(
                f'<circle class="claim" cx="{left:.1f}" cy="{y:.1f}" r="4.5" fill="{stroke}">'
                f"<title>{label}</title></circle>"
            )
        else:
            parts.append(
                f'<line class="claim" x1="{left:.1f}" y1="{y:.1f}" x2="{right:.1f}" y2="{y:.1f}"'
                f' stroke="{stroke}" stroke-width="6" stroke-linecap="round">'
                f"<title>{label}</title></line>"
            )
        for value, edge, direction in ((row.low, left, -1), (row.high, right, 1)):
            if value is None or not math.isfinite(value):
                tip = edge + 8 * direction
                parts.append(
                    f'<path d="M{edge:.1f},{y - 5:.1f} L{tip:.1f},{y:.1f} L{edge:.1f},{y + 5:.1f}"'
                    f' fill="{stroke}"/>'
                )
    parts.append("</svg>")
    return "".join(parts)


def category_chart(rows: Sequence[ChartRow], categories: Sequence[str], *, title: str = "") -> str:
    """Which outlet reports which category: a grid of dots, coloured by group."""
    if not rows:
        return empty_chart("No value to draw yet.")
    outlets = sorted({r.outlet for r in rows})
    column = (WIDTH - LABEL_WIDTH - 20) / max(len(categories), 1)
    height = TOP + 18 + len(outlets) * ROW_HEIGHT + 10
    parts = [svg_open(height, title)]
    for c, category in enumerate(categories):
        cx = LABEL_WIDTH + column * (c + 0.5)
        parts.append(
            f'<text x="{cx:.1f}" y="{TOP + 4}" text-anchor="middle" font-size="11"'
            f' font-weight="600" fill="#24292f">{escape(shorten(category, 30))}</text>'
        )
    for o, outlet in enumerate(outlets):
        y = TOP + 18 + o * ROW_HEIGHT + ROW_HEIGHT / 2
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="#24292f">{escape(shorten(outlet, 28))}</text>'
        )
        for c, category in enumerate(categories):
            said = [r for r in rows if r.outlet == outlet and r.category == category]
            if not said:
                continue
            cx = LABEL_WIDTH + column * (c + 0.5)
            label = escape(" | ".join(r.label for r in said))
            parts.append(
                f'<circle class="claim" cx="{cx:.1f}" cy="{y:.1f}" r="{min(5 + 2 * len(said), 11)}"'
                f' fill="{colour(said[0])}"><title>{label}</title></circle>'
            )
    parts.append("</svg>")
    return "".join(parts)


def svg_open(height: float, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="fact-chart" width="{WIDTH}"'
        f' height="{height:.0f}" viewBox="0 0 {WIDTH} {height:.0f}" role="img"'
        f' aria-label="{escape(title or "values by outlet")}"'
        ' font-family="-apple-system, Segoe UI, Helvetica, Arial, sans-serif">'
        + (
            f'<text x="8" y="16" font-size="12" font-weight="600" fill="#24292f">{escape(title)}</text>'
            if title
            else ""
        )
    )


def empty_chart(message: str) -> str:
    return svg_open(40, "") + (
        f'<text x="8" y="24" font-size="12" fill="#57606a">{escape(message)}</text></svg>'
    )


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
