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
    planned: list[Record] | None = None,
    note: str = "",
) -> Iterator[Hit]:
    """The overdue (policy severity) or due-soon (info) hit for an open obligation; ``planned``
    records (dated after the as-of date) are named but do not meet it; ``note`` (about a
    broken record that may be the one due) is added to an overdue one. Of a service that has
    ended, an overdue one is a duty missed for good: it asks for the record or a waiver, not
    for haste, and counts no days past the end."""
    days = pending(upcoming.due, as_of, service.get("end"))
    if days is None or days > soon_days:
        return
    since = (
        f"上次为 {upcoming.since}"
        if upcoming.previous is not None
        else f"自服务开始 {upcoming.since} 起"
    )
    end = service.get("end")
    if days < 0 and end is not None and end < as_of:
        # an ended service can no longer catch up: the record is missing, or the duty was missed
        yield Hit(
            service,
            f"{what}应不晚于 {upcoming.due}（{since}），到服务结束（{end}）时仍没有；"
            f"若已完成请补录记录，否则需经批准后以豁免记录说明。{note}",
            key,
            overdue,
        )
    elif days < 0:
        yield Hit(
            service,
            f"{what}应不晚于 {upcoming.due}，已逾期 {-days} 天（{since}）；请尽快完成并提交记录。{note}",
            key,
            overdue,
        )
    else:
        yield Hit(
            service,
            f"{what}应不晚于 {upcoming.due}，还剩 {days} 天（{since}）；"
            f"{planned_note(planned or []) or '请提前安排。'}",
            key,
            Severity.INFO,
        )


def split_window(
    reviews: list[Record], first: date, last: date, as_of: date
) -> tuple[list[Record], list[Record], list[Record]]:
    """Reviews held inside ``first`` … ``last``, planned inside it (dated after the as-of
    date: not held yet), and those outside it."""
    inside = [r for r in reviews if first <= r.date <= last]
    outside = [r for r in reviews if r not in inside]
    return [r for r in inside if r.date <= as_of], [r for r in inside if r.date > as_of], outside


def outside_hits(outside: list[Record], counted: bool, wrong: str, as_of: date) -> Iterator[Hit]:
    """Reviews outside their window: an error, or only an info when another one inside the
    window (``counted``) already meets the requirement. A review planned outside it (dated after
    the as-of date) is a warning: nothing is overdue yet, and it can still be moved."""
    for review in outside:
        if counted:
            yield Hit(
                review,
                f"{wrong}，实际 {review.date}：已有一次在期限内，此次不计入。",
                ("date",),
                Severity.INFO,
            )
        elif review.date > as_of:
            yield Hit(
                review,
                f"{wrong}，这里计划于 {review.date} 召开，不在期限内；请改到期限内召开。",
                ("date",),
                Severity.WARNING,
            )
        else:
            yield Hit(review, f"{wrong}，实际 {review.date}。", ("date",))


def planned_note(planned: list[Record]) -> str:
    """Words about reviews (or surveys) planned but not yet held, for an open obligation's message."""
    if not planned:
        return ""
    held = "开展" if planned[0].kind == "survey" else "召开"
    return f"已计划于 {planned[0].date} {held}（{planned[0].id}），{held}后才算完成。"
