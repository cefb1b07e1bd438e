"""3.1.1: a service review at least every six months."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import next_due_hit
from brmkb.schedule import review_timeline
from brmkb.schema import REVIEW_TYPES


@rule(
    "review-frequency",
    title="评审频次",
    clause="3.1.1",
    months=True,
    options={
        "interval_months": 6,
        "counting_types": ["periodic", "annual"],
        "due_soon_days": 30,
        "overdue_severity": "error",
    },
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """服务评审至少每半年一次。

    对每个服务项目，从服务开始到第一次评审、相邻两次评审之间、以及最近一次评审到检查日，
    间隔都不得超过 `interval_months` 个月（默认 6 个月，整 6 个月当天仍算按时，多一天即超期）。
    计入频次的评审类型由 `counting_types` 决定（默认定期评审和年度评审）。

    - 两份已有评审之间的间隔超期：错误，标在较晚那份评审的 `date` 上。
    - 下一次评审已逾期：严重性由 `overdue_severity` 决定（默认错误），标在服务档案上。
    - 下一次评审在 `due_soon_days` 天内到期：提示。
    - 服务有 `end` 时，结束之后不再有评审义务。
    - 日期晚于检查日的评审是计划，尚未召开，不计入；到期之前提示中会写明已有计划。
    - 期间有一份评审报告有格式错误时，说明里会提示先修正它（它可能就是缺少的那次评审）。

    通过示例：服务 2025-01-15 开始，评审于 2025-07-15、2026-01-10 召开。
    不通过示例：服务 2025-01-15 开始，第一次评审 2025-07-16（超过 6 个月一天）。
    """
    months = opts["interval_months"]
    names = "、".join(REVIEW_TYPES.get(t, t) for t in opts["counting_types"])
    for service in kb.services:
        late, upcoming = review_timeline(kb, service, months, opts["counting_types"], as_of)
        for gap in late:
            since = (
                f"上一次评审 {gap.previous.id}（{gap.since}）"
                if gap.previous
                else f"服务开始（{gap.since}）"
            )
            note = kb.broken_note(service.id, "review", gap.since, gap.held)
            yield Hit(
                gap.event,
                f"距{since}超过 {months} 个月：应不晚于 {gap.due} 召开，实际 {gap.held}。"
                f"若期间召开过评审，请补录其评审报告；否则这是一次不符合项，需经批准后以豁免记录说明。{note}",
                ("date",),
            )
        yield from next_due_hit(
            service,
            upcoming,
            as_of,
            soon_days=opts["due_soon_days"],
            overdue=Severity(opts["overdue_severity"]),
            what=f"下一次服务评审（{names}）",
            planned=[
                r
                for r in kb.of(service.id, "review")
                if r.date > as_of and r["type"] in opts["counting_types"]
            ],
            note=kb.broken_note(service.id, "review", upcoming.since, as_of),
        )
