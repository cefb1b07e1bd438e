"""Clause 4: a monthly service report for every month of a service's life."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.dates import add_months, is_iso_month, iso_hint, month_key
from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule


@rule(
    "monthly-report",
    title="服务月报",
    clause="4",
    options={"due_day": 10, "due_soon_days": 15},
    months=True,
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """服务期内每个月都有服务月报。

    从服务开始的月份起（到 `end` 所在月份为止），每个月须有一份 `monthly-report`，
    在次月 `due_day` 日（默认 10 日）前提交。已到期仍缺少的月报为错误，标在服务档案上；
    `due_soon_days` 天内到期的为提示。同一月份有两份月报、或月份不在服务期内，为警告。
    月份在检查日之后（尚未开始）的月报是计划中的记录（提示）：该月过去后才算提交，在此之前不满足
    任何要求；如果是月份写错了，请更正。
    缺少的月份有一份格式错误的月报（如 `month: 2026-3`）时，提示中会指出它：先修正它即可。

    通过示例：检查日 2026-11-20，2026-10 的月报已提交，2026-11 的月报尚未到期。
    不通过示例：检查日 2026-11-20 时没有 2026-10 的月报（11 月 10 日已到期）。
    """
    this_month = month_key(as_of)
    for service in kb.services:
        reports: dict[str, list[Record]] = {}
        for report in kb.of(service.id, "monthly-report"):
            reports.setdefault(report["month"], []).append(report)
        start, end = service["start"], service.get("end")
        months = list(_months(start, end, as_of, opts["due_day"]))
        broken = {
            _month_of(b.get("month")): b
            for b in reversed(kb.broken_referring("monthly-report", "service", service.id))
        }
        for month, due in months:
            if month in reports:
                continue
            found = broken.get(month)
            note = f"（{found.broken_note}，可能就是它；修正后再核对）" if found else ""
            if as_of > due:
                yield Hit(
                    service,
                    f'缺少 {month} 的服务月报（应于 {due} 前提交）；请补交 month: "{month}" 的月报{note}。',
                    ("start",),
                )
            elif (due - as_of).days <= opts["due_soon_days"]:
                yield Hit(
                    service,
                    f"{month} 的服务月报须在 {due} 前提交（还剩 {(due - as_of).days} 天）{note}。",
                    ("start",),
                    Severity.INFO,
                )
        for month, group in reports.items():
            if month > this_month:
                yield Hit(
                    group[0],
                    f"{month} 的月报是计划中的记录（检查日 {as_of} 时该月尚未开始），该月过去后才算提交；"
                    "如果月份写错了，请更正。",
                    ("month",),
                    Severity.INFO,
                )
            for extra in group[1:]:
                yield Hit(
                    extra,
                    f"{month} 已有月报 {group[0].id}；同一月份只需一份，请合并或核对月份。",
                    ("month",),
                    Severity.WARNING,
                )
            if month < month_key(start) or (end and month > month_key(end)):
                yield Hit(
                    group[0],
                    f"月份 {month} 不在服务期内（{start} 至 {end or '今'}）；请核对月份或服务项目。",
                    ("month",),
                    Severity.WARNING,
                )


def _month_of(written: object) -> str | None:
    """The month a report with format errors means, where it can be read (``2026-3``,
    ``2026-03-15``); None otherwise."""
    if not isinstance(written, str):
        return None
    if is_iso_month(written):
        return written
    hint = iso_hint(written, month=True) or iso_hint(written)
    return hint[:7] if hint else None


def _months(start: date, end: date | None, as_of: date, due_day: int) -> Iterator[tuple[str, date]]:
    """Each month of the service's life begun by the as-of date, with its report's due date."""
    last = min(end, as_of) if end else as_of
    year, month = start.year, start.month
    while (year, month) <= (last.year, last.month):
        following = (year + 1, 1) if month == 12 else (year, month + 1)
        # report_due of this month, without parsing its key back
        yield f"{year:04d}-{month:02d}", date(*following, min(due_day, 28))
        year, month = following


def report_due(month: str, due_day: int) -> date:
    """The day a month's report is due: ``due_day`` of the next month (at most the 28th)."""
    following = add_months(date(int(month[:4]), int(month[5:]), 1), 1)
    return following.replace(day=min(due_day, 28))
