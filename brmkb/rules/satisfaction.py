"""3.2.1–3.2.2: satisfaction indicators with targets, and surveys at the policy cadence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import next_due_hit
from brmkb.satisfaction import Indicator, in_force, indicators
from brmkb.schedule import survey_timeline
from brmkb.schema import id_key


@rule("satisfaction-indicators", title="满意度指标", clause="3.2.2")
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """每个服务项目按《项目策划书》建立满意度指标和目标。

    服务档案的 `satisfaction` 至少列出一项指标，每项有目标值 `target`，且目标在量表
    `scale`（默认 5 分制）的 0 到满分之间。越高越好（`higher_is_better: true`，默认）的
    指标目标不能为 0：任何得分都能达到，起不到目标的作用；越低越好的指标（如投诉次数）
    目标可以为 0（要求零次）。

    《项目策划书》修订指标或目标时（3.1.8），同一指标编号可以再写一项，用 `from` 和
    `until`（日期，均含当天，均可不写）标明每项定义的生效时段；同一指标的时段不能重叠
    （重叠是记录格式错误）。每次调查按调查日期当天生效的定义判断：调查结果的 `scores`
    只能使用当天生效的指标，分数不能超出当时的量表（超出量表的分数是录入错误，只在这里报告，
    不据以判断偏差和趋势）；当天生效的某项指标没有分数时为警告
    （日期晚于检查日的调查是计划，还没有分数，不报告）。
    不写 `from`/`until` 的定义始终有效：直接改目标值，就按新目标判断所有调查。

    通过示例：`timeliness` 写两项，目标 4.2（`until: 2026-06-30`）和 4.5（`from: 2026-07-01`），
    2026-06-09 的调查得 4.3 分按 4.2 判断，达标。
    不通过示例：2026-08-28 的调查得 4.3 分按 4.5 判断，未达标（由偏差规则报告）；调查使用
    `quality`，而 `quality` 已于 2026-06-30 停用（`until`），为错误。
    """
    for service in kb.services:
        defined = indicators(service)
        if not defined:
            yield Hit(
                service,
                "服务档案没有定义客户满意度指标；3.2.2 要求按《项目策划书》建立指标和目标，"
                "请添加 satisfaction 列表（id、name、target）。",
                ("satisfaction",),  # when missing: the front matter's first line
            )
        for indicator in defined:
            problem = _target_problem(indicator)
            if problem:
                yield Hit(service, problem, ("satisfaction", indicator.index, "target"))
        for survey in kb.of(service.id, "survey"):
            yield from _scores(survey, defined, in_force(service, survey.date), as_of)


def _target_problem(indicator: Indicator) -> str | None:
    """Why a target is no target: off the scale, or 0 where higher is better (every score
    meets it). Where lower is better, 0 asks for none at all and the full scale allows every
    score; the second is odd but the contract does not rule it out, so it passes."""
    target, scale = indicator.target, indicator.scale
    if not 0 <= target <= scale:
        return f"指标“{indicator.name}”的目标 {target} 不在 0 到 {scale} 分的量表范围内。"
    if indicator.higher_is_better and target == 0:
        return (
            f"指标“{indicator.name}”越高越好，目标 0 是任何得分都能达到的，起不到目标的作用；"
            "请填写《项目策划书》规定的目标值。"
        )
    return None


def _scores(
    survey: Record, defined: list[Indicator], known: dict[str, Indicator], as_of: date
) -> Iterator[Hit]:
    for key, score in survey["scores"].items():
        if key not in known:
            periods = "、".join(i.period or "始终" for i in defined if i.id == key)
            similar = next((i.id for i in defined if id_key(i.id) == id_key(key)), None)
            if periods:
                when = f"在调查日期 {survey.date} 没有生效的定义（定义的时段：{periods}）"
            elif similar:
                when = f"在服务档案中没有定义：编号大小写不一致，是否指 {similar}？"
            else:
                when = "在服务档案中没有定义"
            yield Hit(
                survey,
                f"得分中的指标“{key}”{when}；当天可用的指标：{'、'.join(known) or '（无）'}。",
                ("scores", key),
            )
        elif not 0 <= score <= known[key].scale:
            yield Hit(
                survey,
                f"指标“{key}”的得分 {score} 超出 0 到 {known[key].scale} 分的量表。",
                ("scores", key),
            )
    if survey.date > as_of:
        return  # planned: its scores are not known yet
    for key in known.keys() - survey["scores"].keys():
        yield Hit(
            survey,
            f"调查没有指标“{known[key].name}”（{key}）的得分；如本次未调查该项，请在正文中说明原因。",
            ("scores",),
            Severity.WARNING,
        )


@rule(
    "survey-cadence",
    title="满意度调查频次",
    clause="3.2.1",
    options={"interval_months": 6, "due_soon_days": 30, "overdue_severity": "error"},
    months=True,
)
def check_cadence(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """按规定周期开展客户满意度调查。

    3.2.1 要求按《顾客满意度测量程序》开展调查；本库以策略中的 `interval_months`
    （默认每 6 个月至少一次，从服务开始算起）作为该程序规定的周期。
    间隔超期为错误；逾期按 `overdue_severity`；`due_soon_days` 天内到期为提示。
    日期晚于检查日的调查是计划，尚未开展，不计入；到期之前提示中会写明已有计划。
    """
    months = opts["interval_months"]
    for service in kb.services:
        late, upcoming = survey_timeline(kb, service, months, as_of)
        for gap in late:
            yield Hit(
                gap.event,
                f"距上一次满意度调查（或服务开始，{gap.since}）超过 {months} 个月：应不晚于 {gap.due}，实际 {gap.held}。",
                ("date",),
            )
        yield from next_due_hit(
            service,
            upcoming,
            as_of,
            soon_days=opts["due_soon_days"],
            overdue=Severity(opts["overdue_severity"]),
            what="下一次客户满意度调查",
            key=("satisfaction",) if "satisfaction" in service.data else ("start",),
            planned=[s for s in kb.of(service.id, "survey") if s.date > as_of],
            note=kb.broken_note(service.id, "survey", upcoming.since, as_of),
        )
