"""3.1.9: every review produces minutes, distributed to the departments concerned."""

from __future__ import annotations

import pytest

from brmkb.findings import Severity
from tests.conftest import SERVICE, assert_findings, line_of, minutes, review, run, service

REVIEW = "records/svc-x/reviews/rv-x-1.md"
MINUTES = "records/svc-x/minutes/mn-x-1.md"


def knowledge_base(kb, with_minutes=None):
    files = {SERVICE: service(), REVIEW: review("rv-x-1", "2026-06-10")}
    if with_minutes is not None:
        files[MINUTES] = with_minutes
    return kb(files)


# --- review-minutes -----------------------------------------------------------------------

RULE = "review-minutes"
ID_LINE = line_of(review(), "id")


def test_review_with_minutes_passes(kb):
    root = knowledge_base(kb, minutes(date="2026-06-10"))
    assert run(root, "2026-11-26", RULE) == []


def test_no_minutes_after_the_grace_period_is_an_error(kb):
    root = knowledge_base(kb)
    [finding] = assert_findings(run(root, "2026-06-18", RULE), [(RULE, REVIEW, ID_LINE)])
    assert finding.severity is Severity.ERROR
    assert finding.clause == "3.1.9"
    assert "2026-06-17" in finding.message


@pytest.mark.parametrize("as_of", ["2026-06-10", "2026-06-17"])
def test_no_minutes_within_seven_days_is_info(kb, as_of):
    root = knowledge_base(kb)
    [finding] = assert_findings(run(root, as_of, RULE), [(RULE, REVIEW, ID_LINE)])
    assert finding.severity is Severity.INFO


def test_review_after_the_as_of_date_needs_no_minutes_yet(kb):
    root = knowledge_base(kb)
    assert run(root, "2026-06-09", RULE) == []


def test_minutes_of_another_review_do_not_count(kb):
    root = knowledge_base(kb, minutes(review="rv-x-2"))
    assert_findings(run(root, "2026-11-26", RULE), [(RULE, REVIEW, ID_LINE)])


def test_policy_grace_days(kb):
    root = knowledge_base(kb)
    (root / "policy.yml").write_text("rules:\n  review-minutes:\n    grace_days: 0\n", "utf-8")
    [finding] = assert_findings(run(root, "2026-06-11", RULE), [(RULE, REVIEW, ID_LINE)])
    assert finding.severity is Severity.ERROR


# --- minutes-distribution -----------------------------------------------------------------

DISTRIBUTION = "minutes-distribution"


def test_minutes_with_distribution_pass(kb):
    root = knowledge_base(kb, minutes(distribution=["服务部", "销售部门"]))
    assert run(root, rules=DISTRIBUTION) == []


def test_minutes_without_distribution(kb):
    text = minutes(distribution=None)
    root = knowledge_base(kb, text)
    [finding] = assert_findings(run(root, rules=DISTRIBUTION), [(DISTRIBUTION, MINUTES, 2)])
    assert "distribution" in finding.message
    assert finding.clause == "3.1.9"


def test_minutes_with_an_empty_distribution(kb):
    text = minutes(distribution=[])
    root = knowledge_base(kb, text)
    assert_findings(
        run(root, rules=DISTRIBUTION), [(DISTRIBUTION, MINUTES, line_of(text, "distribution"))]
    )


@pytest.mark.parametrize(("day", "late"), [("2026-06-10", False), ("2026-06-09", True)])
def test_minutes_dated_before_their_review_are_an_error(kb, day, late):
    text = minutes(date=day)
    root = knowledge_base(kb, text)
    found = run(root, "2026-11-26", RULE)
    if late:
        assert_findings(found, [(RULE, MINUTES, line_of(text, "date"))])
        assert "早于" in found[0].message
    else:
        assert found == []


def test_minutes_dated_after_the_check_date_do_not_count_yet(kb):
    root = knowledge_base(kb, minutes(date="2026-06-20"))
    [finding] = assert_findings(run(root, "2026-06-18", RULE), [(RULE, REVIEW, ID_LINE)])
    assert finding.severity is Severity.ERROR
    assert run(root, "2026-06-20", RULE) == []


@pytest.mark.parametrize(("as_of", "reported"), [("2026-06-09", False), ("2026-06-10", True)])
def test_planned_minutes_are_sent_out_after_the_meeting(kb, as_of, reported):
    root = knowledge_base(kb, minutes(date="2026-06-10", distribution=[]))
    assert bool(run(root, as_of, DISTRIBUTION)) is reported


def test_minutes_dated_after_the_check_date_are_named_as_not_yet_submitted(kb):
    root = knowledge_base(kb, minutes(date="2026-06-20"))
    [finding] = assert_findings(run(root, "2026-06-18", RULE), [(RULE, REVIEW, ID_LINE)])
    assert finding.severity is Severity.ERROR
    assert "纪要 mn-x-1 的日期 2026-06-20 晚于检查日，尚不算已提交" in finding.message


def test_minutes_naming_the_review_in_other_case_are_pointed_at(kb):
    """They do not count (references match exactly), but the finding says which minutes to fix."""
    root = knowledge_base(kb, minutes(date="2026-06-10", review="RV-X-1"))
    [finding] = assert_findings(run(root, "2026-06-18", RULE), [(RULE, REVIEW, ID_LINE)])
    assert "review: RV-X-1" in finding.message and "请改为 review: rv-x-1" in finding.message
