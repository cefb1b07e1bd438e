"""Every kind but reviews and minutes, each declared as a ``Template``.

A template is the kind's id and title, the fields the knowledge base can derive, the facts
only ``--set`` can give, and the body's sections; what a kind needs beyond that (a service's
satisfaction indicators, a waiver's folder) is a function it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from brmkb import loader, waivers
from brmkb.dates import add_months
from brmkb.satisfaction import in_force
from brmkb.scaffold.context import PREFIXES, Context, Draft, ScaffoldError, month_of
from brmkb.scaffold.fields import claim_id, fill, title_value
from brmkb.scaffold.frontmatter import Field, FrontMatter
from brmkb.scaffold.sections import outline


@dataclass(frozen=True)
class Template:
    """A kind whose scaffold is: derived fields, facts from ``--set``, and body sections."""

    kind: str
    make_id: Callable[[Context], str]
    title: Callable[[Context], str]
    derived: Callable[[Context], list[Field]]
    sections: Sequence[tuple[str, str]]
    needed: Sequence[str] = ()
    examples: Callable[[Context], dict[str, str]] = lambda c: {}
    folder: Callable[[Context], str] | None = None
    extra: Callable[[FrontMatter, Context, set[str]], None] | None = None

    def __call__(self, context: Context) -> list[Draft]:
        folder = self.folder(context) if self.folder else context.folder(self.kind)
        record_id = self.make_id(context)
        derived = [
            ("kind", self.kind, None),
            ("id", record_id, None),
            ("title", self.title(context), None),
            *self.derived(context),
        ]
        fields = fill(context, self.kind, derived, self.needed, self.examples(context))
        record_id = claim_id(context, fields, record_id)
        front = FrontMatter.of(fields)
        if self.extra is not None:
            self.extra(front, context, {key for key, _, _ in fields})
        rel = f"{folder}/{record_id}.md" if self.kind != "service" else f"{folder}/service.md"
        text = front.text() + outline(title_value(fields) or record_id, self.sections)
        return [context.claim(self.kind, record_id, rel, text)]


def _half(day: date) -> int:
    return 1 if day.month <= 6 else 2


def _year_sequence(kind: str, width: int) -> Callable[[Context], str]:
    def make(context: Context) -> str:
        prefix = f"{PREFIXES[kind]}-{context.short}-{context.options.day.year}"
        return context.sequence_id(prefix, width)

    return make


def _survey_id(context: Context) -> str:
    day = context.options.day
    base = f"{PREFIXES['survey']}-{context.short}-{day.year}h{_half(day)}"
    return context.free_id(base, context.folder("survey"))


def _survey_examples(context: Context) -> dict[str, str]:
    # Only the indicators in force on the survey's date: a revised one appears once.
    indicators = list(in_force(context.service, context.options.day)) or ["指标编号"]
    scores = ", ".join(f"{indicator}: 4.5" for indicator in indicators)
    return {"responses": "20", "scores": f"'{{{scores}}}'"}


def _report_month(context: Context) -> str:
    """The month a new monthly report covers: ``--month``, else the month before the date."""
    options = context.options
    if options.month:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", options.month):
            raise ScaffoldError(f"--month 的值“{options.month}”不是 YYYY-MM 月份，例如 2026-10。")
        month = options.month
    else:
        month = month_of(add_months(options.day.replace(day=1), -1))
    for report in context.kb.of(options.service, "monthly-report"):
        if str(report["month"]) == month:
            raise ScaffoldError(
                f"{month} 的服务月报已经存在：{report.rel}；要写其他月份请用 --month YYYY-MM。"
            )
    return month


def _monthly_id(context: Context) -> str:
    record_id = context.styled(
        f"{PREFIXES['monthly-report']}-{context.short}-{_report_month(context)}"
    )
    if context.used(record_id):
        where = context.user(record_id)
        raise ScaffoldError(f"编号“{record_id}”已被 {where} 使用；请用 --set id=… 指定编号。")
    return record_id


def _monthly_title(context: Context) -> str:
    month = _report_month(context)
    return f"{context.name}服务月报（{month[:4]}年{int(month[5:])}月）"


def _waiver_folder(context: Context) -> str:
    """Beside the existing waivers that are where they must be (a ``waivers/`` folder)."""
    placed = [w for w in context.kb.of_kind("waiver") if waivers.FOLDER in w.rel.split("/")[:-1]]
    if placed:
        return Path(placed[-1].rel).parent.as_posix()
    return f"{loader.RECORDS_DIR}/{waivers.FOLDER}"


def _service_extra(front: FrontMatter, context: Context, keys: set[str]) -> None:
    if "satisfaction" not in keys:
        front.add(
            "satisfaction", [], "3.2.2 满意度指标及目标，来自《项目策划书》；每项一行，例如："
        )
        front.comment("  - {id: response, name: 响应及时性, target: 4.2, scale: 5}")


_SERVICE = Template(
    "service",
    lambda c: c.options.service,
    lambda c: c.options.values.get("name", c.options.service),  # the title is the name
    lambda c: [
        ("name", None, None),
        ("customer", None, None),
        ("project_manager", None, None),
        ("start", c.options.day.isoformat(), "服务开始日期"),
        (
            "departments",
            [c.policy.service_department, c.policy.sales_department],
            "参与的内部部门",
        ),
        ("suppliers", [], "须参加服务评审的供应商（单位全称）"),
        ("external", [], "须参加服务评审的其他外部组织（单位全称）"),
    ],
    [
        ("服务概述", "依据的服务合同、服务对象和服务方式"),
        ("服务范围", "服务包括的内容"),
        ("服务等级", "SLA 指标"),
        ("相关方", "客户、内部部门、供应商和其他外部组织的联系人"),
        ("满意度指标", "《项目策划书》规定的满意度指标及目标"),
    ],
    ("name", "customer", "project_manager"),
    lambda c: {"name": "服务名称", "customer": "客户单位全称", "project_manager": "项目经理姓名"},
    lambda c: f"{loader.RECORDS_DIR}/{c.options.service}",
    _service_extra,
)

#: The template of each kind other than reviews and minutes.
TEMPLATES: dict[str, Template] = {
    "service": _SERVICE,
    "change": Template(
        "change",
        _year_sequence("change", 2),
        lambda c: f"{c.name}合同变更",
        lambda c: [
            ("service", c.options.service, None),
            ("date", c.options.day.isoformat(), "生效日期"),
            ("major", None, None),
            ("summary", None, None),
        ],
        [
            ("变更内容", "变更的具体内容"),
            ("变更原因", "为什么变更"),
            ("影响分析", "对服务范围、SLA 和合同金额的影响；重大变更须在变更前后各做一次追加评审"),
        ],
        ("major", "summary"),
        lambda c: {"major": "true", "summary": "变更摘要"},
    ),
    "request": Template(
        "request",
        _year_sequence("request", 2),
        lambda c: f"{c.name}临时评审请求",
        lambda c: [
            ("service", c.options.service, None),
            ("date", c.options.day.isoformat(), "收到日期"),
            ("requested_by", None, None),
            ("subject", None, None),
        ],
        [("请求内容", "客户要求评审的内容"), ("受理情况", "受理时间和计划的评审日期")],
        ("requested_by", "subject"),
        lambda c: {"requested_by": "请求人（单位部门）", "subject": "事由"},
    ),
    "survey": Template(
        "survey",
        _survey_id,
        lambda c: (
            f"{c.name}{c.options.day.year}年{'上下'[_half(c.options.day) - 1]}半年客户满意度调查结果"
        ),
        lambda c: [
            ("service", c.options.service, None),
            ("date", c.options.day.isoformat(), "调查日期"),
            ("period", f"{c.options.day.year}-H{_half(c.options.day)}", None),
            ("responses", None, None),
            ("scores", None, None),
        ],
        [
            ("调查范围", "调查对象和回收情况"),
            ("调查结果", "各指标得分与目标的比较"),
            ("分析", "得分变化的原因和改进方向"),
        ],
        ("responses", "scores"),
        _survey_examples,
    ),
    "complaint": Template(
        "complaint",
        _year_sequence("complaint", 3),
        lambda c: f"{c.name}客户投诉",
        lambda c: [
            ("service", c.options.service, None),
            ("received", c.options.day.isoformat(), "收到日期"),
            ("severity", None, None),
            ("status", "open", "open：处理中；closed：已关闭（须加 closed 日期和 resolution）"),
        ],
        [
            ("投诉内容", "投诉人、时间和内容"),
            ("处理过程", "按日期记录处理经过"),
            ("预防措施", "防止再次发生的措施"),
        ],
        ("severity",),
        lambda c: {"severity": "medium"},
    ),
    "monthly-report": Template(
        "monthly-report",
        _monthly_id,
        _monthly_title,
        lambda c: [
            ("service", c.options.service, None),
            ("month", _report_month(c), "月份 YYYY-MM"),
        ],
        [
            ("服务运行情况", "可用性等 SLA 指标的达成情况"),
            ("事件与问题", "本月的事件、问题及处理"),
            ("重点工作", "本月完成的重点工作"),
            ("满意度跟踪", "满意度指标的跟踪；记录偏差时在头信息 deviations 中列出调查编号"),
            ("下月计划", "下月工作计划"),
        ],
    ),
    "waiver": Template(
        "waiver",
        _year_sequence("waiver", 3),
        lambda c: f"{c.name}合规豁免",
        lambda c: [
            *([] if "record" in c.options.values else [("service", c.options.service, None)]),
            ("rule", None, None),
            ("reason", None, None),
            ("approved_by", None, None),
            ("expires", None, None),
        ],
        [
            ("豁免事项", "豁免的问题"),
            ("豁免理由", "为什么不能按程序执行"),
            ("控制措施", "期间的补救和控制措施"),
            ("有效期", "有效期和到期前的复核安排"),
        ],
        ("rule", "reason", "approved_by", "expires"),
        lambda c: {
            "rule": "review-frequency",
            "reason": "豁免理由",
            "approved_by": "批准人（部门）",
            "expires": "2027-06-30",
        },
        _waiver_folder,
    ),
}
