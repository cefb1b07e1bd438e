"""deviation-action (3.2.3), deviation-report and deviation-review (3.2.4)."""

from __future__ import annotations

from typing import Any

from brmkb.findings import Severity
from tests.conftest import (
    SERVICE,
    assert_findings,
    minutes,
    monthly,
    only,
    record,
    review,
    run,
    service,
)

RULES = ("deviation-action", "deviation-report", "deviation-review")
LOW = "records/svc-x/surveys/sv-low.md"


def survey(id: str, day: str, score: float) -> str:
    return record(
        "survey", id, "# 调查\n", service="svc-x", date=day, responses=10, scores={"overall": score}
    )


def base(**extra: str) -> dict[str, str]:
    indicators = [{"id": "overall", "name": "总体满意度", "target": 4.0}]
    return {
        "policy.yml": only(*RULES),
        SERVICE: service(start="2025-01-01", satisfaction=indicators),
        **extra,
    }


def handled(**overrides: Any) -> dict[str, str]:
    """A deviation handled end to end: action, monthly report, and the next review discusses it."""
    action = {
        "id": "a1",
        "text": "加强回访",
        "owner": "王五",
        "due": "2025-07-30",
        "status": "done",
        "done": "2025-07-20",
        "addresses": "sv-low",
    }
    files = base(
        **{
            LOW: survey("sv-low", "2025-06-10", 3.6),
            "records/svc-x/monthly/mr-2025-06.md": monthly(
                "mr-2025-06", "2025-06", deviations=["sv-low"]
            ),
            "records/svc-x/reviews/rv-x-1.md": review("rv-x-1", "2025-06-20", discusses=["sv-low"]),
            "records/svc-x/minutes/mn-x-1.md": minutes(date="2025-06-20", actions=[action]),
        }
    )
    files.update(overrides)
    return files


def test_handled_deviation_passes(kb) -> None:
    assert_findings(run(kb(handled()), "2025-12-01"), [])


def test_scores_at_target_are_no_deviation(kb) -> None:
    assert_findings(run(kb(base(**{LOW: survey("sv-low", "2025-06-10", 4.0)})), "2025-12-01"), [])


def test_unhandled_deviation_fails_each_obligation(kb) -> None:
    root = kb(
        handled(
            **{
                "records/svc-x/monthly/mr-2025-06.md": monthly("mr-2025-06", "2025-06"),
                "records/svc-x/reviews/rv-x-1.md": review("rv-x-1", "2025-06-20"),
                "records/svc-x/minutes/mn-x-1.md": minutes(date="2025-06-20"),
            }
        )
    )
    found = run(root, "2025-12-01")
    assert sorted((f.rule, f.path) for f in found) == [
        ("deviation-action", LOW),
        ("deviation-report", LOW),
        ("deviation-review", "records/svc-x/reviews/rv-x-1.md"),
    ]
    assert all(f.severity is Severity.ERROR for f in found)


def test_obligations_not_yet_due_are_information(kb) -> None:
    root = kb(base(**{LOW: survey("sv-low", "2025-06-10", 3.6)}))
    found = run(root, "2025-06-15")
    assert sorted((f.rule, f.severity) for f in found) == [
        ("deviation-action", Severity.INFO),
        ("deviation-report", Severity.INFO),
    ]


def test_report_due_on_the_tenth_of_next_month(kb) -> None:
    root = kb(base(**{LOW: survey("sv-low", "2025-06-10", 3.6)}))
    assert {f.severity for f in run(root, "2025-07-10") if f.rule == "deviation-report"} == {
        Severity.INFO
    }
    assert {f.severity for f in run(root, "2025-07-11") if f.rule == "deviation-report"} == {
        Severity.ERROR
    }


def test_two_consecutive_declines_are_a_deviation(kb) -> None:
    surveys = {
        f"records/svc-x/surveys/{id}.md": survey(id, day, score)
        for id, day, score in [
            ("s1", "2025-03-01", 4.8),
            ("s2", "2025-06-01", 4.6),
            ("s3", "2025-09-01", 4.4),
        ]
    }
    found = run(kb(base(**surveys)), "2025-09-02")
    assert {(f.rule, f.path) for f in found} == {
        ("deviation-action", "records/svc-x/surveys/s3.md"),
        ("deviation-report", "records/svc-x/surveys/s3.md"),
    }
    assert "连续 2 次调查下降" in found[0].message
