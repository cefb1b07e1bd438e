"""3.1.4 and 3.1.7: ad-hoc reviews at the customer's request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import outside_hits, planned_note, split_window


@rule("adhoc-review", title="临时评审", clause="3.1.4", options={"days": 10})
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """客户要求的临时性评审及时召开。

    每个客户临时评审请求（`kind: request`）须有一份临时性评审（`type: adhoc`，`request`
    指向该请求），日期在收到请求后 `days` 天内（默认 10 天，含当天）。期限未到时为提示；
    讨论内容（进展、成绩、需要处理的问题，3.1.7）由 `review-sections` 规则检查。

    - 日期晚于检查日的评审是计划，召开后才算完成；期限之内仍为提示。
    - 期限外召开的评审为错误；若已有一次在期限内，期限外的那次只是提示（不计入）。
      计划在期限外召开（日期晚于检查日）时为警告：请改期。
    - 收到日期晚于检查日的请求为警告：日期在未来。
    - 相应的评审报告有格式错误时：提示先修正它（修正后才能核对），而不是说没有评审。

    通过示例：2026-03-02 收到请求，2026-03-09 召开临时性评审。
    不通过示例：检查日 2026-03-10，评审写的是 2026-03-11（计划），期限 2026-03-12 过后仍未召开。
    """
    answers: dict[str, list[Record]] = {}
    for review in kb.of_kind("review"):
        if review["type"] == "adhoc" and review.get("request"):
            answers.setdefault(review["request"], []).append(review)
    for request in kb.of_kind("request"):
        if request.date > as_of:
            yield Hit(
                request,
                f"收到日期 {request.date} 在未来（检查日 {as_of}）；请求只能在收到后登记，请核对日期。",
                ("date",),
                Severity.WARNING,
            )
            continue
        due = request.date + timedelta(days=opts["days"])
        held, planned, outside = split_window(answers.get(request.id, []), request.date, due, as_of)
        yield from outside_hits(
            outside,
            bool(held or planned),
            f"临时性评审应在收到请求（{request.date}）后 {opts['days']} 天内、即 {due} 前召开",
            as_of,
        )
        if held or (as_of > due and any(r.date <= as_of for r in outside)):
            continue
        broken = kb.broken_referring("review", "request", request.id)
        if broken:
            yield Hit(
                request,
                f"临时性评审 {broken[0].broken_note}；修正后才能核对它是否在 {due} 前召开。",
                ("date",),
                None if as_of > due else Severity.INFO,
            )
        elif as_of > due:
            yield Hit(
                request,
                f"客户请求“{request['subject']}”（{request.date} 收到）没有临时性评审，应不晚于 {due} 召开；"
                f"请提交 type: adhoc、request: {request.id} 的评审报告。",
                ("date",),
            )
        else:
            yield Hit(
                request,
                f"客户请求的临时性评审应在 {due} 前召开（还剩 {(due - as_of).days} 天）；"
                f"{planned_note(planned) or '请按期召开。'}",
                ("date",),
                Severity.INFO,
            )
