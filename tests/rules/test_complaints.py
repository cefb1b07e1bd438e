"""complaint-closure (3.3.1)."""

from __future__ import annotations

from typing import Any

import pytest

from brmkb.findings import Severity
from tests.conftest import assert_findings, line_of, only, record, run, service

PATH = "records/svc-x/complaints/cp-1.md"


def complaint(**fields: Any) -> str:
    defaults = {
        "service": "svc-x",
        "received": "2026-03-01",
        "severity": "high",
        "status": "closed",
        "closed": "2026-03-06",
        "resolution": "更换故障硬盘",
    }
    return record("complaint", "cp-1", "# 投诉\n", **{**defaults, **fields})


def files(text: str) -> dict[str, str]:
    return {
        "policy.yml": only("complaint-closure"),
        "records/svc-x/service.md": service(),
        PATH: text,
    }


@pytest.mark.parametrize(
    ("severity", "closed"),
    [("high", "2026-03-06"), ("medium", "2026-03-11"), ("low", "2026-03-21")],
)
def test_closed_on_the_last_day_passes(kb, severity, closed) -> None:
    assert_findings(run(kb(files(complaint(severity=severity, closed=closed))), "2026-06-01"), [])


@pytest.mark.parametrize(
    ("severity", "closed"),
    [("high", "2026-03-07"), ("medium", "2026-03-12"), ("low", "2026-03-22")],
)
def test_closed_a_day_late_is_an_error(kb, severity, closed) -> None:
    text = complaint(severity=severity, closed=closed)
    (found,) = assert_findings(
        run(kb(files(text)), "2026-06-01"), [("complaint-closure", PATH, line_of(text, "closed"))]
    )
    assert "超期 1 天" in found.message


def test_closed_without_date_or_resolution(kb) -> None:
    text = complaint(closed=None, resolution=None)
    found = run(kb(files(text)), "2026-06-01")
    assert sorted(f.message[:8] for f in found) == sorted(["已关闭的投诉没有", "已关闭的投诉没有"])


def test_open_complaint_past_due_is_an_error_and_within_is_info(kb) -> None:
    text = complaint(status="open", closed=None, resolution=None)
    (late,) = run(kb(files(text)), "2026-03-07")
    assert late.severity is Severity.ERROR and late.line == line_of(text, "status")
    (pending,) = run(kb(files(text)), "2026-03-06")
    assert pending.severity is Severity.INFO


def test_days_per_severity_come_from_policy(kb) -> None:
    policy = only("complaint-closure", **{"complaint-closure": {"days": {"high": 10}}})
    root = kb({**files(complaint(closed="2026-03-10")), "policy.yml": policy})
    assert_findings(run(root, "2026-06-01"), [])


@pytest.mark.parametrize(("as_of", "future"), [("2026-03-01", False), ("2026-02-28", True)])
def test_complaint_received_after_the_check_date_is_a_warning(kb, as_of, future) -> None:
    text = complaint(status="open", closed=None, resolution=None)
    found = run(kb(files(text)), as_of)
    if future:
        assert_findings(found, [("complaint-closure", PATH, line_of(text, "received"))])
        assert found[0].severity is Severity.WARNING and "未来" in found[0].message
    else:
        assert [f.severity for f in found] == [Severity.INFO]


@pytest.mark.parametrize(
    ("severity", "closed", "late"),
    [("high", "2026-03-04", False), ("high", "2026-03-05", True), ("low", "2026-03-21", False)],
)
def test_policy_days_of_one_severity_keep_the_others(kb, severity, closed, late) -> None:
    """``days: {high: 3}`` changes high complaints only: low ones keep their 20 days."""
    policy = only("complaint-closure", **{"complaint-closure": {"days": {"high": 3}}})
    text = complaint(severity=severity, closed=closed)
    found = run(kb({**files(text), "policy.yml": policy}), "2026-06-01")
    assert ["超期 1 天" in f.message for f in found] == ([True] if late else [])


@pytest.mark.parametrize("resolution", ["待补充", "TBD", "'…'"])
def test_a_placeholder_resolution_is_no_resolution(kb, resolution) -> None:
    text = complaint(resolution=resolution)
    (found,) = assert_findings(
        run(kb(files(text)), "2026-06-01"),
        [("complaint-closure", PATH, line_of(text, "resolution"))],
    )
    assert "没有处理结果" in found.message


@pytest.mark.parametrize(
    ("closed", "words"),
    [("2026-02-28", "早于收到日期 2026-03-01"), ("2026-06-02", "晚于检查日 2026-06-01")],
)
def test_a_closing_date_out_of_order_says_which_way(kb, closed, words) -> None:
    text = complaint(closed=closed)
    (found,) = run(kb(files(text)), "2026-06-01")
    assert words in found.message and "或" not in found.message


def test_an_open_complaint_due_today_says_today_is_still_in_time(kb) -> None:
    """The limit day itself is on time: "不晚于", not "前" (which reads as "before")."""
    text = complaint(status="open", closed=None, resolution=None)
    (found,) = run(kb(files(text)), "2026-03-06")
    assert "须不晚于 2026-03-06 关闭（还剩 0 天）" in found.message
