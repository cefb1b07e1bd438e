"""Small helpers that several rules share, so each rule reads as its clause."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.intervals import Next, pending
from brmkb.model import Record
from brmkb.registry import Hit


def next_due_hit(
    service: Record,
    upcoming: Next,
    as_of: date,
    *,
    soon_days: int,
    overdue: Severity,
    what: str,
    key: tuple = ("start",),
    note: str = "",
) -> Iterator[Hit]:
    """The overdue (policy severity) or due-soon (info) hit for an open obligation; ``note``
    (about a broken record that may be the one due) is added to an overdue one."""
    days = pending(upcoming.due, as_of, service.get("end"))
    if days is None or days > soon_days:
        return
    since = (
        f"上次为 {upcoming.since}"
        if upcoming.previous is not None
        else f"自服务开始 {upcoming.since} 起"
    )
    if days < 0:
        yield Hit(
            service,
            f"{what}应不晚于 {upcoming.due}，已逾期 {-days} 天（{since}）；请尽快完成并提交记录。{note}",
            key,
            overdue,
        )
    else:
        yield Hit(
            service,
            f"{what}应不晚于 {upcoming.due}，还剩 {days} 天（{since}）；请提前安排。",
            key,
            Severity.INFO,
        )
