"""End to end through the CLI: a record ``brmkb new`` writes fails the check until filled in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from brmkb import cli
from tests.conftest import write_kb

FILES = {
    "policy.yml": "as_of: 2026-11-20\n",
    "records/svc-demo/service.md": """\
---
kind: service
id: svc-demo
name: 演示托管服务
customer: 甲方银行
project_manager: 陈志强
start: 2026-10-01
departments: [服务部]
satisfaction:
  - {id: overall, name: 总体满意度, target: 4.0}
---

# 演示托管服务

为甲方银行提供机房托管服务。
""",
    "records/svc-demo/monthly/mr-demo-2026-10.md": """\
---
kind: monthly-report
id: mr-demo-2026-10
service: svc-demo
month: "2026-10"
---

# 2026年10月服务月报

本月服务可用率 100%，无重大事件。
""",
}
REVIEW = "records/svc-demo/reviews/rv-demo-2026-11.md"
MINUTES = "records/svc-demo/minutes/mn-demo-2026-11.md"


def check(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    status = cli.main(["check", str(root), "--format", "json"])
    return status, json.loads(capsys.readouterr().out)["findings"]


def test_a_new_review_and_minutes_fail_until_filled_in(tmp_path: Path, capsys) -> None:
    root = write_kb(tmp_path, FILES)
    assert check(root, capsys) == (0, [])
    args = ["new", "review", str(root), "--service", "svc-demo", "--date", "2026-11-18"]
    assert cli.main([*args, "--minutes"]) == 0
    capsys.readouterr()

    status, findings = check(root, capsys)
    assert status == 1
    errors = {(f["path"], f["rule"]) for f in findings if f["severity"] == "error"}
    assert {
        (REVIEW, "record-content"),  # four suggested headings and nothing else
        (REVIEW, "unfinished-record"),
        (MINUTES, "unfinished-record"),  # 地点、主持 … and our own organization's name
    } <= errors

    review = (root / REVIEW).read_text(encoding="utf-8")
    (root / REVIEW).write_text(_filled(review), encoding="utf-8")
    minutes = _filled((root / MINUTES).read_text(encoding="utf-8"))
    minutes = minutes.replace("请填写：本公司全称", "演示科技有限公司")
    minutes = minutes.replace(
        "  # - {name: 请填写：姓名, org: 甲方银行, dept: 请填写：部门",
        "  - {name: 何静, org: 甲方银行, dept: 信息科技部",
    )
    (root / MINUTES).write_text(minutes, encoding="utf-8")
    assert check(root, capsys) == (0, [])


def test_leaving_one_prompt_keeps_the_record_unfinished(tmp_path: Path, capsys) -> None:
    root = write_kb(tmp_path, FILES)
    cli.main(["new", "review", str(root), "--service", "svc-demo", "--date", "2026-11-18"])
    capsys.readouterr()
    text = (root / REVIEW).read_text(encoding="utf-8")
    first, rest = text.split("<!-- 请填写", 1)
    (root / REVIEW).write_text(first + "<!-- 请填写" + _filled(rest), encoding="utf-8")
    status, findings = check(root, capsys)
    assert status == 1
    [left] = [f for f in findings if f["rule"] == "unfinished-record"]
    assert left["path"] == REVIEW
    assert text.splitlines()[left["line"] - 1].startswith("<!-- 请填写")


def _filled(text: str) -> str:
    """Every body prompt replaced with text, as an author would."""
    return re.sub(r"<!-- 请填写：[^>]*-->", "已讨论，情况正常。", text)
