"""3.1.5: one annual service review in every calendar year of the service's life."""

from __future__ import annotations

from brmkb.findings import Severity
from tests.conftest import SERVICE, assert_findings, line_of, review, run, service

RULE = "annual-review"


def annual(kb, *reviews, start="2024-01-01", **fields):
    """A service with reviews given as (day, type) pairs."""
    files = {SERVICE: service(start=start, **fields)}
    for n, (day, kind) in enumerate(reviews, 1):
        files[f"records/svc-x/reviews/rv-x-{n}.md"] = review(f"rv-x-{n}", day, kind)
    return kb(files)


START = line_of(service(), "start")


def test_full_year_with_an_annual_review_passes(kb):
    root = annual(kb, ("2024-12-10", "annual"))
    assert run(root, "2025-03-01", RULE) == []


def test_full_year_without_an_annual_review_is_an_error(kb):
    root = annual(kb, ("2024-06-10", "periodic"), ("2024-12-10", "periodic"))
    [finding] = assert_findings(run(root, "2025-03-01", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.ERROR
    assert "2024" in finding.message


def test_annual_review_in_another_year_does_not_count(kb):
    root = annual(kb, ("2025-01-05", "annual"))
    [finding] = assert_findings(run(root, "2025-03-01", RULE), [(RULE, SERVICE, START)])
    assert "2024 年" in finding.message


def test_partial_first_year_needs_none(kb):
    root = annual(kb, start="2024-01-02")
    assert run(root, "2025-03-01", RULE) == []


def test_partial_last_year_needs_none(kb):
    root = annual(kb, ("2024-12-10", "annual"), start="2024-01-01", end="2025-12-30")
    assert run(root, "2026-03-01", RULE) == []


def test_each_missing_year_is_reported(kb):
    root = annual(kb, ("2025-11-10", "annual"), start="2024-01-01")
    found = assert_findings(run(root, "2027-01-05", RULE), [(RULE, SERVICE, START)] * 2)
    assert sorted(f.message[:4] for f in found) == ["2024", "2026"]


def test_current_year_due_soon_is_info(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"))
    [finding] = assert_findings(run(root, "2026-12-01", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.INFO
    assert "2026-12-31" in finding.message


def test_current_year_not_yet_due_soon_is_silent(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"))
    assert run(root, "2026-11-30", RULE) == []


def test_current_year_already_held_is_silent(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"), ("2026-11-20", "annual"))
    assert run(root, "2026-12-20", RULE) == []


def test_policy_due_soon_days(kb):
    root = kb(
        {
            SERVICE: service(start="2026-01-01"),
            "policy.yml": "rules:\n  annual-review:\n    due_soon_days: 60\n",
        }
    )
    [finding] = assert_findings(run(root, "2026-11-26", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.INFO
