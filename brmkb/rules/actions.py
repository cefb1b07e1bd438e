"""3.1.8 and 3.2.3: actions agreed in review meetings are tracked to done."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schema import REVISES


def _actions(kb: KnowledgeBase) -> Iterator[tuple[Record, int, dict]]:
    for minutes in kb.of_kind("minutes"):
        for index, action in enumerate(minutes.get("actions", [])):
            yield minutes, index, action


@rule("agreed-revisions", title="商定修订", clause="3.1.8")
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """评审中与客户商定的合同或策划书修订按期完成。

    会议纪要中带 `revises: service_contract` 或 `revises: project_plan` 的行动项，是评审会议上
    与客户达成一致、需要修订服务合同或《项目策划书》的事项。过了 `due` 仍为 `open` 的，为错误。
    """
    for minutes, index, action in _actions(kb):
        if action.get("revises") and action["status"] == "open" and action["due"] < as_of:
            yield Hit(
                minutes,
                f"行动项 {action['id']}（修订《{REVISES[action['revises']]}》）应于 {action['due']} 完成，"
                f"已逾期 {(as_of - action['due']).days} 天；完成后请把 status 改为 done 并写 done 日期，"
                "并将修订后的文件发放相关部门。",
                ("actions", index, "due"),
            )


@rule(
    "action-tracking",
    title="行动项跟踪",
    clause="3.2.3",
    also=("3.1.8", "3.1.9"),
    options={"overdue_severity": "warning"},
)
def check_tracking(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """行动项的状态真实可追踪。

    - `status: done` 必须写 `done`（完成日期），且不能晚于检查日；写了 `done` 日期的行动项
      状态须为 `done`。
    - 其他行动项过了 `due` 仍为 `open`：按 `overdue_severity`（默认警告）报告，
      以便服务部监控改进活动的实施（3.2.3）。修订合同或策划书的行动项由 `agreed-revisions` 检查。

    问题报告在行动项所属的条款下：针对调查或投诉（`addresses`）的为 3.2.3，修订合同或策划书
    （`revises`）的为 3.1.8，其他评审行动项为 3.1.9。按条款豁免时据此匹配。

    通过示例：`status: done`、`done: 2026-07-15`。
    不通过示例：`status: done` 但没有 `done` 日期。
    """
    overdue = Severity(opts["overdue_severity"])
    for minutes, index, action in _actions(kb):
        place = ("actions", index)
        clause = _clause(action)
        done = action.get("done")
        if action["status"] == "done" and done is None:
            yield Hit(
                minutes,
                f"行动项 {action['id']} 标为已完成，但没有完成日期；请补写 done: YYYY-MM-DD。",
                (*place, "status"),
                clause=clause,
            )
        elif action["status"] == "done" and done > as_of:
            yield Hit(
                minutes,
                f"行动项 {action['id']} 的完成日期 {done} 晚于检查日 {as_of}；请核对日期。",
                (*place, "done"),
                clause=clause,
            )
        elif action["status"] == "open" and done is not None:
            yield Hit(
                minutes,
                f"行动项 {action['id']} 写了完成日期 {done}，但状态仍为 open；请改为 status: done。",
                (*place, "status"),
                clause=clause,
            )
        elif action["status"] == "open" and not action.get("revises") and action["due"] < as_of:
            yield Hit(
                minutes,
                f"行动项 {action['id']}（{action['owner']}负责）应于 {action['due']} 完成，已逾期 {(as_of - action['due']).days} 天；"
                "请跟进并更新状态。",
                (*place, "due"),
                overdue,
                clause=clause,
            )


def _clause(action: dict) -> str:
    """The clause an action belongs to: improving on a survey or complaint (3.2.3), revising
    the contract or plan (3.1.8), or any other outcome of a review meeting (3.1.9)."""
    if action.get("addresses"):
        return "3.2.3"
    return "3.1.8" if action.get("revises") else "3.1.9"
