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
_MARKS = r"\s*_~`|\-=#>:：.。,，;；、…!！?？()（）\[\]【】\"'“”‘’/\\"
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
    return not words.written.search(text) and _blank_lines(text, words)


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


class _Words(NamedTuple):
    cores: frozenset[str]
    #: Matches the start of a text that holds more characters than the longest word.
    longer: re.Pattern[str]
    #: Finds a line that the loop of ``is_blank`` would count as written, in the common form.
    written: re.Pattern[str]


@cache
def _cores(placeholders: tuple[str, ...]) -> _Words:
    """The placeholder words as lines are compared with them: once per policy, not per
    section (the rules ask about tens of thousands of sections)."""
    cores = frozenset(_core(word) for word in placeholders)
    longest = max(map(len, cores), default=0)
    # possessive, and a decoration character is never the other kind: linear time
    longer = re.compile(f"(?:[{_MARKS}]*+[^{_MARKS}]){{{longest + 1}}}")
    return _Words(cores, longer, _written(longest + 1))


#: What ``str.splitlines`` ends a line at, and whitespace within a line.
_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_SPACE = f"[^\\S{_BREAKS}]"


def _written(enough: int) -> re.Pattern[str]:
    """A line that, after its leading whitespace and the list marks ``_LEAD`` removes, starts
    with ``enough`` characters that are neither decoration, whitespace, list marks nor digits,
    with no colon among its first ``_LABEL_SPAN`` + 1 characters: there ``is_blank``'s loop
    finds no heading and no ``_LABEL``, and ``_says_something`` holds, so the line is written.
    The marks are taken as ``_LEAD`` takes them and never given back (an atomic group); the
    rest are bounded repetitions of character classes: linear time."""
    lead = "|".join(f"{mark}{_SPACE}*" for mark in _LEAD_MARKS)
    pattern = f"^{_SPACE}*(?>(?:{lead})*)[^{_MARKS}+\\d]{{{enough}}}"
    if enough <= _LABEL_SPAN:  # a colon up to the label's reach would make it a label
        pattern += f"(?![^:：{_BREAKS}]{{0,{_LABEL_SPAN - enough}}}[:：])"
    return re.compile(pattern, re.MULTILINE)


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
