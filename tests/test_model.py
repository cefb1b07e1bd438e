"""The loaded record: body sections and the lines of front-matter keys."""

from __future__ import annotations

import pytest

from brmkb import loader
from brmkb.model import normalize_heading
from tests.conftest import SERVICE, minutes, review, service

REVIEW = "records/svc-x/reviews/rv-x-1.md"


def loaded(kb, text):
    return loader.load(kb({SERVICE: service(), REVIEW: text})).kb.by_id["rv-x-1"]


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("3.1.5.6 当前和预计的业务需求", "当前和预计的业务需求"),
        ("一、进展：", "进展"),
        ("（2）服务范围和 SLA 变更的目的。", "服务范围和SLA变更的目的"),
    ],
)
def test_normalize_heading(title, key):
    assert normalize_heading(title) == key


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "# 标题\n\n## 进展\n\n### 细节\n\n完成。\n\n## 成绩\n\n良好。\n",
            {
                "标题": (1, "# 标题", True, True),
                "进展": (2, "## 进展", True, True),
                "细节": (3, "### 细节", True, False),
                "成绩": (2, "## 成绩", True, False),
            },
        ),
        # A title underlined with === is a level-1 section, with --- a level-2 one (as the
        # site shows them), on its title's line; an underlined subsection is no text of the
        # section above it, as a ``##`` line is none.
        (
            "评审报告\n========\n\n进展\n----\n\n待补充\n\n附录\n=\n\n良好。\n",
            {
                "评审报告": (1, "评审报告", False, True),
                "进展": (2, "进展", False, False),
                "附录": (1, "附录", True, False),
            },
        ),
    ],
)
def test_sections_have_file_lines_and_nest(kb, body, expected):
    text = review(body=body)
    record = loaded(kb, text)
    lines = text.splitlines()
    got = {s.title: (s.level, s.line, s.has_text(), s.nested) for s in record.sections}
    assert got == {
        title: (level, lines.index(line) + 1, written, nested)
        for title, (level, line, written, nested) in expected.items()
    }
    assert record.title == next(iter(expected))


def test_code_blocks_are_content_and_their_comment_lines_no_headings(kb):
    body = "# 标题\n\n## 配置\n\n```\n# 注释\nlisten 80\n```\n"
    record = loaded(kb, review(body=body))
    assert [s.title for s in record.sections] == ["标题", "配置"]
    assert record.sections[1].has_text()
    assert record.title == "标题"


def test_title_from_front_matter_wins(kb):
    assert loaded(kb, review(title="评审报告", body="# 正文标题\n")).title == "评审报告"


def test_line_of_keys(kb):
    text = minutes()
    files = {SERVICE: service(), REVIEW: review(), "records/m.md": text}
    record = loader.load(kb(files)).kb.by_id["mn-x-1"]
    lines = text.splitlines()
    assert record.line_of() == 1
    assert record.line_of(("date",)) == lines.index("date: 2025-06-01") + 1
    assert record.line_of(("attendees", 1, "party")) == lines.index("attendees:") + 3
    assert record.line_of(("nope",)) == 2  # a missing key: the front matter's first line


def test_the_front_matters_closing_line_underlines_nothing(kb):
    """The body starts after the front matter: its last key, right above the closing
    ``---``, is no heading; the body's first line begins a block (on the page it follows the
    title), so an underline under it makes it one, as the site shows it."""
    text = review(body="正文第一行。\n---\n\n## 进展\n\n完成。\n").replace(
        "---\n\n正文", "---\n正文"
    )
    record = loaded(kb, text)
    assert [s.title for s in record.sections] == ["正文第一行。", "进展"]
    assert record.sections[0].line == text.splitlines().index("正文第一行。") + 1
