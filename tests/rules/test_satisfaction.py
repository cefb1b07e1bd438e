"""satisfaction-indicators (3.2.2) and survey-cadence (3.2.1)."""

from __future__ import annotations

from typing import Any

import pytest

from brmkb.findings import Severity
from tests.conftest import SERVICE, assert_findings, line_of, only, record, run, service

INDICATORS = [
    {"id": "overall", "name": "总体满意度", "target": 4.0},
    {"id": "speed", "name": "响应速度", "target": 4.2},
]


def survey(id: str, day: str, **scores: Any) -> str:
    return record(
        "survey",
        id,
        "# 调查\n",
        service="svc-x",
        date=day,
        responses=20,
        scores=scores or {"overall": 4.5, "speed": 4.4},
    )


def files(
    *surveys: tuple[str, str], rules: str = "satisfaction-indicators", **fields: Any
) -> dict[str, str]:
    fields.setdefault("satisfaction", INDICATORS)
    files = {"policy.yml": only(rules), SERVICE: service(start="2025-01-01", **fields)}
    files.update({f"records/svc-x/surveys/{id}.md": text for id, text in surveys})
    return files


def test_indicators_and_valid_scores_pass(kb) -> None:
    assert_findings(run(kb(files(("s1", survey("s1", "2025-06-01"))))), [])


def test_service_without_indicators_is_an_error(kb) -> None:
    (found,) = run(kb(files(satisfaction=None)))
    assert (
        found.rule == "satisfaction-indicators"
        and found.path == SERVICE
        and found.clause == "3.2.2"
    )


def test_target_outside_the_scale_is_an_error(kb) -> None:
    text = service(
        start="2025-01-01", satisfaction=[{"id": "overall", "name": "总体", "target": 6}]
    )
    root = kb({**files(), SERVICE: text})
    assert_findings(
        run(root), [("satisfaction-indicators", SERVICE, line_of(text, "satisfaction") + 1)]
    )


def test_unknown_indicator_and_score_over_scale(kb) -> None:
    text = survey("s1", "2025-06-01", overall=5.5, speed=4.0, spead=4.0)
    found = run(kb(files(("s1", text))))
    assert sorted(f.line for f in found) == [line_of(text, "overall"), line_of(text, "spead")]


def test_missing_score_is_a_warning(kb) -> None:
    (found,) = run(kb(files(("s1", survey("s1", "2025-06-01", overall=4.5)))))
    assert found.severity is Severity.WARNING and "响应速度" in found.message


def test_surveys_every_six_months_pass_and_one_day_over_fails(kb) -> None:
    ok = files(
        ("s1", survey("s1", "2025-07-01")),
        ("s2", survey("s2", "2026-01-01")),
        rules="survey-cadence",
    )
    assert_findings(run(kb(ok), "2026-05-31"), [])
    late_text = survey("s2", "2026-01-02")
    late = files(("s1", survey("s1", "2025-07-01")), ("s2", late_text), rules="survey-cadence")
    (found,) = run(kb(late), "2026-05-31")
    assert (found.rule, found.path, found.line) == (
        "survey-cadence",
        "records/svc-x/surveys/s2.md",
        line_of(late_text, "date"),
    )


def test_overdue_survey_is_an_error_on_the_service(kb) -> None:
    (found,) = run(
        kb(files(("s1", survey("s1", "2025-07-01")), rules="survey-cadence")), "2026-01-02"
    )
    assert (
        found.path == SERVICE
        and found.severity is Severity.ERROR
        and "已逾期 1 天" in found.message
    )


def test_surveys_at_half_year_ends_are_on_time(kb) -> None:
    held = [("s1", "2025-06-30"), ("s2", "2025-12-31"), ("s3", "2026-06-30")]
    ends = files(*((id, survey(id, day)) for id, day in held), rules="survey-cadence")
    assert_findings(run(kb(ends), "2026-07-31"), [])


def test_a_survey_a_day_after_the_month_end_is_late(kb) -> None:
    late_text = survey("s2", "2026-01-01")
    late = files(("s1", survey("s1", "2025-06-30")), ("s2", late_text), rules="survey-cadence")
    (found,) = run(kb(late), "2026-01-31")
    assert found.path == "records/svc-x/surveys/s2.md" and "2025-12-31" in found.message


# --- indicator history: from/until ---------------------------------------------------------

REPLACED = [
    {"id": "quality", "name": "解决质量", "target": 4.0, "until": "2025-06-30"},
    {"id": "resolution", "name": "解决率", "target": 4.0, "from": "2025-07-01"},
]


def test_each_survey_uses_the_indicators_in_force_on_its_date(kb) -> None:
    root = kb(
        files(
            ("s1", survey("s1", "2025-06-30", quality=4.5)),
            ("s2", survey("s2", "2025-07-01", resolution=4.5)),
            satisfaction=REPLACED,
        )
    )
    assert run(root) == []


def test_score_of_an_indicator_no_longer_in_force_is_an_error(kb) -> None:
    text = survey("s2", "2025-07-01", quality=4.5, resolution=4.5)
    [found] = run(kb(files(("s2", text), satisfaction=REPLACED)))
    assert found.line == line_of(text, "quality")
    assert "2025-07-01 没有生效的定义" in found.message


def test_indicator_in_force_without_a_score_is_a_warning(kb) -> None:
    text = survey("s1", "2025-06-30", resolution=4.5)
    found = run(kb(files(("s1", text), satisfaction=REPLACED)))
    assert sorted((f.severity.rank, f.line) for f in found) == [
        (Severity.ERROR.rank, line_of(text, "resolution")),
        (Severity.WARNING.rank, line_of(text, "scores")),
    ]
    assert "解决质量" in next(f.message for f in found if f.severity is Severity.WARNING)


def test_revised_scale_judges_scores_by_the_scale_then(kb) -> None:
    revised = [
        {"id": "overall", "name": "总体", "target": 4.0, "until": "2025-06-30"},
        {"id": "overall", "name": "总体", "target": 8.0, "scale": 10, "from": "2025-07-01"},
    ]
    before = survey("s1", "2025-06-30", overall=9.0)
    after = survey("s2", "2025-07-01", overall=9.0)
    found = run(kb(files(("s1", before), ("s2", after), satisfaction=revised)))
    assert [f.path for f in found] == ["records/svc-x/surveys/s1.md"]


@pytest.mark.parametrize(
    ("until", "start", "ok"),
    [("2025-06-30", "2025-07-01", True), ("2025-07-01", "2025-07-01", False)],
)
def test_overlapping_periods_are_a_format_error_at_the_line(kb, until, start, ok) -> None:
    periods = [
        {"id": "overall", "name": "总体", "target": 4.0, "until": until},
        {"id": "overall", "name": "总体", "target": 4.5, "from": start},
    ]
    text = service(start="2025-01-01", satisfaction=periods)
    found = [f for f in run(kb({**files(), SERVICE: text})) if f.rule == "schema"]
    if ok:
        assert found == []
    else:
        [finding] = found
        assert finding.line == line_of(text, "satisfaction") + 2
        assert "重叠" in finding.message


def test_undated_definitions_of_one_id_overlap(kb) -> None:
    periods = [{"id": "overall", "name": "总体", "target": t} for t in (4.0, 4.5)]
    found = run(kb({**files(), SERVICE: service(start="2025-01-01", satisfaction=periods)}))
    assert [f.rule for f in found] == ["schema"]


def test_until_before_from_is_a_format_error(kb) -> None:
    periods = [
        {
            "id": "overall",
            "name": "总体",
            "target": 4.0,
            "from": "2025-07-01",
            "until": "2025-06-30",
        }
    ]
    found = run(kb({**files(), SERVICE: service(start="2025-01-01", satisfaction=periods)}))
    assert [f.rule for f in found] == ["schema"] and "早于" in found[0].message


@pytest.mark.parametrize(
    ("indicator", "valid"),
    [
        ({"target": 0, "higher_is_better": False, "scale": 10}, True),  # zero complaints
        ({"target": 5}, True),  # a perfect score
        ({"target": 0.1}, True),
        ({"target": 0}, False),  # every score meets it
        ({"target": 10, "higher_is_better": False, "scale": 10}, True),  # the contract allows it
        ({"target": -1, "higher_is_better": False}, False),
    ],
)
def test_target_on_the_edges_of_the_scale(kb, indicator, valid) -> None:
    text = service(
        start="2025-01-01", satisfaction=[{"id": "overall", "name": "总体", **indicator}]
    )
    found = run(kb({**files(), SERVICE: text}))
    assert (found == []) is valid, found


def planned_survey(scores: dict[str, float]) -> str:
    return record(
        "survey", "s9", "# 调查\n", service="svc-x", date="2026-01-20", responses=0, scores=scores
    )


@pytest.mark.parametrize(
    ("as_of", "missing"),
    [("2026-01-19", False), ("2026-01-20", True)],  # planned, then held on its day
)
def test_a_planned_survey_has_no_scores_yet(kb, as_of, missing) -> None:
    root = kb(files(("s9", planned_survey({}))))
    found = run(root, as_of, "satisfaction-indicators")
    assert len(found) == (2 if missing else 0), found


def test_a_planned_survey_still_scores_only_indicators_in_force(kb) -> None:
    root = kb(files(("s9", planned_survey({"overal": 4.0}))))
    [found] = run(root, "2026-01-19", "satisfaction-indicators")
    assert found.severity is Severity.ERROR and "overal" in found.message


def test_a_survey_due_soon_names_the_planned_one(kb) -> None:
    root = kb(files(("s9", planned_survey({})), rules="survey-cadence"))
    [found] = run(root, "2025-06-20", "survey-cadence")
    assert found.severity is Severity.INFO
    assert "已计划于 2026-01-20 开展（s9），开展后才算完成" in found.message


def test_a_score_of_an_indicator_in_another_case_says_how_it_is_written(kb) -> None:
    text = survey("s1", "2025-06-01", Overall=4.5, speed=4.4)
    found = run(kb(files(("s1", text))))
    [wrong] = [f for f in found if f.line == line_of(text, "Overall")]
    assert "编号大小写不一致，是否指 overall？" in wrong.message
