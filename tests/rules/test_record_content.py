"""Clause 4: output records have content; no record keeps the prompts of ``brmkb new``."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brmkb import markdown_scan, model, prompts
from brmkb.findings import Severity
from tests.conftest import (
    CUSTOMER,
    SERVICE,
    STAFF,
    assert_findings,
    heading_line,
    line_of,
    minutes,
    monthly,
    review,
    run,
    service,
)

CONTENT, PROMPTS = "record-content", "unfinished-record"
REVIEW = "records/svc-x/reviews/rv-x-1.md"
MINUTES = "records/svc-x/minutes/mn-x-1.md"
REPORT = "records/svc-x/monthly/mr-x-2025-06.md"


def findings(kb, files, rules=(CONTENT, PROMPTS)):
    return run(kb({SERVICE: service(), **files}), rules=rules)


@pytest.mark.parametrize(
    "body",
    [
        "",
        "# 定期评审\n",
        "# 定期评审\n\n## 服务运行情况\n\n## 评审结论\n",
        "# 定期评审\n\n## 服务运行情况\n\n<!-- 稍后补充 -->\n\n## 评审结论\n\n待补充\n",
        "# 定期评审\n\n- 地点：待定\n- 主持：TBD\n- 记录：\n\n…\n\n...\n\nN/A\n",
        "# 定期评审\n\n|  |  |\n|---|---|\n\n---\n",
    ],
)
def test_a_review_with_nothing_but_headings_and_placeholders_is_an_error(kb, body):
    text = review(body=body)
    [finding] = assert_findings(findings(kb, {REVIEW: text}), [(CONTENT, REVIEW, _title(text))])
    assert finding.severity is Severity.ERROR and finding.clause == "4"
    assert "服务评审报告" in finding.message


def _title(text: str) -> int:
    lines = text.splitlines()
    heading = next((n for n, line in enumerate(lines, 1) if line.startswith("#")), None)
    return heading or lines.index("---", 1) + 1


def test_empty_minutes_and_monthly_reports_are_errors(kb):
    bare_minutes = minutes().replace("各方通报了服务情况。", "")
    bare_report = monthly("mr-x-2025-06", "2025-06").replace("本月服务运行正常。", "TODO")
    files = {REVIEW: review(), MINUTES: bare_minutes, REPORT: bare_report}
    assert_findings(
        findings(kb, files),
        [
            (CONTENT, MINUTES, heading_line(bare_minutes, "# mn-x-1")),
            (CONTENT, REPORT, heading_line(bare_report, "# mr-x-2025-06")),
        ],
    )


def test_an_empty_section_of_a_written_record_is_a_warning_at_its_heading(kb):
    body = "# 评审\n\n## 服务运行情况\n\n稳定。\n\n## 满意度情况\n\n待定\n\n## 结论\n\n### 细节\n\n通过。\n"
    text = review(body=body)
    [finding] = assert_findings(
        findings(kb, {REVIEW: text}), [(CONTENT, REVIEW, heading_line(text, "## 满意度情况"))]
    )
    assert finding.severity is Severity.WARNING
    assert "满意度情况" in finding.message


def test_underlined_titles_are_headings_not_text(kb):
    """Titles underlined with === or --- are headings: a body of nothing else is empty, and
    an empty underlined section is a warning at its title."""
    empty = review(body="定期评审\n========\n\n服务运行情况\n------\n\n待补充\n")
    [finding] = assert_findings(
        findings(kb, {REVIEW: empty}), [(CONTENT, REVIEW, heading_line(empty, "定期评审"))]
    )
    assert finding.severity is Severity.ERROR
    body = "定期评审\n===\n\n服务运行情况\n---\n\n稳定。\n\n满意度情况\n---\n\n待定\n"
    text = review(body=body)
    [finding] = assert_findings(
        findings(kb, {REVIEW: text}), [(CONTENT, REVIEW, heading_line(text, "满意度情况"))]
    )
    assert finding.severity is Severity.WARNING


def test_written_text_passes(kb):
    body = "# 评审\n\n- 时间：2025年6月1日 9:00\n- 地点：第一会议室\n\n本期无待处理问题，略有延迟已解决。\n"
    assert findings(kb, {REVIEW: review(body=body)}) == []


def test_the_placeholders_are_the_policys(kb):
    policy = "placeholders: [暂无]\n"
    text = review(body="# 评审\n\n暂无\n")
    files = {REVIEW: text, "policy.yml": policy}
    assert_findings(findings(kb, files), [(CONTENT, REVIEW, _title(text))])
    files[REVIEW] = review(body="# 评审\n\n待补充\n")
    assert findings(kb, files) == [], "待补充 is no placeholder for this organization"


def test_other_kinds_may_have_an_empty_body(kb):
    assert findings(kb, {}) == []  # the service's body is only its title


def test_every_scaffold_prompt_left_in_the_body_is_an_error(kb):
    two_lines = "<!-- 请填写：多行\n提示 -->"
    body = (
        "# 评审\n\n## 服务运行情况\n\n稳定。\n\n## 结论\n\n"
        f"通过。{prompts.prompt('评审结论')}\n\n{two_lines}\n"
    )
    text = review(body=body)
    found = assert_findings(
        findings(kb, {REVIEW: text}),
        [
            (PROMPTS, REVIEW, _line_with(text, "通过。")),
            (PROMPTS, REVIEW, _line_with(text, "多行")),
        ],
    )
    assert "请填写：评审结论" in found[0].message
    assert "请填写：多行 提示" in found[1].message


def test_a_section_left_with_its_prompt_is_reported_once(kb):
    """The prompt is the error; the empty section's warning would say the same again."""
    body = (
        "# 评审\n\n## 服务运行情况\n\n稳定。\n\n"
        f"## 满意度情况\n\n{prompts.prompt('满意度')}\n\n## 结论\n\n待定\n"
    )
    text = review(body=body)
    assert_findings(
        findings(kb, {REVIEW: text}),
        [
            (PROMPTS, REVIEW, _line_with(text, "请填写：满意度")),
            (CONTENT, REVIEW, heading_line(text, "## 结论")),
        ],
    )


def _line_with(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_a_placeholder_value_left_in_the_front_matter_is_an_error(kb):
    guest = {"name": prompts.placeholder("姓名"), "org": "甲方公司", "party": "customer"}
    text = minutes(attendees=[STAFF, CUSTOMER, guest], decisions=[prompts.placeholder("决议")])
    files = {REVIEW: review(), MINUTES: text}
    found = assert_findings(
        findings(kb, files, PROMPTS),
        [
            (PROMPTS, MINUTES, line_of(text, "attendees") + 3),
            (PROMPTS, MINUTES, line_of(text, "decisions")),
        ],
    )
    assert "attendees[3].name" in found[0].message


def test_prompts_of_any_kind_of_record_count(kb):
    text = service(body_note=None).replace(
        "# svc-x\n", f"# svc-x\n\n{prompts.prompt('服务范围')}\n"
    )
    root_files = {SERVICE: text}
    assert_findings(
        run(kb(root_files), rules=PROMPTS), [(PROMPTS, SERVICE, _line_with(text, "服务范围"))]
    )


def test_the_rules_documentation_lists_every_default_placeholder():
    from brmkb.registry import get

    doc = get(CONTENT).doc
    assert all(word in doc for word in prompts.PLACEHOLDERS)


def test_planned_meetings_and_months_not_begun_are_checked_once_held(kb):
    """A review or minutes dated after the check date is a plan: its report is written after
    the meeting. A monthly report of a month not yet begun likewise."""
    later = "2026-12-10"
    files = {
        REVIEW: review(date=later, body="# 定期评审\n\n## 议程\n"),
        MINUTES: minutes(date=later).replace("各方通报了服务情况。", ""),
        "records/svc-x/monthly/mr-x-2026-12.md": monthly("mr-x-2026-12", "2026-12").replace(
            "本月服务运行正常。", ""
        ),
    }
    assert findings(kb, files, CONTENT) == []
    held = {**files, REVIEW: review(date="2026-11-20", body="# 定期评审\n\n## 议程\n")}
    assert [f.path for f in findings(kb, held, CONTENT)] == [REVIEW]


def test_a_comment_across_sections_is_read_in_the_whole_body(kb):
    """An unclosed comment in one section makes that section written on its own, but the
    body, where the comment closes, has nothing: the body's error, not a section's warning."""
    text = review(body="# 评审\n\n## 情况\n\n<!--\n\n## 结论\n\n-->\n")
    [finding] = assert_findings(findings(kb, {REVIEW: text}), [(CONTENT, REVIEW, _title(text))])
    assert finding.severity is Severity.ERROR


def test_a_long_line_of_marks_around_a_placeholder_is_still_blank(kb):
    """Only a line's first characters are read when they already hold more than the longest
    placeholder word; marks do not count as characters."""
    text = review(body=f"# 评审\n\n{'*' * 80} TBD {'-' * 80}\n\n- 地点：{'…' * 50}\n")
    assert_findings(findings(kb, {REVIEW: text}), [(CONTENT, REVIEW, _title(text))])


def test_a_placeholder_value_spelled_with_escapes_is_found(kb):
    """The front matter is walked only when its text can hold a placeholder: ``请填写`` as
    written, or a double-quoted escape that spells it."""
    escaped = '"\\u8bf7\\u586b\\u5199\\uff1a\\u51b3\\u8bae"'
    text = minutes(decisions=["ZZZ"]).replace("ZZZ", escaped)
    files = {REVIEW: review(), MINUTES: text}
    [finding] = assert_findings(
        findings(kb, files, PROMPTS), [(PROMPTS, MINUTES, line_of(text, "decisions"))]
    )
    assert "请填写：决议" in finding.message


@pytest.mark.parametrize(
    ("text", "blank"),
    [
        ("地点：待定", True),
        ("- 地点：待补充内容\n", False),
        ("  1. [x] TODO", True),
        ("\u3000待定", True),
        ("Owner: TBD", True),
        ("一二三四五六七八九十一二三四五六七八九十：待定", True),  # a label of 20 characters
        ("一二三四五六七八九十一二三四五六七八九十一：待定", False),  # too long for a label
        ("- 时间：2026年8月22日", False),
        ("#### 标题\n按计划完成巡检", False),
        ("12345678：TBD", True),
        ("   - - > 已完成巡检工作", False),
    ],
)
def test_a_written_line_is_found_as_the_line_by_line_reading_finds_it(text, blank):
    words = prompts._cores(prompts.PLACEHOLDERS)
    assert prompts._blank_lines(text, words) is blank
    assert prompts.is_blank(text, prompts.PLACEHOLDERS) is blank


_PIECES = [
    *prompts.PLACEHOLDERS,
    *"写内容abc :：-*+>|[]xX.、)1２\t \u3000\u2028\x1c\r\n\n\n#",
    "地点：",
    "<!--",
    "-->",
    "\n## ",
    "一二三四五六七八九十" * 2,
    "一二三四五六七八九十一二三四五六七八九十：值写得很长",
    "# 标题",
    "### 子小节",
    "####### x",
    "按计划完成巡检工作",
    "- 时间：2026年8月22日",
    "“引号里的内容”",
    "1. ",
    "[x] ",
    "```",
    # setext headings: an underline under a title line, or a break after a blank line
    "\n---",
    "\n===\n",
    "\n\n按计划完成巡检工作\n---\n",
    "\n# 标题\n\n已按计划完成巡检工作\n---\n",
    "\n\n标题\n=",
]


@settings(derandomize=True, max_examples=400, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=16).map("".join),
    st.sampled_from([prompts.PLACEHOLDERS, (), ("一二三四五六七八九十" * 2,), ("x",)]),
)
def test_the_quick_test_for_a_written_line_never_disagrees_with_the_lines(text, placeholders):
    """Blank or not, ``is_blank`` answers as its line-by-line reading does."""
    expected = prompts._blank_lines(
        markdown_scan.without_comments(text), prompts._cores(placeholders)
    )
    assert prompts.is_blank(text, placeholders) is expected


@pytest.mark.parametrize(
    ("body", "written"),
    [
        ("# 评审\n\n## 情况\n\n已按计划完成巡检。\n\n## 结论\n\n- 时间：2026年8月22日\n", True),
        ("# 评审\n\n## 情况\n\n- 地点：待定\n\n## 结论\n\n同意继续提供服务。\n", False),
        ("# 评审\n\n## 情况\n\n## 结论\n\n同意继续提供服务。\n", False),  # 情况 is empty
        ("# 评审\n\n## 情况\n\n### 细节\n\n已按计划完成巡检。\n", True),  # 情况 has a subsection
        ("按计划完成巡检工作。\n", False),  # no headings: the body is read as a whole
        ("# 评审\n\n```\n# 代码\n```\n\n已按计划完成巡检。\n", False),  # code: read the sections
        ("# 评审\n\n<!-- 说明 -->已按计划完成巡检。\n", False),  # a comment: the same
        ("# 评审\n\n####### 已按计划完成巡检工作\n", False),  # no heading, not in the common form
        ("# 评审\n\n已按计划完成巡检。\n\n结论\n---\n", False),  # an empty setext section
        ("# 评审\n\n已按计划完成巡检。\n\n---\n\n继续提供服务。\n", True),  # a break
    ],
)
def test_a_body_whose_every_section_is_written_is_told_without_its_sections(body, written):
    assert prompts.sections_written(body, prompts.PLACEHOLDERS) is written


@settings(derandomize=True, max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=24).map("".join))
def test_a_body_told_written_has_text_in_every_section_without_subsections(body):
    """``sections_written`` is never wrong when it says yes (no is only "read the sections")."""
    if prompts.sections_written(body, prompts.PLACEHOLDERS):
        leaves = [s for s in model._sections(body, 1) if not s.nested]
        assert leaves and all(s.has_text() for s in leaves)
