"""3.3.1: complaints are closed, with a resolution, within the policy's days for their severity."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb import prompts
from brmkb.findings import Severity
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule

_SEVERITY = {"low": "一般", "medium": "较重", "high": "严重"}


@rule(
    "complaint-closure",
    title="投诉关闭",
    clause="3.3.1",
    options={"days": {"low": 20, "medium": 10, "high": 5}},
    choices={"days": tuple(_SEVERITY)},
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """客户投诉按期关闭并记录处理结果。

    按《客户投诉管理办法》，投诉须在收到后按严重程度规定的天数内关闭（`days`，默认
    严重 5 天、较重 10 天、一般 20 天，含收到当天之后的自然日）。

    - 已关闭（`status: closed`）的投诉须有 `closed` 日期和 `resolution`，关闭日期不早于收到日期、
      不晚于检查日，且不超过期限。`resolution` 只有占位词（策略的 `placeholders`，如“待补充”
      “TBD”）时，视为没有处理结果。
    - 策略中的 `days` 可只写要改的严重程度（如 `days: {high: 3}`），其余沿用默认天数。
    - 仍在处理（`status: open`）的投诉超过期限为错误，未超过为提示。
    - 收到日期晚于检查日的投诉为警告：日期在未来，请核对。

    通过示例：2026-11-18 收到的严重投诉，检查日 2026-11-20 仍在处理（还剩 3 天）。
    不通过示例：`received: 2026-12-01`，而检查日是 2026-11-20。
    """
    for complaint in kb.of_kind("complaint"):
        received = complaint["received"]
        days = opts["days"].get(complaint["severity"], 0)
        due = received + timedelta(days=days)
        label = _SEVERITY.get(complaint["severity"], complaint["severity"])
        closed = complaint.get("closed")
        if received > as_of:
            yield Hit(
                complaint,
                f"收到日期 {received} 在未来（检查日 {as_of}）；投诉只能在收到后登记，请核对日期。",
                ("received",),
                Severity.WARNING,
            )
            continue
        if complaint["status"] == "open":
            if closed is not None:
                yield Hit(
                    complaint,
                    f"投诉写了关闭日期 {closed}，但状态仍为 open；请改为 status: closed 并写处理结果。",
                    ("status",),
                )
            elif as_of > due:
                yield Hit(
                    complaint,
                    f"{label}投诉应不晚于 {due} 关闭（收到后 {days} 天），已逾期 {(as_of - due).days} 天；请尽快处理并记录 closed 和 resolution。",
                    ("status",),
                )
            else:
                yield Hit(
                    complaint,
                    f"{label}投诉处理中，须不晚于 {due} 关闭（还剩 {(due - as_of).days} 天）。",
                    ("status",),
                    Severity.INFO,
                )
            continue
        if closed is None:
            yield Hit(
                complaint, "已关闭的投诉没有关闭日期；请补写 closed: YYYY-MM-DD。", ("closed",)
            )
        elif closed < received or closed > as_of:
            which = f"早于收到日期 {received}" if closed < received else f"晚于检查日 {as_of}"
            yield Hit(complaint, f"关闭日期 {closed} {which}；请核对日期。", ("closed",))
        elif closed > due:
            yield Hit(
                complaint,
                f"{label}投诉应在收到后 {days} 天内（不晚于 {due}）关闭，实际 {closed} 关闭，超期 {(closed - due).days} 天；"
                "如有正当理由，请以豁免记录说明并经批准。",
                ("closed",),
            )
        if prompts.is_blank(complaint.get("resolution", ""), opts.policy.placeholders):
            yield Hit(
                complaint,
                "已关闭的投诉没有处理结果；请补写 resolution，说明原因分析和处理措施。",
                ("resolution",),
            )
