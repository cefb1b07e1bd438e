"""3.1.9: every review produces minutes, distributed to the departments concerned."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schedule import held_by
from brmkb.schema import id_key


@rule("review-minutes", title="评审纪要", clause="3.1.9", options={"grace_days": 7})
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """所有服务评审都形成会议纪要。

    每份评审报告都须有一份会议纪要（`kind: minutes`，`review` 指向该评审）。评审后
    `grace_days` 天内（默认 7 天）纪要尚未提交只是提示，之后为错误。
    纪要日期不能早于评审日期（为错误）。日期晚于检查日的评审是计划，尚不要求纪要；
    日期晚于检查日的纪要也是计划，尚不算已提交。有格式错误的纪要只要 `review` 能读出，
    也算已有纪要（其格式错误另行报告）。`review` 与评审编号只差大小写的纪要不算（引用须与
    编号完全一致，由“引用”规则报告），但这里会指出它，请改正其 `review`。

    通过示例：2026-06-09 的评审，纪要日期 2026-06-09。
    不通过示例：纪要日期 2026-05-31，早于其评审 2026-06-09。
    """
    grace = timedelta(days=opts["grace_days"])
    for review in kb.of_kind("review"):
        for minutes in kb.minutes_by_review.get(review.id, []):
            if minutes.date < review.date:
                yield Hit(
                    minutes,
                    f"会议纪要日期 {minutes.date} 早于其评审“{review.id}”的日期 {review.date}；"
                    "纪要记录的是评审会议，请核对两者的日期。",
                    ("date",),
                )
    # minutes naming a review that does not exist, by the id they would name in other case
    miscased = {
        id_key(named): group
        for named, group in kb.minutes_by_review.items()
        if named not in kb.by_id
    }
    for review in held_by(kb.of_kind("review"), as_of):
        written = kb.minutes_by_review.get(review.id, [])
        if held_by(written, as_of) or kb.broken_referring("minutes", "review", review.id):
            continue
        due = review.date + grace
        severity = Severity.INFO if as_of <= due else None
        similar = miscased.get(id_key(review.id))
        if written:
            todo = f"纪要 {written[0].id} 的日期 {written[0].date} 晚于检查日，尚不算已提交；请核对其日期。"
        elif similar:
            todo = (
                f"纪要 {similar[0].id} 写的是 review: {similar[0]['review']}，与评审编号大小写不一致"
                f"（引用须与编号完全一致）；请改为 review: {review.id}。"
            )
        else:
            todo = f"请新建会议纪要记录（kind: minutes），并写 review: {review.id}。"
        yield Hit(
            review,
            f"评审“{review.id}”（{review.date}）还没有会议纪要，应不晚于 {due} 提交；{todo}",
            ("id",),
            severity,
        )


@rule("minutes-distribution", title="纪要发放", clause="3.1.9")
def check_distribution(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """会议纪要写明发放的相关部门。

    每份会议纪要的 `distribution` 列出纪要发放到的部门，至少一个。日期晚于检查日的纪要是
    计划中的会议，会后才发放，届时再检查。
    """
    for minutes in held_by(kb.of_kind("minutes"), as_of):
        if not minutes.get("distribution"):
            yield Hit(
                minutes,
                "会议纪要没有写发放部门；3.1.9 要求纪要发放相关部门，请添加 distribution 列表，"
                "例如 distribution: [服务部, 销售部门]。",
                ("distribution",),  # when missing: the front matter's first line
            )
