"""How long the site's renderer would take on a body, estimated in one linear pass.

Python-Markdown reads a link by scanning from its ``[`` (and from the ``(`` of its address)
to the bracket that closes it, as far as the end of the paragraph; its HTML parser (Python's
``html.parser``) scans from each ``<`` that may open a tag to the next ``>``, and from each
``<![CDATA[`` to the next ``]]>``, as far as the end of the body. Closed nearby, as people
write them, these scans are short. Left open (``[`` or ``<br "`` repeated), every one runs to
the end: 80 paragraphs of 1,000 ``[`` took half a minute, 20 lines of 100 ``<![CDATA[`` forty
seconds, and a record of a megabyte would take hours. The sum of those scans' lengths is the
renderer's work, and the check refuses a body whose work is far beyond its length.

Python-Markdown also rewrites a paragraph's whole text for every inline element it finds
(an escape, an emphasis, a link), so a paragraph costs its length times the marks in it:
100 KB of backslashes without a blank line (10¹⁰ by this measure) took five seconds, and a
megabyte would take many minutes. Tables and list items are read cell by cell and item by
item, so a paragraph here ends at a blank line and before a line that opens a block (a
table row, a list item, a quote, a heading).
"""

from __future__ import annotations

import bisect
import re

from brmkb import markdown_scan

#: Work allowed on top of ``PER_CHARACTER`` for each character of the body: a few stray
#: brackets in a long body (each scanned once to the end) fit with room to spare.
ALLOWANCE = 1_000_000
PER_CHARACTER = 4
#: A CDATA section costs the HTML parser more per character scanned than a tag does.
CDATA_WEIGHT = 16

#: Paragraphs shorter than this cost little however many marks they hold.
LONG_PARAGRAPH = 2_000
#: Work allowed for long paragraphs: their length times their marks, in total.
PARAGRAPH_ALLOWANCE = 2_000_000_000
PARAGRAPH_PER_CHARACTER = 1_000
#: The characters that start an inline element (an escape, code, emphasis, a link or image,
#: an entity), and a ``<`` that may start a tag: not ``<`` before a digit or a space.
_INLINE = "\\`*_[&"
_TAG_START = re.compile(r"<[A-Za-z/!?]")
#: The start of a line that opens a block of its own (after its indentation).
_BLOCK_START = ("|", ">", "#", "- ", "* ", "+ ")

#: What opens or closes a scan, and the blank line that ends a paragraph's.
_MARK = re.compile(r"<!\[CDATA\[|<[A-Za-z/!?]|[\[\]()]|\n(?:[ \t]*\n)+")


def unclosed(body: str) -> int | None:
    """Offset in ``body`` of the mark at which the scans for closing brackets and tags pass
    the allowance for a body of this length; None when they stay within."""
    # Every scan ends by the body's end at the latest: when even that many scans stay within,
    # as in nearly every body, counting them at C speed is the whole answer.
    scans = body.count("[") + body.count("(") + body.count("<")
    if (scans + CDATA_WEIGHT * body.count("<![CDATA[")) * len(body) <= _allowance(body):
        return None
    return _scans(markdown_scan.blank_code(body))  # no link or tag is read in fenced code


def crowded(body: str) -> int | None:
    """Offset in ``body`` of the long paragraph at which their length times their marks
    passes the allowance; None when it stays within."""
    if len(body) <= LONG_PARAGRAPH:
        return None
    # no paragraph is longer than the body nor holds more marks than it: the same bound
    marks = sum(body.count(mark) for mark in _INLINE) + body.count("<")
    if marks * len(body) <= PARAGRAPH_ALLOWANCE + PARAGRAPH_PER_CHARACTER * len(body):
        return None
    return _rewrites(markdown_scan.blank_code(body))


def _allowance(text: str) -> int:
    return ALLOWANCE + PER_CHARACTER * len(text)


def _rewrites(text: str) -> int | None:
    if len(text) <= LONG_PARAGRAPH:
        return None
    budget = PARAGRAPH_ALLOWANCE + PARAGRAPH_PER_CHARACTER * len(text)
    work, start, offset = 0, 0, 0
    for line in text.split("\n"):
        opener = line.lstrip(" \t")
        if not opener or opener.startswith(_BLOCK_START) or opener[:1].isdigit():
            work += _paragraph(text, start, offset)
            if work > budget:
                return start
            start = offset if opener else offset + len(line) + 1
        offset += len(line) + 1
    work += _paragraph(text, start, len(text))
    return start if work > budget else None


def _paragraph(text: str, start: int, end: int) -> int:
    if end - start <= LONG_PARAGRAPH:
        return 0
    marks = sum(text.count(mark, start, end) for mark in _INLINE)
    return (end - start) * (marks + len(_TAG_START.findall(text, start, end)))


def _scans(text: str) -> int | None:
    budget = _allowance(text)
    ends = _positions(text, ">")
    cdata_ends = _positions(text, "]]>") if "<![CDATA[" in text else []
    work = 0
    opened: list[int] = []  # brackets not yet closed in this paragraph
    opened_sum = 0
    for mark in _MARK.finditer(text):
        at, token = mark.start(), mark.group()
        if token in ("[", "("):
            opened.append(at)
            opened_sum += at
            continue
        if token in ("]", ")"):
            if opened:
                start = opened.pop()
                opened_sum -= start
                work += at - start
        elif token.startswith("<![CDATA["):
            work += CDATA_WEIGHT * (_next(cdata_ends, at, len(text)) - at)
        elif token.startswith("<"):
            work += _next(ends, at, len(text)) - at
        else:  # a blank line: every bracket still open was scanned to here
            work += len(opened) * at - opened_sum
            opened, opened_sum = [], 0
        if work > budget:
            return at
    work += len(opened) * len(text) - opened_sum
    return (opened[0] if opened else len(text)) if work > budget else None


def _positions(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _next(positions: list[int], at: int, end: int) -> int:
    """The first position after ``at``, or ``end`` when there is none."""
    index = bisect.bisect_right(positions, at)
    return positions[index] if index < len(positions) else end
