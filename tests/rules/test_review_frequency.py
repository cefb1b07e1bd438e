"""3.1.1: a service review at least every six months."""

from __future__ import annotations

import pytest

from brmkb.findings import Severity
from tests.conftest import SERVICE, assert_findings, line_of, review, run, service

RULE = "review-frequency"


def reviews(kb, *days, type="periodic", start="2025-01-01", policy=None, **fields):
    """A service and one review per day; returns (root, service text, review paths and texts)."""
    text = service(start=start, **fields)
    files = {SERVICE: text}
    held = []
    for n, day in enumerate(days, 1):
        path, body = f"records/svc-x/reviews/rv-x-{n}.md", review(f"rv-x-{n}", day, type)
        files[path] = body
        held.append((path, body))
    if policy:
        files["policy.yml"] = policy
    return kb(files), text, held


def test_exactly_six_months_after_start_is_on_time(kb):
    root, _, _ = reviews(kb, "2025-07-15", start="2025-01-15")
    assert run(root, "2025-08-01", RULE) == []


def test_one_day_over_six_months_is_late(kb):
    root, _, [(path, text)] = reviews(kb, "2025-07-16", start="2025-01-15")
    [finding] = assert_findings(
        run(root, "2025-08-01", RULE), [(RULE, path, line_of(text, "date"))]
    )
    assert finding.severity is Severity.ERROR
    assert finding.clause == "3.1.1"
    assert "2025-07-15" in finding.message


@pytest.mark.parametrize(
    ("day", "late"), [("2026-02-28", False), ("2026-03-01", True)], ids=["on-time", "late"]
)
def test_month_end_is_clamped(kb, day, late):
    root, _, [(path, text)] = reviews(kb, day, start="2025-08-31")
    found = run(root, "2026-03-10", RULE)
    expected = [(RULE, path, line_of(text, "date"))] if late else []
    assert_findings(found, expected)
    if late:
        assert "2026-02-28" in found[0].message


@pytest.mark.parametrize(
    "days",
    [
        ("2025-06-30", "2025-12-31", "2026-06-30"),
        ("2025-08-31", "2026-02-28", "2026-08-31"),
        ("2023-08-31", "2024-02-29", "2024-08-31"),
        ("2025-12-31", "2026-06-30", "2026-12-31"),
    ],
    ids=["half-year-ends", "february", "leap-february", "year-end"],
)
def test_reviews_on_month_ends_are_on_time(kb, days):
    root, _, _ = reviews(kb, *days, start=days[0])
    late = [f for f in run(root, "2027-01-15", RULE) if f.path != SERVICE]
    assert late == []


def test_a_day_after_the_target_month_end_is_late(kb):
    root, _, [_, (path, text)] = reviews(kb, "2025-06-30", "2026-01-01", start="2025-01-01")
    [finding] = assert_findings(
        run(root, "2026-01-10", RULE), [(RULE, path, line_of(text, "date"))]
    )
    assert "应不晚于 2025-12-31" in finding.message


def test_the_next_review_after_a_month_end_is_due_at_a_month_end(kb):
    root, _, _ = reviews(kb, "2026-02-28", start="2026-01-01")
    [finding] = run(root, "2026-08-31", RULE)
    assert finding.path == SERVICE and "2026-08-31" in finding.message


def test_gap_between_two_reviews_is_reported_at_the_later_one(kb):
    root, _, [_, (second, text)] = reviews(kb, "2025-06-01", "2025-12-02")
    [finding] = assert_findings(
        run(root, "2026-01-10", RULE), [(RULE, second, line_of(text, "date"))]
    )
    assert "rv-x-1" in finding.message
    assert "2025-12-01" in finding.message


def test_reviews_every_six_months_pass(kb):
    root, _, _ = reviews(kb, "2025-07-01", "2026-01-01", "2026-07-01")
    assert run(root, "2026-11-26", RULE) == []


def test_overdue_at_as_of_is_an_error_on_the_service(kb):
    root, text, _ = reviews(kb, "2025-06-01")
    [finding] = assert_findings(
        run(root, "2025-12-02", RULE), [(RULE, SERVICE, line_of(text, "start"))]
    )
    assert finding.severity is Severity.ERROR
    assert "2025-12-01" in finding.message
    assert "逾期 1 天" in finding.message


def test_due_today_is_not_yet_overdue(kb):
    root, text, _ = reviews(kb, "2025-06-01")
    [finding] = assert_findings(
        run(root, "2025-12-01", RULE), [(RULE, SERVICE, line_of(text, "start"))]
    )
    assert finding.severity is Severity.INFO


@pytest.mark.parametrize(("as_of", "expected"), [("2025-11-01", 1), ("2025-10-31", 0)])
def test_due_within_thirty_days_is_info(kb, as_of, expected):
    root, text, _ = reviews(kb, "2025-06-01")
    found = run(root, as_of, RULE)
    assert_findings(found, [(RULE, SERVICE, line_of(text, "start"))] * expected)
    assert all(f.severity is Severity.INFO for f in found)


def test_never_reviewed_counts_from_the_start(kb):
    root, text, _ = reviews(kb, start="2025-01-01")
    [finding] = assert_findings(
        run(root, "2025-07-02", RULE), [(RULE, SERVICE, line_of(text, "start"))]
    )
    assert "2025-07-01" in finding.message
    assert "自服务开始" in finding.message


def test_end_before_the_due_date_means_no_obligation(kb):
    root, _, _ = reviews(kb, "2025-06-01", end="2025-11-30")
    assert run(root, "2026-11-26", RULE) == []


def test_end_on_the_due_date_still_needs_the_review(kb):
    root, text, _ = reviews(kb, "2025-06-01", end="2025-12-01")
    assert_findings(run(root, "2026-11-26", RULE), [(RULE, SERVICE, line_of(text, "start"))])


@pytest.mark.parametrize(
    ("kind", "counts"),
    [("periodic", True), ("annual", True), ("adhoc", False), ("additional", False)],
)
def test_only_periodic_and_annual_reviews_count(kb, kind, counts):
    root, text, _ = reviews(kb, "2025-06-01", type=kind)
    found = run(root, "2025-07-02", RULE)  # six months and a day after the start
    assert_findings(found, [] if counts else [(RULE, SERVICE, line_of(text, "start"))])


def test_review_after_the_as_of_date_has_not_happened_yet(kb):
    root, text, _ = reviews(kb, "2025-12-20")
    assert_findings(run(root, "2025-07-02", RULE), [(RULE, SERVICE, line_of(text, "start"))])


def test_policy_interval_months(kb):
    policy = "rules:\n  review-frequency:\n    interval_months: 3\n"
    root, _, [(path, text)] = reviews(kb, "2025-04-02", policy=policy)
    [finding] = assert_findings(
        run(root, "2025-05-01", RULE), [(RULE, path, line_of(text, "date"))]
    )
    assert "3 个月" in finding.message


def test_policy_overdue_severity_warning(kb):
    policy = "rules:\n  review-frequency:\n    overdue_severity: warning\n"
    root, text, _ = reviews(kb, policy=policy)
    [finding] = assert_findings(
        run(root, "2025-08-01", RULE), [(RULE, SERVICE, line_of(text, "start"))]
    )
    assert finding.severity is Severity.WARNING


def test_policy_overdue_severity_leaves_gaps_as_errors(kb):
    policy = "rules:\n  review-frequency:\n    overdue_severity: warning\n"
    root, _, [(path, text)] = reviews(kb, "2025-07-02", policy=policy)
    [finding] = assert_findings(
        run(root, "2025-08-01", RULE), [(RULE, path, line_of(text, "date"))]
    )
    assert finding.severity is Severity.ERROR


def test_policy_counting_types(kb):
    policy = "rules:\n  review-frequency:\n    counting_types: [periodic, annual, adhoc]\n"
    root, _, _ = reviews(kb, "2025-06-01", type="adhoc", policy=policy)
    assert run(root, "2025-10-01", RULE) == []


def test_each_service_is_checked_on_its_own(kb):
    other = "records/svc-y/service.md"
    root = kb(
        {
            SERVICE: service(start="2025-01-01"),
            "records/svc-x/reviews/rv-x-1.md": review("rv-x-1", "2025-06-01"),
            other: service(id="svc-y", start="2025-01-01"),
        }
    )
    assert_findings(run(root, "2025-08-01", RULE), [(RULE, other, line_of(service(), "start"))])
