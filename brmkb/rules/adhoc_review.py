"""3.1.4 and 3.1.7: ad-hoc reviews at the customer's request."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule


@rule("adhoc-review", title="临时评审", clause="3.1.4", options={"days": 10})
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """客户要求的临时性评审及时召开。

    每个客户临时评审请求（`kind: request`）须有一份临时性评审（`type: adhoc`，`request`
    指向该请求），日期在收到请求后 `days` 天内（默认 10 天，含当天）。期限未到时为提示；
    讨论内容（进展、成绩、需要处理的问题，3.1.7）由 `review-sections` 规则检查。
    """
    answers: dict[str, list] = {}
    for review in kb.of_kind("review"):
        if review["type"] == "adhoc" and review.get("request"):
            answers.setdefault(review["request"], []).append(review)
    for request in kb.of_kind("request"):
        due = request.date + timedelta(days=opts["days"])
        reviews = answers.get(request.id, [])
        for review in reviews:
            if not request.date <= review.date <= due:
                yield Hit(
                    review,
                    f"临时性评审应在收到请求（{request.date}）后 {opts['days']} 天内、即 {due} 前召开，实际 {review.date}。",
                    ("date",),
                )
        if reviews:
            continue
        if as_of > due:
            yield Hit(
                request,
                f"客户请求“{request['subject']}”（{request.date} 收到）没有临时性评审，应不晚于 {due} 召开；"
                f"请提交 type: adhoc、request: {request.id} 的评审报告。",
                ("date",),
            )
        else:
            yield Hit(
                request,
                f"客户请求的临时性评审应在 {due} 前召开（还剩 {(due - as_of).days} 天）。",
                ("date",),
                Severity.INFO,
            )
