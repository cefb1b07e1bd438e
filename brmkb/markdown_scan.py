"""Fenced code, HTML comments and ATX headings in record text, found in one linear pass.

Record bodies are untrusted: a regular expression such as ``^(#+)[ \\t]+(.+?)[ \\t#]*$`` or a
lazy ``<!--.*?-->`` backtracks quadratically on a crafted line (``## a`` and 60,000 spaces),
so these scanners walk lines and use ``str.find`` only: each character is looked at a
bounded number of times.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import NamedTuple

_FENCES = ("```", "~~~")


def _lines_starting(text: str, mark: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the lines that start with ``mark``, in order, ``end`` at the
    line's newline or the end of the text: ``str.find`` jumps from one to the next, so the
    lines in between cost no Python work."""
    probe = "\n" + mark
    start = 0 if text.startswith(mark) else text.find(probe)
    if start != -1 and text[start] == "\n":
        start += 1
    while start != -1:
        end = text.find("\n", start)
        if end == -1:
            yield start, len(text)
            return
        yield start, end
        start = text.find(probe, end)
        if start != -1:
            start += 1


def fences(text: str) -> list[tuple[int, int]]:
    """Spans of closed fenced code blocks: from the opening line's start to the closing
    line's end (a ```` ``` ```` or ``~~~`` line, closed by the same marker alone on a line)."""
    spans: list[tuple[int, int]] = []
    marker, opened = "", 0
    for start, end in _marker_lines(text):  # no other line opens or closes a block
        line = text[start:end]
        if not marker:
            marker, opened = line[:3], start
        elif line.startswith(marker) and not line[3:].strip(" \t"):
            spans.append((opened, end))
            marker = ""
    return spans


def _marker_lines(text: str) -> list[tuple[int, int]]:
    """The lines that start with a fence marker, in order (none, at C speed, in most bodies)."""
    found = [span for mark in _FENCES if mark in text for span in _lines_starting(text, mark)]
    return sorted(found) if len(found) > 1 else found


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
    spans = fences(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
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


class Heading(NamedTuple):
    """An ATX heading line: ``start``/``end`` offsets of the line, its level and title (a
    tuple: a check reads tens of thousands of them)."""

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


def headings(text: str, min_level: int = 1, max_level: int = 6) -> list[Heading]:
    """Every ATX heading of ``text`` whose level is within the bounds, in order.

    The lines of ``_lines_starting(text, "#")``, walked in one loop without generators: a
    check reads the headings of every record."""
    found: list[Heading] = []
    start = 0 if text.startswith("#") else text.find("\n#") + 1 or -1
    while start != -1:
        end = text.find("\n", start)
        if end == -1:
            end = len(text)
        head = heading(text[start:end], max_level)
        if head and head[0] >= min_level:
            found.append(Heading(start, end, *head))
        start = text.find("\n#", end)
        if start != -1:
            start += 1
    return found


def strip_headings(text: str) -> str:
    """``text`` without its heading lines."""
    out, last = [], 0
    for found in headings(text):
        out.append(text[last : found.start])
        last = found.end
    out.append(text[last:])
    return "".join(out)


def setext_titles(text: str) -> list[str]:
    """The titles of setext headings (a line underlined with ``---`` or ``===``), which are no
    sections here: only ATX headings are. Asked only to explain a missing section."""
    lines = without_code(text).split("\n")
    return [
        title.strip()
        for title, under in itertools.pairwise(lines)
        if title.strip()
        and not title.lstrip().startswith(("#", "-", "*", "+", ">", "|"))
        and under.strip(" \t")
        and (not under.strip(" \t").strip("-") or not under.strip(" \t").strip("="))
    ]
