"""3.1.2: suppliers and other external organizations take part in reviews."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.intervals import late_events
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import next_due_hit
from brmkb.schedule import held_by

_GROUPS = {"suppliers": "供应商", "external": "外部组织"}


@rule(
    "stakeholder-participation",
    title="相关方参与",
    clause="3.1.2",
    months=True,
    options={"window_months": 12, "due_soon_days": 30, "overdue_severity": "error"},
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """供应商和其他外部组织定期参加服务评审。

    服务档案 `suppliers` 和 `external` 中的每个组织，在任意连续 `window_months` 个月内
    （默认 12 个月，从服务开始算起）至少参加一次该服务的评审：会议纪要的参会人员中有人的
    `org` 与档案中的名称一致。参会日期是纪要所记录的评审的日期（纪要可以在评审后几天才写），
    纪要日期晚于检查日时尚不算参加。

    - 两次参会之间超过期限：错误，标在较晚的会议纪要上。
    - 到检查日已超过期限：严重性由 `overdue_severity` 决定（默认错误），标在服务档案上。
    - 期限在 `due_soon_days` 天内：提示。
    """
    months = opts["window_months"]
    for service in kb.services:
        days = ((kb.meeting_day(m), m) for m in held_by(kb.of(service.id, "minutes"), as_of))
        meetings = sorted(((d, m) for d, m in days if d <= as_of), key=lambda pair: pair[0])
        for group, label in _GROUPS.items():
            for index, org in enumerate(service.get(group, [])):
                attended = [(day, m) for day, m in meetings if _attended(m, org)]
                late, upcoming = late_events(service["start"], attended, months)
                for gap in late:
                    yield Hit(
                        gap.event,
                        f"{label}“{org}”自 {gap.since} 起超过 {months} 个月未参加服务评审"
                        f"（应不晚于 {gap.due}，实际 {gap.held}）；3.1.2 要求其作为利益相关方参加评审。",
                        ("attendees",),
                    )
                yield from next_due_hit(
                    service,
                    upcoming,
                    as_of,
                    soon_days=opts["due_soon_days"],
                    overdue=Severity(opts["overdue_severity"]),
                    what=f"{label}“{org}”下一次参加服务评审",
                    key=(group, index),
                )


def _attended(minutes: Record, org: str) -> bool:
    return any(attendee["org"].strip() == org.strip() for attendee in minutes["attendees"])
