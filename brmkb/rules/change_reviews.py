"""3.1.3 and 3.1.6: additional reviews before and after a major contract change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb.findings import Severity
from brmkb.model import Broken, KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import outside_hits, planned_note, split_window

_PHASES = {"before": "变更前", "after": "变更后"}


@rule(
    "additional-review",
    title="变更追加评审",
    clause="3.1.3",
    options={"days_before": 30, "days_after": 30},
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """重大合同变更前后各有一次追加评审。

    每个 `major: true` 的合同变更须有两份追加评审（`type: additional`，`change` 指向该变更）：
    `phase: before` 的日期在变更生效日之前 `days_before` 天内（含生效日当天），
    `phase: after` 的日期在生效日之后 `days_after` 天内（含当天）。

    - 期限已过仍没有相应评审：错误，标在变更记录上。
    - 期限未到：提示何时到期。日期晚于检查日的评审是计划，召开后才算完成。
    - 评审日期不在期限内：错误，标在评审的 `date` 上；若同一阶段已有一次在期限内，
      期限外的那次只是提示（不计入）。计划在期限外召开（日期晚于检查日）时为警告：请改期。
    - 非重大变更（`major: false`）不要求追加评审。
    - 相应的评审报告有格式错误时：提示先修正它（修正后才能核对），而不是说没有评审。

    通过示例：变更 2026-07-01 生效，变更前评审 2026-06-10、变更后评审 2026-07-20。
    不通过示例：变更前评审只有 2026-05-17 一次（早于期限 2026-06-01）。
    """
    by_change: dict[str, list[Record]] = {}
    for review in kb.of_kind("review"):
        if review["type"] == "additional" and review.get("change"):
            by_change.setdefault(review["change"], []).append(review)
    windows = {"before": opts["days_before"], "after": opts["days_after"]}
    for change in kb.of_kind("change"):
        if not change["major"]:
            continue
        for phase, days in windows.items():
            reviews = [r for r in by_change.get(change.id, []) if r.get("phase") == phase]
            broken = [
                b
                for b in kb.broken_referring("review", "change", change.id)
                if b.get("phase") in (phase, None)
            ]
            yield from _phase(change, phase, days, reviews, broken, as_of)


def _phase(
    change: Record,
    phase: str,
    days: int,
    reviews: list[Record],
    broken: list[Broken],
    as_of: date,
) -> Iterator[Hit]:
    effective = change.date
    first, last = (
        (effective - timedelta(days=days), effective)
        if phase == "before"
        else (effective, effective + timedelta(days=days))
    )
    label = _PHASES[phase]
    held, planned, outside = split_window(reviews, first, last, as_of)
    yield from outside_hits(
        outside,
        bool(held or planned),
        f"{label}追加评审应在 {first} 至 {last} 之间召开（变更 {change.id} 于 {effective} 生效）",
        as_of,
    )
    if held or (as_of > last and any(r.date <= as_of for r in outside)):
        return  # met, or the review held at the wrong time is reported already
    if broken:
        yield Hit(
            change,
            f"{label}追加评审 {broken[0].broken_note}；修正后才能核对它是否在 {first} 至 {last} 之间召开。",
            ("major",),
            None if as_of > last else Severity.INFO,
        )
    elif as_of > last:
        yield Hit(
            change,
            f"重大合同变更“{change['summary']}”（{effective} 生效）没有{label}追加评审（应在 {first} 至 {last} 之间）；"
            f"请提交 type: additional、change: {change.id}、phase: {phase} 的评审报告。",
            ("major",),
        )
    else:
        yield Hit(
            change,
            f"重大合同变更需要在 {first} 至 {last} 之间召开{label}追加评审（phase: {phase}），"
            f"还剩 {(last - as_of).days} 天；{planned_note(planned) or '请按期召开。'}",
            ("major",),
            Severity.INFO,
        )


def major_change(kb: KnowledgeBase, review: Record) -> bool:
    """True unless the change an additional review is for is known to be minor: 3.1.6 governs
    only the before-review of a major change (a broken reference is reported on its own)."""
    change = kb.by_id.get(review.get("change", ""))
    return change is None or change.kind != "change" or bool(change["major"])


@rule("change-review-organizer", title="追加评审组织", clause="3.1.6")
def check_organizer(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """重大变更前的追加评审由销售部门组织。

    重大合同变更（`major: true`）的 `phase: before` 追加评审，其 `organizer_dept` 须为策略中的
    销售部门（默认“销售部门”）。讨论内容（3.1.6.1–3.1.6.3）由 `review-sections` 规则检查。
    非重大变更前的追加评审也欢迎召开，按一般评审检查，不要求由销售部门组织。

    通过示例：重大变更前的追加评审 `organizer_dept: 销售部门`；或一般变更前由服务部组织的评审。
    不通过示例：重大变更前的追加评审由服务部组织。
    """
    sales = opts.policy.sales_department
    for review in kb.of_kind("review"):
        if (
            review["type"] == "additional"
            and review.get("phase") == "before"
            and review["organizer_dept"] != sales
            and major_change(kb, review)
        ):
            yield Hit(
                review,
                f"重大变更前的追加评审应由{sales}组织，这里的组织部门是“{review['organizer_dept']}”；"
                f"请核对并把 organizer_dept 改为 {sales}。",
                ("organizer_dept",),
            )
