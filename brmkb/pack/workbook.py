"""evidence.xlsx: the pack's evidence as tables an auditor can sort and filter in Excel.

Six sheets, each one row per fact, with relative hyperlinks to the record pages in the pack.
The schedule needs the reviews before the period (the first review of the period is due
counting from the last one before it), so it reads the full report; every row it writes is
about a record or an obligation of the scope.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from brmkb.coverage import coverage
from brmkb.dates import add_months
from brmkb.engine import Report
from brmkb.model import Record
from brmkb.pack.scope import Scope
from brmkb.registry import get
from brmkb.satisfaction import deviations, in_force
from brmkb.schedule import held_by
from brmkb.schema import KINDS, REVIEW_TYPES
from brmkb.site import urls
from brmkb.site.status import status

SHEETS = ("条款证据", "评审计划与实际", "发现", "行动项", "客户投诉", "满意度")
#: Review types that are evidence of a clause, where a clause concerns only some of them.
REVIEW_TYPES_OF = {
    "3.1.1": ("periodic", "annual"),
    "3.1.3": ("additional",),
    "3.1.4": ("adhoc",),
    "3.1.5": ("annual",),
    "3.1.6": ("additional",),
    "3.1.7": ("adhoc",),
}
WIDEST = 60


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str


Row = Sequence[Any]


def workbook(scoped: Report, full: Report, scope: Scope) -> bytes:
    """The workbook's bytes (the caller normalizes the archive's timestamps)."""
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    pages = urls.Urls(use_directory_urls=False)
    book = Workbook()
    book.remove(book.active)
    stamp = datetime(scope.as_of.year, scope.as_of.month, scope.as_of.day)
    book.properties.creator = "brmkb"
    book.properties.created = book.properties.modified = stamp
    tables = Tables(scoped, full, pages)
    for title, (head, rows) in zip(SHEETS, tables.all(), strict=True):
        _sheet(book, title, head, rows)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()  # Workbook.save would stamp the clock as modified
    return out.getvalue()


class Tables:
    """The rows of every sheet."""

    def __init__(self, scoped: Report, full: Report, pages: urls.Urls) -> None:
        self.report, self.full, self.pages = scoped, full, pages
        self.kb = scoped.kb

    def all(self) -> Iterator[tuple[list[str], list[Row]]]:
        yield from (
            self.clauses(),
            self.schedule(),
            self.findings(),
            self.actions(),
            self.complaints(),
            self.satisfaction(),
        )

    def link(self, record: Record | None) -> Link | str:
        if record is None:
            return ""
        return Link(record.id, self.pages.url(urls.record_page(record)))

    def name(self, service_id: str | None) -> str:
        service = self.kb.by_id.get(service_id or "")
        return str(service.get("name") or service.title) if service else (service_id or "")

    # --- 条款证据 ---------------------------------------------------------------------------

    def clauses(self) -> tuple[list[str], list[Row]]:
        head = ["条款", "条款内容", "服务项目", "检查规则", "状态", "证据记录", "记录日期",
                "记录标题", "未关闭的问题", "豁免"]  # fmt: skip
        rows: list[Row] = []
        for item in coverage():
            rules = [r.id for r in item.rules]
            for service in self.kb.services:
                found = [
                    f for f in self.report.findings if f.rule in rules and f.service == service.id
                ]
                state = status(found).text if rules else "不可由记录检查"
                open_ = "；".join(f"[{f.rule}] {f.message}" for f in found if f.waived is None)
                waived = "、".join(sorted({f.waived for f in found if f.waived}))
                lead = [item.clause, item.title, self.name(service.id), "、".join(rules), state]
                evidence = self.evidence(item.clause, service.id)
                for record in evidence or [None]:
                    rows.append(
                        [
                            *lead,
                            self.link(record),
                            _day(record),
                            record.title if record else "",
                            open_,
                            waived,
                        ]
                    )
        return head, rows

    def evidence(self, clause: str, service_id: str) -> list[Record]:
        kinds = [k for k, kind in KINDS.items() if any(_covers(c, clause) for c in kind.clauses)]
        types = REVIEW_TYPES_OF.get(clause)
        found = []
        for kind in kinds:
            for record in self.kb.of(service_id, kind):
                if kind == "review" and types and record["type"] not in types:
                    continue
                if kind != "service":
                    found.append(record)
        return sorted(found, key=lambda r: (str(_day(r)), r.id))

    # --- 评审计划与实际 ---------------------------------------------------------------------

    def schedule(self) -> tuple[list[str], list[Row]]:
        head = ["服务项目", "评审类型", "应召开日期", "实际召开日期", "评审编号", "评审标题",
                "提前(-)/推迟(+)天数", "依据"]  # fmt: skip
        policy = self.report.policy
        frequency = policy.options(get("review-frequency"))
        adhoc_days = policy.options(get("adhoc-review"))["days"]
        months, counted = frequency["interval_months"], frequency["counting_types"]
        rows: list[Row] = []
        for service in self.kb.services:
            everything = held_by(self.full.kb.of(service.id, "review"), self.report.as_of)
            in_scope = {r.id for r in self.kb.of(service.id, "review")}
            since = service["start"]
            for review in everything:
                due, basis = self._due(review, since, months, adhoc_days)
                if review["type"] in counted and review.date >= since:
                    since = review.date
                if review.id not in in_scope:
                    continue
                days = (review.date - due).days if due else ""
                label = REVIEW_TYPES.get(review["type"], review["type"])
                rows.append([self.name(service.id), label, due or "", review.date,
                             self.link(review), review.title, days, basis])  # fmt: skip
            due = add_months(since, months)
            if service.get("end") is None or service["end"] >= due:
                late = (self.report.as_of - due).days
                note = f"截至检查日已逾期 {late} 天" if late > 0 else "下一次定期评审"
                rows.append([self.name(service.id), "下一次定期评审", due, "", "", "", "", note])
        return head, rows

    def _due(
        self, review: Record, since: date, months: int, adhoc_days: int
    ) -> tuple[date | None, str]:
        kind = review["type"]
        if kind == "additional":
            change = self.full.kb.by_id.get(review.get("change") or "")
            if change is None or change.date is None:
                return None, f"合同变更 {review.get('change')}"
            phase = "变更前" if review.get("phase") == "before" else "变更后"
            return change.date, f"{phase}追加评审，合同变更 {change.id} 生效日"
        if kind == "adhoc":
            request = self.full.kb.by_id.get(review.get("request") or "")
            if request is None or request.date is None:
                return None, f"客户请求 {review.get('request')}"
            return request.date + timedelta(days=adhoc_days), (
                f"客户请求 {request.id} 受理后 {adhoc_days} 天内"
            )
        return add_months(since, months), f"上次评审或服务开始（{since}）后 {months} 个月内"

    # --- 发现 ------------------------------------------------------------------------------

    def findings(self) -> tuple[list[str], list[Row]]:
        head = ["严重性", "规则", "条款", "服务项目", "记录", "文件", "行", "说明", "豁免"]
        rows: list[Row] = []
        for f in self.report.findings:
            record = self.kb.by_id.get(f.record or "")
            rows.append([f.severity.label, f.rule, f.clause or "", self.name(f.service),
                         self.link(record), f.path, f.line or "", f.message,
                         f.waived or ""])  # fmt: skip
        return head, rows

    # --- 行动项 ----------------------------------------------------------------------------

    def actions(self) -> tuple[list[str], list[Row]]:
        head = ["服务项目", "会议纪要", "纪要日期", "行动项", "内容", "负责人", "到期日",
                "状态", "完成日期", "修订", "针对"]  # fmt: skip
        revises = {"service_contract": "服务合同", "project_plan": "项目策划书"}
        rows: list[Row] = []
        for minutes in self.kb.of_kind("minutes"):
            for action in minutes.get("actions", []):
                rows.append([self.name(self.kb.service_of(minutes)), self.link(minutes),
                             minutes.date, action["id"], action["text"], action["owner"],
                             action["due"], "已完成" if action["status"] == "done" else "未完成",
                             action.get("done") or "", revises.get(action.get("revises"), ""),
                             action.get("addresses") or ""])  # fmt: skip
        return head, rows

    # --- 客户投诉 --------------------------------------------------------------------------

    def complaints(self) -> tuple[list[str], list[Row]]:
        head = ["服务项目", "投诉编号", "标题", "等级", "受理日期", "状态", "关闭日期",
                "用时（天）", "时限（天）", "是否超时", "处理结果"]  # fmt: skip
        limits = self.report.policy.options(get("complaint-closure"))["days"]
        levels = {"low": "低", "medium": "中", "high": "高"}
        rows: list[Row] = []
        for complaint in self.kb.of_kind("complaint"):
            received, closed = complaint["received"], complaint.get("closed")
            limit = limits.get(complaint["severity"])
            used = ((closed or self.report.as_of) - received).days
            late = "是" if limit is not None and used > limit else "否"
            rows.append([self.name(complaint.service_id), self.link(complaint), complaint.title,
                         levels.get(complaint["severity"], complaint["severity"]), received,
                         "已关闭" if complaint["status"] == "closed" else "未关闭", closed or "",
                         used, limit or "", late, complaint.get("resolution") or ""])  # fmt: skip
        return head, rows

    # --- 满意度 ----------------------------------------------------------------------------

    def satisfaction(self) -> tuple[list[str], list[Row]]:
        head = ["服务项目", "调查", "调查日期", "指标", "得分", "目标", "偏差", "偏差说明",
                "处理的行动项", "记录偏差的月报"]  # fmt: skip
        decline = self.report.policy.options(get("deviation-action"))["decline_count"]
        handled: dict[str, list[str]] = {}
        for minutes in self.kb.of_kind("minutes"):
            for action in minutes.get("actions", []):
                if action.get("addresses"):
                    handled.setdefault(action["addresses"], []).append(action["id"])
        reported: dict[str, list[str]] = {}
        for report in self.kb.of_kind("monthly-report"):
            for survey_id in report.get("deviations", []):
                reported.setdefault(survey_id, []).append(report.id)
        rows: list[Row] = []
        for service in self.kb.services:
            # A trend needs the surveys before the period: judged on every record.
            why = {
                (d.survey.id, d.indicator.id): d.reason
                for d in deviations(self.full.kb, service, decline, self.report.as_of)
            }
            for survey in self.kb.of(service.id, "survey"):
                for indicator in in_force(service, survey.date).values():
                    score = survey["scores"].get(indicator.id)
                    if score is None:
                        continue
                    rows.append([self.name(service.id), self.link(survey), survey.date,
                                 indicator.name, score, indicator.target,
                                 round(score - indicator.target, 2),
                                 why.get((survey.id, indicator.id), ""),
                                 "、".join(handled.get(survey.id, [])),
                                 "、".join(reported.get(survey.id, []))])  # fmt: skip
        return head, rows


def _covers(kind_clause: str, clause: str) -> bool:
    return clause == kind_clause or clause.startswith(kind_clause + ".")


def _day(record: Record | None) -> date | str:
    if record is None:
        return ""
    for key in ("date", "received", "month", "expires"):
        if record.get(key):
            return record.get(key)
    return ""


def _sheet(book: Any, title: str, head: list[str], rows: Iterable[Row]) -> None:
    from openpyxl.styles import Font

    sheet = book.create_sheet(title)
    sheet.append(head)
    bold, blue = Font(bold=True), Font(color="0563C1", underline="single")
    for cell in sheet[1]:
        cell.font = bold
    widths = [display_width(h) for h in head]
    for row in rows:
        values = [_storable(c.text if isinstance(c, Link) else c) for c in row]
        sheet.append(values)
        for index, value in enumerate(values):
            if isinstance(value, str) and value.startswith("="):
                sheet.cell(row=sheet.max_row, column=index + 1).data_type = "s"
        for index, value in enumerate(row):
            if isinstance(value, Link):
                cell = sheet.cell(row=sheet.max_row, column=index + 1)
                cell.hyperlink = value.href
                cell.font = blue
            widths[index] = max(widths[index], display_width(values[index]))
        for index, value in enumerate(values):
            if isinstance(value, date):
                sheet.cell(row=sheet.max_row, column=index + 1).number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, width in enumerate(widths):
        letter = sheet.cell(row=1, column=index + 1).column_letter
        sheet.column_dimensions[letter].width = min(width + 2, WIDEST)


def _storable(value: Any) -> Any:
    """A cell value the file can hold: control characters a record may carry (YAML's ``"\\x1b"``)
    are not allowed in a worksheet and become U+FFFD. Text that starts with ``=`` is stored as
    text by the caller, never as a formula that would run in the auditor's spreadsheet."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value) if isinstance(value, str) else value


def display_width(value: Any) -> int:
    """Display width: East Asian wide characters count two."""
    text = value.isoformat() if isinstance(value, date) else str(value)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
