"""additional-review (3.1.3) and change-review-organizer (3.1.6)."""

from __future__ import annotations

import pytest

from brmkb.findings import Severity
from tests.conftest import assert_findings, line_of, only, record, review, run, service

CHANGE = "records/svc-x/changes/ch-x-1.md"
BEFORE = "records/svc-x/reviews/rv-before.md"
AFTER = "records/svc-x/reviews/rv-after.md"


def change(day: str = "2026-03-01", major: bool = True) -> str:
    return record(
        "change", "ch-x-1", "# 变更\n", service="svc-x", date=day, major=major, summary="机柜扩容"
    )


def additional(id: str, day: str, phase: str, dept: str = "销售部门") -> str:
    return review(id, day, "additional", change="ch-x-1", phase=phase, organizer_dept=dept)


def files(**extra: str) -> dict[str, str]:
    return {
        "policy.yml": only("additional-review", "change-review-organizer"),
        "records/svc-x/service.md": service(),
        CHANGE: change(),
        **extra,
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [("2026-01-30", "2026-03-31"), ("2026-03-01", "2026-03-01"), ("2026-02-20", "2026-03-10")],
)
def test_reviews_inside_both_windows_pass(kb, before, after) -> None:
    root = kb(
        files(
            **{
                BEFORE: additional("rv-before", before, "before"),
                AFTER: additional("rv-after", after, "after", "服务部"),
            }
        )
    )
    assert_findings(run(root, "2026-06-01"), [])


@pytest.mark.parametrize(
    ("path", "day", "phase"), [(BEFORE, "2026-01-29", "before"), (AFTER, "2026-04-01", "after")]
)
def test_one_day_outside_the_window_is_an_error(kb, path, day, phase) -> None:
    other = {
        BEFORE: additional("rv-before", "2026-02-20", "before"),
        AFTER: additional("rv-after", "2026-03-10", "after", "服务部"),
    }
    text = additional(
        path.rsplit("/", 1)[1][:-3], day, phase, "销售部门" if phase == "before" else "服务部"
    )
    root = kb(files(**{**other, path: text}))
    (found,) = assert_findings(
        run(root, "2026-06-01"), [("additional-review", path, line_of(text, "date"))]
    )
    assert found.clause == "3.1.3"


def test_missing_reviews_after_the_windows_are_errors_on_the_change(kb) -> None:
    root = kb(files())
    line = line_of(change(), "major")
    found = assert_findings(run(root, "2026-04-01"), [("additional-review", CHANGE, line)] * 2)
    assert all(f.severity is Severity.ERROR for f in found)
    assert "变更前" in found[0].message + found[1].message


def test_reviews_not_yet_due_are_information(kb) -> None:
    root = kb(files())
    found = run(root, "2026-02-15")
    assert [f.severity for f in found] == [Severity.INFO, Severity.INFO]


def test_minor_change_needs_no_review(kb) -> None:
    root = kb({**files(), CHANGE: change(major=False)})
    assert_findings(run(root, "2026-12-01"), [])


def test_before_review_must_be_organized_by_sales(kb) -> None:
    text = additional("rv-before", "2026-02-20", "before", dept="服务部")
    root = kb(
        files(**{BEFORE: text, AFTER: additional("rv-after", "2026-03-10", "after", "服务部")})
    )
    (found,) = assert_findings(
        run(root, "2026-06-01"),
        [("change-review-organizer", BEFORE, line_of(text, "organizer_dept"))],
    )
    assert "销售部门" in found.message and found.clause == "3.1.6"


def test_sales_department_name_comes_from_policy(kb) -> None:
    text = additional("rv-before", "2026-02-20", "before", dept="市场部")
    policy = only("change-review-organizer") + "sales_department: 市场部\n"
    root = kb({**files(**{BEFORE: text}), "policy.yml": policy})
    assert_findings(run(root, "2026-06-01"), [])


# --- planned reviews, extra reviews outside the window, minor changes --------------------


def test_planned_before_review_does_not_count_until_held(kb) -> None:
    root = kb(files(**{BEFORE: additional("rv-before", "2026-02-20", "before")}))
    found = [f for f in run(root, "2026-02-19") if "变更前" in f.message]
    assert [(f.path, f.severity) for f in found] == [(CHANGE, Severity.INFO)]
    assert "已计划于 2026-02-20" in found[0].message


def test_extra_review_outside_the_window_is_info_when_one_is_inside(kb) -> None:
    early = additional("rv-early", "2026-01-15", "before")
    root = kb(
        files(
            **{
                BEFORE: additional("rv-before", "2026-02-20", "before"),
                "records/svc-x/reviews/rv-early.md": early,
                AFTER: additional("rv-after", "2026-03-10", "after", "服务部"),
            }
        )
    )
    (found,) = run(root, "2026-06-01")
    assert found.path == "records/svc-x/reviews/rv-early.md"
    assert found.severity is Severity.INFO and "不计入" in found.message


def test_minor_change_before_review_needs_no_sales_organizer(kb) -> None:
    text = additional("rv-before", "2026-02-20", "before", dept="服务部")
    root = kb({**files(**{BEFORE: text}), CHANGE: change(major=False)})
    assert_findings(run(root, "2026-06-01"), [])
