"""Clause 4: output records are prepared by the service department (3.1.6 aside)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.change_reviews import major_change
from brmkb.schema import KINDS

_OUTPUTS = ("review", "monthly-report", "minutes")


@rule("output-preparer", title="输出记录拟制", clause="4")
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """输出记录由服务部拟制。

    《服务评审报告》《服务月报》《会议纪要》的 `prepared_by`（不写时视为策略中的
    `service_department`，默认服务部）须为服务部；唯一例外是重大变更前的追加评审报告
    （3.1.6 由销售部门组织），可由销售部门拟制。
    """
    service_dept, sales_dept = opts.policy.service_department, opts.policy.sales_department
    for kind in _OUTPUTS:
        for record in kb.of_kind(kind):
            prepared = record.get("prepared_by", service_dept)
            allowed = {service_dept}
            if (
                kind == "review"
                and record["type"] == "additional"
                and record.get("phase") == "before"
                and major_change(kb, record)
            ):
                allowed.add(sales_dept)
            if prepared not in allowed:
                yield Hit(
                    record,
                    f"《{KINDS[kind].label}》应由{'或'.join(sorted(allowed))}拟制（程序第 4 章），这里是“{prepared}”；"
                    "请核对 prepared_by。",
                    ("prepared_by",),
                )
