"""The record contract (v1.2) end to end: a complete, compliant knowledge base checks clean and
builds strict; each missing obligation is found by its rule, on its line.

Every variant edits the compliant knowledge base (``tests/contract/kb.py``) in one way and states
exactly the findings it adds to (or removes from) those of the compliant base.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest

from brmkb import engine
from tests.contract import kb
from tests.site import kbs

REPO = Path(__file__).resolve().parents[2]
ERP, IDC, OLD = kb.ERP, kb.IDC, kb.OLD
Files = dict[str, str | bytes]


@dataclass(frozen=True)
class Site:
    process: subprocess.Popen
    out: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """``mkdocs build --strict`` of the compliant knowledge base, started once and left to run
    while the variants are checked."""
    root = kb.write(tmp_path_factory.mktemp("contract-kb"), kb.files())
    kbs.mkdocs_yml(REPO, root)
    out = root.parent / "contract-site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")]
    process = subprocess.Popen(
        [*command, "-d", str(out)],
        cwd=REPO,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield Site(process, out)
    process.kill()
    process.communicate()


@pytest.fixture(scope="module")
def clean_root(tmp_path_factory: pytest.TempPathFactory, site: Site) -> Path:
    return kb.write(tmp_path_factory.mktemp("contract-clean"), kb.files())


Key = tuple[str, str, int | None, str, str | None]


def keys(root: Path) -> set[Key]:
    """Every finding as (rule, path, line, severity, waiver)."""
    report = engine.run(root, date.fromisoformat(kb.AS_OF))
    return {(f.rule, f.path, f.line, f.severity.value, f.waived) for f in report.findings}


@pytest.fixture(scope="module")
def baseline(clean_root: Path) -> set[Key]:
    return keys(clean_root)


# --- the compliant knowledge base ---------------------------------------------------------------


def test_the_complete_knowledge_base_has_no_error_and_no_warning(clean_root: Path) -> None:
    raw = (clean_root / IDC / "service.md").read_bytes()
    assert raw.startswith("\ufeff---\r\n".encode()) and b"\n" not in raw.replace(b"\r\n", b"")
    done = subprocess.run(
        [sys.executable, "-m", "brmkb", "check", str(clean_root), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    findings = json.loads(done.stdout)["findings"]
    loud = [f for f in findings if f["severity"] != "info" and f["waived"] is None]
    assert loud == [], json.dumps(loud, ensure_ascii=False, indent=1)
    waived = [
        (f["rule"], f["clause"], f["path"], f["line"], f["waived"]) for f in findings if f["waived"]
    ]
    assert waived == [
        ("complaint-closure", "3.3.1", f"{ERP}/complaints/CP-ERP-2026-002.md", 8, "WV-2026.001")
    ]


# --- variants: one missing obligation each -------------------------------------------------------


def edit(path: str, old: str, new: str) -> Callable[[Files], None]:
    """Replace the one occurrence of ``old`` in a file."""

    def apply(files: Files) -> None:
        text = files[path]
        assert isinstance(text, str) and text.count(old) == 1, (path, old)
        files[path] = text.replace(old, new)

    return apply


def add(path: str, text: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        assert path not in files, path
        files[path] = text

    return apply


def recoded(path: str, encoding: str) -> Callable[[Files], None]:
    """The file saved in another encoding than UTF-8."""

    def apply(files: Files) -> None:
        files[path] = str(files[path]).encode(encoding)

    return apply


def drop(*paths: str) -> Callable[[Files], None]:
    def apply(files: Files) -> None:
        for path in paths:
            del files[path]

    return apply


@dataclass(frozen=True)
class Case:
    """Edits, the findings they add (rule, path, the text on the finding's line or None for
    no line, severity; waived by ``waived``) and the baseline findings they take away."""

    edits: tuple[Callable[[Files], None], ...]
    added: tuple[tuple[str, str, str | None, str], ...]
    removed: tuple[Key, ...] = ()
    waived: str | None = None


def error(rule: str, path: str, needle: str | None) -> tuple[str, str, str | None, str]:
    return (rule, path, needle, "error")


def warning(rule: str, path: str, needle: str | None) -> tuple[str, str, str | None, str]:
    return (rule, path, needle, "warning")


def info(rule: str, path: str, needle: str | None) -> tuple[str, str, str | None, str]:
    return (rule, path, needle, "info")


#: Needles for the front matter's first line (where a missing key is reported) and the body's
#: last written line (where a missing section would go).
FIRST, LAST = "kind:", "\0last"


RV, MN = f"{ERP}/reviews", f"{ERP}/minutes"
IRV, IMN = f"{IDC}/reviews", f"{IDC}/minutes"
SVC_ERP, SVC_IDC = f"{ERP}/service.md", f"{IDC}/service.md"
ANNUAL_ERP = f"{RV}/RV-ERP-2026-06.md"
ANNUAL_IDC = f"{IRV}/RV-IDC-2025-ANNUAL.md"
ANNUAL_PLANNED = f"{IRV}/RV-IDC-2026-ANNUAL.md"
PRE = f"{RV}/RV-ERP-2025-12-PRE.md"
ADHOC = f"{RV}/RV-ERP-2025-11.md"
DEVIATING = f"{ERP}/surveys/SV-ERP-2026H1.md"
CP1, CP2 = f"{ERP}/complaints/CP-ERP-2026-001.md", f"{ERP}/complaints/CP-ERP-2026-002.md"
WAIVER = "records/waivers/WV-2026.001.md"
CP2_WAIVED: Key = ("complaint-closure", CP2, 8, "error", "WV-2026.001")


def moved(review: str, minutes: str, old: str, new: str) -> tuple[Callable[[Files], None], ...]:
    """A review and its minutes held on another day."""
    return (
        edit(review, f"date: {old}", f"date: {new}"),
        edit(minutes, f"date: {old}", f"date: {new}"),
    )


def survey_on(day: str) -> tuple[Callable[[Files], None], ...]:
    """The deviating survey held on ``day`` and recorded in May's report (due 2026-06-10); its
    improvement action stays in the minutes of 2026-06-16."""
    return (
        edit(DEVIATING, "date: 2026-06-10", f"date: {day}"),
        edit(f"{ERP}/monthly/MR-ERP-2026-06.md", "deviations: [SV-ERP-2026H1]\n", ""),
        edit(
            f"{ERP}/monthly/MR-ERP-2026-05.md",
            "prepared_by: 服务部\n",
            "prepared_by: 服务部\ndeviations: [SV-ERP-2026H1]\n",
        ),
    )


def later_request(received: str) -> tuple[Callable[[Files], None], ...]:
    """A request received on ``received`` whose ad-hoc review is planned for 2026-12-05."""
    return (
        add(
            f"{ERP}/requests/SR-2026-02.md",
            kb.front(
                f"kind: request\nid: SR-2026-02\nservice: SVC-ERP\ndate: {received}\n"
                "requested_by: 周海\nsubject: 年底结账保障专题评审\n",
                kb.body("年底结账保障专题评审请求", {"请求内容": "客户要求评审年底结账保障方案。"}),
            ),
        ),
        add(
            f"{RV}/RV-ERP-2026-12-ADHOC.md",
            kb.review(
                "SVC-ERP",
                "RV-ERP-2026-12-ADHOC",
                "adhoc",
                "2026-12-05",
                kb.ADHOC,
                "request: SR-2026-02\n",
            ),
        ),
    )


CASES: dict[str, Case] = {
    # 3.1.1 — month ends: 2025-06-30 + 6 months = 2025-12-31, 2026-02-28 + 6 months = 2026-08-31
    "review-one-day-late-after-june-30": Case(
        moved(f"{IRV}/RV-IDC-2025-12.md", f"{IMN}/MIN-IDC-2025-12.md", "2025-12-31", "2026-01-01"),
        (error("review-frequency", f"{IRV}/RV-IDC-2025-12.md", "date: 2026-01-01"),),
    ),
    "review-one-day-late-after-february-28": Case(
        moved(f"{IRV}/RV-IDC-2026-08.md", f"{IMN}/MIN-IDC-2026-08.md", "2026-08-31", "2026-09-01"),
        (error("review-frequency", f"{IRV}/RV-IDC-2026-08.md", "date: 2026-09-01"),),
    ),
    "planned-review-meets-nothing": Case(
        moved(f"{IRV}/RV-IDC-2026-08.md", f"{IMN}/MIN-IDC-2026-08.md", "2026-08-31", "2026-11-27"),
        (error("review-frequency", SVC_IDC, "start:"),),
    ),
    # 3.1.2
    "minutes-without-customer": Case(
        (edit(f"{MN}/MIN-2025-01.md", kb.CUSTOMER_ERP, ""),),
        (error("review-parties", f"{MN}/MIN-2025-01.md", "attendees:"),),
    ),
    "supplier-absent-for-twelve-months": Case(
        (
            edit(f"{MN}/MIN-2025-03.md", kb.SUPPLIER_ERP, ""),
            edit(f"{MN}/MIN-2026-06.md", kb.SUPPLIER_ERP, ""),
        ),
        (error("stakeholder-participation", SVC_ERP, "suppliers:"),),
    ),
    "external-organization-absent": Case(
        (edit(f"{MN}/MIN-2026-06.md", kb.EXTERNAL_ERP, ""),),
        (error("stakeholder-participation", SVC_ERP, "external:"),),
    ),
    # 3.1.3 / 3.1.6
    "major-change-without-after-review": Case(
        (drop(f"{RV}/RV-ERP-2026-01-POST.md", f"{MN}/MIN-2026-01.md"),),
        (error("additional-review", f"{ERP}/changes/CHG-2025-001.md", "major:"),),
    ),
    "before-review-one-day-too-early": Case(
        moved(PRE, f"{MN}/MIN-2025-02.md", "2025-12-05", "2025-12-01"),
        (error("additional-review", PRE, "date: 2025-12-01"),),
    ),
    "before-review-not-led-by-sales": Case(
        (edit(PRE, "organizer_dept: 销售部门", "organizer_dept: 服务部"),),
        (error("change-review-organizer", PRE, "organizer_dept:"),),
    ),
    "before-review-without-purpose-of-change": Case(
        (
            edit(
                PRE,
                "## 服务范围和SLA变更的目的\n\n" + kb.BEFORE["服务范围和SLA变更的目的"] + "\n\n",
                "",
            ),
        ),
        (error("review-sections", PRE, LAST),),  # where the missing section would go
    ),
    "before-review-on-the-first-day-of-its-window": Case(
        moved(PRE, f"{MN}/MIN-2025-02.md", "2025-12-05", "2025-12-02"), ()
    ),
    "after-review-on-the-last-day-of-its-window": Case(
        (
            edit(f"{RV}/RV-ERP-2026-01-POST.md", "date: 2026-01-15", "date: 2026-01-31"),
            edit(f"{MN}/MIN-2026-01.md", "date: 2026-01-16", "date: 2026-01-31"),
        ),
        (),
    ),
    "minor-change-review-prepared-by-sales": Case(
        (
            edit(
                f"{RV}/RV-ERP-2026-08-PRE.md",
                "phase: before\n",
                "phase: before\nprepared_by: 销售部门\n",
            ),
        ),
        (error("output-preparer", f"{RV}/RV-ERP-2026-08-PRE.md", "prepared_by:"),),
    ),
    # 3.1.4 / 3.1.7
    "adhoc-review-on-the-last-day": Case(
        moved(ADHOC, f"{MN}/MIN-2025-01.md", "2025-11-10", "2025-11-13"), ()
    ),
    "adhoc-review-one-day-late": Case(
        moved(ADHOC, f"{MN}/MIN-2025-01.md", "2025-11-10", "2025-11-14"),
        (error("adhoc-review", ADHOC, "date: 2025-11-14"),),
    ),
    # a review planned outside its window is a warning until the window has passed
    "adhoc-review-planned-too-late": Case(
        later_request("2026-11-20"),
        (
            warning("adhoc-review", f"{RV}/RV-ERP-2026-12-ADHOC.md", "date:"),
            info("adhoc-review", f"{ERP}/requests/SR-2026-02.md", "date:"),
        ),
    ),
    "adhoc-review-planned-after-the-request-is-overdue": Case(
        later_request("2026-11-10"),
        (
            warning("adhoc-review", f"{RV}/RV-ERP-2026-12-ADHOC.md", "date:"),
            error("adhoc-review", f"{ERP}/requests/SR-2026-02.md", "date:"),
        ),
    ),
    "adhoc-review-without-problems": Case(
        (
            edit(
                ADHOC,
                "## 需要处理的问题\n\n" + kb.ADHOC["需要处理的问题"],
                "## 需要处理的问题\n\n<!-- 待写 -->",
            ),
        ),
        (
            error("review-sections", ADHOC, "## 需要处理的问题"),
            warning("record-content", ADHOC, "## 需要处理的问题"),
        ),
    ),
    # 3.1.5
    "annual-review-without-project-summary": Case(
        (edit(ANNUAL_ERP, '  project_summary: {external: QM-SUM-2025-018, version: "1.0"}\n', ""),),
        (error("review-inputs", ANNUAL_ERP, "inputs:"),),
    ),
    "annual-input-file-missing": Case(
        (edit(ANNUAL_ERP, "服务合同-HT2025-018.pdf\n", "服务合同-HT2025-019.pdf\n"),),
        (error("input-path", ANNUAL_ERP, "service_contract:"),),
    ),
    "annual-input-outside-the-repository": Case(
        (
            edit(
                ANNUAL_ERP,
                "service_contract: ../attachments/服务合同-HT2025-018.pdf",
                "service_contract: ../../../../../etc/passwd",
            ),
        ),
        (error("input-path", ANNUAL_ERP, "service_contract:"),),
    ),
    "annual-input-of-another-service": Case(
        (edit(ANNUAL_ERP, "MR-ERP-2026-05]", "MR-IDC-2026-05]"),),
        (error("input-path", ANNUAL_ERP, "monthly_reports:"),),
    ),
    "numbered-section-headings": Case(
        (edit(ANNUAL_IDC, "## 当前和预计的业务需求\n", "## 3.1.5.6 当前和预计的业务需求\n"),), ()
    ),
    "annual-review-without-business-needs": Case(
        (edit(f"{ANNUAL_IDC}", "## 当前和预计的业务需求\n", "## 业务情况\n"),),
        (error("review-sections", ANNUAL_IDC, LAST),),
    ),
    "january-annual-review-without-covers": Case(
        (edit(ANNUAL_IDC, "covers: 2025\n", ""),),
        (error("annual-review", SVC_IDC, "start:"),),
        # counted for 2026 instead, which no longer waits for its planned review
        (("annual-review", SVC_IDC, 8, "info", None),),
    ),
    "january-annual-review-after-the-grace": Case(
        moved(ANNUAL_IDC, f"{IMN}/MIN-IDC-2025-ANNUAL.md", "2026-01-20", "2026-02-01"),
        (error("annual-review", ANNUAL_IDC, "covers:"), error("annual-review", SVC_IDC, "start:")),
    ),
    # by calendar years, SVC-ERP's first six months (2025-07-01 … 2025-12-31) owe their own review
    "calendar-years": Case(
        (edit("policy.yml", "year: contract", "year: calendar"),),
        (error("annual-review", SVC_ERP, "start:"),),
    ),
    # held in the grace after contract year 2025 (ends 2026-06-30) with covers: it counts for
    # that year, but everything else it answered is now late
    "contract-year-annual-review-in-its-grace": Case(
        (
            *moved(ANNUAL_ERP, f"{MN}/MIN-2026-06.md", "2026-06-16", "2026-07-20"),
            edit(ANNUAL_ERP, "type: annual\n", "type: annual\ncovers: 2025\n"),
        ),
        (
            error("review-frequency", ANNUAL_ERP, "date: 2026-07-20"),
            error("deviation-action", f"{MN}/MIN-2026-06.md", "id: AC-2026-01"),
            error("stakeholder-participation", f"{MN}/MIN-2026-06.md", "attendees:"),
        ),
        (("review-frequency", SVC_ERP, 8, "info", None),),
    ),
    # a review planned ahead is written before the meeting: what it discussed is not known yet
    "planned-annual-review-without-its-report": Case(
        (
            edit(ANNUAL_PLANNED, "## 当前和预计的业务需求", "## 议程"),
            edit(ANNUAL_PLANNED, "## 服务范围或内容可能发生的变化", "## 参会人员"),
            edit(
                ANNUAL_PLANNED,
                '  project_summary: {external: QM-SUM-2024-201, version: "2.0"}\n',
                "",
            ),
        ),
        (),
    ),
    "contract-year-without-annual-review": Case(
        (edit(ANNUAL_ERP, "type: annual", "type: periodic"),),
        (error("annual-review", SVC_ERP, "start:"),),
    ),
    # 3.1.8 / 3.1.9
    "agreed-plan-revision-overdue": Case(
        (
            edit(
                f"{MN}/MIN-2026-06.md",
                "status: done, done: 2026-06-28, revises",
                "status: open, revises",
            ),
        ),
        (error("agreed-revisions", f"{MN}/MIN-2026-06.md", "id: AC-2026-02"),),
    ),
    "action-done-without-date": Case(
        (edit(f"{MN}/MIN-2026-06.md", "done: 2026-07-20, ", ""),),
        (error("action-tracking", f"{MN}/MIN-2026-06.md", "id: AC-2026-01"),),
    ),
    "review-without-minutes": Case(
        (drop(f"{MN}/MIN-2025-03.md"),),
        (error("review-minutes", f"{RV}/RV-ERP-2025-12.md", "id: RV-ERP-2025-12"),),
    ),
    "minutes-planned-after-the-check-date": Case(
        (edit(f"{IMN}/MIN-IDC-2026-08.md", "date: 2026-08-31", "date: 2026-11-30"),),
        (error("review-minutes", f"{IRV}/RV-IDC-2026-08.md", "id: RV-IDC-2026-08"),),
    ),
    "minutes-dated-before-the-review": Case(
        (edit(f"{MN}/MIN-2026-01.md", "date: 2026-01-16", "date: 2026-01-14"),),
        (error("review-minutes", f"{MN}/MIN-2026-01.md", "date: 2026-01-14"),),
    ),
    "minutes-sent-to-nobody": Case(
        (edit(f"{MN}/MIN-2026-08.md", "distribution: [服务部, 销售部门]", "distribution: []"),),
        (error("minutes-distribution", f"{MN}/MIN-2026-08.md", "distribution:"),),
    ),
    # 3.2.1 / 3.2.2
    "survey-one-day-late-after-june-30": Case(
        (edit(f"{IDC}/surveys/SV-IDC-2025H2.md", "date: 2025-12-31", "date: 2026-01-01"),),
        (error("survey-cadence", f"{IDC}/surveys/SV-IDC-2025H2.md", "date: 2026-01-01"),),
    ),
    "survey-scores-an-undefined-indicator": Case(
        (
            edit(
                f"{ERP}/surveys/SV-ERP-2026H2.md",
                "  quality: 4.3\n",
                "  quality: 4.3\n  attitude: 4.6\n",
            ),
        ),
        (error("satisfaction-indicators", f"{ERP}/surveys/SV-ERP-2026H2.md", "attitude:"),),
    ),
    "survey-without-an-indicator-in-force": Case(
        (edit(f"{ERP}/surveys/SV-ERP-2026H2.md", "  quality: 4.3\n", ""),),
        (warning("satisfaction-indicators", f"{ERP}/surveys/SV-ERP-2026H2.md", "scores:"),),
    ),
    "score-above-the-scale": Case(
        (edit(f"{ERP}/surveys/SV-ERP-2026H2.md", "quality: 4.3", "quality: 5.3"),),
        (error("satisfaction-indicators", f"{ERP}/surveys/SV-ERP-2026H2.md", "quality:"),),
    ),
    "planned-survey-meets-nothing": Case(
        (edit(f"{IDC}/surveys/SV-IDC-2026H1.md", "date: 2026-06-30", "date: 2026-11-30"),),
        (error("survey-cadence", SVC_IDC, "satisfaction:"),),
    ),
    "indicator-periods-overlap-by-a-day": Case(
        (edit(SVC_ERP, "until: 2026-06-30", "until: 2026-07-01"),),
        (error("schema", SVC_ERP, "from: 2026-07-01"),),
        # a broken service record owes nothing until it is fixed (the error fails the gate)
        (
            ("monthly-report", SVC_ERP, 8, "info", None),
            ("review-frequency", SVC_ERP, 8, "info", None),
        ),
    ),
    # the revised target (4.3 from 2026-07-01) does not judge the earlier survey (target 4.0)
    "earlier-survey-judged-by-the-earlier-target": Case(
        (edit(f"{ERP}/surveys/SV-ERP-2025H2.md", "response: 4.3", "response: 4.1"),), ()
    ),
    "later-survey-judged-by-the-revised-target": Case(
        (edit(f"{ERP}/surveys/SV-ERP-2026H2.md", "response: 4.5", "response: 4.2"),),
        (
            info("deviation-action", f"{ERP}/surveys/SV-ERP-2026H2.md", "scores:"),
            info("deviation-report", f"{ERP}/surveys/SV-ERP-2026H2.md", "scores:"),
        ),
    ),
    "survey-on-the-last-day-of-the-earlier-target": Case(
        (
            add(
                f"{ERP}/surveys/SV-ERP-2026-06B.md",
                kb.survey(
                    "SVC-ERP", "SV-ERP-2026-06B", "2026-06-30", "  response: 4.25\n  quality: 4.3\n"
                ),
            ),
        ),
        (),
    ),
    "survey-on-the-first-day-of-the-revised-target": Case(
        (
            add(
                f"{ERP}/surveys/SV-ERP-2026-07.md",
                kb.survey(
                    "SVC-ERP", "SV-ERP-2026-07", "2026-07-01", "  response: 4.2\n  quality: 4.3\n"
                ),
            ),
        ),
        (
            error("deviation-action", f"{ERP}/surveys/SV-ERP-2026-07.md", "scores:"),
            error("deviation-report", f"{ERP}/surveys/SV-ERP-2026-07.md", "scores:"),
        ),
    ),
    # 3.2.3 / 3.2.4
    "deviation-acted-on-the-thirtieth-day": Case(survey_on("2026-05-17"), ()),
    "deviation-acted-on-the-thirty-first-day": Case(
        survey_on("2026-05-16"),
        (error("deviation-action", f"{MN}/MIN-2026-06.md", "id: AC-2026-01"),),
    ),
    # May's report is due on 2026-06-10: it may record a survey of that day, not of the next
    "deviation-in-a-report-due-on-the-survey-day": Case(survey_on("2026-06-10")[1:], ()),
    "deviation-in-a-report-due-before-the-survey": Case(
        survey_on("2026-06-11"), (error("deviation-report", DEVIATING, "scores:"),)
    ),
    "deviation-without-improvement-action": Case(
        (edit(f"{MN}/MIN-2026-06.md", ", addresses: SV-ERP-2026H1", ""),),
        (error("deviation-action", DEVIATING, "scores:"),),
    ),
    "deviation-not-in-the-monthly-report": Case(
        (edit(f"{ERP}/monthly/MR-ERP-2026-06.md", "deviations: [SV-ERP-2026H1]\n", ""),),
        (error("deviation-report", DEVIATING, "scores:"),),
    ),
    "deviation-reported-a-month-late": Case(
        (
            edit(f"{ERP}/monthly/MR-ERP-2026-06.md", "deviations: [SV-ERP-2026H1]\n", ""),
            edit(
                f"{ERP}/monthly/MR-ERP-2026-07.md",
                "prepared_by: 服务部\n",
                "prepared_by: 服务部\ndeviations: [SV-ERP-2026H1]\n",
            ),
        ),
        (error("deviation-report", f"{ERP}/monthly/MR-ERP-2026-07.md", "deviations:"),),
    ),
    "deviation-not-discussed-at-the-next-review": Case(
        (
            edit(
                ANNUAL_ERP,
                "discusses: [SV-ERP-2026H1, CP-ERP-2026-001]",
                "discusses: [CP-ERP-2026-001]",
            ),
        ),
        (error("deviation-review", ANNUAL_ERP, "discusses:"),),
    ),
    # a survey closed on the day of a review that discusses it needs no second discussion
    "deviation-discussed-at-a-review-on-the-survey-day": Case(
        (
            edit(f"{ERP}/surveys/SV-ERP-2025H2.md", "date: 2025-12-15", "date: 2025-12-18"),
            edit(f"{ERP}/surveys/SV-ERP-2025H2.md", "quality: 4.4", "quality: 4.1"),
            edit(
                f"{MN}/MIN-2025-03.md",
                "decisions: [确认本期服务运行情况]\n",
                "decisions: [确认本期服务运行情况]\nactions:\n  - {id: AC-2025-01, text: 制订问题解决质量改进方案, "
                "owner: 陈立, due: 2026-01-31, status: done, done: 2026-01-20, addresses: SV-ERP-2025H2}\n",
            ),
            edit(
                f"{ERP}/monthly/MR-ERP-2025-12.md",
                "prepared_by: 服务部\n",
                "prepared_by: 服务部\ndeviations: [SV-ERP-2025H2]\n",
            ),
        ),
        (),
    ),
    # every score of an indicator where lower is better (target 4.0) is now above its target
    "lower-is-better": Case(
        (edit(SVC_IDC, "higher_is_better: true", "higher_is_better: false"),),
        tuple(
            error(rule, f"{IDC}/surveys/{survey}.md", "scores:")
            for survey in ("SV-IDC-2025H1", "SV-IDC-2025H2", "SV-IDC-2026H1")
            for rule in ("deviation-action", "deviation-report")
        )
        + tuple(
            error("deviation-review", f"{IRV}/{review}.md", FIRST)
            for review in ("RV-IDC-2025-12", "RV-IDC-2025-ANNUAL", "RV-IDC-2026-08")
        ),
    ),
    "decline-in-two-surveys-running": Case(
        (edit(f"{IDC}/surveys/SV-IDC-2026H1.md", "support: 4.3", "support: 4.05"),),
        (
            error("deviation-action", f"{IDC}/surveys/SV-IDC-2026H1.md", "scores:"),
            error("deviation-report", f"{IDC}/surveys/SV-IDC-2026H1.md", "scores:"),
            error("deviation-review", f"{IRV}/RV-IDC-2026-08.md", FIRST),  # no discusses
        ),
    ),
    # 3.3.1
    "complaint-closed-one-day-late": Case(
        (edit(CP1, "closed: 2026-04-07", "closed: 2026-04-08"),),
        (error("complaint-closure", CP1, "closed:"),),
    ),
    "complaint-open-past-its-days": Case(
        (
            edit(
                CP1,
                "status: closed\nclosed: 2026-04-07\nresolution: 更换故障存储控制器并完成数据校验\n",
                "status: open\n",
            ),
        ),
        (error("complaint-closure", CP1, "status:"),),
    ),
    "complaint-closed-without-resolution": Case(
        (edit(CP1, "resolution: 更换故障存储控制器并完成数据校验\n", ""),),
        (error("complaint-closure", CP1, FIRST),),  # a missing key: the front matter's first line
    ),
    # 4
    "month-without-monthly-report": Case(
        (drop(f"{IDC}/monthly/MR-IDC-2026-02.md"),),
        (error("monthly-report", SVC_IDC, "start:"),),
    ),
    "monthly-report-prepared-by-sales": Case(
        (edit(f"{ERP}/monthly/MR-ERP-2026-03.md", "prepared_by: 服务部", "prepared_by: 销售部门"),),
        (error("output-preparer", f"{ERP}/monthly/MR-ERP-2026-03.md", "prepared_by:"),),
    ),
    # a typing slip that would leave the service owing nothing at all
    "service-ending-before-it-starts": Case(
        (edit(f"{OLD}/service.md", "end: 2025-06-30", "end: 2024-06-30"),),
        (error("schema", f"{OLD}/service.md", "end:"),),
    ),
    "ended-service-without-its-last-monthly-report": Case(
        (drop(f"{OLD}/monthly/MR-OLD-2025-06.md"),),
        (error("monthly-report", f"{OLD}/service.md", "start:"),),
    ),
    "monthly-report-after-the-service-ended": Case(
        (add(f"{OLD}/monthly/MR-OLD-2025-07.md", kb.monthly("SVC-OLD", "OLD", "2025-07")),),
        (warning("monthly-report", f"{OLD}/monthly/MR-OLD-2025-07.md", "month:"),),
    ),
    "ended-service-without-annual-review": Case(
        (edit(f"{OLD}/reviews/RV-OLD-2025-06.md", "type: annual", "type: periodic"),),
        (error("annual-review", f"{OLD}/service.md", "start:"),),
    ),
    "external-documents-not-allowed": Case(
        (edit("policy.yml", "rules:\n", "rules:\n  input-path:\n    allow_external: false\n"),),
        tuple(
            error("input-path", path, line)
            for path, text in kb.files().items()
            if isinstance(text, str) and path.endswith(".md")
            for line in text.split("\n")
            if "{external:" in line
        ),
    ),
    # a broken file is reported and never stops the others from being checked
    "broken-yaml-in-one-record": Case(
        (edit(f"{OLD}/surveys/SV-OLD-2025H1.md", "  overall: 4.4", "\toverall: 4.4"),),
        (error("yaml-syntax", f"{OLD}/surveys/SV-OLD-2025H1.md", "overall: 4.4"),),
    ),
    # a record that cannot be read counts for nothing: its month is missing
    "record-in-another-encoding": Case(
        (recoded(f"{IDC}/monthly/MR-IDC-2026-04.md", "gb18030"),),
        (
            error(
                "encoding", f"{IDC}/monthly/MR-IDC-2026-04.md", "prepared_by:"
            ),  # first non-ASCII
            error("monthly-report", SVC_IDC, "start:"),
        ),
    ),
    "front-matter-never-closed": Case(
        (
            edit(
                f"{IDC}/monthly/MR-IDC-2026-04.md",
                "prepared_by: 服务部\n---\n",
                "prepared_by: 服务部\n",
            ),
        ),
        (
            error("front-matter", f"{IDC}/monthly/MR-IDC-2026-04.md", "---"),
            error("monthly-report", SVC_IDC, "start:"),
        ),
    ),
    "record-too-large": Case(
        (
            edit(
                f"{IDC}/monthly/MR-IDC-2026-04.md",
                "## 下月计划",
                "巡检记录。" * 80_000 + "\n\n## 下月计划",
            ),
        ),
        (
            error("file-size", f"{IDC}/monthly/MR-IDC-2026-04.md", None),
            error("monthly-report", SVC_IDC, "start:"),
        ),
    ),
    "prompt-left-from-brmkb-new": Case(
        (
            edit(
                f"{ERP}/monthly/MR-ERP-2026-03.md",
                "## 下月计划\n",
                "## 下月计划\n\n<!-- 请填写：下月的重点工作 -->\n",
            ),
        ),
        (error("unfinished-record", f"{ERP}/monthly/MR-ERP-2026-03.md", "请填写"),),
    ),
    "attachment-of-a-type-never-published": Case(
        (add(f"{ERP}/attachments/报表.html", b"<script>alert(1)</script>"),),
        (error("attachment-type", f"{ERP}/attachments/报表.html", None),),
    ),
    "body-line-too-long-to-render": Case(
        (
            edit(
                f"{IDC}/monthly/MR-IDC-2026-04.md",
                "## 下月计划\n\n",
                "## 下月计划\n\n" + "巡检" * 60_000,
            ),
        ),
        (
            error("record-limits", f"{IDC}/monthly/MR-IDC-2026-04.md", "巡检巡检"),
            error("monthly-report", SVC_IDC, "start:"),  # the record is not read
        ),
    ),
    "date-written-with-slashes": Case(
        (edit(CP1, "closed: 2026-04-07", "closed: 2026/4/7"),),
        (error("date-format", CP1, "closed:"),),
    ),
    "planned-survey-deviates-not-yet": Case(
        (
            edit(f"{ERP}/surveys/SV-ERP-2026H2.md", "date: 2026-11-16", "date: 2026-11-30"),
            edit(f"{ERP}/surveys/SV-ERP-2026H2.md", "response: 4.5", "response: 3.0"),
        ),
        (info("survey-cadence", SVC_ERP, "satisfaction:"),),
    ),
    # waivers and references
    "expired-waiver": Case(
        (edit(WAIVER, "expires: 2027-03-31", "expires: 2026-11-25"),),
        (error("waiver", WAIVER, "expires:"), error("complaint-closure", CP2, "closed:")),
        (CP2_WAIVED,),
    ),
    "waiver-of-an-unchecked-clause": Case(
        (edit(WAIVER, "rule: 3.3.1", "rule: 3.3.2"),),
        (error("waiver", WAIVER, "rule:"), error("complaint-closure", CP2, "closed:")),
        (CP2_WAIVED,),
    ),
    "waiver-expiring-on-the-check-date": Case(
        (edit(WAIVER, "expires: 2027-03-31", "expires: 2026-11-26"),), ()
    ),
    "missing-monthly-report-waived-by-clause-for-a-service": Case(
        (
            drop(f"{IDC}/monthly/MR-IDC-2026-02.md"),
            add(
                "records/waivers/WV-2026.002.md",
                kb.front(
                    "kind: waiver\nid: WV-2026.002\nrule: 4\nservice: SVC-IDC\n"
                    "reason: 机房搬迁当月合并报告\napproved_by: 质量管理部\nexpires: 2027-06-30\n",
                    kb.body("月报豁免", {"豁免理由": "二月与三月月报合并提交，客户已确认。"}),
                ),
            ),
        ),
        # the whole service's clause 4 is waived, the reminder of the next report too
        (error("monthly-report", SVC_IDC, "start:"), info("monthly-report", SVC_IDC, "start:")),
        (("monthly-report", SVC_IDC, 8, "info", None),),
        waived="WV-2026.002",
    ),
    # read as written: 3.30 is no clause, not 3.3
    "waiver-of-an-unchecked-clause-written-as-a-number": Case(
        (edit(WAIVER, "rule: 3.3.1", "rule: 3.30"),),
        (error("waiver", WAIVER, "rule:"), error("complaint-closure", CP2, "closed:")),
        (CP2_WAIVED,),
    ),
    "waiver-of-a-clause-written-as-a-number": Case((edit(WAIVER, "rule: 3.3.1", "rule: 3.3"),), ()),
    "id-repeated-in-another-case": Case(
        (
            add(
                f"{IDC}/monthly/dup.md",
                str(kb.files()[f"{IDC}/monthly/MR-IDC-2026-02.md"]).replace(
                    "id: MR-IDC-2026-02", "id: mr-idc-2026-02"
                ),
            ),
        ),
        (
            error("duplicate-id", f"{IDC}/monthly/dup.md", "id: mr-idc-2026-02"),
            error("duplicate-id", f"{IDC}/monthly/MR-IDC-2026-02.md", "id: MR-IDC-2026-02"),
        ),
    ),
    "reference-in-another-case": Case(
        (edit(ANNUAL_ERP, "discusses: [SV-ERP-2026H1,", "discusses: [sv-erp-2026h1,"),),
        (
            error("reference", ANNUAL_ERP, "discusses:"),
            error("deviation-review", ANNUAL_ERP, "discusses:"),
        ),
    ),
}


def line(text: str, needle: str | None) -> int | None:
    if needle is None:
        return None
    if needle == LAST:
        return text.rstrip().count("\n") + 1
    found = [n for n, content in enumerate(text.split("\n"), 1) if needle in content]
    assert found, needle
    return found[0]


def _text(content: str | bytes) -> str:
    return content if isinstance(content, str) else content.decode("gb18030")


@pytest.mark.parametrize("name", list(CASES))
def test_variant(name: str, baseline: set[Key], tmp_path: Path) -> None:
    case = CASES[name]
    files = kb.files()
    for change in case.edits:
        change(files)
    got = keys(kb.write(tmp_path, files))
    added = {
        (rule, path, line(_text(files[path]), needle), severity, case.waived)
        for rule, path, needle, severity in case.added
    }
    assert got - baseline == added
    assert baseline - got == set(case.removed)


@pytest.mark.parametrize(
    ("as_of", "rule", "severity"),
    [
        ("2026-12-31", "survey-cadence", "info"),  # 2026-06-30 + 6 months: the due day is on time
        ("2027-01-01", "survey-cadence", "error"),
        ("2026-12-10", "monthly-report", "info"),  # 2026-11's report is due on 2026-12-10
        ("2026-12-11", "monthly-report", "error"),
    ],
)
def test_an_obligation_is_on_time_on_its_due_day(
    clean_root: Path, as_of: str, rule: str, severity: str
) -> None:
    report = engine.run(clean_root, date.fromisoformat(as_of))
    found = {
        f.severity.value
        for f in report.findings
        if f.rule == rule and f.path == f"{IDC}/service.md"
    }
    assert found == {severity}


@pytest.mark.parametrize(
    ("as_of", "severity"),
    [("2026-06-30", "info"), ("2026-07-31", "warning"), ("2026-08-01", "error")],
)
def test_a_missing_annual_review_is_an_error_only_after_its_grace(
    tmp_path: Path, as_of: str, severity: str
) -> None:
    """Contract year 2025 of SVC-ERP ends 2026-06-30; 31 days of grace follow."""
    files = kb.files()
    for change in CASES["contract-year-without-annual-review"].edits:
        change(files)
    report = engine.run(kb.write(tmp_path, files), date.fromisoformat(as_of))
    found = [f for f in report.findings if f.rule == "annual-review" and f.path == SVC_ERP]
    assert [f.severity.value for f in found] == [severity]
    assert "合同年 2025" in found[0].message


# last: the build ran while the variants were checked
def test_the_complete_knowledge_base_builds_strict(site: Site) -> None:
    log, _ = site.process.communicate(timeout=300)
    assert site.process.returncode == 0, log
    assert (site.out / "records/chg-2025-001/index.html").is_file()
    assert (site.out / "services/svc-idc/index.html").is_file()
    page = (site.out / "records/min-2025-01/index.html").read_text(encoding="utf-8")
    assert "MIN-2025-01" in page and 'href="../rv-erp-2025-11/"' in page
    assert (site.out / "records/wv-2026.001/index.html").is_file()
    annual = (site.out / "records/rv-erp-2026-06/index.html").read_text(encoding="utf-8")
    contract = "SVC-ERP/attachments/服务合同-HT2025-018.pdf"
    assert (site.out / "records" / contract).is_file()
    assert f'href="../{quote(contract)}"' in annual  # the input and the link in the body
