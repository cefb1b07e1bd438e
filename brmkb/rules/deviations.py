"""3.2.3–3.2.4: each satisfaction deviation is acted on, reported monthly and discussed in review."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from brmkb.dates import add_months, month_key
from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.satisfaction import Deviation, deviations

_TREND = {"decline_count": 2}


def _deviations(
    kb: KnowledgeBase, opts: RuleOptions, as_of: date
) -> Iterator[tuple[Record, list[Deviation]]]:
    """Deviations grouped by survey: one obligation per survey, however many indicators deviate."""
    for service in kb.services:
        grouped: dict[str, list[Deviation]] = {}
        for deviation in deviations(kb, service, opts["decline_count"], as_of):
            grouped.setdefault(deviation.survey.id, []).append(deviation)
        for items in grouped.values():
            yield items[0].survey, items


def _describe(items: list[Deviation]) -> str:
    return "、".join(f"{d.indicator.name} {d.score}（{d.reason}）" for d in items)


@rule("deviation-action", clause="3.2.3", options={**_TREND, "days": 30})
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """满意度偏差有改进措施。

    满意度得分低于目标，或某项指标连续 `decline_count` 次调查下降（默认 2 次），即为偏差。
    每个有偏差的调查，须在调查后 `days` 天内（默认 30 天）有一份会议纪要的行动项用
    `addresses: <调查 id>` 指向它，作为服务部组织制订的解决方案。期限未到为提示。
    """
    addressed = {
        action.get("addresses")
        for minutes in kb.of_kind("minutes")
        for action in minutes.get("actions", [])
    }
    for survey, items in _deviations(kb, opts, as_of):
        if survey.id in addressed:
            continue
        due = survey.date + timedelta(days=opts["days"])
        overdue = as_of > due
        yield Hit(
            survey,
            f"满意度偏差：{_describe(items)}。{'已超过' if overdue else '须在'} {due} {'仍' if overdue else '前'}"
            f"没有改进措施；请在会议纪要的行动项中写 addresses: {survey.id}，说明改进措施、责任人和完成日期。",
            ("scores",),
            None if overdue else Severity.INFO,
        )


@rule("deviation-report", clause="3.2.4", options={**_TREND, "due_day": 10}, months=True)
def check_report(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """满意度偏差写入服务月报。

    有偏差的调查，须由调查当月或之后的一份服务月报在 `deviations` 中列出其 id。
    调查当月的月报到期（次月 `due_day` 日，默认 10 日）之前为提示。
    """
    recorded: dict[str, list[str]] = {}
    for report in kb.of_kind("monthly-report"):
        for survey_id in report.get("deviations", []):
            recorded.setdefault(survey_id, []).append(report["month"])
    for survey, items in _deviations(kb, opts, as_of):
        month = month_key(survey.date)
        if any(m >= month for m in recorded.get(survey.id, [])):
            continue
        due = add_months(survey.date.replace(day=1), 1).replace(day=opts["due_day"])
        yield Hit(
            survey,
            f"满意度偏差（{_describe(items)}）须写入 {month} 或之后的服务月报（应不晚于 {due}）；"
            f"请在月报的 deviations 中加入 {survey.id}。",
            ("scores",),
            None if as_of > due else Severity.INFO,
        )


@rule("deviation-review", clause="3.2.4", options=dict(_TREND))
def check_review(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """满意度偏差在下一次服务评审中讨论。

    有偏差的调查之后召开的第一次服务评审（任何类型），须在 `discusses` 中列出该调查，
    以便在评审中提交改进建议。尚未召开下一次评审时不报告。
    """
    for survey, items in _deviations(kb, opts, as_of):
        service = survey["service"]
        later = [r for r in kb.of(service, "review") if survey.date < r.date <= as_of]
        if later and survey.id not in later[0].get("discusses", []):
            yield Hit(
                later[0],
                f"这是调查 {survey.id} 之后的第一次服务评审，但没有讨论其满意度偏差（{_describe(items)}）；"
                f"请在 discusses 中加入 {survey.id}，并在正文中写明讨论和建议。",
                ("discusses",) if "discusses" in later[0].data else ("date",),
            )
