"""adhoc-review (3.1.4)."""

from __future__ import annotations

import pytest

from brmkb.findings import Severity
from tests.conftest import assert_findings, line_of, only, record, review, run, service

REQUEST = "records/svc-x/requests/rq-x-1.md"
ADHOC = "records/svc-x/reviews/rv-adhoc.md"


def request(day: str = "2026-08-10") -> str:
    return record(
        "request",
        "rq-x-1",
        "# 请求\n",
        service="svc-x",
        date=day,
        requested_by="客户",
        subject="上线进展",
    )


def files(**extra: str) -> dict[str, str]:
    return {
        "policy.yml": only("adhoc-review"),
        "records/svc-x/service.md": service(),
        REQUEST: request(),
        **extra,
    }


@pytest.mark.parametrize("day", ["2026-08-10", "2026-08-20"])
def test_review_within_ten_days_passes(kb, day) -> None:
    root = kb(files(**{ADHOC: review("rv-adhoc", day, "adhoc")}))
    assert_findings(run(root, "2026-12-01"), [])


def test_review_on_day_eleven_is_late(kb) -> None:
    text = review("rv-adhoc", "2026-08-21", "adhoc")
    root = kb(files(**{ADHOC: text}))
    (found,) = assert_findings(
        run(root, "2026-12-01"), [("adhoc-review", ADHOC, line_of(text, "date"))]
    )
    assert "2026-08-20" in found.message


def test_unanswered_request_is_an_error_once_due(kb) -> None:
    root = kb(files())
    (found,) = assert_findings(
        run(root, "2026-08-21"), [("adhoc-review", REQUEST, line_of(request(), "date"))]
    )
    assert found.severity is Severity.ERROR and found.clause == "3.1.4"


def test_unanswered_request_within_the_window_is_information(kb) -> None:
    root = kb(files())
    (found,) = run(root, "2026-08-20")
    assert found.severity is Severity.INFO


def test_days_come_from_policy(kb) -> None:
    root = kb(
        {
            **files(**{ADHOC: review("rv-adhoc", "2026-08-25", "adhoc")}),
            "policy.yml": only("adhoc-review", **{"adhoc-review": {"days": 15}}),
        }
    )
    assert_findings(run(root, "2026-12-01"), [])


def test_planned_review_is_information_until_the_window_closes(kb) -> None:
    root = kb(files(**{ADHOC: review("rv-adhoc", "2026-08-18", "adhoc")}))
    (found,) = run(root, "2026-08-15")
    assert found.path == REQUEST and found.severity is Severity.INFO
    assert "已计划于 2026-08-18" in found.message
    assert run(root, "2026-08-18") == []


def test_extra_review_outside_the_window_is_info_when_one_is_inside(kb) -> None:
    late = review("rv-late", "2026-09-01", "adhoc")
    root = kb(
        files(
            **{
                ADHOC: review("rv-adhoc", "2026-08-12", "adhoc"),
                "records/svc-x/reviews/rv-late.md": late,
            }
        )
    )
    (found,) = run(root, "2026-12-01")
    assert found.severity is Severity.INFO and "不计入" in found.message


def test_request_received_after_the_check_date_is_a_warning(kb) -> None:
    root = kb(files())
    (found,) = run(root, "2026-08-09")
    assert found.severity is Severity.WARNING and "未来" in found.message
