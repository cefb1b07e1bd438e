"""References between records, and review inputs that name records or outside documents."""

from __future__ import annotations

import pytest

from tests.conftest import (
    ALL_INPUTS,
    SERVICE,
    assert_findings,
    external,
    line_of,
    minutes,
    monthly,
    record,
    review,
    run,
    service,
)

REVIEW = "records/svc-x/reviews/rv-x-1.md"
OTHER = "records/svc-y/service.md"


def with_reports(kb, reports, files=(), policy=None):
    text = review(type="annual", inputs={**ALL_INPUTS, "monthly_reports": reports})
    kb_files = {
        SERVICE: service(),
        REVIEW: text,
        OTHER: service(id="svc-y"),
        "records/svc-x/monthly/mr-x-2025-05.md": monthly("mr-x-2025-05", "2025-05"),
        "records/svc-y/monthly/mr-y-2025-05.md": monthly("mr-y-2025-05", "2025-05", "svc-y"),
        **dict(files),
    }
    if policy:
        kb_files["policy.yml"] = policy
    return run(kb(kb_files), rules={"input-path", "reference"}), text


# --- reference ----------------------------------------------------------------------------


def test_references_that_resolve_pass(kb):
    root = kb(
        {
            SERVICE: service(),
            REVIEW: review(),
            "records/svc-x/minutes/mn-x-1.md": minutes(),
        }
    )
    assert run(root, rules="reference") == []


def test_reference_to_a_missing_record(kb):
    text = minutes(review="rv-nope")
    root = kb({SERVICE: service(), "records/m.md": text})
    [finding] = assert_findings(
        run(root, rules="reference"), [("reference", "records/m.md", line_of(text, "review"))]
    )
    assert "rv-nope" in finding.message
    assert finding.clause is None


def test_reference_to_a_record_of_the_wrong_kind(kb):
    text = minutes(review="svc-x")
    root = kb({SERVICE: service(), "records/m.md": text})
    [finding] = assert_findings(
        run(root, rules="reference"), [("reference", "records/m.md", line_of(text, "review"))]
    )
    assert "服务项目档案" in finding.message


def test_reference_to_a_record_of_another_service(kb):
    text = review(discusses=["sv-y-1"])
    survey = record("survey", "sv-y-1", service="svc-y", date="2025-05-01", responses=3, scores={})
    root = kb(
        {SERVICE: service(), OTHER: service(id="svc-y"), REVIEW: text, "records/s.md": survey}
    )
    [finding] = assert_findings(
        run(root, rules="reference"), [("reference", REVIEW, line_of(text, "discusses"))]
    )
    assert "svc-y" in finding.message


# --- input-path ---------------------------------------------------------------------------


def test_monthly_report_ids_of_the_same_service_pass(kb):
    found, _ = with_reports(kb, ["mr-x-2025-05"])
    assert found == []


def test_monthly_reports_naming_a_record_of_another_kind(kb):
    found, text = with_reports(kb, ["svc-x"])
    [finding] = assert_findings(found, [("input-path", REVIEW, line_of(text, "monthly_reports"))])
    assert "服务月报" in finding.message


def test_monthly_reports_of_another_service(kb):
    found, text = with_reports(kb, ["mr-y-2025-05"])
    [finding] = assert_findings(found, [("input-path", REVIEW, line_of(text, "monthly_reports"))])
    assert "svc-y" in finding.message


def test_monthly_report_that_does_not_exist(kb):
    found, text = with_reports(kb, ["mr-x-2025-06"])
    assert_findings(found, [("input-path", REVIEW, line_of(text, "monthly_reports"))])


def test_document_input_naming_a_record(kb):
    text = review(type="annual", inputs={**ALL_INPUTS, "service_contract": "svc-x"})
    root = kb({SERVICE: service(), REVIEW: text})
    [finding] = assert_findings(
        run(root, rules="input-path"), [("input-path", REVIEW, line_of(text, "service_contract"))]
    )
    assert "文件路径" in finding.message


def test_external_document_allowed_by_default(kb):
    found, _ = with_reports(kb, [external("MR-2025")])
    assert found == []


def test_external_document_refused_by_policy(kb):
    policy = "rules:\n  input-path:\n    allow_external: false\n"
    found, text = with_reports(kb, ["mr-x-2025-05"], policy=policy)
    # the four document inputs of ALL_INPUTS are external; the monthly report is an id
    lines = [line_of(text, key) for key in ALL_INPUTS if key != "monthly_reports"]
    assert_findings(found, [("input-path", REVIEW, line) for line in lines])
    assert all("外部" in f.message for f in found)


def test_each_item_of_a_block_list_has_its_line(kb):
    text = review(
        type="annual", inputs={**ALL_INPUTS, "monthly_reports": ["mr-x-2025-05", "mr-x-2099-01"]}
    )
    text = text.replace(
        "monthly_reports: [mr-x-2025-05, mr-x-2099-01]",
        "monthly_reports:\n    - mr-x-2025-05\n    - mr-x-2099-01",
    )
    root = kb(
        {
            SERVICE: service(),
            REVIEW: text,
            "records/svc-x/monthly/m.md": monthly("mr-x-2025-05", "2025-05"),
        }
    )
    assert_findings(
        run(root, rules="input-path"),
        [("input-path", REVIEW, line_of(text, "monthly_reports") + 2)],
    )


@pytest.mark.parametrize("written", ["mr.x.2025.05", "MR-X-2025-05"])
def test_a_monthly_report_id_in_another_case_says_how_it_is_written(kb, written):
    report = {"records/svc-x/monthly/dots.md": monthly("MR.X.2025.05", "2025-06")}
    found, text = with_reports(kb, [written], report.items())
    [finding] = assert_findings(found, [("input-path", REVIEW, line_of(text, "monthly_reports"))])
    assert "编号大小写不一致" in finding.message, finding.message


def test_a_monthly_report_id_with_dots_resolves(kb):
    report = {"records/svc-x/monthly/dots.md": monthly("MR.X.2025.06", "2025-06")}
    found, _ = with_reports(kb, ["MR.X.2025.06"], report.items())
    assert found == []
