"""Waivers: live ones mark findings as waived; expired, unknown or unused ones are reported."""

from __future__ import annotations

from typing import Any

import pytest

from brmkb import engine
from brmkb.findings import Severity
from tests.conftest import as_date, line_of, only, record, run, service

COMPLAINT = "records/svc-x/complaints/cp-1.md"
WAIVER = "records/waivers/wv-1.md"


def waiver(**fields: Any) -> str:
    defaults = {
        "rule": "complaint-closure",
        "record": "cp-1",
        "reason": "备件延迟到货",
        "approved_by": "质量经理",
        "expires": "2027-06-30",
    }
    return record("waiver", "wv-1", "# 豁免\n", **{**defaults, **fields})


def files(text: str | None) -> dict[str, str]:
    late = record(
        "complaint",
        "cp-1",
        "",
        service="svc-x",
        received="2026-03-01",
        severity="high",
        status="closed",
        closed="2026-03-09",
        resolution="更换备件",
    )
    out = {
        "policy.yml": only("complaint-closure"),
        "records/svc-x/service.md": service(),
        COMPLAINT: late,
    }
    if text is not None:
        out[WAIVER] = text
    return out


def test_live_waiver_marks_the_finding_waived_and_passes(kb) -> None:
    report = engine.run(kb(files(waiver())), as_date("2026-06-01"))
    (found,) = report.findings
    assert (found.rule, found.waived, found.severity) == (
        "complaint-closure",
        "wv-1",
        Severity.ERROR,
    )
    assert report.exit_code == 0


def test_without_waiver_the_finding_blocks(kb) -> None:
    assert engine.run(kb(files(None)), as_date("2026-06-01")).exit_code == 1


@pytest.mark.parametrize("target", ["3.3.1", "3.3"])
def test_clause_waives_every_rule_of_the_clause_and_subclauses(kb, target) -> None:
    (found,) = run(kb(files(waiver(rule=target))), "2026-06-01")
    assert found.waived == "wv-1"


def test_service_scope(kb) -> None:
    (found,) = run(kb(files(waiver(record=None, service="svc-x"))), "2026-06-01")
    assert found.waived == "wv-1"


def test_expired_waiver_is_an_error_and_waives_nothing(kb) -> None:
    text = waiver(expires="2026-05-31")
    found = run(kb(files(text)), "2026-06-01")
    assert sorted((f.rule, f.waived, f.line) for f in found) == sorted(
        [("complaint-closure", None, 8), ("waiver", None, line_of(text, "expires"))]
    )


def test_waiver_on_its_expiry_day_is_live(kb) -> None:
    (found,) = run(kb(files(waiver(expires="2026-06-01"))), "2026-06-01")
    assert found.waived == "wv-1"


def test_unknown_rule_and_format_rule_are_errors(kb) -> None:
    for target, words in (
        ("complaint-closer", "未知规则"),
        ("schema", "不能豁免"),
        ("9.9", "没有规则检查条款"),
    ):
        text = waiver(rule=target)
        own = [f for f in run(kb(files(text)), "2026-06-01") if f.rule == "waiver"]
        assert [(f.severity, f.line) for f in own] == [(Severity.ERROR, line_of(text, "rule"))]
        assert words in own[0].message


def test_waiver_matching_nothing_is_a_warning(kb) -> None:
    found = run(kb(files(waiver(record="cp-2"))), "2026-06-01")
    assert {(f.rule, f.severity) for f in found} == {
        ("complaint-closure", Severity.ERROR),
        ("waiver", Severity.WARNING),
    }


def test_malformed_waiver_is_a_format_error(kb) -> None:
    found = run(kb(files(waiver(record=None, expires="2027/6/30"))), "2026-06-01")
    assert {f.rule for f in found} >= {"schema", "date-format"}


ELSEWHERE = ["records/svc-x/wv-1.md", "records/svc-x/complaints/wv-1.md", "records/wv-1.md"]
#: A policy whose waivers take effect only in ``waivers/`` folders (as ``brmkb init`` writes it)
IN_FOLDER = only("complaint-closure", "waiver", waiver={"folder": "waivers"})


@pytest.mark.parametrize("place", ELSEWHERE)
def test_a_waiver_anywhere_under_records_is_live_by_default(kb, place) -> None:
    """RECORDS.md suggests a layout but does not require one: a waiver is a record."""
    report = engine.run(kb({**files(None), place: waiver()}), as_date("2026-06-01"))
    assert [(f.rule, f.waived) for f in report.findings] == [("complaint-closure", "wv-1")]
    assert report.exit_code == 0


@pytest.mark.parametrize("place", ELSEWHERE)
def test_with_a_folder_in_the_policy_a_waiver_elsewhere_is_refused(kb, place) -> None:
    written = {**files(None), "policy.yml": IN_FOLDER, place: waiver()}
    report = engine.run(kb(written), as_date("2026-06-01"))
    own = [f for f in report.findings if f.rule == "waiver"]
    assert [(f.path, f.line) for f in own] == [(place, 1)]
    assert "waivers/" in own[0].message and "folder" in own[0].message
    assert report.exit_code == 1  # not live: the complaint stays unwaived


def test_a_waiver_in_a_service_s_waivers_folder_is_live(kb) -> None:
    written = {**files(None), "policy.yml": IN_FOLDER, "records/svc-x/waivers/wv-1.md": waiver()}
    assert engine.run(kb(written), as_date("2026-06-01")).exit_code == 0


@pytest.mark.parametrize(
    ("target", "waived"), [("3.1.7", "wv-1"), ("3.1", "wv-1"), ("3.1.6", None)]
)
def test_clause_a_rule_also_reports_under_can_be_waived(kb, target, waived) -> None:
    from tests.conftest import review

    adhoc = review("rv-a", "2026-03-01", "adhoc", body="# 临时评审\n")  # no 3.1.7 sections
    files = {
        "policy.yml": only("review-sections"),
        "records/svc-x/service.md": service(),
        "records/svc-x/reviews/rv-a.md": adhoc,
        WAIVER: waiver(rule=target, record="rv-a"),
    }
    found = run(kb(files), "2026-06-01")
    sections = [f for f in found if f.rule == "review-sections"]
    assert len(sections) == 3 and {f.waived for f in sections} == {waived}
    assert [f.rule for f in found if f.rule == "waiver"] == ([] if waived else ["waiver"])


def test_a_second_waiver_of_the_same_finding_is_named_a_duplicate(kb) -> None:
    """It does match the finding: "matches nothing" would send the reader looking for a typo."""
    second = waiver(rule="3.3.1").replace("id: wv-1", "id: wv-2")
    root = kb({**files(waiver()), "records/waivers/wv-2.md": second})
    found = run(root, "2026-06-01")
    assert [(f.rule, f.waived) for f in found if f.rule != "waiver"] == [
        ("complaint-closure", "wv-1")
    ]
    (own,) = [f for f in found if f.rule == "waiver"]
    assert own.path == "records/waivers/wv-2.md" and own.severity is Severity.WARNING
    assert "已由豁免“wv-1”豁免" in own.message
