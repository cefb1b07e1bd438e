"""Charts are well-formed SVG drawn at build time, with escaped text and a title per mark."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from brmkb.site import charts
from brmkb.site.charts import Event, Lane, Marker, Point, Span
from tests.site.kbs import XSS_IMG, XSS_SCRIPT

NS = {"s": charts.SVG_NS}


def _timeline() -> str:
    lane = Lane(
        XSS_SCRIPT,
        events=[Event(date(2025, 6, 1), XSS_IMG, "#123456", href="../r/")],
        spans=[Span(date(2025, 7, 1), date(2025, 8, 1), "超期 31 天")],
        markers=[Marker(date(2026, 1, 1), "下次评审", short="下次")],
    )
    other = Lane(
        "合同变更", events=[Event(date(2025, 3, 1), "变更", "#654321", "diamond", hollow=True)]
    )
    return charts.timeline(
        [lane, other],
        date(2025, 1, 1),
        date(2026, 3, 1),
        title=f"{XSS_SCRIPT}时间线",
        markers=[Marker(date(2025, 11, 20), "检查日")],
        band=(date(2025, 1, 1), date(2025, 12, 31)),
    )


def test_timeline_is_valid_svg_with_titles() -> None:
    root = ET.fromstring(_timeline())
    assert root.tag == f"{{{charts.SVG_NS}}}svg"
    titles = [t.text for t in root.iter(f"{{{charts.SVG_NS}}}title")]
    assert f"{XSS_SCRIPT}时间线" in titles and XSS_IMG in titles and "超期 31 天" in titles
    texts = [t.text for t in root.iter(f"{{{charts.SVG_NS}}}text")]
    assert XSS_SCRIPT in texts and "检查日" in texts and "下次" in texts
    assert "2025-01" in texts  # month ticks


def test_timeline_escapes_text_and_links_marks() -> None:
    svg = _timeline()
    assert "<script>" not in svg and "<img" not in svg
    root = ET.fromstring(svg)
    links = root.findall(".//s:a", NS)
    assert [a.get("href") for a in links] == ["../r/"]


def test_overdue_span_is_red() -> None:
    root = ET.fromstring(_timeline())
    gaps = [r for r in root.iter(f"{{{charts.SVG_NS}}}rect") if r.get("class") == "brm-gap"]
    assert gaps and gaps[0].get("fill") == charts.COLORS["overdue"]


def test_ticks_stay_few_over_long_ranges() -> None:
    assert len(charts._ticks(date(2015, 1, 1), date(2026, 12, 31))) <= 12
    assert [label for _, label in charts._ticks(date(2026, 1, 15), date(2026, 4, 1))] == [
        "2026-02",
        "2026-03",
        "2026-04",
    ]


def test_line_chart_marks_misses_and_target() -> None:
    points = [
        Point("2025-H1", 4.6, True, "ok"),
        Point("2025-H2", 3.9, False, f"miss {XSS_IMG}", href="../s/", flagged=True),
    ]
    svg = charts.line_chart(points, target=4.2, scale=5, title="满意度")
    root = ET.fromstring(svg)
    circles = list(root.iter(f"{{{charts.SVG_NS}}}circle"))
    fills = [c.get("fill") for c in circles]
    assert charts.COLORS["ok"] in fills and charts.COLORS["miss"] in fills
    assert any(c.get("r") == "9" for c in circles)  # the flagged deviation ring
    texts = [t.text for t in root.iter(f"{{{charts.SVG_NS}}}text")]
    assert "目标 4.2" in texts and "2025-H2" in texts
    assert "<img" not in svg


def test_line_chart_with_one_point() -> None:
    ET.fromstring(charts.line_chart([Point("x", 5.0, True, "t")], target=5, scale=5, title="t"))


def test_swatch_is_svg() -> None:
    ET.fromstring(charts.swatch("#000", "triangle"))


def _text_box(root: ET.Element, content: str) -> tuple[float, float, float, float]:
    """Left, right, top, bottom of a drawn text (estimated the way the chart lays it out)."""
    node = next(t for t in root.iter(f"{{{charts.SVG_NS}}}text") if t.text == content)
    x, y, width = float(node.get("x")), float(node.get("y")), charts.text_width(content)
    anchor = node.get("text-anchor", "start")
    left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
    return left, left + width, y - charts.FONT, y


def test_a_late_marker_label_fits_and_stays_clear_of_the_check_date() -> None:
    """The next-review label near the end lengthens the axis instead of running back over
    the check-date line or off the chart."""
    due = Marker(date(2027, 4, 15), "下次评审应不晚于 2027-04-15", short="下次评审 2027-04-15")
    svg = charts.timeline(
        [Lane("服务评审", markers=[due])],
        date(2025, 1, 1),
        date(2027, 5, 15),
        title="t",
        markers=[Marker(date(2026, 11, 20), "检查日 2026-11-20")],
    )
    root = ET.fromstring(svg)
    width = float(root.get("viewBox").split()[2])
    left, right, top, bottom = _text_box(root, "下次评审 2027-04-15")
    check = next(
        float(line.get("x1"))
        for line in root.iter(f"{{{charts.SVG_NS}}}line")
        if line.get("stroke-width") == "1.5"
    )
    assert right <= width and not left <= check <= right
    other = _text_box(root, "检查日 2026-11-20")
    assert other[1] < left or other[0] > right or other[3] < top or other[2] > bottom


def test_chart_text_is_at_least_eleven_pixels_in_a_688_pixel_column() -> None:
    root = ET.fromstring(_timeline())
    assert charts.FONT * 688 / float(root.get("viewBox").split()[2]) >= 11
    line = ET.fromstring(
        charts.line_chart([Point("x", 5.0, True, "t")], target=5, scale=5, title="t")
    )
    # two small charts side by side in the 688 px column
    assert charts.FONT * (688 - 24) / 2 / float(line.get("viewBox").split()[2]) >= 11
