"""3.2.3–3.2.4: each satisfaction deviation is acted on, reported monthly and discussed in review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb.dates import month_key
from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.monthly_reports import report_due
from brmkb.satisfaction import Deviation, deviations
from brmkb.schedule import held_by

_TREND = {"decline_count": 2}
_REGULAR = ("periodic", "annual")


def _deviations(
    kb: KnowledgeBase, opts: RuleOptions, as_of: date
) -> list[tuple[Record, list[Deviation]]]:
    """Deviations grouped by survey: one obligation per survey, however many indicators
    deviate. The three rules here ask the same: found once per check."""
    decline_count = opts["decline_count"]
    return kb.derived(
        ("deviations", decline_count, as_of), lambda: list(_grouped(kb, decline_count, as_of))
    )


def _grouped(
    kb: KnowledgeBase, decline_count: int, as_of: date
) -> Iterator[tuple[Record, list[Deviation]]]:
    for service in kb.services:
        grouped: dict[str, list[Deviation]] = {}
        for deviation in deviations(kb, service, decline_count, as_of):
            grouped.setdefault(deviation.survey.id, []).append(deviation)
        for items in grouped.values():
            yield items[0].survey, items


def _describe(items: list[Deviation]) -> str:
    return "、".join(f"{d.indicator.name} {d.score}（{d.reason}）" for d in items)


@rule("deviation-action", title="偏差改进", clause="3.2.3", options={**_TREND, "days": 30})
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """满意度偏差有改进措施。

    满意度得分未达目标（越高越好的指标低于目标，越低越好的指标高于目标），或某项指标连续 `decline_count` 次调查下降（默认 2 次），即为偏差。
    每个有偏差的调查，须有一份会议纪要的行动项用 `addresses: <调查 id>` 指向它，作为服务部
    组织制订的解决方案；会议（纪要所记录的评审）的日期须在调查当天到调查后 `days` 天内
    （默认 30 天，含当天）。纪要可以在会后几天才写，以评审日期为准。

    - 期限未到：提示。日期晚于检查日的纪要是计划，召开后才算。
    - 只有期限之后的纪要提出措施：错误，写明晚了多少天，标在该行动项上。
    - 期限已过仍没有措施：错误，标在调查上。

    通过示例：2026-06-09 的调查低于目标，2026-06-20 的会议纪要有 `addresses` 指向它的行动项。
    不通过示例：同一调查的行动项来自 2027-02-24 的会议纪要（晚 230 天）。
    """
    answers: dict[str, list[tuple[date, Record, int]]] = {}
    for minutes in held_by(kb.of_kind("minutes"), as_of):
        for index, action in enumerate(minutes.get("actions", [])):
            met = kb.meeting_day(minutes)
            if action.get("addresses") and met <= as_of:
                answers.setdefault(action["addresses"], []).append((met, minutes, index))
    for survey, items in _deviations(kb, opts, as_of):
        due = survey.date + timedelta(days=opts["days"])
        found = [answer for answer in answers.get(survey.id, []) if answer[0] >= survey.date]
        if any(met <= due for met, _, _ in found):
            continue
        if found:
            met, minutes, index = min(found, key=lambda answer: answer[0])
            yield Hit(
                minutes,
                f"行动项 {minutes['actions'][index]['id']} 针对调查 {survey.id} 的满意度偏差（{_describe(items)}），"
                f"但评审会议日期 {met} 晚于期限 {due}（调查后 {opts['days']} 天）{(met - due).days} 天；"
                "改进措施应及时制订，如有正当理由请以豁免记录说明。",
                ("actions", index, "addresses"),
            )
            continue
        overdue = as_of > due
        yield Hit(
            survey,
            f"满意度偏差：{_describe(items)}。"
            + (f"已超过 {due} 仍没有改进措施" if overdue else f"尚无改进措施，须在 {due} 前制订")
            + f"；请在会议纪要的行动项中写 addresses: {survey.id}，说明改进措施、责任人和完成日期。",
            ("scores",),
            None if overdue else Severity.INFO,
        )


@rule(
    "deviation-report",
    title="偏差入月报",
    clause="3.2.4",
    options={**_TREND, "due_day": 10},
    months=True,
)
def check_report(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """满意度偏差写入服务月报。

    有偏差的调查，须写入调查之后最先到期的服务月报：调查当月的月报（次月 `due_day` 日到期，
    默认 10 日），在其 `deviations` 中列出调查 id。调查日期在上月月报到期之前时，写入上月
    月报也算按时。

    - 该月报到期之前：提示。
    - 只由更晚月份的月报列出：错误，写明晚了多少天（以该月报的到期日计）。
    - 到期后仍没有月报列出：错误。尚未开始的月份的月报不算。

    通过示例：2026-06-09 的调查有偏差，2026-06 的月报（2026-07-10 到期）列出它。
    不通过示例：只有 2026-09 的月报列出它（2026-10-10 到期，晚 92 天）。
    """
    recorded: dict[str, list[Record]] = {}
    for report in kb.of_kind("monthly-report"):
        if report["month"] <= month_key(as_of):
            for survey_id in report.get("deviations", []):
                recorded.setdefault(survey_id, []).append(report)
    for survey, items in _deviations(kb, opts, as_of):
        month = month_key(survey.date)
        due = report_due(month, opts["due_day"])
        listed = [
            r
            for r in recorded.get(survey.id, [])
            if report_due(r["month"], opts["due_day"]) >= survey.date
        ]
        if any(r["month"] <= month for r in listed):
            continue
        if listed:
            late = min(listed, key=lambda r: r["month"])
            days = (report_due(late["month"], opts["due_day"]) - due).days
            yield Hit(
                late,
                f"调查 {survey.id} 的满意度偏差（{_describe(items)}）应写入 {month} 的服务月报（{due} 到期），"
                f"这里到 {late['month']} 的月报才列出，晚 {days} 天；请及时写入偏差当月的月报。",
                ("deviations",),
            )
            continue
        yield Hit(
            survey,
            f"满意度偏差（{_describe(items)}）须写入 {month} 的服务月报（应不晚于 {due}）；"
            f"请在月报的 deviations 中加入 {survey.id}。",
            ("scores",),
            None if as_of > due else Severity.INFO,
        )


@rule("deviation-review", title="偏差提交评审", clause="3.2.4", options=dict(_TREND))
def check_review(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """满意度偏差在下一次服务评审中讨论。

    有偏差的调查之后召开的下一次定期或年度服务评审，须在 `discusses` 中列出该调查，以便在
    评审中提交改进建议。同一天召开的几次评审合起来算（其中任何一份列出即可）；在此之前
    召开的临时性或追加评审若已讨论，也算；调查当天召开的评审已讨论的，也算。与之无关的临时性评审
    不是“下一次评审”。
    尚未召开下一次评审时不报告；日期晚于检查日的评审是计划，尚未召开。

    通过示例：调查之后同一天召开定期评审和临时性评审，临时性评审的 `discusses` 列出该调查。
    不通过示例：调查之后的第一次定期评审没有列出它。
    """
    for survey, items in _deviations(kb, opts, as_of):
        since = [
            r for r in held_by(kb.of(survey["service"], "review"), as_of) if r.date >= survey.date
        ]
        regular = [r for r in since if r["type"] in _REGULAR and r.date > survey.date]
        if not regular:
            continue
        day = regular[0].date
        if any(survey.id in r.get("discusses", []) for r in since if r.date <= day):
            continue
        review = regular[0]
        yield Hit(
            review,
            f"这是调查 {survey.id} 之后的下一次服务评审，但没有讨论其满意度偏差（{_describe(items)}）；"
            f"请在 discusses 中加入 {survey.id}，并在正文中写明讨论和建议。",
            ("discusses",),  # when missing: the front matter's first line
        )
