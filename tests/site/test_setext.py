"""Setext headings (a title underlined with === or ---): the core reads them as the site's
Markdown renders them, and record and service pages put them one level down as ATX ones."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from brmkb import markdown_scan
from brmkb.site import html, records
from tests.site.conftest import REPO
from tests.site.render import renderer

render = renderer(REPO)


class _TopHeadings(HTMLParser):
    """The (level, text) of the ``<h1>``/``<h2>`` elements at the top of a rendered body (not
    in a list, a quote or an admonition), without the permalink."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.found, self.current = 0, [], None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("hr", "br", "img", "input"):
            return
        if self.depth == 0 and tag in ("h1", "h2"):
            self.current = [int(tag[1]), ""]
        self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("hr", "br", "img", "input"):
            return
        self.depth -= 1
        if self.depth == 0 and self.current:
            self.found.append(tuple(self.current))
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is not None and self.depth == 1:
            self.current[1] += data


def rendered(text: str) -> list[tuple[int, str]]:
    parser = _TopHeadings()
    parser.feed(render(text))
    return parser.found


def read(text: str) -> list[tuple[int, str]]:
    heads = markdown_scan.headings(markdown_scan.blank_code(text), max_level=2)
    return [(h.level, h.title) for h in heads]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("进展\n===\n\n顺利。\n", [(1, "进展")]),
        ("进展\n---\n\n顺利。\n", [(2, "进展")]),
        ("   进展  \n-\t\n", [(2, "进展")]),  # up to three spaces before, blanks after
        ("进展\n----\n成绩\n====\n", [(2, "进展"), (1, "成绩")]),  # one under the other
        ("## 概况\n\n进展\n---\n", [(2, "概况"), (2, "进展")]),
        ("***\n进展\n---\n", [(2, "进展")]),  # after a thematic break
        ("<div>说明</div>\n进展\n---\n", [(2, "进展")]),  # after a line of HTML
        ("- 进展\n---\n", [(2, "- 进展")]),  # a one-line block, whatever it starts with
        ("---\n进展: 顺利\n---\n", [(2, "进展: 顺利")]),  # a break, then a heading
        ("进展\n\n---\n", []),  # a thematic break after a blank line
        ("进展\n- - -\n", []),  # a thematic break, no underline
        ("进展\n  ---\n", []),  # an underline starts its line
        ("进展\n=-=\n", []),  # of one character
        ("顺利。\n进展\n---\n", []),  # a paragraph's second line: the --- is a break
        ("顺利。\n进展\n===\n", []),  # ... and === is text
        ("- 进展\n- 成绩\n---\n", []),  # a list, then a break
        ("> 进展\n> 顺利\n---\n", []),  # a quote, then a break
        ("    进展\n---\n", []),  # indented code
        ("```\n进展\n---\n```\n", []),  # fenced code
        ("| 进展 | 成绩 |\n|---|---|\n| 顺利 | 好 |\n---\n", []),  # a table's row
        ("<!-- 说明 -->\n---\n", []),  # HTML is no title
        ("#进展\n===\n", []),  # a # line is a block of its own (no ATX heading here)
        ("!!! note\n    进展\n---\n", []),  # an admonition, then a break
    ],
)
def test_setext_headings_are_read_as_the_site_renders_them(text, expected):
    assert read(text) == expected
    if not text.startswith("#"):  # the site reads "#进展" as a heading; the core, as none
        assert rendered(text) == expected


_PIECES = [
    *("进展", "成绩 好", "- 项目", "1. 编号", "> 引用", "## 小节", "# 大节", "<div>x</div>"),
    *("---", "===", "--- ", "-", "=", "***", "- - -", "  ---", "___", "!!! note"),
    *("| a | b |", "|---|---|", "", "", ""),
]


@settings(derandomize=True, max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=8).map("\n".join))
def test_the_headings_read_are_those_the_site_shows(text):
    """Outside the corners where the core reads headings otherwise anyway (an ATX line in a
    table, which the site shows as a row), the core's headings are the site's."""
    assume(not ("|---|---|" in text and "#" in text))
    assert read(text) == rendered(text)


def levels(markdown: str) -> list[tuple[int, str]]:
    found = re.findall(r"<h(\d) [^>]*>(.*?)<a class=\"headerlink\"", render(markdown))
    return [(int(level), title) for level, title in found]


def test_a_record_pages_underlined_h1_is_dropped_or_goes_one_level_down():
    """The page's H1 is the title: a body's leading underlined H1 that repeats it is dropped,
    another becomes an H2, as ``# 标题`` does."""
    body = "年度评审\n========\n\n进展\n----\n\n顺利。\n"
    assert levels(html.h1("年度评审") + records.strip_title(body, "年度评审")) == [
        (1, "年度评审"),
        (2, "进展"),
    ]
    assert levels(html.h1("另一个") + records.strip_title(body, "另一个")) == [
        (1, "另一个"),
        (2, "年度评审"),
        (2, "进展"),
    ]


def test_a_service_pages_underlined_headings_go_one_level_down():
    body = "概况。\n\n服务说明\n===\n\n范围\n---\n\n桌面运维。\n\n```\n代码\n---\n```\n\nC#\n---\n"
    page = html.h1("服务") + html.demote(records.strip_title(body, "服务"))
    assert levels(page) == [(1, "服务"), (2, "服务说明"), (3, "范围"), (3, "C#")]
    assert "```\n代码\n---\n```" in page  # code stays as it is
