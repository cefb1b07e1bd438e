"""Bodies that would make the site's renderer take minutes are refused by the check, at the
line where the work runs away; bodies as people write them, however long, are not.

Each hostile shape below, at the size given, took Python-Markdown from several seconds to
(scaled to a megabyte) hours; the check measures the work in one linear pass instead of
rendering."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brmkb import loader, markdown_scan, render_cost
from brmkb.limits import DEFAULT, body_problems
from tests.conftest import SERVICE, record, run

UNCLOSED = "没有闭合的"
CROWDED = "段落很长"


def paragraphs(text: str, count: int) -> str:
    return (text + "\n\n") * count


HOSTILE = [
    ("[", paragraphs("[" * 1000, 8), UNCLOSED),  # link texts never closed
    ("![", paragraphs("![" * 500, 8), UNCLOSED),  # image texts never closed
    ("[a](", paragraphs("[a](" * 250, 40), UNCLOSED),  # link addresses never closed
    ("nested", paragraphs("[" * 1000 + "]" * 1000, 4), UNCLOSED),
    ("tag", paragraphs('<br "' * 200, 20), UNCLOSED),  # tags never closed
    ("attribute", ("<a b=" * 20 + "\n") * 200, UNCLOSED),
    ("CDATA", ("<![CDATA[x" * 100 + "\n") * 20, UNCLOSED),
    ("in a list", ("- " + "[" * 1000 + "\n") * 8, UNCLOSED),
    ("in a table", "| a | b |\n|---|---|\n" + ("| " + "[" * 1000 + " | x |\n") * 8, UNCLOSED),
    ("escapes", "\n".join(["\\" * 99] * 1000), CROWDED),  # one paragraph of 100 KB
    ("entities", "\n".join(["&amp;" * 19] * 1100), CROWDED),
    ("a<b", "响应时间 <5 分钟，a<b，x < y。\n" * 5000, UNCLOSED),  # 110 KB: 23 seconds
]


@pytest.mark.parametrize(("shape", "body", "why"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_bodies_that_take_the_renderer_minutes_are_refused(kb, shape, body, why):
    text = record(
        "service",
        "svc-x",
        "# 服务\n\n正文。\n\n" + body,
        name="服务",
        customer="甲方",
        project_manager="张三",
        start="2025-01-01",
    )
    root = kb({SERVICE: text})
    [finding] = [f for f in run(root) if f.rule == "record-limits" and why in f.message]
    assert text.count("\n", 0, text.index("正文。")) + 2 < finding.line <= text.count("\n") + 1
    assert "svc-x" not in loader.load(root).kb.by_id  # never rendered


ORDINARY = [
    ("links", ("见[合同](attachments/a.pdf)和[网站](https://example.org/)。\n" * 100 + "\n") * 40),
    (
        "table",
        "| a | b |\n|---|---|\n"
        + "| [合同](a.pdf) | [网站](https://example.org/) **x** |\n" * 3000,
    ),
    ("list", "- [合同](a.pdf) [网站](https://example.org/) `code` **x** _y_\n" * 4000),
    ("stray", "注（见附件\n\n" + ("正文。" * 1000 + "\n") * 300),  # one bracket, scanned once
    ("text <", "响应时间 <5 分钟，x < y，<= 3。\n" * 20_000),
    ("emphasis", paragraphs("*甲* **乙** _丙_ `丁` \\*" * 100, 100)),
    ("code", "```\n" + "[" * 9_000 + "\n" + '<br "' * 1_800 + "\n```\n"),
]


@pytest.mark.parametrize(("shape", "body"), ORDINARY, ids=[o[0] for o in ORDINARY])
def test_bodies_as_people_write_them_pass(shape, body):
    assert list(body_problems(body, 1, DEFAULT)) == []


#: Bodies made of the marks the measures look at, and of text between them.
MARKED = st.text(alphabet="[]()<>a!*_`&\\\n ", max_size=600).map(
    lambda text: text.replace("<", "<a").replace("a!", "<![CDATA[")
)
#: Allowances small enough for short bodies to pass them either way
TIGHT = {
    "ALLOWANCE": 2_000,
    "PER_CHARACTER": 1,
    "LONG_PARAGRAPH": 100,
    "PARAGRAPH_ALLOWANCE": 20_000,
    "PARAGRAPH_PER_CHARACTER": 10,
}


@settings(max_examples=300, deadline=None)
@given(body=MARKED)
def test_the_quick_bounds_never_change_a_verdict(body: str) -> None:
    """A body the counted bounds let through is one the full passes let through too."""
    text = markdown_scan.blank_code(body)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in TIGHT.items():
            patch.setattr(render_cost, name, value)
        assert render_cost.unclosed(body) == render_cost._scans(text)
        long = render_cost._rewrites(text) if len(body) > render_cost.LONG_PARAGRAPH else None
        assert render_cost.crowded(body) == long
