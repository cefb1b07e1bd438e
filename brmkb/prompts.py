"""What counts as "not written yet": the prompts ``brmkb new`` leaves, and placeholder words.

One definition serves both sides: the scaffold writes its prompts with ``prompt()`` (in the
body) and ``placeholder()`` (as front-matter values), and the content rules recognise exactly
those with ``prompt_lines()`` and ``placeholder_values()``, so the two never drift apart.
``PLACEHOLDERS`` are the words authors type for text they mean to write later; it is the
default of the policy setting ``placeholders`` (see ``brmkb policy``).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from functools import cache
from typing import Any, NamedTuple

from brmkb import markdown_scan

#: The word every scaffold prompt starts with.
MARK = "请填写"
_VALUE = re.compile(rf"{MARK}[：:]")

#: Words that stand for text not written yet (compared whole, ignoring case and punctuation).
PLACEHOLDERS: tuple[str, ...] = (
    "待补充",
    "待填写",
    "待完善",
    "待更新",
    "待定",
    "TBD",
    "TBC",
    "TODO",
    "FIXME",
    "略",
    "N/A",
    "无内容",
    "此处填写",
    "…",
    "...",
)

_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
#: List marks, quote marks, numbering and table pipes at the start of a line.
_LEAD_MARKS = (r"[-*+>|]", r"\d+[.)、]", r"\[[ xX]\]")
_LEAD = re.compile("^(?:" + "|".join(rf"{mark}\s*" for mark in _LEAD_MARKS) + ")+")
#: A short label before a colon ("地点：", "Owner:"), when something could follow it.
_LABEL_SPAN = 20
_LABEL = re.compile(f"^[^：:]{{1,{_LABEL_SPAN}}}[：:]")
#: Markdown decoration and punctuation: a line of nothing else is empty.
_SIGNS = r"*_~`|\-=#>:：.。,，;；、…!！?？()（）\[\]【】\"'“”‘’/\\"
_MARKS = rf"\s{_SIGNS}"
_DECORATION = re.compile(f"[{_MARKS}]+")


def prompt(text: str) -> str:
    """A prompt in a record's body: an HTML comment the author replaces with the text."""
    return f"<!-- {MARK}：{text} -->"


def placeholder(text: str) -> str:
    """A front-matter value the author replaces, e.g. an attendee's name."""
    return f"{MARK}：{text}"


def prompt_lines(body: str) -> Iterator[tuple[int, str]]:
    """The 0-based line (within ``body``) and the text of each scaffold prompt left in it."""
    line, counted = 0, 0
    for start, end in markdown_scan.comments(body):
        text = body[start + 4 : end - 3].strip()
        if text.startswith(MARK):
            line += body.count("\n", counted, start)
            counted = start
            yield line, " ".join(text.split())


def may_hold_placeholders(yaml_text: str) -> bool:
    """Whether front matter parsed from ``yaml_text`` can hold a placeholder value at all: its
    strings are written out in the text, except where a double-quoted escape (``\\u8bf7``)
    spells a character. One ``in`` test instead of a walk over every value, in most records."""
    return MARK in yaml_text or "\\" in yaml_text


def placeholder_values(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Key paths and values of the front-matter strings that are still scaffold placeholders."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from placeholder_values(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from placeholder_values(value, (*path, index))
    elif isinstance(data, str) and _VALUE.search(data):
        yield path, data


def is_blank(text: str, placeholders: Collection[str]) -> bool:
    """True when ``text`` holds nothing but headings, HTML comments and placeholders.

    A line counts as written when, without its list or quote marks, a short leading label
    (``地点：``) and punctuation, something other than a placeholder word is left.
    """
    words = _cores(tuple(placeholders))
    if "<!--" in text:
        text = markdown_scan.without_comments(text)
    # most sections and bodies hold a line of plain text, found at C speed
    return not words.written.search("\n" + text) and _blank_lines(text, words)


def _blank_lines(text: str, words: _Words) -> bool:
    """``is_blank`` for a text without comments, line by line."""
    for line in text.splitlines():
        if line.isspace() or not line or _HEADING.match(line):  # blank lines cost no regex
            continue
        stripped = _LEAD.sub("", line.strip())
        if _says_something(stripped, words):
            labelled = _LABEL.match(stripped)
            if not labelled or _says_something(_lead_gone(stripped[labelled.end() :]), words):
                return False
    return True


def sections_written(body: str, placeholders: Collection[str]) -> bool:
    """Whether ``body`` has headings and every section without subsections holds a line that
    ``is_blank`` counts as written: nearly every record, told in one pass without building
    its sections. False means "read the sections": it may also be a body this pass does not
    decide (code blocks, whose ``#`` lines are no headings, comments, unusual lines).

    The headings are those of ``markdown_scan.headings`` in a body without code blocks: here,
    a line that starts with one to six ``#`` and a space or tab (a body with a line that may
    underline a setext heading, ``===`` or ``---``, is not decided here); a section without subsections runs to
    the next heading of the same or a higher level, that is, to the very next heading when
    that is not deeper."""
    if "<!--" in body or "```" in body or "~~~" in body:
        return False
    level, written = 0, True  # the current heading's level (0: none yet); text under it
    for found in _cores(tuple(placeholders)).outline.finditer("\n" + body):
        marks = found.group(1)
        if marks is None:  # a written line, or a line that may underline a setext heading
            if found.group(2) is not None:
                return False
            written = True
            continue
        if len(marks) <= level and not written:  # the section before ends here, empty
            return False
        level, written = len(marks), False
    return level > 0 and written


class _Words(NamedTuple):
    cores: frozenset[str]
    #: Matches the start of a text that holds more characters than the longest word.
    longer: re.Pattern[str]
    #: Finds a line that the loop of ``is_blank`` would count as written, in the common form,
    #: from the newline before it.
    written: re.Pattern[str]
    #: Finds the heading lines (the ``#`` marks in group 1), the lines that may underline a
    #: setext heading (under a line that is not empty; group 2) and the lines ``written``
    #: finds (with the lines after them, up to the next that starts with ``#`` or may be an
    #: underline).
    outline: re.Pattern[str]


@cache
def _cores(placeholders: tuple[str, ...]) -> _Words:
    """The placeholder words as lines are compared with them: once per policy, not per
    section (the rules ask about tens of thousands of sections)."""
    cores = frozenset(_core(word) for word in placeholders)
    longest = max(map(len, cores), default=0)
    # possessive, and a decoration character is never the other kind: linear time
    longer = re.compile(f"(?:[{_MARKS}]*+[^{_MARKS}]){{{longest + 1}}}")
    written = _written(longest + 1)
    # Searched from the newline before a line (in the text after a newline): a literal first
    # character, which the regular expression engine skips to at C speed.
    under = markdown_scan.UNDERLINE
    return _Words(
        cores,
        longer,
        re.compile(f"\n{written}"),
        # a written line takes the lines after it up to the next that starts with "#" or may
        # be an underline
        re.compile(
            f"\n(?:(#{{1,6}})[ \\t]|(?<=[^\n]\n)({under})|{written}[^\n]*+(?:\n(?!#|{under})[^\n]*+)*+)"
        ),
    )


#: What ``str.splitlines`` ends a line at, and whitespace within a line.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPACE = f"[^\\S{_BREAKS}]"


def _written(enough: int) -> str:
    """The pattern, from a line's start, of a line that ``is_blank``'s loop counts as written
    in the common ways. After its leading whitespace and the list marks ``_LEAD`` removes
    comes a character that is no heading mark, no whitespace and starts no list mark; then
    either no colon follows within ``_LABEL_SPAN`` + 1 characters (``_LABEL`` finds no label)
    or a label does, followed by what ``_lead_gone`` removes; and then ``enough`` characters
    other than decoration, decoration between them as ``longer`` allows (``_says_something``
    holds, for the line and for what follows its label). Nothing is given back (atomic
    groups, possessive repeats) and the lookahead is bounded: linear time."""
    lead = f"{_SPACE}*+(?>(?:" + "|".join(f"{mark}{_SPACE}*" for mark in _LEAD_MARKS) + ")*)"
    first = r"(?=[^\s#\-*+>|\[\d])"
    no_label = f"(?![^:：{_BREAKS}]{{0,{_LABEL_SPAN}}}[:：])"
    label = f"[^:：{_BREAKS}]{{1,{_LABEL_SPAN}}}[:：]{lead}"
    decoration = f"(?:[{_SIGNS}]|{_SPACE})"
    return f"{lead}{first}(?:{no_label}|{label})(?:{decoration}*+[^{_MARKS}]){{{enough}}}"


def _says_something(text: str, words: _Words) -> bool:
    """Whether ``_core`` of ``text`` (stripped, without list marks) is neither empty nor a
    placeholder word. A paragraph is one long line: when its first characters already hold
    more than the longest word, so does its core (casefolding never shortens), and the rest
    of the line is not read."""
    if words.longer.match(text):
        return True
    core = _DECORATION.sub("", text).casefold()
    return bool(core) and core not in words.cores


def _lead_gone(text: str) -> str:
    return _LEAD.sub("", text.strip())


def _core(text: str) -> str:
    return _DECORATION.sub("", _lead_gone(text)).casefold()
