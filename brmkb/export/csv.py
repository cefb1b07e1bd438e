"""CSV for auditors who work in Excel: the findings and the calendar of obligations.

UTF-8 with a byte-order mark (so Excel opens Chinese text correctly) and CRLF line ends.
Text cells that Excel would read as a formula (leading ``= + - @``, tab or CR) get a leading
apostrophe, so no record text can run as a formula on an auditor's machine.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from brmkb.schedule import upcoming

if TYPE_CHECKING:
    from brmkb.engine import Report

BOM = "\ufeff"
_FORMULA = ("=", "+", "-", "@", "\t", "\r")

FINDINGS_HEADER = (
    "检查日",
    "服务项目",
    "规则",
    "条款",
    "严重性",
    "文件",
    "行",
    "记录",
    "说明",
    "豁免",
)
CALENDAR_HEADER = (
    "检查日",
    "服务项目",
    "服务名称",
    "事项",
    "截止日期",
    "剩余天数",
    "状态",
    "规则",
    "记录",
    "已安排于",
)


def safe(value: object) -> object:
    """Numbers stay numbers; text that would start a formula is defused."""
    if isinstance(value, str) and value.startswith(_FORMULA):
        return "'" + value
    return "" if value is None else value


def _table(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([safe(v) for v in row] for row in rows)
    return (BOM + out.getvalue()).encode("utf-8")


def findings(report: Report) -> bytes:
    day = report.as_of.isoformat()
    rows = (
        (
            day,
            f.service or "",
            f.rule,
            f.clause or "",
            f.severity.label,
            f.path,
            f.line,
            f.record or "",
            f.message,
            f.waived or "",
        )
        for f in report.findings
    )
    return _table(FINDINGS_HEADER, rows)


def calendar(report: Report) -> bytes:
    day = report.as_of.isoformat()
    names = {s.id: str(s.get("name") or s.title) for s in report.kb.services}
    rows = []
    for item in upcoming(report.kb, report.policy, report.as_of):
        state = "已逾期" if item.overdue else "未到期"
        rows.append(
            (
                day,
                item.service,
                names.get(item.service, ""),
                item.what,
                item.due.isoformat(),
                item.days_left,
                state,
                item.rule,
                item.record or "",
                item.planned.isoformat() if item.planned else "",
            )
        )
    return _table(CALENDAR_HEADER, rows)
