"""Marked wordings and the values chart: pure functions, no database."""

import math
import xml.etree.ElementTree as ET

from facts.domain import charts, highlight
from facts.domain.highlight import Span

TEXT = "Drills are scheduled from Fe. 10-20 <near> Ukraine."


def test_a_wording_is_marked_with_its_status_and_the_text_is_escaped():
    start = TEXT.index("Fe. 10-20")
    html = highlight.highlighted_html(TEXT, [Span(7, start, start + 9, "verified", "end date")])
    assert (
        '<mark class="claim claim-verified" data-claims="7" title="end date" tabindex="0"'
        ' role="button" aria-label="Claim: end date">Fe. 10-20</mark>' in html
    )
    assert "&lt;near&gt;" in html and "<near>" not in html


def test_overlapping_wordings_are_cut_into_pieces_that_list_every_claim():
    start = TEXT.index("Fe. 10-20")
    spans = [Span(1, start, start + 9, "draft"), Span(2, start, start + 3, "verified")]
    pieces = [p for p in highlight.pieces(TEXT, spans) if p.spans]
    assert [(TEXT[p.start : p.end], sorted(s.claim_id for s in p.spans)) for p in pieces] == [
        ("Fe.", [1, 2]),
        (" 10-20", [1]),
    ]
    html = highlight.highlighted_html(TEXT, spans)
    assert 'class="claim claim-verified claim-overlap" data-claims="1,2"' in html
    # A mark over two wordings is named as both, for the keyboard and screen readers.
    assert 'aria-label="2 claims: claim 1, claim 2">Fe.</mark>' in html


def test_the_marked_text_reads_as_the_text():
    spans = [Span(1, 0, 6, "candidate"), Span(2, 3, 20, "rejected")]
    html = highlight.highlighted_html(TEXT, spans, link="/claim/{id}/")
    plain = ET.fromstring(f"<div>{html}</div>")
    assert "".join(plain.itertext()) == TEXT


def test_a_span_outside_the_text_is_left_out():
    assert all(not p.spans for p in highlight.pieces("short", [Span(1, 3, 99, "draft")]))


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


NS = "{http://www.w3.org/2000/svg}"


def texts(root: ET.Element, css_class: str | None = None) -> list[str]:
    return [
        "".join(e.itertext())
        for e in root.iter(f"{NS}text")
        if css_class is None or e.get("class") == css_class
    ]


def test_the_chart_draws_one_mark_per_claim_and_the_consensus_band():
    rows = [
        charts.ChartRow("NATO", "around 30,000", 27_000, 33_000, 0),
        charts.ChartRow("The Moscow Times", "some 30,000", 27_000, 33_000, 0),
        charts.ChartRow("Washington Examiner", "thousands", 2_000, 99_999, 0, "less_precise"),
        charts.ChartRow("Kremlin", "10,000", 10_000, 10_000, 1, "rival"),
    ]
    svg = charts.interval_chart(rows, consensus=(27_000, 33_000), title="troops")
    root = parse(svg)
    marks = [e for e in root.iter() if e.get("class") == "claim"]
    assert len(marks) == 4
    assert len([e for e in root.iter(f"{NS}rect") if e.get("class") == "consensus"]) == 1
    assert "consensus range" in texts(root, "consensus-label")
    colours = {e.get("stroke") or e.get("fill") for e in marks}
    assert charts.GROUP_COLOURS[1] in colours and charts.LESS_PRECISE in colours


def test_each_originator_is_one_row_however_many_outlets_relay_it():
    rows = [
        charts.ChartRow("NATO", "around 30,000, in The National Interest", 27_000, 33_000, 0),
        charts.ChartRow("NATO", "30,000, in The Moscow Times", 30_000, 30_000, 0),
        charts.ChartRow("The Kremlin", "10,000, in The Moscow Times", 10_000, 10_000, 1),
    ]
    root = parse(charts.interval_chart(rows, axis="value (a count)"))
    assert texts(root, "row-label") == ["NATO", "The Kremlin"]
    assert texts(root, "axis-label") == ["value (a count)"]


def test_groups_differ_by_shape_as_well_as_colour_and_the_legend_names_them():
    rows = [
        charts.ChartRow("NATO", "30,000", 30_000, 30_000, 0),
        charts.ChartRow("The Kremlin", "10,000", 10_000, 10_000, 1),
    ]
    root = parse(charts.interval_chart(rows, group_names={0: "side 1", 1: "side 2"}))
    shapes = {e.get("data-shape") for e in root.iter() if e.get("class") == "claim"}
    assert shapes == {"circle", "square"}
    legend = next(e for e in root.iter() if e.get("class") == "legend")
    assert [t for t in legend.itertext() if t.strip()] == ["side 1", "side 2"]


def test_the_sides_are_neither_green_nor_red():
    assert not {"#1a7f37", "#cf222e"} & set(charts.GROUP_COLOURS[:2])


def test_the_labels_stay_about_11_px_or_more_on_a_390_px_phone():
    # The admin leaves the chart about 340 px of a 390 px screen.
    shrink = 340 / charts.WIDTH
    assert charts.LABEL_SIZE * shrink >= 10.5 and charts.SMALL_SIZE * shrink >= 10


def test_an_open_ended_value_runs_to_the_edge_with_an_arrow():
    rows = [charts.ChartRow("A", "over 100,000", 100_000, math.inf, 0)]
    root = parse(charts.interval_chart([*rows, charts.ChartRow("B", "120,000", 120000, 120000, 0)]))
    assert any(e.tag.endswith("path") for e in root.iter())


def test_a_categorical_chart_gives_each_originator_the_category_it_says():
    rows = [
        charts.ChartRow("The Kremlin", "will leave", None, None, 0, category="none stay"),
        charts.ChartRow("The Kremlin", "will return", None, None, 0, category="none stay"),
        charts.ChartRow("Western governments", "could remain", None, None, 1, "rival", "some stay"),
    ]
    root = parse(charts.category_chart(rows, ["none stay", "some stay"], title="stay"))
    assert texts(root, "row-label") == ["The Kremlin", "Western governments"]
    said = texts(root)
    assert "“none stay” (2 claims)" in said and "“some stay”" in said
    assert len([e for e in root.iter() if e.get("class") == "claim"]) == 2


def test_a_chart_without_values_says_so():
    assert "No value" in charts.interval_chart([])
    assert "No value" in charts.category_chart([], ["a", "b"])


def test_ticks_are_round_numbers_inside_the_range():
    ticks = charts.nice_ticks(27_000, 33_000)
    assert ticks[0] >= 27_000 and ticks[-1] <= 33_000
    assert all(t % 1000 == 0 for t in ticks)
