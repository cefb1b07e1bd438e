"""The calendar feed (.ics) and the CSV exports, parsed back; ``brmkb export``; the site hook."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import icalendar
import pytest

from brmkb import cli, engine, export
from brmkb.export import csv as csv_export
from brmkb.export import ics
from brmkb.findings import Finding, Severity
from brmkb.schedule import upcoming
from tests.conftest import write_kb
from tests.site.conftest import hook_module

AS_OF = date(2026, 6, 1)
GOLDEN = Path(__file__).parent / "golden" / "export"

#: A name with every character a TEXT value escapes, long enough to be folded.
ODD_NAME = "江南银行数据中心托管服务, 同城灾备; 路径 C:\\机房\\B区 与 A区（第二期）"

_QUOTED = ODD_NAME.replace("\\", "\\\\")  # inside a double-quoted YAML string

FILES = {
    "records/svc-a/service.md": f"""\
---
kind: service
id: svc-a
name: "{_QUOTED}"
customer: 甲方公司
project_manager: 张三
start: 2025-12-15
---

# 甲服务
""",
    "records/svc-a/reviews/rv-a-2025-12.md": """\
---
kind: review
id: rv-a-2025-12
service: svc-a
type: periodic
date: 2025-12-20
organizer: 张三
organizer_dept: 服务部
---

# 评审
""",
    "records/svc-a/minutes/mn-a-2025-12.md": """\
---
kind: minutes
id: mn-a-2025-12
review: rv-a-2025-12
date: 2025-12-20
attendees:
  - {name: 张三, org: 乙方公司, dept: 服务部, party: internal}
  - {name: 李四, org: 甲方公司, party: customer}
distribution: [服务部]
actions:
  - {id: ac-a-1, text: 完成B区精密空调N+1冗余改造并提交验收报告，同时更新应急预案和值守手册, owner: 张三, due: 2026-05-20, status: open}
---

# 纪要
""",
    "records/svc-b/service.md": """\
---
kind: service
id: svc-b
name: 乙服务
customer: 乙方客户
project_manager: 王五
start: 2026-03-01
---

# 乙服务
""",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_kb(tmp_path, FILES)


@pytest.fixture
def report(root: Path) -> engine.Report:
    return engine.run(root, AS_OF)


def golden(name: str, actual: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("BRMKB_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual)
    assert actual == path.read_bytes(), f"{name} differs from its golden file"


# --- iCalendar ---------------------------------------------------------------------------------


def physical_lines(data: bytes) -> list[bytes]:
    assert data.endswith(b"\r\n")
    lines = data[:-2].split(b"\r\n")
    assert all(b"\n" not in line and b"\r" not in line for line in lines), "bare LF or CR"
    return lines


def unfold(data: bytes) -> list[str]:
    """Content lines, unfolded (RFC 5545 3.1), as text."""
    logical: list[bytes] = []
    for line in physical_lines(data):
        if line.startswith(b" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def test_calendar_golden(report: engine.Report) -> None:
    golden("calendar.ics", ics.calendar(report))


def test_lines_are_crlf_folded_at_75_octets_on_character_boundaries(report: engine.Report) -> None:
    data = ics.calendar(report)
    lines = physical_lines(data)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines), "nothing was folded"
    for line in lines:
        line.decode("utf-8")  # a fold inside a character would make this fail


def test_fold_unit() -> None:
    assert ics.fold("A" * 75) == "A" * 75
    assert ics.fold("A" * 76) == "A" * 75 + "\r\n A"
    folded = ics.fold("SUMMARY:" + "服" * 40)  # 8 + 120 octets
    parts = folded.split("\r\n")
    assert [len(p.encode()) for p in parts] == [74, 55]  # 8 + 22×3 = 74; 1 + 18×3 = 55
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == "SUMMARY:" + "服" * 40


def test_text_escaping() -> None:
    assert ics.escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert ics.escape_text("x\r\ny") == "x\\ny"


def test_calendar_parses_back(report: engine.Report) -> None:
    parsed = icalendar.Calendar.from_ical(ics.calendar(report))
    assert str(parsed["VERSION"]) == "2.0"
    assert str(parsed["PRODID"]) == ics.PRODID
    events = list(parsed.walk("VEVENT"))
    due = upcoming(report.kb, report.policy, report.as_of)
    assert len(events) == len(due) >= 4
    for event, item in zip(events, due, strict=True):
        assert event.decoded("DTSTART") == item.due
        assert event.decoded("DTEND") == item.due + timedelta(days=1)
        assert event["DTSTART"].params["VALUE"] == "DATE"
        assert event.decoded("DTSTAMP").date() == AS_OF
        assert item.what in str(event["SUMMARY"])
        assert f"截止日期：{item.due.isoformat()}" in str(event["DESCRIPTION"])
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)


def test_escaped_text_comes_back_intact(report: engine.Report) -> None:
    parsed = icalendar.Calendar.from_ical(ics.calendar(report, "svc-a"))
    # Non-standard properties are TEXT too (RFC 5545 3.8.8.2); the library leaves them escaped.
    assert str(parsed["X-WR-CALNAME"]) == ics.escape_text(f"业务关系管理到期事项 · {ODD_NAME}")
    review = next(e for e in parsed.walk("VEVENT") if "服务评审" in str(e["SUMMARY"]))
    assert str(review["SUMMARY"]) == f"服务评审截止 · {ODD_NAME}"
    description = str(review["DESCRIPTION"]).split("\n")
    assert description[0] == f"服务项目：{ODD_NAME}（svc-a）"
    assert description[3] == "截至 2026-06-01：还剩 19 天"
    # Unfolded by hand too: the escapes are in the file, not only in the library's view.
    summary = next(line for line in unfold(ics.calendar(report, "svc-a")) if "服务评审截止" in line)
    assert summary.endswith("托管服务\\, 同城灾备\\; 路径 C:\\\\机房\\\\B区 与 A区（第二期）")


def test_overdue_items_are_marked(report: engine.Report) -> None:
    parsed = icalendar.Calendar.from_ical(ics.calendar(report))
    action = next(e for e in parsed.walk("VEVENT") if "ac-a-1" in str(e["SUMMARY"]))
    assert str(action["SUMMARY"]).startswith("【已逾期】行动项 ac-a-1：")
    assert "已逾期 12 天" in str(action["DESCRIPTION"])
    assert [str(c) for c in action["CATEGORIES"].cats] == ["业务关系管理", "行动项"]


def test_one_calendar_per_service(report: engine.Report) -> None:
    files = export.files(report)
    assert set(files) == {
        "calendar.ics",
        "calendar-svc-a.ics",
        "calendar-svc-b.ics",
        "findings.csv",
        "calendar.csv",
    }
    everything = len(list(icalendar.Calendar.from_ical(files["calendar.ics"]).walk("VEVENT")))
    per_service = 0
    for service in ("svc-a", "svc-b"):
        events = list(icalendar.Calendar.from_ical(files[f"calendar-{service}.ics"]).walk("VEVENT"))
        assert events, service
        assert all(f"（{service}）" in str(e["DESCRIPTION"]) for e in events)
        per_service += len(events)
    assert per_service == everything


def test_uids_and_output_are_stable(root: Path, report: engine.Report) -> None:
    assert ics.calendar(engine.run(root, AS_OF)) == ics.calendar(report)
    later = icalendar.Calendar.from_ical(ics.calendar(engine.run(root, AS_OF + timedelta(days=3))))
    now = icalendar.Calendar.from_ical(ics.calendar(report))
    # The same obligations keep their UIDs when the as-of date moves on.
    assert {str(e["UID"]) for e in now.walk("VEVENT")} <= {
        str(e["UID"]) for e in later.walk("VEVENT")
    }


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert text.count("\r\n") == len(rows), "every record ends with CRLF"
    return rows


def test_findings_csv(report: engine.Report) -> None:
    odd = Finding(
        "schema", None, Severity.ERROR, "records/x,y.md", 2, '=HYPERLINK("x") 含"引号", 逗号\n换行'
    )
    rows = read_csv(csv_export.findings(replace(report, findings=[*report.findings, odd])))
    assert tuple(rows[0]) == csv_export.FINDINGS_HEADER
    body = rows[1:]
    assert len(body) == len(report.findings) + 1
    for row, finding in zip(body, report.findings, strict=False):
        assert row[0] == "2026-06-01"
        assert row[2] == finding.rule
        assert row[4] == finding.severity.label
        assert row[5] == finding.path
        assert row[8] == finding.message
    assert body[-1][5] == "records/x,y.md"
    assert body[-1][8] == '\'=HYPERLINK("x") 含"引号", 逗号\n换行'  # defused, intact otherwise


def test_calendar_csv(report: engine.Report) -> None:
    rows = read_csv(csv_export.calendar(report))
    assert tuple(rows[0]) == csv_export.CALENDAR_HEADER
    due = upcoming(report.kb, report.policy, report.as_of)
    assert [(r[1], r[3], r[4], int(r[5])) for r in rows[1:]] == [
        (d.service, d.what, d.due.isoformat(), d.days_left) for d in due
    ]
    states = {r[3]: r[6] for r in rows[1:]}
    assert states["服务评审"] == "未到期"
    assert next(v for k, v in states.items() if "ac-a-1" in k) == "已逾期"
    assert rows[1][2] in (ODD_NAME, "乙服务")


@pytest.mark.parametrize(
    ("name", "header"),
    [("findings.csv", csv_export.FINDINGS_HEADER), ("calendar.csv", csv_export.CALENDAR_HEADER)],
)
def test_the_guide_names_every_column_in_order(name: str, header: tuple[str, ...]) -> None:
    guide = (Path(__file__).parent.parent / "docs" / "guide" / "submit.md").read_text("utf-8")
    row = next(line for line in guide.splitlines() if line.startswith(f"| `{name}` |"))
    listed = row.partition("（")[2]  # after the table's name, e.g. 到期事项表（…）
    place = 0
    for column in header:
        place = listed.find(column, place)
        assert place >= 0, (column, row)


def test_planned_meetings_are_marked(tmp_path: Path) -> None:
    """A review dated after the check date meets the due date once held: both exports say
    when it is planned, and the obligation stays open."""
    planned = FILES["records/svc-a/reviews/rv-a-2025-12.md"].replace("svc-a", "svc-b")
    planned = planned.replace("rv-a-2025-12", "rv-b-2026-08").replace("2025-12-20", "2026-08-20")
    report = engine.run(
        write_kb(tmp_path, {**FILES, "records/svc-b/reviews/rv-b-2026-08.md": planned}), AS_OF
    )
    [due] = [d for d in upcoming(report.kb, report.policy, AS_OF) if d.planned]
    assert (due.service, due.planned) == ("svc-b", date(2026, 8, 20))
    rows = read_csv(csv_export.calendar(report))
    marked = [r for r in rows[1:] if r[-1]]
    assert [(r[1], r[-1]) for r in marked] == [("svc-b", "2026-08-20")]
    events = icalendar.Calendar.from_ical(ics.calendar(report, "svc-b")).walk("VEVENT")
    texts = [str(e["DESCRIPTION"]) for e in events]
    assert any("已安排：2026-08-20（计划中，召开后才算完成）" in text for text in texts), texts


def test_formula_guard() -> None:
    assert csv_export.safe("=1+1") == "'=1+1"
    assert csv_export.safe("@SUM") == "'@SUM"
    assert csv_export.safe("普通文字") == "普通文字"
    assert csv_export.safe(-5) == -5  # numbers stay numbers
    assert csv_export.safe(None) == ""


# --- brmkb export and the site hook ---------------------------------------------------------------


def test_export_command(root: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "out" / "nested"
    assert cli.main(["export", str(root), "--out", str(out), "--as-of", "2026-06-01"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert sorted(Path(p).name for p in printed) == sorted(export.files(engine.run(root, AS_OF)))
    for line in printed:
        assert Path(line).is_file()
    assert not [p for p in out.iterdir() if p.name.startswith(".")], "temporary files left"
    # Exporting again replaces the files.
    assert cli.main(["export", str(root), "--out", str(out), "--as-of", "2026-06-02"]) == 0
    assert b"DTSTAMP:20260602T000000Z" in (out / "calendar.ics").read_bytes()


def test_export_command_errors(root: Path, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert cli.main(["export", str(root), "--out", str(blocker / "sub")]) == 2
    assert "无法写入" in capsys.readouterr().err
    assert cli.main(["export", str(tmp_path / "missing"), "--out", str(tmp_path / "o")]) == 2
    with pytest.raises(SystemExit) as raised:
        cli.main(["export", str(root)])  # --out is required
    assert raised.value.code == 2


class _Config(dict):
    """The two attributes of MkDocsConfig the hook reads, and its mapping interface."""

    def __init__(self, config_file_path: str, site_dir: str, **items: object) -> None:
        super().__init__(items)
        self.config_file_path = config_file_path
        self.site_dir = site_dir


def _hook():
    return hook_module("exports")


def test_site_hook_publishes_the_exports(root: Path, tmp_path: Path) -> None:
    (root / "policy.yml").write_text("as_of: 2026-06-01\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    site = tmp_path / "site"
    config = _Config(str(root / "mkdocs.yml"), str(site))
    assert _hook().on_post_build(config=config) is None
    published = sorted(p.name for p in (site / "exports").iterdir())
    assert published == sorted(export.files(engine.run(root, AS_OF)))
    assert (site / "exports" / "calendar.ics").read_bytes() == ics.calendar(engine.run(root, AS_OF))


def test_site_hook_reports_a_broken_policy(root: Path, tmp_path: Path) -> None:
    from mkdocs.exceptions import PluginError

    (root / "policy.yml").write_text("as_of: 2026/6/1\n", encoding="utf-8")
    config = _Config(str(root / "mkdocs.yml"), str(tmp_path / "s"))
    with pytest.raises(PluginError, match="策略文件有误"):
        _hook().on_post_build(config=config)


def test_site_hook_publishes_the_files_made_with_the_site(root: Path, tmp_path: Path) -> None:
    report = engine.run(root, date(2026, 3, 1))  # not what a fresh check of root would give
    site = tmp_path / "site"
    made = export.files(report)
    _hook().on_post_build(config=_Config(str(root / "mkdocs.yml"), str(site), brmkb_exports=made))
    assert (site / "exports" / "calendar.ics").read_bytes() == ics.calendar(report)
