"""Fenced code, HTML comments and ATX headings in record text, found in one linear pass.

Record bodies are untrusted: a regular expression such as ``^(#+)[ \\t]+(.+?)[ \\t#]*$`` or a
lazy ``<!--.*?-->`` backtracks quadratically on a crafted line (``## a`` and 60,000 spaces),
so these scanners walk lines and use ``str.find`` only: each character is looked at a
bounded number of times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

_FENCES = ("```", "~~~")


def _lines(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of every line, ``end`` at its newline or the end of the text."""
    start = 0
    while start <= len(text):
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        yield start, end
        start = end + 1


def fences(text: str) -> list[tuple[int, int]]:
    """Spans of closed fenced code blocks: from the opening line's start to the closing
    line's end (a ```` ``` ```` or ``~~~`` line, closed by the same marker alone on a line)."""
    spans: list[tuple[int, int]] = []
    marker, opened = "", 0
    for start, end in _lines(text):
        line = text[start:end]
        if not marker:
            if line.startswith(_FENCES):
                marker, opened = line[:3], start
        elif line.startswith(marker) and not line[3:].strip(" \t"):
            spans.append((opened, end))
            marker = ""
    return spans


def outside_code(text: str, change: Callable[[str, int], str]) -> str:
    """``text`` with ``change(part, offset)`` applied to every part outside fenced code."""
    out, last = [], 0
    for start, end in fences(text):
        out.append(change(text[last:start], last))
        out.append(text[start:end])
        last = end
    out.append(change(text[last:], last))
    return "".join(out)


def without_code(text: str) -> str:
    """``text`` with fenced code blocks blanked to their newlines (line numbers kept)."""
    out, last = [], 0
    for start, end in fences(text):
        out.append(text[last:start])
        out.append("\n" * text.count("\n", start, end))
        last = end
    out.append(text[last:])
    return "".join(out)


def blank_code(text: str) -> str:
    """``text`` with fenced code blocks blanked to spaces, every offset and line kept."""
    out, last = [], 0
    for start, end in fences(text):
        out.append(text[last:start])
        out.append("\n".join(" " * len(line) for line in text[start:end].split("\n")))
        last = end
    out.append(text[last:])
    return "".join(out)


def comments(text: str) -> Iterator[tuple[int, int]]:
    """Spans of closed HTML comments (``<!-- … -->``), found with ``str.find`` only."""
    last = 0
    while True:
        start = text.find("<!--", last)
        end = text.find("-->", start + 4) if start != -1 else -1
        if end == -1:  # no further comment, or one that never closes (nor will a later one)
            return
        yield start, end + 3
        last = end + 3


def without_comments(text: str) -> str:
    """``text`` without closed HTML comments (``<!-- … -->``)."""
    out, last = [], 0
    for start, end in comments(text):
        out.append(text[last:start])
        last = end
    out.append(text[last:])
    return "".join(out)


@dataclass(frozen=True, slots=True)
class Heading:
    """An ATX heading line: ``start``/``end`` offsets of the line, its level and title."""

    start: int
    end: int
    level: int
    title: str


def heading(line: str, max_level: int = 6) -> tuple[int, str] | None:
    """(level, title) when ``line`` is an ATX heading (``## 标题 ##``), else None."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= max_level or line[level : level + 1] not in (" ", "\t"):
        return None
    rest = line[level:].strip(" \t")
    return level, rest.rstrip(" \t#") or rest[:1]


def headings(text: str, min_level: int = 1, max_level: int = 6) -> Iterator[Heading]:
    """Every ATX heading of ``text`` whose level is within the bounds, in order."""
    for start, end in _lines(text):
        if text.startswith("#", start):
            found = heading(text[start:end], max_level)
            if found and found[0] >= min_level:
                yield Heading(start, end, *found)


def strip_headings(text: str) -> str:
    """``text`` without its heading lines."""
    out, last = [], 0
    for found in headings(text):
        out.append(text[last : found.start])
        last = found.end
    out.append(text[last:])
    return "".join(out)
