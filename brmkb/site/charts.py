"""Charts drawn at build time as inline SVG: no script, no request, readable when printed.

The functions here know nothing about records: they draw what they are given (dates,
values, labels, links). Text is escaped; every mark carries a ``<title>`` (the tooltip and
what a screen reader says); colours that mean something are also said in words.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from brmkb.site.html import attrs, esc

SVG_NS = "http://www.w3.org/2000/svg"

#: Colours (mid tones that read on the light and the dark scheme).
COLORS = {
    "periodic": "#3f51b5",
    "annual": "#00897b",
    "additional": "#ef6c00",
    "adhoc": "#8e24aa",
    "change": "#6d4c41",
    "request": "#546e7a",
    "due": "#1e88e5",
    "overdue": "#e53935",
    "ok": "#2e7d32",
    "miss": "#e53935",
    "line": "#5c6bc0",
}


@dataclass(frozen=True, slots=True)
class Event:
    """A dated mark on a lane."""

    day: date
    title: str
    color: str
    shape: str = "circle"  # circle | diamond | triangle | square
    href: str | None = None
    hollow: bool = False


@dataclass(frozen=True, slots=True)
class Span:
    """A period on a lane (an overdue gap), drawn as a band."""

    start: date
    end: date
    title: str
    color: str = COLORS["overdue"]


@dataclass(frozen=True, slots=True)
class Marker:
    """A vertical line across the chart with a short label (the as-of date, a due date)."""

    day: date
    label: str
    color: str = "currentColor"
    dashed: bool = True
    short: str = ""  # the text drawn next to the mark (the label is the tooltip)


@dataclass
class Lane:
    label: str
    events: list[Event] = field(default_factory=list)
    spans: list[Span] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)


#: Font size of chart text in viewBox units. Each chart's viewBox is about as wide as the
#: column it is drawn in at 1280 px, so text is at least 11 px there; narrower screens scale
#: the whole chart down instead of cutting it off.
FONT = 12


def text_width(text: str, size: float = FONT) -> float:
    """Roughly how wide ``text`` is drawn: Han characters are square, the rest about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in text)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _shape(
    shape: str, x: float, y: float, size: float, color: str, hollow: bool, title: str = ""
) -> str:
    fill = "var(--md-default-bg-color, #fff)" if hollow else color
    paint = f'fill="{fill}" stroke="{color}" stroke-width="2"'
    tip = f"<title>{esc(title)}</title>" if title else ""
    if shape in ("diamond", "triangle"):
        if shape == "diamond":
            corners = [(x, y - size), (x + size, y), (x, y + size), (x - size, y)]
        else:
            corners = [(x, y - size), (x + size, y + size * 0.8), (x - size, y + size * 0.8)]
        points = " ".join(f"{_num(a)},{_num(b)}" for a, b in corners)
        return f'<polygon points="{points}" {paint}>{tip}</polygon>'
    if shape == "square":
        side = size * 1.6
        return (
            f'<rect x="{_num(x - side / 2)}" y="{_num(y - side / 2)}" width="{_num(side)}"'
            f' height="{_num(side)}" {paint}>{tip}</rect>'
        )
    return f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(size * 0.85)}" {paint}>{tip}</circle>'


def _ticks(start: date, end: date) -> list[tuple[date, str]]:
    """Month ticks, at most about nine, on month starts aligned to the step."""
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next((s for s in (1, 2, 3, 6, 12, 24) if months / s <= 9), 48)
    ticks = []
    year, month = start.year, start.month
    while True:
        day = date(year, month, 1)
        if day > end:
            break
        if (
            day >= start
            and (month - 1) % min(step, 12) == 0
            and (step < 12 or year % (step // 12) == 0)
        ):
            label = str(year) if step >= 12 else f"{year}-{month:02d}"
            ticks.append((day, label))
        month += 1
        if month > 12:
            year, month = year + 1, 1
    return ticks


def timeline(
    lanes: Sequence[Lane],
    start: date,
    end: date,
    *,
    title: str,
    description: str = "",
    band: tuple[date, date] | None = None,
    markers: Sequence[Marker] = (),
    chart_id: str = "timeline",
) -> str:
    """A horizontal time axis with one row per lane.

    A lane marker's label is drawn to the right of its line; the axis is lengthened until it
    fits there, so that it never runs back over the other markers (the check date)."""
    if end <= start:
        end = start + timedelta(days=30)
    width, left, right, top, lane_h, axis_h = 700, 92, 16, 26, 38, 28
    plot = width - left - right
    height = top + lane_h * len(lanes) + axis_h
    for marker in (m for lane in lanes for m in lane.markers):
        share = (text_width(marker.short or marker.label) + 16) / plot
        needed = math.ceil((marker.day.toordinal() - share * start.toordinal()) / (1 - share))
        # (never into the calendar's last year: the axis ticks step past its end)
        end = max(end, date.fromordinal(min(needed, date.max.toordinal() - 366)))
    span_days = (end - start).days

    def x(day: date) -> float:
        offset = min(max((day - start).days, 0), span_days)
        return left + plot * offset / span_days

    out = [
        f'<svg xmlns="{SVG_NS}"{attrs(viewBox=f"0 0 {width} {height}", role="img", class_="brm-timeline")}'
        f' aria-labelledby="{esc(chart_id)}-t {esc(chart_id)}-d" font-size="{FONT}">',
        f'<title id="{esc(chart_id)}-t">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-d">{esc(description or title)}</desc>',
    ]
    bottom = top + lane_h * len(lanes)
    if band:
        x0, x1 = x(band[0]), x(band[1])
        out.append(
            f'<rect x="{_num(x0)}" y="{top}" width="{_num(max(x1 - x0, 0))}" height="{lane_h * len(lanes)}"'
            ' fill="currentColor" fill-opacity="0.05"><title>服务期</title></rect>'
        )
    for day, label in _ticks(start, end):
        tx = x(day)
        out.append(
            f'<line x1="{_num(tx)}" y1="{top}" x2="{_num(tx)}" y2="{bottom}" stroke="currentColor" stroke-opacity="0.15"/>'
            f'<text x="{_num(tx)}" y="{bottom + 18}" text-anchor="middle" fill="currentColor" fill-opacity="0.75">{esc(label)}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{bottom}" x2="{left + plot}" y2="{bottom}" stroke="currentColor" stroke-opacity="0.5"/>'
    )
    for index, lane in enumerate(lanes):
        y = top + lane_h * index + lane_h / 2
        out.append(
            f'<text x="{left - 10}" y="{_num(y + 4)}" text-anchor="end" fill="currentColor">{esc(lane.label)}</text>'
            f'<line x1="{left}" y1="{_num(y)}" x2="{left + plot}" y2="{_num(y)}" stroke="currentColor" stroke-opacity="0.12"/>'
        )
        for span in lane.spans:
            x0, x1 = x(span.start), x(span.end)
            out.append(
                f'<rect class="brm-gap" x="{_num(x0)}" y="{_num(y - 9)}" width="{_num(max(x1 - x0, 2))}" height="18"'
                f' rx="3" fill="{span.color}" fill-opacity="0.28" stroke="{span.color}">'
                f"<title>{esc(span.title)}</title></rect>"
            )
        for marker in lane.markers:
            mx = x(marker.day)
            dash = ' stroke-dasharray="4 3"' if marker.dashed else ""
            out.append(
                f'<g class="brm-due"><title>{esc(marker.label)}</title>'
                f'<line x1="{_num(mx)}" y1="{_num(y - 14)}" x2="{_num(mx)}" y2="{_num(y + 14)}" stroke="{marker.color}" stroke-width="2"{dash}/>'
                f'<polygon points="{_num(mx)},{_num(y - 14)} {_num(mx + 9)},{_num(y - 10)} {_num(mx)},{_num(y - 6)}" fill="{marker.color}"/>'
                f'<text x="{_num(mx + 12)}" y="{_num(y - 6)}" text-anchor="start"'
                f' fill="{marker.color}" font-weight="bold">{esc(marker.short or marker.label)}</text></g>'
            )
        for event in sorted(lane.events, key=lambda e: e.day):
            mark = _shape(event.shape, x(event.day), y, 7, event.color, event.hollow, event.title)
            if event.href:
                mark = f'<a href="{esc(event.href)}" class="brm-mark">{mark}</a>'
            out.append(mark)
    for marker in markers:
        mx = x(marker.day)
        dash = ' stroke-dasharray="3 3"' if marker.dashed else ""
        anchor = "end" if mx > left + plot * 0.85 else "start"
        shift = -4 if anchor == "end" else 4
        out.append(
            f"<g><title>{esc(marker.label)}</title>"
            f'<line x1="{_num(mx)}" y1="{top - 6}" x2="{_num(mx)}" y2="{bottom}" stroke="{marker.color}" stroke-width="1.5"{dash}/>'
            f'<text x="{_num(mx + shift)}" y="{top - 9}" text-anchor="{anchor}" fill="{marker.color}">{esc(marker.label)}</text></g>'
        )
    out.append("</svg>")
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    value: float
    ok: bool
    title: str
    href: str | None = None
    flagged: bool = False
    #: The target in force for this point, when the plan revised it (None: the chart's target).
    target: float | None = None


def _target_runs(points: Sequence[Point], target: float) -> list[tuple[int, int, float]]:
    """Consecutive points that share a target: (first index, last index, target)."""
    runs: list[tuple[int, int, float]] = []
    for index, point in enumerate(points):
        value = target if point.target is None else point.target
        if runs and runs[-1][2] == value:
            runs[-1] = (runs[-1][0], index, value)
        else:
            runs.append((index, index, value))
    return runs or [(0, 0, target)]


def line_chart(
    points: Sequence[Point],
    *,
    target: float,
    scale: float,
    title: str,
    description: str = "",
    chart_id: str = "chart",
) -> str:
    """Scores over time against a dashed target line, one step per period of a revised target;
    points that miss their target are red."""
    width, height, left, right, top, bottom = 330, 200, 34, 14, 24, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    runs = _target_runs(points, target)
    values = [p.value for p in points] + [t for _, _, t in runs]
    low = max(0.0, math.floor((min(values) - 0.25) * 2) / 2)
    high = max(float(scale), max(values))
    if high - low < 1:
        low = max(0.0, high - 1)

    def y(value: float) -> float:
        return top + plot_h * (1 - (value - low) / (high - low))

    def x(index: int) -> float:
        if len(points) == 1:
            return left + plot_w / 2
        return left + 14 + (plot_w - 28) * index / (len(points) - 1)

    out = [
        f'<svg xmlns="{SVG_NS}"{attrs(viewBox=f"0 0 {width} {height}", role="img", class_="brm-linechart")}'
        f' aria-labelledby="{esc(chart_id)}-t {esc(chart_id)}-d" font-size="{FONT}">',
        f'<title id="{esc(chart_id)}-t">{esc(title)}</title>',
        f'<desc id="{esc(chart_id)}-d">{esc(description or title)}</desc>',
    ]
    step = 0.5 if high - low <= 3 else 1.0
    tick = low
    while tick <= high + 1e-9:
        ty = y(tick)
        out.append(
            f'<line x1="{left}" y1="{_num(ty)}" x2="{width - right}" y2="{_num(ty)}" stroke="currentColor" stroke-opacity="0.12"/>'
            f'<text x="{left - 6}" y="{_num(ty + 4)}" text-anchor="end" fill="currentColor" fill-opacity="0.75">{_num(tick)}</text>'
        )
        tick += step
    for first, last, goal in runs:
        x0 = left if first == 0 else (x(first - 1) + x(first)) / 2
        x1 = width - right if last == len(points) - 1 else (x(last) + x(last + 1)) / 2
        ty = y(goal)
        out.append(
            f"<g><title>目标 {esc(_num(goal))}</title>"
            f'<line x1="{_num(x0)}" y1="{_num(ty)}" x2="{_num(x1)}" y2="{_num(ty)}" stroke="{COLORS["ok"]}" stroke-width="1.5" stroke-dasharray="6 4"/>'
            f'<text x="{_num(x1)}" y="{_num(ty - 5)}" text-anchor="end" fill="{COLORS["ok"]}">目标 {esc(_num(goal))}</text></g>'
        )
    if len(points) > 1:
        path = " ".join(f"{_num(x(i))},{_num(y(p.value))}" for i, p in enumerate(points))
        out.append(
            f'<polyline points="{path}" fill="none" stroke="{COLORS["line"]}" stroke-width="2"/>'
        )
    label_every = max(1, math.ceil(len(points) / 6))
    for index, point in enumerate(points):
        px, py = x(index), y(point.value)
        color = COLORS["ok"] if point.ok else COLORS["miss"]
        ring = (
            f'<circle cx="{_num(px)}" cy="{_num(py)}" r="9" fill="none" stroke="{COLORS["miss"]}" stroke-width="1.5"/>'
            if point.flagged
            else ""
        )
        mark = (
            f'<g class="brm-point"><title>{esc(point.title)}</title>{ring}'
            f'<circle cx="{_num(px)}" cy="{_num(py)}" r="5" fill="{color}" stroke="var(--md-default-bg-color, #fff)" stroke-width="1.5"/>'
            f'<text x="{_num(px)}" y="{_num(py - 10)}" text-anchor="middle" fill="currentColor">{esc(_num(point.value))}</text></g>'
        )
        if point.href:
            mark = f'<a href="{esc(point.href)}" class="brm-mark">{mark}</a>'
        out.append(mark)
        if index % label_every == 0 or index == len(points) - 1:
            out.append(
                f'<text x="{_num(px)}" y="{height - bottom + 18}" text-anchor="middle" fill="currentColor" fill-opacity="0.75">{esc(point.label)}</text>'
            )
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="currentColor" stroke-opacity="0.5"/>'
    )
    out.append("</svg>")
    return "".join(out)


def swatch(color: str, shape: str = "circle", hollow: bool = False) -> str:
    """A small legend symbol (inline SVG) for a figure caption."""
    return (
        f'<svg xmlns="{SVG_NS}" class="brm-swatch" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true">'
        f"{_shape(shape, 8, 8, 6, color, hollow)}</svg>"
    )
