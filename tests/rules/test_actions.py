"""agreed-revisions (3.1.8) and action-tracking (3.2.3)."""

from __future__ import annotations

from typing import Any

import pytest

from brmkb.findings import Severity
from tests.conftest import assert_findings, line_of, minutes, only, review, run, service

MINUTES = "records/svc-x/minutes/mn-x-1.md"


def action(**fields: Any) -> dict[str, Any]:
    return {
        "id": "a1",
        "text": "修订SLA附件",
        "owner": "王五",
        "due": "2026-06-30",
        "status": "open",
        **fields,
    }


def files(*actions: dict[str, Any]) -> dict[str, str]:
    return {
        "policy.yml": only("agreed-revisions", "action-tracking"),
        "records/svc-x/service.md": service(),
        "records/svc-x/reviews/rv-x-1.md": review(),
        MINUTES: minutes(actions=list(actions)),
    }


def test_open_revision_on_its_due_date_passes(kb) -> None:
    assert_findings(run(kb(files(action(revises="service_contract"))), "2026-06-30"), [])


def test_open_revision_a_day_late_is_an_error(kb) -> None:
    root = kb(files(action(revises="project_plan")))
    text = (root / MINUTES).read_text(encoding="utf-8")
    (found,) = assert_findings(
        run(root, "2026-07-01"), [("agreed-revisions", MINUTES, line_of(text, "actions") + 1)]
    )
    assert found.severity is Severity.ERROR and "项目策划书" in found.message


def test_done_revision_passes(kb) -> None:
    assert_findings(
        run(
            kb(files(action(revises="project_plan", status="done", done="2026-06-01"))),
            "2026-12-01",
        ),
        [],
    )


def test_done_without_date_is_an_error(kb) -> None:
    (found,) = run(kb(files(action(status="done"))), "2026-06-01")
    assert (found.rule, found.severity) == ("action-tracking", Severity.ERROR)


def test_done_date_after_as_of_is_an_error(kb) -> None:
    (found,) = run(kb(files(action(status="done", done="2026-07-01"))), "2026-06-01")
    assert found.rule == "action-tracking" and "晚于检查日" in found.message


def test_open_with_done_date_is_an_error(kb) -> None:
    (found,) = run(kb(files(action(done="2026-05-01"))), "2026-06-01")
    assert found.rule == "action-tracking" and found.severity is Severity.ERROR


def test_ordinary_overdue_action_is_a_warning(kb) -> None:
    (found,) = run(kb(files(action())), "2026-07-01")
    assert (found.rule, found.severity) == ("action-tracking", Severity.WARNING)
    assert "逾期 1 天" in found.message


@pytest.mark.parametrize(
    ("fields", "clause"),
    [
        ({"addresses": "sv-1"}, "3.2.3"),
        ({"revises": "project_plan"}, "3.1.8"),
        ({}, "3.1.9"),
    ],
)
def test_action_tracking_reports_under_the_clause_of_the_action(kb, fields, clause) -> None:
    root = kb(files(action(status="done", **fields)))
    (found,) = [f for f in run(root, "2026-07-01") if f.rule == "action-tracking"]
    assert found.clause == clause
