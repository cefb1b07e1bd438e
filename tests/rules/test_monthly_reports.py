"""monthly-report (4)."""

from __future__ import annotations

import pytest

from brmkb.findings import Severity
from tests.conftest import SERVICE, assert_findings, line_of, monthly, only, run, service


def files(start: str, months: list[str], **fields) -> dict[str, str]:
    reports = {f"records/svc-x/monthly/mr-{m}.md": monthly(f"mr-{m}", m) for m in months}
    return {
        "policy.yml": only("monthly-report"),
        SERVICE: service(start=start, **fields),
        **reports,
    }


def test_every_month_reported_passes(kb) -> None:
    root = kb(files("2026-01-15", ["2026-01", "2026-02", "2026-03"]))
    assert_findings(run(root, "2026-04-10"), [])


def test_report_missing_after_its_due_day_is_an_error(kb) -> None:
    root = kb(files("2026-01-15", ["2026-01", "2026-03"]))
    (found,) = assert_findings(
        run(root, "2026-04-10"),
        [("monthly-report", SERVICE, line_of(service(start="2026-01-15"), "start"))],
    )
    assert "2026-02" in found.message and found.severity is Severity.ERROR


def test_report_not_yet_due_is_information(kb) -> None:
    root = kb(files("2026-01-15", ["2026-01", "2026-02"]))
    (found,) = run(root, "2026-04-10")
    assert found.severity is Severity.INFO and "2026-03" in found.message
    assert run(root, "2026-04-11")[0].severity is Severity.ERROR


def test_no_reports_after_the_service_ends(kb) -> None:
    root = kb(files("2026-01-15", ["2026-01", "2026-02"], end="2026-02-20"))
    assert_findings(run(root, "2026-12-01"), [])


def test_duplicate_month_and_month_outside_service_are_warnings(kb) -> None:
    extra = {
        "records/svc-x/monthly/dup.md": monthly("mr-dup", "2026-01"),
        "records/svc-x/monthly/old.md": monthly("mr-old", "2025-12"),
    }
    root = kb({**files("2026-01-15", ["2026-01"]), **extra})
    found = run(root, "2026-02-05")
    assert sorted((f.path, f.severity) for f in found) == [
        ("records/svc-x/monthly/dup.md", Severity.WARNING),
        ("records/svc-x/monthly/old.md", Severity.WARNING),
    ]


def test_report_for_a_month_not_yet_begun_is_planned(kb) -> None:
    """RECORDS.md: a record dated after the check date is planned, not held (no warning)."""
    root = kb(files("2026-01-15", ["2026-01", "2026-02", "2026-03"]))
    assert run(root, "2026-03-01") == []
    (found,) = run(root, "2026-02-28")
    assert found.severity is Severity.INFO and "计划中" in found.message
    assert found.path == "records/svc-x/monthly/mr-2026-03.md"


@pytest.mark.parametrize(
    ("written", "other"),
    [("2026-2", {}), ("2026-02-01", {}), ("2026年2月", {}), ("2026-02", {"prepared": "服务部"})],
)
def test_missing_month_points_at_a_report_with_format_errors(kb, written, other) -> None:
    """A report whose month is misspelt, or that has another format error, is named."""
    broken = monthly("mr-bad", written, **other)
    root = kb(
        {**files("2026-01-15", ["2026-01", "2026-03"]), "records/svc-x/monthly/bad.md": broken}
    )
    found = [f for f in run(root, "2026-04-11") if f.rule == "monthly-report"]
    assert (
        len(found) == 1 and "mr-bad（records/svc-x/monthly/bad.md）有格式错误" in found[0].message
    )
