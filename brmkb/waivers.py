"""Waivers: approved, expiring exceptions that mark findings as waived (never hide them)."""

from __future__ import annotations

import re
from datetime import date

from brmkb.findings import Finding, Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import REGISTRY, declare

WAIVER = declare(
    "waiver",
    "豁免有效",
    """豁免记录本身有效：未过期、指向存在的规则或条款、确实匹配到问题。

    豁免（`kind: waiver`）以 `rule`（规则编号，或条款号如 `3.1.1`，豁免报告在该条款及其子条款下的
    所有问题，包括规则兼报的条款：如 `review-sections` 报告在 3.1.7 下的临时性评审问题，`rule: 3.1.7` 即可豁免）
    和 `service` / `record`（两者都写时须同时满足）确定范围，写明 `reason`、`approved_by` 和 `expires`。
    被豁免的问题仍然列出，并标明豁免编号；它们不再使检查失败。

    - 已过 `expires` 的豁免不再生效，并报告为错误：请续批或删除。
    - 指向不存在的规则或条款：错误。记录格式问题不能豁免。
    - 没有匹配任何问题的豁免：警告（问题可能已解决，请删除该豁免）。几份豁免匹配同一问题时，
      问题标明先读到的一份（按文件路径）；其余的若没有别的问题可豁免，警告中写明它与哪份重复。
    - 豁免可以放在 `records/` 下任何位置（`brmkb new waiver` 放在 `records/waivers/`）。豁免是一项
      批准：若仓库的 CODEOWNERS 或 GitLab 审批规则按目录要求服务部批准，把选项 `folder` 设为该目录名
      （如 `waivers`，`brmkb init` 生成的策略即如此），放在其他位置的豁免就不生效，并报告为错误，
      这样未经批准的豁免无法绕过审批。

    通过示例：`rule: 3.1.7`、`record: rv-adhoc-1`，豁免该临时性评审在 3.1.7 下缺少的小节。
    不通过示例：`rule: 3.1.10`（没有规则检查该条款）。
    """,
    options={"folder": ""},
)
_CLAUSE = re.compile(r"\d+(\.\d+)*")
#: The number after ``rule:`` as written in the front matter.
_WRITTEN = re.compile(r"^rule:[ \t]*([0-9][0-9.]*)[ \t\r]*(?:#[^\n]*)?$", re.MULTILINE)


def apply(findings: list[Finding], kb: KnowledgeBase, as_of: date, folder: str) -> list[Finding]:
    """``findings`` with live waivers applied, followed by the waivers' own findings.

    ``folder``: the name of the folder a waiver must be in to take effect (the rule's option),
    or empty for anywhere under records/."""
    live: list[Record] = []
    own: list[Finding] = []
    for waiver in kb.of_kind("waiver"):
        problem = _problem(waiver, as_of, folder)
        if problem:
            own.append(_finding(waiver, *problem))
        else:
            live.append(waiver)
    used: set[str] = set()
    #: A waiver whose findings another waiver (written first) already waives: that one's id.
    shadowed: dict[str, str] = {}
    result = []
    for finding in findings:
        match, *others = [w for w in live if _matches(w, finding)] or [None]
        if match is not None:
            used.add(match.id)
            finding = finding.with_waiver(match.id)
            shadowed.update((w.id, match.id) for w in others if w.id not in shadowed)
        result.append(finding)
    for waiver in live:
        if waiver.id in used:
            continue
        if waiver.id in shadowed:
            message = (
                f"豁免“{waiver.id}”匹配的问题都已由豁免“{shadowed[waiver.id]}”豁免；"
                "请删除重复的豁免，或合并两者。"
            )
        else:
            message = f"豁免“{waiver.id}”没有匹配到任何问题；问题可能已经解决，请删除此豁免或核对 rule 和 service/record。"
        own.append(_finding(waiver, ("rule",), message, Severity.WARNING))
    return result + own


#: Where ``brmkb new`` puts a waiver, and the folder code-owner rules require approval for.
FOLDER = "waivers"


def target_of(waiver: Record) -> str:
    """The rule id or clause a waiver names. A clause written without quotes (``rule: 3.2``,
    ``rule: 4``) reads as a YAML number: it is taken as written, so that ``3.10`` is not 3.1."""
    value = waiver["rule"]
    if isinstance(value, str):
        return value
    written = _WRITTEN.search(waiver.yaml_text)
    return written[1] if written else str(value)


def _problem(waiver: Record, as_of: date, folder: str) -> tuple[tuple, str] | None:
    if folder and folder not in waiver.rel.split("/")[:-1]:
        return (), (
            f"按策略（waiver 规则的 folder 选项），豁免必须放在 {folder}/ 目录下"
            f"（如 records/{folder}/{waiver.id}.md），那里的修改须经服务部审批；"
            "请移动此文件。在此之前它不生效。"
        )
    target = target_of(waiver)
    if _CLAUSE.fullmatch(target):
        if not any(_within(c, target) for r in REGISTRY.values() for c in r.clauses):
            return (
                "rule",
            ), f"没有规则检查条款 {target}；请写规则编号（brmkb rules 可查）或被检查的条款号。"
    elif target not in REGISTRY:
        return ("rule",), f"未知规则“{target}”；请用 brmkb rules 查看规则编号。"
    elif REGISTRY[target].is_format or target == WAIVER.id:
        return ("rule",), f"“{target}”是记录格式问题，不能豁免；请直接修正记录。"
    if waiver["expires"] < as_of:
        return (
            "expires",
        ), f"豁免已于 {waiver['expires']} 失效，不再生效；请重新审批并更新 expires，或删除此豁免。"
    return None


def _matches(waiver: Record, finding: Finding) -> bool:
    if finding.rule == WAIVER.id or REGISTRY[finding.rule].is_format:
        return False
    target = target_of(waiver)
    if target != finding.rule and not (finding.clause and _within(finding.clause, target)):
        return False
    if "service" in waiver.data and waiver["service"] != finding.service:
        return False
    return "record" not in waiver.data or waiver["record"] == finding.record


def _within(clause: str, target: str) -> bool:
    return clause == target or clause.startswith(target + ".")


def _finding(waiver: Record, key: tuple, message: str, severity: Severity | None = None) -> Finding:
    return Finding(
        WAIVER.id,
        None,
        severity or WAIVER.severity,
        waiver.rel,
        waiver.line_of(key),
        message,
        service=waiver.get("service"),
        record=waiver.id,
    )
