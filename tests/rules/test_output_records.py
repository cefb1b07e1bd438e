"""output-preparer (4)."""

from __future__ import annotations

from tests.conftest import (
    assert_findings,
    line_of,
    minutes,
    monthly,
    only,
    record,
    review,
    run,
    service,
)


def files(**extra: str) -> dict[str, str]:
    return {"policy.yml": only("output-preparer"), "records/svc-x/service.md": service(), **extra}


def test_default_and_explicit_service_department_pass(kb) -> None:
    root = kb(
        files(
            **{
                "records/svc-x/reviews/rv-x-1.md": review(),
                "records/svc-x/minutes/mn-x-1.md": minutes(prepared_by="服务部"),
                "records/svc-x/monthly/mr-1.md": monthly("mr-1", "2026-01"),
            }
        )
    )
    assert_findings(run(root), [])


def test_other_department_is_an_error(kb) -> None:
    text = monthly("mr-1", "2026-01", prepared_by="质量管理部")
    root = kb(files(**{"records/svc-x/monthly/mr-1.md": text}))
    (found,) = assert_findings(
        run(root),
        [("output-preparer", "records/svc-x/monthly/mr-1.md", line_of(text, "prepared_by"))],
    )
    assert found.clause == "4" and "服务部" in found.message


def test_before_change_review_may_be_prepared_by_sales(kb) -> None:
    change = record(
        "change", "ch-x-1", "", service="svc-x", date="2026-03-01", major=True, summary="扩容"
    )
    before = review(
        "rv-b", "2026-02-20", "additional", prepared_by="销售部门", organizer_dept="销售部门"
    )
    after = review("rv-a", "2026-03-10", "additional", phase="after", prepared_by="销售部门")
    root = kb(
        files(
            **{
                "records/svc-x/changes/ch.md": change,
                "records/svc-x/reviews/rv-b.md": before,
                "records/svc-x/reviews/rv-a.md": after,
            }
        )
    )
    assert_findings(
        run(root),
        [("output-preparer", "records/svc-x/reviews/rv-a.md", line_of(after, "prepared_by"))],
    )
