"""What a record may be: size, line length, nesting, and the attachment types that are published.

The renderer's cost grows with these, so the check enforces them before anything renders:
a record the check accepts is one the site can build quickly. Every measure here is a single
linear scan (no regular expression that can backtrack).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

from brmkb import markdown_scan, render_cost

#: File types published from records/ unless the policy says otherwise.
DEFAULT_ATTACHMENT_TYPES = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "txt",
    "csv",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "zip",
)

#: Types a browser would run or render as active content from the site's own origin: never
#: published from records/, whatever the policy lists.
NEVER_PUBLISHED = frozenset(
    [
        "htm",
        "html",
        "xhtml",
        "xht",
        "shtml",
        "mht",
        "mhtml",
        "svg",
        "svgz",
        "xml",
        "xsl",
        "xslt",
        "js",
        "mjs",
        "cjs",
        "jsx",
        "ts",
        "tsx",
        "wasm",
        "swf",
        "css",
        "hta",
        "php",
        "vbs",
    ]
)


@dataclass(frozen=True, slots=True)
class Limits:
    """The policy's limits on one record, handed to the loader (and its worker processes)."""

    max_bytes: int = 1_048_576
    max_line_chars: int = 10_000
    max_nesting: int = 50
    attachment_types: frozenset[str] = frozenset(DEFAULT_ATTACHMENT_TYPES)


#: The limits when the policy says nothing.
DEFAULT = Limits()


def file_type(name: str) -> str:
    """The lower-case extension of a file name, without the dot ("" when it has none)."""
    stem, dot, suffix = name.rpartition("/")[2].rpartition(".")
    return suffix.lower() if dot and stem else ""


def publishable(name: str, allowed: Collection[str]) -> bool:
    """Whether a file under records/ with this name may be copied into the site."""
    kind = file_type(name)
    return kind in allowed and kind not in NEVER_PUBLISHED


#: Elements without a closing tag: they never nest.
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)


#: Bodies the site's renderer would take minutes over: the measure, and what to tell the author.
_RENDER_COSTS = (
    (
        render_cost.unclosed,
        "从这一行起，正文中没有闭合的 [、( 或 < 太多，站点渲染这样的正文要很长时间；"
        "请把作为文字的 [ 写成 \\[、< 写成 &lt;，或放进代码（`…`）。",
    ),
    (
        render_cost.crowded,
        "从这一行起的段落很长，又有大量 Markdown 标记（\\ * _ ` [ & 或 HTML 标签），站点渲染它要很长时间；"
        "请用空行把它分成多段，或把大段的符号放进代码块（```）。",
    ),
)


def body_problems(body: str, first_line: int, limits: Limits) -> Iterator[tuple[int, str]]:
    """(file line, message) for each limit the body exceeds: at most one per kind of limit.

    Whole-body tests at C speed come first, and the line-by-line scans run only on a body
    they cannot clear: no line can be longer than the body, HTML can nest no deeper than
    its ``<`` count, and a list or quote level takes a column in front of the text.
    """
    if len(body) > limits.max_line_chars:
        long_line = next(
            (n for n, line in enumerate(body.split("\n")) if len(line) > limits.max_line_chars),
            None,
        )
        if long_line is not None:
            yield (
                first_line + long_line,
                f"这一行超过 {limits.max_line_chars} 个字符，站点无法可靠地渲染；请分成多行或多段。",
            )
    for measure, message in _RENDER_COSTS:
        offset = measure(body)
        if offset is not None:
            yield first_line + body.count("\n", 0, offset), message
    prefix = _deep_prefix(limits.max_nesting)
    if body.count("<") > limits.max_nesting or prefix.search("\n" + body):
        deep = _too_deep(markdown_scan.without_code(body), limits.max_nesting)
        if deep is not None:
            yield (
                first_line + deep,
                f"正文的嵌套（HTML 标签、列表或引用）超过 {limits.max_nesting} 层；请减少嵌套层数。",
            )


@cache
def _deep_prefix(limit: int) -> re.Pattern[str]:
    """A line that starts with ``limit`` spaces, tabs or ``>``: the only lines whose list and
    quote levels ``_too_deep`` measures. Searched for from the newline before the line (in the
    body after a newline): a literal first character is skipped to at C speed, where ``^``
    would be tried at every character. A fixed count of one character class: linear time."""
    return re.compile(f"\\n[ \\t>]{{{limit}}}")


def _too_deep(body: str, limit: int) -> int | None:
    """The 0-based line where HTML, list or blockquote nesting first exceeds ``limit``."""
    depth = 0  # open HTML elements, carried across lines
    for number, line in enumerate(body.split("\n")):
        depth = _html_depth(line, depth, limit)
        # each quote marker or tab in front adds at most one level (four spaces make one)
        prefix = len(line) - len(line.lstrip(" \t>"))
        if depth > limit or (prefix >= limit and _block_depth(line) > limit):
            return number
    return None


def _html_depth(line: str, depth: int, limit: int) -> int:
    start = line.find("<")
    while start != -1 and depth <= limit:
        closing = line.startswith("/", start + 1)
        name_start = start + 2 if closing else start + 1
        end = name_start
        while end < len(line) and line[end].isascii() and (line[end].isalnum() or line[end] == "-"):
            end += 1
        name = line[name_start:end].lower()
        if name and name[0].isalpha() and name not in _VOID:
            depth = max(0, depth - 1) if closing else depth + 1
        start = line.find("<", end)
    return depth


def _block_depth(line: str) -> int:
    """Blockquote markers plus list levels (four columns each) in front of a line's text."""
    quotes = 0
    index = 0
    while True:
        while index < len(line) and line[index] in " \t":
            index += 1
        if index < len(line) and line[index] == ">":
            quotes += 1
            index += 1
            continue
        break
    indent = len(line[:index].replace(">", "").expandtabs(4))
    rest = line[index:]
    listed = rest[:1] in ("-", "*", "+") or rest[:1].isdigit()
    return quotes + (indent // 4 + 1 if listed else 0)
