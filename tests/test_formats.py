"""The CI formats of ``brmkb check``: GitHub workflow commands, JUnit XML and Markdown.

Each format is compared with a golden file (``tests/golden/formats/``) made from a small
knowledge base with an error, a warning, a notice and a waived error, plus one finding whose
path and message carry every character a format must escape. Regenerate the golden files
with ``BRMKB_UPDATE_GOLDEN=1 pytest tests/test_formats.py`` and review the diff.
"""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from brmkb import cli, engine
from brmkb.findings import Finding, Severity
from brmkb.render import github, junit, markdown
from tests.conftest import write_kb

GOLDEN = Path(__file__).parent / "golden" / "formats"
AS_OF = date(2026, 6, 1)
RULES = {"review-frequency", "review-parties", "action-tracking", "complaint-closure", "waiver"}

SERVICE = """\
---
kind: service
id: svc-a
name: 甲服务
customer: 甲方公司
project_manager: 张三
start: 2025-12-15
---

# 甲服务
"""
REVIEW = """\
---
kind: review
id: rv-a-2026-01
service: svc-a
type: periodic
date: 2025-12-20
organizer: 张三
organizer_dept: 服务部
---

# 评审
"""
MINUTES = """\
---
kind: minutes
id: mn-a-2026-01
review: rv-a-2026-01
date: 2025-12-20
attendees:
  - {name: 张三, org: 乙方公司, dept: 服务部, party: internal}
distribution: [服务部]
actions:
  - {id: ac-1, text: 补充巡检报告, owner: 张三, due: 2026-03-01, status: open}
---

# 纪要
"""
COMPLAINT = """\
---
kind: complaint
id: cp-a-2026-001
service: svc-a
received: 2026-02-01
severity: high
status: closed
closed: 2026-02-20
resolution: 已更换设备
---

# 投诉
"""
WAIVER = """\
---
kind: waiver
id: wv-a-2026-001
rule: complaint-closure
record: cp-a-2026-001
reason: 备件缺货
approved_by: 质量管理部
expires: 2027-01-01
---

# 豁免
"""

#: Every character the formats must escape: %, CR, LF, ``:`` and ``,`` in a property, ``|``
#: and HTML in a table cell, XML specials and a control character in JUnit.
ODD = Finding(
    rule="schema",
    clause=None,
    severity=Severity.ERROR,
    path="records/svc-a/odd: a,b%.md",
    line=3,
    message='100% 不对：第一行\r\n第二行 | 管道 <b>粗</b> & "引号"\x07',
    record="odd",
)


def _policy() -> str:
    from brmkb.registry import all_rules

    lines = ["rules:"]
    for rule in all_rules():
        if not rule.is_format:
            lines.append(f"  {rule.id}: {{enabled: {'true' if rule.id in RULES else 'false'}}}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    files = {
        "policy.yml": _policy(),
        "records/svc-a/service.md": SERVICE,
        "records/svc-a/reviews/rv-a-2026-01.md": REVIEW,
        "records/svc-a/minutes/mn-a-2026-01.md": MINUTES,
        "records/svc-a/complaints/cp-a-2026-001.md": COMPLAINT,
        "records/waivers/wv-a-2026-001.md": WAIVER,
    }
    return write_kb(tmp_path, files)


@pytest.fixture
def report(root: Path) -> engine.Report:
    plain = engine.run(root, AS_OF)
    return replace(plain, findings=sorted([*plain.findings, ODD], key=Finding.sort_key))


def golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("BRMKB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8"), f"{name} differs from its golden file"


def test_the_knowledge_base_has_one_finding_of_each_kind(report: engine.Report) -> None:
    kinds = {(f.rule, f.severity, f.waived is not None) for f in report.findings}
    assert kinds == {
        ("review-parties", Severity.ERROR, False),
        ("action-tracking", Severity.WARNING, False),
        ("review-frequency", Severity.INFO, False),
        ("complaint-closure", Severity.ERROR, True),
        ("schema", Severity.ERROR, False),
    }


# --- GitHub workflow commands ------------------------------------------------------------------


def test_github_golden(report: engine.Report) -> None:
    golden("github.txt", github.render(report))


def test_github_escapes_data_and_properties() -> None:
    assert github.escape_data("50%\r\n下一行") == "50%25%0D%0A下一行"
    assert github.escape_property("a:b,c%") == "a%3Ab%2Cc%25"
    line = github.command(ODD)
    assert line.startswith("::error file=records/svc-a/odd%3A a%2Cb%25.md,line=3,title=[schema]::")
    assert "\n" not in line and "\r" not in line
    assert "100%25 不对：第一行%0D%0A第二行" in line


def test_github_commands_per_severity(report: engine.Report) -> None:
    lines = github.render(report).splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert kinds == ["::error", "::error", "::warning", "::notice", "::notice"]
    waived = next(line for line in lines if "complaint-closure" in line)
    assert waived.startswith("::notice ") and "已豁免：wv-a-2026-001" in waived
    notice = next(line for line in lines if "review-frequency" in line)
    assert ",title=[review-frequency] 3.1.1::" in notice
    assert lines[-1].startswith("不通过")


def test_github_omits_the_line_when_unknown() -> None:
    assert github.command(replace(ODD, line=None)).startswith(
        "::error file=records/svc-a/odd%3A a%2Cb%25.md,title="
    )


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_golden(report: engine.Report) -> None:
    golden("junit.xml", junit.render(report))


def test_junit_parses_back_with_one_case_per_rule_and_service(report: engine.Report) -> None:
    root = ET.fromstring(junit.render(report).encode("utf-8"))
    (suite,) = root.findall("testsuite")
    cases = {(c.get("classname"), c.get("name")): c for c in suite.findall("testcase")}
    assert int(suite.get("tests")) == len(cases) == int(root.get("tests"))
    failed = {key for key, case in cases.items() if case.find("failure") is not None}
    assert failed == {("brmkb.review-parties", "svc-a"), ("brmkb.schema", "records")}
    assert int(suite.get("failures")) == 2
    # Waived errors and warnings do not fail a case; they are listed in its output.
    waived = cases[("brmkb.complaint-closure", "svc-a")]
    assert waived.find("failure") is None
    assert "已豁免：wv-a-2026-001" in waived.find("system-out").text
    assert cases[("brmkb.action-tracking", "svc-a")].find("failure") is None
    # Escaping survives the round trip; the control character is replaced.
    schema = cases[("brmkb.schema", "records")].find("failure")
    assert '第二行 | 管道 <b>粗</b> & "引号"\ufffd' in schema.text
    assert schema.get("type") == "schema"
    assert schema.get("message").startswith("100% 不对")


def test_junit_properties(report: engine.Report) -> None:
    root = ET.fromstring(junit.render(report).encode("utf-8"))
    props = {p.get("name"): p.get("value") for p in root.iter("property")}
    assert props["as_of"] == "2026-06-01"
    assert props["records"] == "5"


# --- Markdown ------------------------------------------------------------------------------------


def test_markdown_golden(report: engine.Report) -> None:
    golden("markdown.md", markdown.render(report))


def test_markdown_escapes_cells() -> None:
    assert markdown.cell("a|b\nc <i>&") == "a\\|b<br>c &lt;i&gt;&amp;"
    assert markdown.cell(None) == ""


def test_markdown_tables_keep_their_columns(report: engine.Report) -> None:
    text = markdown.render(report)
    assert text.startswith("## brmkb 合规检查：❌ 不通过\n")
    for line in text.splitlines():
        if line.startswith("| records/"):
            # Unescaped pipes separate cells: 5 columns (6 for waived rows) + 2 borders.
            cells = line.replace("\\|", "").count("|")
            assert cells in (6, 7), line


def test_markdown_passing_report(root: Path) -> None:
    clean = replace(engine.run(root, AS_OF), findings=[])
    text = markdown.render(clean)
    assert "✅ 通过" in text
    assert "| 0 | 0 | 0 | 0 |" in text
    assert "<details>" not in text


def test_markdown_caps_long_lists(report: engine.Report) -> None:
    many = [replace(ODD, line=n, message=f"问题 {n}") for n in range(1, markdown.MAX_ROWS + 6)]
    text = markdown.render(replace(report, findings=many))
    assert text.count("| records/svc-a/odd") == markdown.MAX_ROWS
    assert "另有 5 条未列出" in text


# --- the command line ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("github", "::error file=records/svc-a/minutes/mn-a-2026-01.md,line=6,"),
        ("junit", '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="brmkb"'),
        ("markdown", "## brmkb 合规检查：❌ 不通过"),
    ],
)
def test_check_format_option(root: Path, capsys, fmt: str, start: str) -> None:
    status = cli.main(["check", str(root), "--as-of", "2026-06-01", "--format", fmt])
    assert status == 1
    assert capsys.readouterr().out.startswith(start)
