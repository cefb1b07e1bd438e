"""Fenced code, HTML comments and headings in record text, found in one linear pass.

Record bodies are untrusted: a regular expression such as ``^(#+)[ \\t]+(.+?)[ \\t#]*$`` or a
lazy ``<!--.*?-->`` backtracks quadratically on a crafted line (``## a`` and 60,000 spaces),
so these scanners walk lines and use ``str.find`` only (or a regular expression that gives
nothing back): each character is looked at a bounded number of times.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple

_FENCES = ("```", "~~~")
#: A line that may underline a setext heading, from its start: ``=`` or ``-`` characters, then
#: blanks. Possessive: linear time.
UNDERLINE = r"(?:=++|-++)[ \t]*+(?=\n|\Z)"
_UNDERLINE = re.compile("\n" + UNDERLINE)  # from the newline before it
#: Lines that Python-Markdown reads as a block of their own (an ATX heading, with or without a
#: space after its marks; an admonition; a collapsible block): never a setext title.
_OWN_BLOCKS = ("#", "!!!", "???")
#: Thematic break characters (``***``, ``- - -``, ``___``).
_BREAK_MARKS = ("-", "_", "*")


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
    """A heading: ``start``/``end`` offsets of its line (of its two lines when underlined),
    its level and title (a tuple: a check reads tens of thousands of them)."""

    start: int
    end: int
    level: int
    title: str
    #: A setext heading: a title line underlined with ``===`` (level 1) or ``---`` (level 2).
    setext: bool = False


def heading(line: str, max_level: int = 6) -> tuple[int, str] | None:
    """(level, title) when ``line`` is an ATX heading (``## 标题 ##``), else None."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= max_level or line[level : level + 1] not in (" ", "\t"):
        return None
    rest = line[level:].strip(" \t")
    return level, rest.rstrip(" \t#") or rest[:1]


def headings(text: str, min_level: int = 1, max_level: int = 6) -> list[Heading]:
    """Every heading of ``text`` whose level is within the bounds, in order: ATX headings
    (a line that starts with one to six ``#`` and a space or tab) and setext headings (see
    ``underlined``; only when a line may underline one, which most texts have none of).

    The ATX lines are those of ``_lines_starting(text, "#")``, walked in one loop without
    generators: a check reads the headings of every record."""
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
    if underlined(text):
        setext = [h for h in _setext(text) if min_level <= h.level <= max_level]
        if setext:
            found = sorted(found + setext)
    return found


def underlined(text: str) -> bool:
    """Whether a line of ``text`` may underline a setext heading: a line of ``=`` or of ``-``
    (trailing blanks allowed) right under a line that is not empty. False for most texts, told
    at C speed; a thematic break after a blank line is no underline."""
    found = _UNDERLINE.search(text)
    while found is not None:
        if found.start() and text[found.start() - 1] != "\n":
            return True
        found = _UNDERLINE.search(text, found.end())
    return False


def _setext(text: str) -> list[Heading]:
    """The setext headings of ``text`` as Python-Markdown reads them (what the site shows as
    top-level ``<h1>``/``<h2>``): the first line of a block (after a blank line, a heading,
    an admonition, a line of HTML, a thematic break or an indented code block; not in a
    table), underlined on the very next line with ``=`` (level 1) or ``-`` (level 2)
    characters from the line's start, blanks after them. Not a line indented four spaces or
    more (code), nor a line of HTML; a paragraph's later line is no title (its ``---``
    underline is a thematic break). The title is the line without surrounding whitespace.
    Only asked when ``underlined`` holds: a walk over the lines."""
    found: list[Heading] = []
    lines = text.split("\n")
    offset, index = 0, 0
    # whether the line begins a block; whether it is in indented code; in a table
    block_start, in_code, in_table = True, False, False
    while index < len(lines):
        raw = lines[index]
        line = raw.expandtabs(4)
        under = lines[index + 1] if index + 1 < len(lines) else ""
        if not line.strip(" ") or line.startswith(_OWN_BLOCKS) or _is_html(line):
            block_start, in_code, in_table = True, False, False
        elif in_table or (block_start and "|" in line and _is_table_rule(under)):
            block_start, in_code, in_table = False, False, True  # a table runs to a blank line
        elif (block_start or in_code) and line.startswith("    "):
            block_start, in_code = False, True
        else:
            block_start = block_start or in_code  # an indented code block ends before it
            in_code = False
            if block_start and _is_underline(under):
                end = offset + len(raw) + 1 + len(under)
                level = 1 if under[0] == "=" else 2
                found.append(Heading(offset, end, level, raw.strip(), True))
                offset, index = end + 1, index + 2
                continue  # the line after an underline begins a block: block_start stays
            block_start = _is_break(line)
        offset += len(raw) + 1
        index += 1
    return found


def _is_html(line: str) -> bool:
    """Whether ``line`` (tabs expanded) is HTML that Python-Markdown sets apart as a block of
    its own (a tag or comment that fills the line): ``<div>…</div>``, ``<!-- … -->``."""
    rest = line.strip(" ")
    return rest.startswith("<") and rest.endswith(">") and len(line) - len(line.lstrip(" ")) < 4


def _is_table_rule(line: str) -> bool:
    """Whether ``line`` may be the rule under a table's header row (``|---|:--:|``)."""
    return "|" in line and "-" in line and not line.strip(" \t|:-")


def _is_underline(line: str) -> bool:
    rest = line.rstrip(" \t")
    return bool(rest) and (not rest.strip("=") or not rest.strip("-"))


def _is_break(line: str) -> bool:
    """Whether ``line`` (tabs expanded) is a thematic break as Python-Markdown reads one: up
    to three spaces, then three or more of one of ``-``, ``_``, ``*``, at most two spaces
    between them, and trailing spaces."""
    rest = line.rstrip(" ")
    marks = rest.lstrip(" ")
    if len(rest) - len(marks) > 3 or marks[:1] not in _BREAK_MARKS:
        return False
    compact = marks.replace(" ", "")
    return len(compact) >= 3 and not compact.strip(marks[0]) and "   " not in marks


def first_heading(text: str) -> Heading | None:
    """The heading that starts ``text`` (an ATX line, or a line and its underline), or None."""
    cut = text.find("\n", text.find("\n") + 1)
    found = headings(text if cut == -1 else text[:cut])
    return found[0] if found and found[0].start == 0 else None


def demoted(text: str, found: Heading, by: int = 1) -> str:
    """What replaces ``text[found.start:found.end]`` to put the heading ``by`` levels down:
    more ``#`` marks on an ATX line; a setext heading rewritten as an ATX line with the same
    title (a trailing ``#`` escaped: an ATX line drops its closing marks)."""
    if not found.setext:
        return "#" * by + text[found.start : found.end]
    title = found.title[:-1] + "\\#" if found.title.endswith("#") else found.title
    return "#" * (found.level + by) + " " + title


def without_setext(text: str, heads: Sequence[Heading] | None = None) -> str:
    """``text`` with the two lines of each setext heading written as ``#`` lines of the same
    lengths (offsets kept), so that a reader that skips ATX heading lines, such as
    ``prompts.is_blank``, skips them too. ``heads``: the headings of ``text``, when known."""
    if heads is None:
        heads = headings(blank_code(text)) if underlined(text) else ()
    spans = [h for h in heads if h.setext]
    if not spans:
        return text
    out, last = [], 0
    for head in spans:
        out.append(text[last : head.start])
        out.append(
            "\n".join(
                "#" + " " * (len(line) - 1) for line in text[head.start : head.end].split("\n")
            )
        )
        last = head.end
    out.append(text[last:])
    return "".join(out)
