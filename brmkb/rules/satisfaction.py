"""3.2.1–3.2.2: satisfaction indicators with targets, and surveys at the policy cadence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import next_due_hit
from brmkb.satisfaction import indicators
from brmkb.schedule import survey_timeline


@rule("satisfaction-indicators", clause="3.2.2")
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """每个服务项目按《项目策划书》建立满意度指标和目标。

    服务档案的 `satisfaction` 至少列出一项指标，每项有目标值 `target`，且目标在量表
    `scale`（默认 5 分制）范围内。调查结果的 `scores` 只能使用档案中定义过的指标，
    分数不能超出量表；某项指标没有分数时为警告。
    """
    for service in kb.services:
        defined = indicators(service)
        if not defined:
            yield Hit(
                service,
                "服务档案没有定义客户满意度指标；3.2.2 要求按《项目策划书》建立指标和目标，"
                "请添加 satisfaction 列表（id、name、target）。",
                ("satisfaction",) if "satisfaction" in service.data else ("id",),
            )
        for index, indicator in enumerate(defined):
            if not 0 < indicator.target <= indicator.scale:
                yield Hit(
                    service,
                    f"指标“{indicator.name}”的目标 {indicator.target} 不在 0 到 {indicator.scale} 分的量表范围内。",
                    ("satisfaction", index, "target"),
                )
        known = {i.id: i for i in defined}
        for survey in kb.of(service.id, "survey"):
            for key, score in survey["scores"].items():
                if key not in known:
                    yield Hit(
                        survey,
                        f"得分中的指标“{key}”在服务档案中没有定义；可用指标：{'、'.join(known) or '（无）'}。",
                        ("scores", key),
                    )
                elif not 0 <= score <= known[key].scale:
                    yield Hit(
                        survey,
                        f"指标“{key}”的得分 {score} 超出 0 到 {known[key].scale} 分的量表。",
                        ("scores", key),
                    )
            for key in known.keys() - survey["scores"].keys():
                yield Hit(
                    survey,
                    f"调查没有指标“{known[key].name}”（{key}）的得分；如本次未调查该项，请在正文中说明原因。",
                    ("scores",),
                    Severity.WARNING,
                )


@rule(
    "survey-cadence",
    clause="3.2.1",
    options={"interval_months": 6, "due_soon_days": 30, "overdue_severity": "error"},
    months=True,
)
def check_cadence(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """按规定周期开展客户满意度调查。

    3.2.1 要求按《顾客满意度测量程序》开展调查；本库以策略中的 `interval_months`
    （默认每 6 个月至少一次，从服务开始算起）作为该程序规定的周期。
    间隔超期为错误；逾期按 `overdue_severity`；`due_soon_days` 天内到期为提示。
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
        )
