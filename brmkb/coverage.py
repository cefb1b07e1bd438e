"""Which rules enforce each numbered clause of the procedure, or why none can."""

from __future__ import annotations

from dataclasses import dataclass

from brmkb.procedure import clause_texts
from brmkb.registry import Rule, all_rules

#: Every numbered clause of the procedure, with a short Chinese title.
CLAUSES: dict[str, str] = {
    "1.1": "目的",
    "1.2": "适用范围",
    "1.3": "术语表",
    "1.4": "引用文件",
    "2.1.1": "服务部：客户需求分析、服务策划、实施服务评审",
    "2.1.2": "服务部：收集客户需求、牵头满意度需求沟通",
    "2.1.3": "服务部：协助制订满意度指标、监控改进",
    "2.2.1": "销售部门：识别定义客户的角色、范围",
    "2.2.2": "销售部门：确定客户沟通策略和计划",
    "3.1.1": "至少每半年组织服务评审",
    "3.1.2": "确定参与的利益相关方",
    "3.1.3": "重大合同变更前后追加评审",
    "3.1.4": "根据客户要求组织临时评审",
    "3.1.5": "年度服务评审及其输入",
    "3.1.6": "重大变更前由销售部门组织追加评审",
    "3.1.7": "临时性评审讨论进展、成绩和问题",
    "3.1.8": "达成一致后修订合同或项目策划书",
    "3.1.9": "所有评审形成会议纪要并发放",
    "3.2.1": "按《顾客满意度测量程序》开展调查",
    "3.2.2": "建立客户满意度指标和目标",
    "3.2.3": "制订并监控改进措施",
    "3.2.4": "跟踪波动和趋势，偏差写入月报并在评审中提交",
    "3.3.1": "按《客户投诉管理办法》处理投诉",
    "4": "输出的文件和记录",
}

#: Clauses that records cannot prove, and why.
NOT_CHECKABLE: dict[str, str] = {
    "1.1": "说明程序目的，不设具体义务。",
    "1.2": "说明适用范围：本库覆盖的全部服务项目即适用对象。",
    "1.3": "术语定义；术语对应的记录类型见“字段说明”。",
    "1.4": "引用文件清单，不设具体义务。",
    "2.1.1": "部门职责的分工；其落地由 3.1 各条的检查体现（评审由服务部实施、记录由服务部拟制）。",
    "2.1.2": "需求沟通工作本身不形成本程序规定的记录。",
    "2.1.3": "协助制订指标由 3.2.2 的指标检查体现，监控改进由 3.2.3 的行动项检查体现。",
    "2.2.1": "客户角色和范围的识别记录在销售部门的客户档案中，不属于本库的记录。",
    "2.2.2": "沟通策略和计划是销售部门的文件，不属于本库的记录。",
}


@dataclass(frozen=True, slots=True)
class Coverage:
    clause: str
    title: str
    rules: tuple[Rule, ...]
    reason: str | None


def enforcing(clause: str) -> tuple[Rule, ...]:
    """The rules that check ``clause``, as their own clause or one they also report under (a
    rule of 3.1.5.2 also covers 3.1.5)."""
    return tuple(
        rule
        for rule in all_rules()
        if any(c == clause or c.startswith(clause + ".") for c in rule.clauses)
    )


def coverage() -> list[Coverage]:
    """One row per clause: the rules that check it, or why none can."""
    return [
        Coverage(clause, title, enforcing(clause), NOT_CHECKABLE.get(clause))
        for clause, title in CLAUSES.items()
    ]


def clause_numbers() -> list[str]:
    """Every clause of the procedure text, in its order."""
    return list(clause_texts())


def clause_explanation(clause: str) -> str | None:
    """What ``brmkb explain 3.1.1`` prints: the clause's words from the procedure, then every
    rule that enforces it; None when the procedure has no such clause."""
    text = clause_texts().get(clause)
    if text is None:
        return None
    title = CLAUSES.get(clause)
    quoted = "\n".join(f"> {line}".rstrip() for line in text.splitlines())
    rules = enforcing(clause)
    if rules:
        listed = "\n".join(
            f"- `{rule.id}`（{rule.severity.label}"
            + ("" if rule.clause == clause else f"，条款 {rule.clause}，另在本条款下报告")
            + f"）：{rule.summary}"
            for rule in rules
        )
        checks = f"{listed}\n\n用 `brmkb explain 规则编号` 查看规则的说明和策略选项。"
    else:
        reason = NOT_CHECKABLE.get(clause)
        checks = f"本条款不由记录检查：{reason}" if reason else "没有规则检查本条款。"
    heading = f"# 条款 {clause}" + (f"　{title}" if title else "")
    return f"{heading}\n\n{quoted}\n\n## 检查规则\n\n{checks}\n"
