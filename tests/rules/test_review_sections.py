"""3.1.5–3.1.7: what each kind of review must discuss, as headed sections with content."""

from __future__ import annotations

import pytest

from tests.conftest import (
    SERVICE,
    assert_findings,
    change,
    end_of,
    heading_line,
    minutes,
    review,
    run,
    sections,
    service,
)

RULE = "review-sections"
REVIEW = "records/svc-x/reviews/rv-x-1.md"
NEEDS = "当前和预计的业务需求"
CHANGES = "服务范围或内容可能发生的变化"


def findings(kb, text):
    return run(kb({SERVICE: service(), REVIEW: text}), rules=RULE)


def annual(body):
    return review(type="annual", body="# 2026 年度服务评审\n\n" + body)


def test_annual_review_with_both_sections_passes(kb):
    assert findings(kb, annual(sections(NEEDS, CHANGES))) == []


def test_missing_section(kb):
    text = annual(sections(NEEDS))
    [finding] = assert_findings(findings(kb, text), [(RULE, REVIEW, end_of(text))])
    assert CHANGES in finding.message
    assert finding.clause == "3.1.5"


def test_section_with_only_an_html_comment_is_empty(kb):
    text = annual(sections(NEEDS) + f"## {CHANGES}\n\n<!-- 评审后填写 -->\n\n")
    [finding] = assert_findings(
        findings(kb, text), [(RULE, REVIEW, heading_line(text, f"## {CHANGES}"))]
    )
    assert CHANGES in finding.message


@pytest.mark.parametrize("filler", ["待补充", "TBD", "略", "…", "- 待定", "N/A。"])
def test_section_with_only_a_placeholder_is_empty(kb, filler):
    text = annual(sections(NEEDS) + f"## {CHANGES}\n\n{filler}\n\n")
    assert_findings(findings(kb, text), [(RULE, REVIEW, heading_line(text, f"## {CHANGES}"))])


def test_section_followed_directly_by_the_next_heading_is_empty(kb):
    text = annual(f"## {NEEDS}\n\n## {CHANGES}\n\n无变化。\n")
    [finding] = assert_findings(
        findings(kb, text), [(RULE, REVIEW, heading_line(text, f"## {NEEDS}"))]
    )
    assert NEEDS in finding.message


def test_text_in_subsections_counts_as_content(kb):
    text = annual(f"## {NEEDS}\n\n### 华东区\n\n扩容 200 台。\n\n" + sections(CHANGES))
    assert findings(kb, text) == []


def test_subheadings_without_text_are_still_empty(kb):
    text = annual(f"## {NEEDS}\n\n### 华东区\n\n<!-- 待写 -->\n\n" + sections(CHANGES))
    [finding] = assert_findings(
        findings(kb, text), [(RULE, REVIEW, heading_line(text, f"## {NEEDS}"))]
    )
    assert NEEDS in finding.message


@pytest.mark.parametrize(
    "heading",
    [f"## 3.1.5.6 {NEEDS}", f"### 一、{NEEDS}", f"## （1）{NEEDS}：", f"## {NEEDS}与展望"],
)
def test_numbered_or_decorated_headings_are_accepted(kb, heading):
    text = annual(f"{heading}\n\n客户计划扩容。\n\n" + sections(CHANGES))
    assert findings(kb, text) == []


def test_heading_inside_a_code_block_does_not_count(kb):
    text = annual(sections(NEEDS) + f"```\n## {CHANGES}\n示例\n```\n")
    assert_findings(findings(kb, text), [(RULE, REVIEW, end_of(text))])


def test_periodic_review_needs_no_sections(kb):
    assert findings(kb, review(type="periodic", body="# 定期评审\n")) == []


def test_adhoc_review_sections(kb):
    text = review(type="adhoc", body="# 临时评审\n\n" + sections("进展", "成绩"))
    [finding] = assert_findings(findings(kb, text), [(RULE, REVIEW, end_of(text))])
    assert "需要处理的问题" in finding.message
    assert finding.clause == "3.1.7"


def test_additional_review_before_a_change(kb):
    text = review(type="additional", phase="before", body="# 变更前评审\n\n" + sections(NEEDS))
    found = assert_findings(findings(kb, text), [(RULE, REVIEW, end_of(text))] * 2)
    assert {f.clause for f in found} == {"3.1.6"}


def test_additional_review_after_a_change_needs_none(kb):
    text = review(type="additional", phase="after", body="# 变更后评审\n")
    assert findings(kb, text) == []


def test_policy_required_sections(kb):
    policy = "rules:\n  review-sections:\n    required:\n      periodic: [服务运行情况]\n"
    text = review(type="periodic", body="# 定期评审\n")
    root = kb({SERVICE: service(), REVIEW: text, "policy.yml": policy})
    [finding] = assert_findings(run(root, rules=RULE), [(RULE, REVIEW, end_of(text))])
    assert "服务运行情况" in finding.message
    assert finding.clause == "3.1.1"


def test_policy_required_sections_of_minutes(kb):
    policy = "rules:\n  review-sections:\n    required:\n      minutes: [会议决议]\n"
    files = {SERVICE: service(), REVIEW: review(), "policy.yml": policy}
    bare = minutes()
    empty = minutes(id="mn-x-2").replace("各方通报了服务情况。", "## 会议决议\n\n待定\n")
    done = minutes(id="mn-x-3").replace("各方通报了服务情况。", "## 一、会议决议\n\n同意。\n")
    files |= {"records/m1.md": bare, "records/m2.md": empty, "records/m3.md": done}
    found = assert_findings(
        run(kb(files), rules=RULE),
        [
            (RULE, "records/m1.md", end_of(bare)),
            (RULE, "records/m2.md", heading_line(empty, "## 会议决议")),
        ],
    )
    assert "会议纪要缺少“会议决议”一节" in found[0].message
    assert {f.clause for f in found} == {"3.1.9"}


def test_minutes_need_no_sections_by_default(kb):
    files = {SERVICE: service(), REVIEW: review(), "records/m.md": minutes()}
    assert run(kb(files), rules=RULE) == []


@pytest.mark.parametrize(("major", "missing"), [(True, 3), (False, 0)])
def test_three_topics_only_before_a_major_change(kb, major, missing):
    text = review(type="additional", phase="before", body="# 变更前评审\n")
    files = {
        SERVICE: service(),
        REVIEW: text,
        "records/svc-x/changes/ch-x-1.md": change(major=major),
    }
    assert len(run(kb(files), rules=RULE)) == missing


BEFORE = ["变更前服务及合同的状况及成绩", NEEDS, "服务范围和SLA变更的目的"]


@pytest.mark.parametrize(
    ("heading", "instead"),
    [
        ("3.1.6.1 变更前服务及合同的状况，以及取得的成绩", BEFORE[0]),  # the procedure's words
        ("变更前服务及合同的状况以及取得的成绩", BEFORE[0]),
        ("变更前服务及合同的状况、及成绩", BEFORE[0]),
        ("服务范围和 sla 变更的目的", BEFORE[2]),
    ],
)
def test_before_review_headings_in_the_procedures_words(kb, heading, instead):
    body = sections(*[heading if t == instead else t for t in BEFORE])
    text = review(type="additional", phase="before", body="# 变更前评审\n\n" + body)
    assert findings(kb, text) == []


def test_the_procedures_words_still_need_text_under_them(kb):
    body = "## 变更前服务及合同的状况，以及取得的成绩\n\n待补充\n\n" + sections(*BEFORE[1:])
    text = review(type="additional", phase="before", body="# 变更前评审\n\n" + body)
    [finding] = findings(kb, text)
    assert finding.line == heading_line(text, "## 变更前服务及合同的状况，以及取得的成绩")


@pytest.mark.parametrize(
    ("periodic", "missing"),
    [("[服务运行情况]", [NEEDS]), ("[]", [NEEDS])],
)
def test_policy_required_of_one_type_keeps_the_other_types(kb, periodic, missing):
    """Requiring sections of periodic reviews does not drop the annual review's 3.1.5 topics."""
    policy = f"rules:\n  review-sections:\n    required:\n      periodic: {periodic}\n"
    text = annual(sections(CHANGES))
    root = kb({SERVICE: service(), REVIEW: text, "policy.yml": policy})
    found = assert_findings(run(root, rules=RULE), [(RULE, REVIEW, end_of(text))] * len(missing))
    assert all(title in f.message for f, title in zip(found, missing, strict=True))


def test_required_sections_written_as_setext_headings_pass(kb):
    """A title underlined with === or --- (as older converters write headings) is a section."""
    body = f"{NEEDS}\n{'=' * 8}\n\n业务量预计增长两成。\n\n{CHANGES}\n---  \n\n无变化。\n"
    assert findings(kb, annual(body)) == []


@pytest.mark.parametrize("underline", ["---", "===", "-"])
def test_an_empty_setext_section_is_reported_on_its_title_line(kb, underline):
    text = annual(sections(NEEDS) + f"{CHANGES}\n{underline}\n\n待补充\n\n")
    [finding] = assert_findings(findings(kb, text), [(RULE, REVIEW, heading_line(text, CHANGES))])
    assert "一节下没有内容" in finding.message


@pytest.mark.parametrize(
    "written",
    [
        f"{CHANGES}\n- - -\n\n无变化。\n",  # a thematic break, no underline
        f"{CHANGES}\n\n---\n\n无变化。\n",  # a thematic break after a blank line
        f"无变化。\n{CHANGES}\n---\n\n说明。\n",  # a paragraph's later line: a break again
        f"- {CHANGES}：无\n- 其他：无\n---\n",  # a list, then a break
        f"```\n{CHANGES}\n---\n```\n",  # code
        f"    {CHANGES}\n    ---\n",  # indented code
        f"| {CHANGES} | 无 |\n|---|---|\n| 说明 | 无 |\n---\n",  # a table's last row
    ],
)
def test_what_is_no_setext_heading_is_no_section(kb, written):
    text = annual(sections(NEEDS) + written)
    [finding] = assert_findings(findings(kb, text), [(RULE, REVIEW, end_of(text))])
    assert f"缺少“{CHANGES}”一节" in finding.message
