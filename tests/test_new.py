"""``brmkb new``: scaffolded records, their ids and folders, and the no-overwrite guarantee.

The scaffolds are compared with golden files (``tests/golden/new/``); regenerate them with
``BRMKB_UPDATE_GOLDEN=1 pytest tests/test_new.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from brmkb import cli, engine, scaffold
from brmkb.registry import all_rules

GOLDEN = Path(__file__).parent / "golden" / "new"
FORMAT_RULES = {rule.id for rule in all_rules() if rule.is_format}

SERVICE = """\
---
kind: service
id: svc-demo
name: 演示托管服务
customer: 演示银行信息科技部
project_manager: 陈志强
start: 2025-01-01
departments: [服务部, 销售部门, 基础设施部]
suppliers: [演示电力设备有限公司]
external: [演示电信分公司]
satisfaction:
  - {id: availability, name: 可用性, target: 4.5}
  - {id: communication, name: 沟通, target: 4.2}
---

# 演示托管服务
"""


def _monthly(month: str) -> str:
    return f'---\nkind: monthly-report\nid: mr-demo-{month}\nservice: svc-demo\nmonth: "{month}"\n---\n\n# 月报\n'


def _months() -> list[str]:
    return [
        f"{y}-{m:02d}"
        for y, m in [(2025, m) for m in range(1, 13)] + [(2026, m) for m in range(1, 11)]
    ]


FILES: dict[str, str | bytes] = {
    "policy.yml": "as_of: 2026-11-20\n",
    "records/svc-demo/service.md": SERVICE,
    "records/svc-demo/attachments/服务合同-HT-001.pdf": b"%PDF",
    "records/svc-demo/attachments/项目策划书-V1.0.docx": b"v1",
    "records/svc-demo/attachments/项目策划书-V2.0.docx": b"v2",
    "records/svc-demo/attachments/项目总结报告-2025.pdf": b"%PDF",
    **{f"records/svc-demo/monthly/mr-demo-{m}.md": _monthly(m) for m in _months()},
    "records/svc-demo/changes/ch-demo-2026-01.md": """\
---
kind: change
id: ch-demo-2026-01
title: 机柜扩容
service: svc-demo
date: 2026-03-01
major: true
summary: 机柜扩容至20个
---

# 机柜扩容
""",
    "records/svc-demo/requests/rq-demo-2026-01.md": """\
---
kind: request
id: rq-demo-2026-01
service: svc-demo
date: 2026-08-10
requested_by: 客户处长
subject: 高峰保障
---

# 请求
""",
    "records/svc-demo/reviews/rv-demo-2026-02.md": """\
---
kind: review
id: rv-demo-2026-02
service: svc-demo
type: additional
change: ch-demo-2026-01
phase: before
date: 2026-02-10
organizer: 赵丽华
organizer_dept: 销售部门
---

# 变更前追加评审

## 变更前服务及合同的状况及成绩

良好。

## 当前和预计的业务需求

扩容。

## 服务范围和SLA变更的目的

扩容。
""",
    "records/svc-demo/reviews/rv-demo-2026-05.md": """\
---
kind: review
id: rv-demo-2026-05
service: svc-demo
type: periodic
date: 2026-05-20
organizer: 陈志强
organizer_dept: 服务部
---

# 定期评审
""",
    "records/svc-demo/minutes/mn-demo-2026-05.md": """\
---
kind: minutes
id: mn-demo-2026-05
review: rv-demo-2026-05
date: 2026-05-20
attendees:
  - {name: 陈志强, org: 演示科技有限公司, dept: 服务部, party: internal}
  - {name: 何静, org: 演示银行信息科技部, party: customer}
distribution: [服务部]
---

# 纪要
""",
    "records/svc-demo/surveys/sv-demo-2026h1.md": """\
---
kind: survey
id: sv-demo-2026h1
service: svc-demo
date: 2026-06-10
responses: 10
scores: {availability: 4.6, communication: 4.4}
---

# 调查
""",
}


#: The clock of every test here: new records are dated today, never at the policy's as_of.
TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def clock(monkeypatch) -> None:
    monkeypatch.setattr(cli, "today", lambda: TODAY)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    kb = tmp_path / "kb"
    for rel, content in FILES.items():
        path = kb / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return kb


def new(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str], str]:
    """``brmkb new ARGS ROOT``: exit status, printed paths (relative to ROOT), stderr."""
    status = cli.main(["new", *args[:1], str(root), *args[1:]])
    captured = capsys.readouterr()
    prefix = root.as_posix() + "/"
    return status, [line.removeprefix(prefix) for line in captured.out.splitlines()], captured.err


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


CASES = {
    "periodic": (
        ["review", "--service", "svc-demo", "--date", "2026-11-18", "--minutes"],
        [
            "records/svc-demo/reviews/rv-demo-2026-11.md",
            "records/svc-demo/minutes/mn-demo-2026-11.md",
        ],
    ),
    "annual": (
        ["review", "--service", "svc-demo", "--type", "annual", "--date", "2026-12-16"],
        [
            "records/svc-demo/reviews/rv-demo-2026-12.md",
        ],
    ),
    "additional": (
        ["review", "--service", "svc-demo", "--type", "additional", "--date", "2026-02-25"],
        [
            "records/svc-demo/reviews/rv-demo-2026-02-2.md",
        ],
    ),
    "additional-after": (
        ["review", "--service", "svc-demo", "--type", "additional", "--date", "2026-03-10"],
        [
            "records/svc-demo/reviews/rv-demo-2026-03.md",
        ],
    ),
    "adhoc": (
        ["review", "--service", "svc-demo", "--type", "adhoc", "--date", "2026-08-18", "--minutes"],
        [
            "records/svc-demo/reviews/rv-demo-2026-08.md",
            "records/svc-demo/minutes/mn-demo-2026-08.md",
        ],
    ),
    "minutes": (
        ["minutes", "--service", "svc-demo"],
        [
            "records/svc-demo/minutes/mn-demo-2026-02.md",
        ],
    ),
    "change": (
        [
            "change",
            "--service",
            "svc-demo",
            "--date",
            "2026-12-01",
            "--set",
            "major=false",
            "--set",
            "summary=延长服务时间: 至20:00",
        ],
        [
            "records/svc-demo/changes/ch-demo-2026-02.md",
        ],
    ),
    "request": (
        [
            "request",
            "--service",
            "svc-demo",
            "--set",
            "requested_by=客户处长",
            "--set",
            "subject=年底保障",
        ],
        [
            "records/svc-demo/requests/rq-demo-2026-02.md",
        ],
    ),
    "survey": (
        [
            "survey",
            "--service",
            "svc-demo",
            "--set",
            "responses=12",
            "--set",
            "scores={availability: 4.7, communication: 4.1}",
        ],
        [
            "records/svc-demo/surveys/sv-demo-2026h2.md",
        ],
    ),
    "complaint": (
        ["complaint", "--service", "svc-demo", "--set", "severity=medium"],
        [
            "records/svc-demo/complaints/cp-demo-2026-001.md",
        ],
    ),
    "monthly-report": (
        ["monthly-report", "--service", "svc-demo", "--date", "2026-12-03"],
        [
            "records/svc-demo/monthly/mr-demo-2026-11.md",
        ],
    ),
    "waiver": (
        [
            "waiver",
            "--service",
            "svc-demo",
            "--set",
            "rule=3.1.1",
            "--set",
            "reason=客户要求延期",
            "--set",
            "approved_by=质量管理部",
            "--set",
            "expires=2027-03-31",
        ],
        [
            "records/waivers/wv-demo-2026-001.md",
        ],
    ),
    "service": (
        [
            "service",
            "--service",
            "svc-new",
            "--set",
            "name=新服务",
            "--set",
            "customer=新客户",
            "--set",
            "project_manager=王五",
        ],
        [
            "records/svc-new/service.md",
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_scaffold_golden(root: Path, capsys, case: str) -> None:
    args, expected = CASES[case]
    before = snapshot(root)
    status, printed, _ = new(root, *args, capsys=capsys)
    assert status == 0
    assert printed == expected
    after = snapshot(root)
    assert set(after) - set(before) == set(expected), "exactly the printed files are new"
    assert all(after[rel] == content for rel, content in before.items()), "nothing else changed"
    for rel in expected:
        text = (root / rel).read_text(encoding="utf-8")
        golden = GOLDEN / case / Path(rel).name
        if os.environ.get("BRMKB_UPDATE_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(text, encoding="utf-8", newline="\n")
        assert text == golden.read_text(encoding="utf-8"), f"{case}: {rel} differs from {golden}"


@pytest.mark.parametrize("case", list(CASES))
def test_fresh_scaffolds_have_no_format_errors(root: Path, capsys, case: str) -> None:
    args, expected = CASES[case]
    assert new(root, *args, capsys=capsys)[0] == 0
    findings = engine.run(root, date(2026, 12, 31)).findings
    assert not [f for f in findings if f.path in expected and f.rule in FORMAT_RULES]
    for rel in expected:
        assert scaffold.format_problems((root / rel).read_text(encoding="utf-8")) == []


def _findings(root: Path, path: str, rule: str) -> list:
    return [
        f
        for f in engine.run(root, date(2026, 12, 31)).findings
        if f.path == path and f.rule == rule
    ]


def test_prompts_count_as_empty_until_filled(root: Path, capsys) -> None:
    new(root, *CASES["annual"][0], capsys=capsys)
    path = "records/svc-demo/reviews/rv-demo-2026-12.md"
    missing = _findings(root, path, "review-sections")
    assert len(missing) == 2
    assert all("下没有内容" in f.message for f in missing)
    text = (root / path).read_text(encoding="utf-8")
    assert text.count("本节必填") == 2
    filled = re.sub(r"<!-- 请填写：[^>]*本节必填[^>]*-->", "已讨论。", text)
    (root / path).write_text(filled, encoding="utf-8")
    assert _findings(root, path, "review-sections") == []


def test_required_sections_come_from_the_policy(root: Path, capsys) -> None:
    (root / "policy.yml").write_text(
        "as_of: 2026-11-20\nrules:\n  review-sections:\n    required: {periodic: [本期重点工作]}\n",
        encoding="utf-8",
    )
    status, (path,), _ = new(root, "review", "--service", "svc-demo", capsys=capsys)
    assert status == 0
    text = (root / path).read_text(encoding="utf-8")
    assert "## 本期重点工作\n\n<!-- 请填写：本期重点工作。本节必填，留空时检查会报错 -->" in text
    assert [f.rule for f in _findings(root, path, "review-sections")] == ["review-sections"]


def test_annual_inputs_are_found_and_the_missing_one_is_flagged(root: Path, capsys) -> None:
    new(root, *CASES["annual"][0], capsys=capsys)
    path = "records/svc-demo/reviews/rv-demo-2026-12.md"
    text = (root / path).read_text(encoding="utf-8")
    # a document found by name may be last year's version: a suggestion to confirm
    assert "  # project_plan: ../attachments/项目策划书-V2.0.docx" in text  # the latest version
    assert "  # project_summary: ../attachments/项目总结报告-2025.pdf" in text
    months = re.search(r"monthly_reports: \[(.*)\]", text)[1].split(", ")
    assert months == [f"mr-demo-{m}" for m in _months()[-11:]]  # 2025-12 … 2026-10 exist
    assert "  # project_schedule: 请填写：《项目计划表》的路径" in text
    missing = " ".join(f.message for f in _findings(root, path, "review-inputs"))
    assert "project_schedule" in missing and "project_summary" in missing
    confirmed = re.sub(r"^  # (\w+: \.\./attachments/)", r"  \1", text, flags=re.MULTILINE)
    (root / path).write_text(confirmed, encoding="utf-8")
    (finding,) = _findings(root, path, "review-inputs")
    assert "project_schedule" in finding.message
    assert _findings(root, path, "input-path") == []


def test_annual_inputs_with_nothing_found_are_all_commented(root: Path, capsys) -> None:
    shutil.rmtree(root / "records/svc-demo/attachments")
    shutil.rmtree(root / "records/svc-demo/monthly")
    assert new(root, *CASES["annual"][0], capsys=capsys)[0] == 0
    text = (root / "records/svc-demo/reviews/rv-demo-2026-12.md").read_text(encoding="utf-8")
    assert "\n# inputs:    # 评审输入" in text and "\ninputs:" not in text
    assert "  # service_contract: 请填写：《服务合同》的路径" in text
    assert scaffold.format_problems(text) == []


def test_minutes_skeleton_works_once_completed(root: Path, capsys) -> None:
    new(root, *CASES["periodic"][0], capsys=capsys)
    path = "records/svc-demo/minutes/mn-demo-2026-11.md"
    text = (root / path).read_text(encoding="utf-8")
    assert "  - {name: 陈志强, org: 演示科技有限公司, dept: 服务部, party: internal}" in text
    for org, party in (
        ("演示银行信息科技部", "customer"),
        ("演示电力设备有限公司", "supplier"),
        ("演示电信分公司", "external"),
    ):
        person = f"name: 请填写：姓名, org: {org}, dept: 请填写：部门, party: {party}"
        assert f"  # - {{{person}}}" in text
    assert "distribution: [服务部, 销售部门, 基础设施部]" in text
    assert _findings(root, path, "review-parties"), "a missing customer is flagged"
    completed = text.replace(
        "  # - {name: 请填写：姓名, org: 演示银行", "  - {name: 何静, org: 演示银行"
    )
    (root / path).write_text(completed, encoding="utf-8")
    assert _findings(root, path, "review-parties") == []
    assert _findings(root, path, "reference") == []


def test_to_do_list_on_stderr(root: Path, capsys) -> None:
    status, printed, err = new(root, *CASES["annual"][0], capsys=capsys)
    assert status == 0 and len(printed) == 1
    assert "已新建" in err and "[review-sections]" in err and "[review-inputs]" in err


# --- ids and folders -------------------------------------------------------------------------


def test_same_month_gets_a_suffix(root: Path, capsys) -> None:
    args = ["review", "--service", "svc-demo", "--date", "2026-05-28", "--minutes"]
    status, printed, _ = new(root, *args, capsys=capsys)
    assert status == 0
    assert printed == [
        "records/svc-demo/reviews/rv-demo-2026-05-2.md",
        "records/svc-demo/minutes/mn-demo-2026-05-2.md",
    ]
    status, printed, _ = new(root, *args, capsys=capsys)
    assert printed[0] == "records/svc-demo/reviews/rv-demo-2026-05-3.md"


def test_a_file_in_the_way_is_skipped_even_with_another_id(root: Path, capsys) -> None:
    squatter = root / "records/svc-demo/reviews/rv-demo-2026-11.md"
    squatter.write_text("不是记录\n", encoding="utf-8")
    status, printed, _ = new(root, "review", "--service", "svc-demo", capsys=capsys)
    assert status == 0
    assert printed == ["records/svc-demo/reviews/rv-demo-2026-11-2.md"]
    assert squatter.read_text(encoding="utf-8") == "不是记录\n"


def test_sequence_numbers_continue_within_the_year(root: Path, capsys) -> None:
    args = ["change", "--service", "svc-demo", "--set", "major=false", "--set", "summary=x"]
    assert new(root, *args, capsys=capsys)[1] == ["records/svc-demo/changes/ch-demo-2026-02.md"]
    assert new(root, *args, capsys=capsys)[1] == ["records/svc-demo/changes/ch-demo-2026-03.md"]
    other_year = [*args, "--date", "2027-01-05"]
    assert new(root, *other_year, capsys=capsys)[1] == [
        "records/svc-demo/changes/ch-demo-2027-01.md"
    ]


def test_folder_follows_existing_records_of_the_kind(root: Path, capsys) -> None:
    moved = root / "records/svc-demo/评审报告"
    (root / "records/svc-demo/reviews").rename(moved)
    status, printed, _ = new(root, "review", "--service", "svc-demo", capsys=capsys)
    assert status == 0
    assert printed == ["records/svc-demo/评审报告/rv-demo-2026-11.md"]


def test_default_date_is_today_never_the_policy_as_of(root: Path, capsys, monkeypatch) -> None:
    assert "as_of: 2026-11-20" in (root / "policy.yml").read_text(encoding="utf-8")
    monkeypatch.setattr(cli, "today", lambda: date(2027, 4, 2))
    status, printed, _ = new(root, "review", "--service", "svc-demo", capsys=capsys)
    assert status == 0
    assert printed == ["records/svc-demo/reviews/rv-demo-2027-04.md"]
    assert "date: 2027-04-02" in (root / printed[0]).read_text(encoding="utf-8")


def test_date_option_dates_the_record(root: Path, capsys) -> None:
    args = ("review", "--service", "svc-demo", "--date", "2027-01-05")
    status, printed, _ = new(root, *args, capsys=capsys)
    assert (status, printed) == (0, ["records/svc-demo/reviews/rv-demo-2027-01.md"])
    assert "date: 2027-01-05" in (root / printed[0]).read_text(encoding="utf-8")


def test_set_overrides_a_derived_value(root: Path, capsys) -> None:
    args = [
        "review",
        "--service",
        "svc-demo",
        "--set",
        "organizer=李敏",
        "--set",
        "id=rv-demo-special",
    ]
    status, printed, _ = new(root, *args, capsys=capsys)
    assert status == 0
    assert printed == ["records/svc-demo/reviews/rv-demo-special.md"]
    text = (root / printed[0]).read_text(encoding="utf-8")
    assert "organizer: 李敏\n" in text  # and no "请核对" note on a value the author gave


# --- never overwrite -------------------------------------------------------------------------


def test_set_id_of_an_existing_record_is_refused(root: Path, capsys) -> None:
    before = snapshot(root)
    status, printed, err = new(
        root, "review", "--service", "svc-demo", "--set", "id=rv-demo-2026-05", capsys=capsys
    )
    assert (status, printed) == (2, [])
    assert "rv-demo-2026-05" in err and "已被" in err
    assert snapshot(root) == before


def test_monthly_report_for_a_month_that_has_one_is_refused(root: Path, capsys) -> None:
    before = snapshot(root)
    status, _, err = new(root, "monthly-report", "--service", "svc-demo", capsys=capsys)
    assert status == 2
    assert "2026-10 的服务月报已经存在" in err
    assert snapshot(root) == before


def test_a_file_created_after_planning_is_never_clobbered(root: Path) -> None:
    options = scaffold.Options("review", "svc-demo", date(2026, 11, 18))
    (draft,) = scaffold.plan(root, options)
    target = root / draft.rel
    target.write_text("别人刚写的\n", encoding="utf-8")  # a concurrent writer wins the race
    with pytest.raises(scaffold.ScaffoldError, match="已存在，不会覆盖"):
        scaffold.write(root, [draft])
    assert target.read_text(encoding="utf-8") == "别人刚写的\n"
    with pytest.raises(scaffold.ScaffoldError, match="已存在"):
        scaffold.write_new(target, draft.text)  # the low-level guard, past the early check
    assert target.read_text(encoding="utf-8") == "别人刚写的\n"
    assert not list(target.parent.glob(".*.tmp"))


def test_pair_is_written_all_or_nothing(root: Path, monkeypatch) -> None:
    options = scaffold.Options("review", "svc-demo", date(2026, 11, 18), minutes=True)
    review, minutes = scaffold.plan(root, options)
    real = scaffold.write_new

    def racing(target: Path, text: str) -> None:
        if target.name == Path(minutes.rel).name:
            target.write_text("抢先\n", encoding="utf-8")
        real(target, text)

    monkeypatch.setattr(scaffold, "write_new", racing)
    with pytest.raises(scaffold.ScaffoldError):
        scaffold.write(root, [review, minutes])
    assert not (root / review.rel).exists(), "the review written first is rolled back"
    assert (root / minutes.rel).read_text(encoding="utf-8") == "抢先\n"


def test_without_hard_links_the_name_is_reserved_exclusively(tmp_path: Path, monkeypatch) -> None:
    def no_links(source: object, target: object) -> None:
        raise PermissionError("no hard links here")

    monkeypatch.setattr(scaffold.os, "link", no_links)
    target = tmp_path / "a" / "x.md"
    scaffold.write_new(target, "内容\n")
    assert target.read_text(encoding="utf-8") == "内容\n"
    with pytest.raises(scaffold.ScaffoldError, match="已存在"):
        scaffold.write_new(target, "别的\n")
    assert target.read_text(encoding="utf-8") == "内容\n"
    assert [p.name for p in target.parent.iterdir()] == ["x.md"]


def test_written_files_are_not_private(tmp_path: Path) -> None:
    target = tmp_path / "x.md"
    scaffold.write_new(target, "内容\n")
    assert target.stat().st_mode & 0o044, "readable by group and others, like any repo file"


def test_an_invalid_scaffold_is_never_written(root: Path, capsys, monkeypatch) -> None:
    def broken(context: object) -> list[scaffold.Draft]:
        text = "---\nkind: request\nid: rq-x\nservice: svc-demo\ndate: 2026/11/20\n---\n"
        return [scaffold.Draft("request", "rq-x", "records/svc-demo/requests/rq-x.md", text)]

    monkeypatch.setitem(scaffold._BUILDERS, "request", broken)
    before = snapshot(root)
    status, printed, err = new(root, "request", "--service", "svc-demo", capsys=capsys)
    assert (status, printed) == (2, [])
    assert "内部错误" in err and "2026-11-20" in err
    assert snapshot(root) == before


def test_format_problems() -> None:
    assert scaffold.format_problems("---\nkind: request\nid: x\n---\n")  # required keys missing
    assert scaffold.format_problems("no front matter")
    assert scaffold.format_problems("---\nkind: nope\nid: x\n---\n") == ["kind 缺失或未知"]


# --- clear errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["review", "--service", "svc-dem"], "没有服务项目“svc-dem”；是否想写“svc-demo”？"),
        (["reviw", "--service", "svc-demo"], "没有记录类型“reviw”；是否想写“review”？"),
        (["review", "--service", "rv-demo-2026-05"], "是服务评审报告，不是服务项目"),
        (["review", "--service", "svc-demo", "--set", "organiser=x"], "是否想写“organizer”？"),
        (["review", "--service", "svc-demo", "--set", "oops"], "--set 应写成 KEY=VALUE"),
        (["change", "--service", "svc-demo"], "--set major=true"),
        (["complaint", "--service", "svc-demo"], "可选 low（一般）、medium（较重）、high（严重）"),
        (
            ["survey", "--service", "svc-demo"],
            "--set scores='{availability: 4.5, communication: 4.5}'",
        ),
        (["monthly-report", "--service", "svc-demo", "--month", "2026/11"], "不是 YYYY-MM 月份"),
        (
            ["minutes", "--service", "svc-demo", "--review", "rv-demo-2026-5"],
            "是否想写“rv-demo-2026-05”？",
        ),
        (
            ["service", "--service", "svc-demo", "--set", "name=x"],
            "已被 records/svc-demo/service.md 使用",
        ),
        (["service", "--service", "Svc X"], "只能包含英文字母（大小写均可）"),
        (["service", "--service", "SVC-DEMO"], "编号不区分大小写"),
        (["review", "--service", "SVC-DEMO"], "编号大小写不一致：是否指 svc-demo？"),
        (
            [
                "review",
                "--service",
                "svc-demo",
                "--type",
                "additional",
                "--change",
                "CH-DEMO-2026-01",
            ],
            "编号大小写不一致：是否指 ch-demo-2026-01？",
        ),
        (["review", "--service", "svc-demo", "--set", "id=ch-nl\n"], "“ch-nl\\n”不可用"),
        (["review", "--service", "svc-demo", "--set", "id=../x"], "“../x”不可用"),
        (["review", "--service", "svc-demo", "--set", "id=MN-DEMO-2026-05"], "已被"),
    ],
)
def test_usage_errors(root: Path, capsys, args: list[str], message: str) -> None:
    before = snapshot(root)
    status, printed, err = new(root, *args, capsys=capsys)
    assert (status, printed) == (2, [])
    assert message in err
    assert snapshot(root) == before


def test_second_minutes_of_a_review_are_made_with_a_note(root: Path, capsys) -> None:
    status, printed, err = new(
        root, "minutes", "--service", "svc-demo", "--review", "rv-demo-2026-05", capsys=capsys
    )
    assert status == 0 and printed == ["records/svc-demo/minutes/mn-demo-2026-05-2.md"]
    assert (
        "注意：评审“rv-demo-2026-05”已有会议纪要 mn-demo-2026-05；"
        "records/svc-demo/minutes/mn-demo-2026-05-2.md 是另一份"
    ) in err


def test_records_it_depends_on_must_exist(tmp_path: Path, capsys) -> None:
    root = tmp_path / "kb"
    (root / "records/svc-demo").mkdir(parents=True)
    (root / "records/svc-demo/service.md").write_text(SERVICE, encoding="utf-8")
    for kind, hint in (
        ("additional", "还没有重大合同变更记录；请先用 brmkb new change"),
        ("adhoc", "还没有客户临时评审请求记录；请先用 brmkb new request"),
    ):
        status, _, err = new(root, "review", "--service", "svc-demo", "--type", kind, capsys=capsys)
        assert status == 2 and hint in err
    status, _, err = new(root, "minutes", "--service", "svc-demo", capsys=capsys)
    assert status == 2 and "--review" in err


def test_no_knowledge_base_is_a_usage_error(tmp_path: Path, capsys) -> None:
    assert cli.main(["new", "review", str(tmp_path), "--service", "svc-demo"]) == 2
    assert "records/" in capsys.readouterr().err


@pytest.mark.parametrize(
    "order",
    [
        ["review", "{root}", "--service", "svc-demo", "--date", "2026-11-18"],
        ["review", "--service", "svc-demo", "--date", "2026-11-18", "{root}"],
        ["--service", "svc-demo", "review", "--date", "2026-11-18", "{root}"],
    ],
)
def test_the_directory_goes_before_or_after_the_options(
    root: Path, capsys, order: list[str]
) -> None:
    """As the usage line shows it (``KIND [dir]`` after the options), and as before them."""
    assert cli.main([arg.format(root=root) for arg in ["new", *order]]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"{root.as_posix()}/records/svc-demo/reviews/rv-demo-2026-11.md"
    ]


def test_a_second_directory_is_not_taken(root: Path, capsys) -> None:
    before = snapshot(root)
    with pytest.raises(SystemExit):
        cli.main(["new", "review", "--service", "svc-demo", str(root), "elsewhere"])
    assert "无法识别的参数：elsewhere" in capsys.readouterr().err
    assert snapshot(root) == before


def test_survey_prompt_names_the_indicators_in_force_once(root: Path, capsys) -> None:
    service = root / "records/svc-demo/service.md"
    text = service.read_text(encoding="utf-8").replace(
        "  - {id: availability, name: 可用性, target: 4.5}\n",
        "  - {id: availability, name: 可用性, target: 4.2, until: 2026-06-30}\n"
        "  - {id: availability, name: 可用性, target: 4.5, from: 2026-07-01}\n",
    )
    service.write_text(text, encoding="utf-8")
    status, _, err = new(
        root, "survey", "--service", "svc-demo", "--date", "2026-11-20", capsys=capsys
    )
    assert status == 2
    assert "--set scores='{availability: 4.5, communication: 4.5}'" in err


def test_annual_review_in_january_offers_covers(root: Path, capsys) -> None:
    args = ["review", "--service", "svc-demo", "--type", "annual", "--date", "2027-01-20"]
    status, (path,), _ = new(root, *args, capsys=capsys)
    assert status == 0
    assert "# covers: 2026    # 3.1.5" in (root / path).read_text(encoding="utf-8")


def test_before_review_of_a_minor_change_is_not_sales_led(root: Path, capsys) -> None:
    change = root / "records/svc-demo/changes/ch-demo-2026-01.md"
    change.write_text(
        change.read_text(encoding="utf-8").replace("major: true", "major: false"), "utf-8"
    )
    args = ["review", "--service", "svc-demo", "--type", "additional", "--date", "2026-02-25"]
    status, (path,), _ = new(root, *args, "--change", "ch-demo-2026-01", capsys=capsys)
    text = (root / path).read_text(encoding="utf-8")
    assert status == 0 and "organizer_dept: 服务部" in text
    assert "服务范围和SLA变更的目的" not in text
