"""deviation-action (3.2.3), deviation-report and deviation-review (3.2.4)."""

from __future__ import annotations

from typing import Any

import pytest

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


# --- deadlines (3.2.3, 3.2.4) -------------------------------------------------------------

ACTION = {
    "id": "a1",
    "text": "加强回访",
    "owner": "王五",
    "due": "2025-09-30",
    "status": "open",
    "addresses": "sv-low",
}
MINUTES = "records/svc-x/minutes/mn-x-1.md"


def meeting_on(day: str) -> dict[str, str]:
    """The review and its minutes with the improvement action, both on ``day``."""
    return {
        "records/svc-x/reviews/rv-x-1.md": review("rv-x-1", day, discusses=["sv-low"]),
        MINUTES: minutes(date=day, actions=[ACTION]),
    }


def test_action_from_minutes_on_the_last_day_is_on_time(kb) -> None:
    root = kb(handled(**meeting_on("2025-07-10")))
    assert run(root, "2025-08-01", "deviation-action") == []


def test_action_from_minutes_a_day_late_is_late_with_days(kb) -> None:
    root = kb(handled(**meeting_on("2025-07-11")))
    [finding] = run(root, "2025-08-01", "deviation-action")
    assert (finding.path, finding.severity) == (MINUTES, Severity.ERROR)
    assert "1 天" in finding.message


def test_action_from_minutes_before_the_survey_does_not_answer_it(kb) -> None:
    root = kb(handled(**meeting_on("2025-06-09")))
    [finding] = run(root, "2025-08-01", "deviation-action")
    assert finding.path == LOW


def test_planned_minutes_do_not_answer_a_deviation(kb) -> None:
    root = kb(handled(**{MINUTES: minutes(date="2025-07-01", actions=[ACTION])}))
    [finding] = run(root, "2025-06-20", "deviation-action")
    assert (finding.path, finding.severity) == (LOW, Severity.INFO)


def report(month: str) -> dict[str, str]:
    return {
        "records/svc-x/monthly/mr-2025-06.md": monthly("mr-2025-06", month, deviations=["sv-low"])
    }


def test_report_of_the_survey_month_is_on_time(kb) -> None:
    assert run(kb(handled(**report("2025-06"))), "2025-12-01", "deviation-report") == []


def test_report_of_the_month_before_due_after_the_survey_is_on_time(kb) -> None:
    files = handled(**report("2025-05"))
    files[LOW] = survey("sv-low", "2025-06-10", 3.6)  # May's report is due 2025-06-10
    assert run(kb(files), "2025-12-01", "deviation-report") == []


def test_later_report_is_late_with_days(kb) -> None:
    [finding] = run(kb(handled(**report("2025-07"))), "2025-12-01", "deviation-report")
    assert finding.path == "records/svc-x/monthly/mr-2025-06.md"
    assert "晚 31 天" in finding.message


def test_report_of_a_month_not_begun_does_not_count(kb) -> None:
    [finding] = run(kb(handled(**report("2025-07"))), "2025-06-25", "deviation-report")
    assert (finding.path, finding.severity) == (LOW, Severity.INFO)


REVIEWS = "records/svc-x/reviews/"


def test_same_day_reviews_discuss_together(kb) -> None:
    files = handled()
    files[f"{REVIEWS}rv-x-1.md"] = review("rv-x-1", "2025-06-20")
    files[f"{REVIEWS}rv-a.md"] = review("rv-a", "2025-06-20", "adhoc", discusses=["sv-low"])
    assert run(kb(files), "2025-12-01", "deviation-review") == []


def test_adhoc_review_about_something_else_is_not_the_next_review(kb) -> None:
    files = handled()
    files[f"{REVIEWS}rv-a.md"] = review("rv-a", "2025-06-15", "adhoc")
    assert run(kb(files), "2025-12-01", "deviation-review") == []


def test_next_periodic_review_that_does_not_discuss_it_fails(kb) -> None:
    files = handled()
    files[f"{REVIEWS}rv-x-1.md"] = review("rv-x-1", "2025-06-20")
    files[f"{REVIEWS}rv-x-2.md"] = review("rv-x-2", "2025-12-20", discusses=["sv-low"])
    [finding] = run(kb(files), "2026-01-01", "deviation-review")
    assert finding.path == f"{REVIEWS}rv-x-1.md"


def test_planned_review_is_not_the_next_review_yet(kb) -> None:
    files = handled()
    files[f"{REVIEWS}rv-x-1.md"] = review("rv-x-1", "2025-06-20")
    assert run(kb(files), "2025-06-19", "deviation-review") == []


# --- indicator history (3.2.2 with 3.1.8) -------------------------------------------------


def history(*surveys: tuple[str, str, float], definitions: list[dict]) -> dict[str, str]:
    files = {
        "policy.yml": only(*RULES),
        SERVICE: service(start="2025-01-01", satisfaction=definitions),
    }
    for id, day, score in surveys:
        files[f"records/svc-x/surveys/{id}.md"] = survey(id, day, score)
    return files


def revised(first: dict, second: dict) -> list[dict]:
    base = {"id": "overall", "name": "总体满意度"}
    return [{**base, **first}, {**base, **second}]


def test_raised_target_judges_only_later_surveys(kb) -> None:
    files = history(
        ("s1", "2025-06-30", 4.3),
        ("s2", "2025-07-01", 4.3),
        definitions=revised(
            {"target": 4.2, "until": "2025-06-30"}, {"target": 4.5, "from": "2025-07-01"}
        ),
    )
    found = run(kb(files), "2025-07-02", "deviation-action")
    assert [f.path for f in found] == ["records/svc-x/surveys/s2.md"]
    assert "低于目标 4.5" in found[0].message


def test_target_edited_in_place_judges_every_survey(kb) -> None:
    files = history(
        ("s1", "2025-06-30", 4.3),
        definitions=[{"id": "overall", "name": "总体满意度", "target": 4.5}],
    )
    assert len(run(kb(files), "2025-07-02", "deviation-action")) == 1


def test_trend_does_not_cross_a_change_of_scale(kb) -> None:
    files = history(
        ("s1", "2025-03-01", 4.8),
        ("s2", "2025-06-01", 4.6),
        ("s3", "2025-09-01", 9.0),
        definitions=revised(
            {"target": 4.0, "until": "2025-06-30"},
            {"target": 8.0, "scale": 10, "from": "2025-07-01"},
        ),
    )
    assert run(kb(files), "2025-09-02", "deviation-action") == []


def test_trend_continues_across_periods_of_the_same_scale(kb) -> None:
    files = history(
        ("s1", "2025-03-01", 4.8),
        ("s2", "2025-06-01", 4.6),
        ("s3", "2025-09-01", 4.5),
        definitions=revised(
            {"target": 4.0, "until": "2025-06-30"}, {"target": 4.2, "from": "2025-07-01"}
        ),
    )
    [finding] = run(kb(files), "2025-09-02", "deviation-action")
    assert "连续 2 次调查下降" in finding.message


def test_lower_is_better_says_above_the_target(kb) -> None:
    files = history(
        ("s1", "2025-06-30", 2.5),
        definitions=[{"id": "overall", "name": "投诉率", "target": 2, "higher_is_better": False}],
    )
    [found] = run(kb(files), "2025-07-02", "deviation-action")
    assert "高于目标 2（越低越好）" in found.message and "低于目标" not in found.message


def test_an_action_not_yet_due_says_by_when(kb) -> None:
    files = history(
        ("s1", "2025-06-30", 3.5),
        definitions=[{"id": "overall", "name": "总体满意度", "target": 4.0}],
    )
    [found] = run(kb(files), "2025-07-02", "deviation-action")
    assert found.severity is Severity.INFO
    assert "尚无改进措施，须在 2025-07-30 前制订" in found.message


@pytest.mark.parametrize(
    ("review_day", "minutes_day", "late"),
    [
        ("2025-07-10", "2025-07-12", False),  # agreed on the 30th day, minutes written later
        ("2025-07-11", "2025-07-11", True),
    ],
)
def test_an_action_counts_on_the_day_of_its_meeting(kb, review_day, minutes_day, late) -> None:
    files = handled(**meeting_on(review_day))
    files[MINUTES] = minutes(date=minutes_day, actions=[ACTION])
    found = run(kb(files), "2025-08-01", "deviation-action")
    assert bool(found) is late, found
    if late:
        assert "评审会议日期 2025-07-11 晚于期限 2025-07-10" in found[0].message


@pytest.mark.parametrize(("first", "deviates"), [(4.9, True), (45, False), (-1, False)])
def test_a_score_off_the_scale_makes_no_deviation_nor_trend(kb, first, deviates) -> None:
    """45 (for 4.5) or -1 is a typing error that satisfaction-indicators reports: it is not a
    target miss itself, and the valid 4.7 and 4.6 after it are one drop, not a trend of two."""
    surveys = {
        f"records/svc-x/surveys/{id}.md": survey(id, day, score)
        for id, day, score in [
            ("s1", "2025-03-01", first),
            ("s2", "2025-06-01", 4.7),
            ("s3", "2025-09-01", 4.6),
        ]
    }
    found = run(kb(base(**surveys)), "2025-09-02")
    assert {f.path for f in found} == ({"records/svc-x/surveys/s3.md"} if deviates else set())
