"""合规看板: where every service stands, every finding and waiver, what falls due, who took
part in reviews, and the action tracker; computed from the same report as the gate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from brmkb.dates import add_months
from brmkb.findings import Severity
from brmkb.model import Record
from brmkb.registry import get
from brmkb.schedule import Due, held_by
from brmkb.schema import PARTIES
from brmkb.site import urls
from brmkb.site.context import Context, days_text
from brmkb.site.html import (
    FAIL,
    INFO,
    NEUTRAL,
    PASS,
    WARN,
    badge,
    block,
    day,
    esc,
    esc_code,
    front_matter,
    h1,
    table,
)
from brmkb.site.records import actions_table
from brmkb.site.services import service_name
from brmkb.site.status import status

HERE = urls.DASHBOARD


def page(ctx: Context) -> str:
    parts = [
        front_matter("合规看板", hide=["navigation"], search={"exclude": True}),
        h1("合规看板"),
        block(headline(ctx)),
        "## 服务概况 {#services}\n",
        block(services_table(ctx)),
        "## 规则状态 {#rules}\n",
        "每条规则在全库和每个服务项目上的状态。点击规则编号查看它检查什么。\n",
        block(rules_matrix(ctx)),
        "## 未豁免的问题 {#findings}\n",
        block(unwaived(ctx)),
        "## 已豁免的问题 {#waived}\n",
        block(waived(ctx)),
        "## 30/60 天内到期的事项 {#upcoming}\n",
        block(upcoming_tables(ctx)),
        "## 利益相关方覆盖 {#stakeholders}\n",
        block(stakeholder_matrix(ctx)),
        "## 行动项跟踪 {#actions}\n",
        block(action_tracker(ctx)),
    ]
    return "".join(parts)


def headline(ctx: Context) -> str:
    report = ctx.report
    blocking = len(report.blocking)
    verdict = badge("不通过" if blocking else "通过", FAIL if blocking else PASS)
    waived = sum(1 for f in report.findings if f.waived)
    counts = [
        ("记录", len(ctx.kb.records), NEUTRAL),
        ("服务项目", len(ctx.kb.services), NEUTRAL),
        ("错误", report.count(Severity.ERROR), FAIL),
        ("警告", report.count(Severity.WARNING), WARN),
        ("提示", report.count(Severity.INFO), INFO),
        ("已豁免", waived, NEUTRAL),
    ]
    cells = "".join(
        f'<div class="brm-stat brm-stat--{css if n else NEUTRAL}"><span class="brm-stat__n">{n}</span>'
        f'<span class="brm-stat__label">{esc(label)}</span></div>'
        for label, n, css in counts
    )
    pinned = report.pinned
    as_of = (
        f'<span class="brm-pinned">{esc(pinned)}：“还剩”和“逾期”的天数按此日计算，而非今天</span>'
        if pinned
        else f"检查日 <strong>{esc(ctx.as_of)}</strong>"
    )
    return (
        f'<p class="brm-verdict">{as_of}　结论 {verdict}　'
        "（未豁免的错误使站点构建失败；警告和提示只在此显示）</p>"
        f'<div class="brm-stats">{cells}</div>{exports(ctx)}{ctx.pack_note(HERE)}'
    )


def exports(ctx: Context) -> str:
    """Links to the calendar feed and the CSV tables, when the site publishes them."""
    from brmkb import export

    if not ctx.exports:
        return ""
    items = [
        (export.CALENDAR, "到期事项日历（.ics，可在 Outlook 等日历中订阅）"),
        (export.FINDINGS_CSV, "问题清单（CSV）"),
        (export.CALENDAR_CSV, "到期事项（CSV）"),
    ]
    links = "　".join(
        f'<a href="{esc(ctx.export_href(HERE, name))}" download>{esc(label)}</a>'
        for name, label in items
    )
    return f'<p class="brm-exports">导出：{links}</p>'


# --- services --------------------------------------------------------------------------------


def _due_cell(due: Due | None, soon: int = 30) -> str:
    if due is None:
        return "—"
    css = FAIL if due.overdue else WARN if due.days_left <= soon else PASS
    return f"{day(due.due)}<br>{badge(days_text(due.days_left), css)}{planned_badge(due)}"


def planned_badge(due: Due) -> str:
    """A 计划 mark when a record dated after the check date is to meet the obligation: it is
    planned, not held, so the obligation stays open until that day has passed."""
    if due.planned is None:
        return ""
    return "<br>" + badge(f"计划 {due.planned}", NEUTRAL)


def services_table(ctx: Context) -> str:
    rows, ids = [], []
    for service in ctx.kb.services:
        last = ctx.last_review(service.id)
        summary = status(ctx.index.by_service.get(service.id, []))
        rows.append(
            [
                ctx.record_link(HERE, service, service_name(service)),
                (
                    f"{ctx.record_link(HERE, last, str(last.date))}<br><small>{esc(_type_label(last))}</small>"
                    if last
                    else "尚无"
                ),
                _due_cell(ctx.due(service.id, "review-frequency")),
                _due_cell(ctx.due(service.id, "survey-cadence")),
                _due_cell(ctx.due(service.id, "annual-review"), soon=60),
                badge(summary.text, summary.css),
            ]
        )
        ids.append(urls.service_anchor(service.id))
    if not rows:
        return "<p>尚无服务项目。</p>"
    head = ["服务项目", "上次评审", "下次评审", "下次满意度调查", "年度评审", "检查"]
    return table(head, rows, cls="brm-dashboard-services", row_ids=ids)


def _type_label(review: Record) -> str:
    from brmkb.schema import REVIEW_TYPES

    return REVIEW_TYPES.get(review["type"], review["type"])


# --- rules -----------------------------------------------------------------------------------


def rules_matrix(ctx: Context) -> str:
    services = ctx.kb.services
    head = ["规则", "条款", "全库", *(service_name(s) for s in services)]
    rows, ids = [], []
    for rule in ctx.rules:
        enabled = ctx.enabled(rule)
        overall = ctx.index.rule(rule.id, enabled)
        href = (
            ctx.href(HERE, HERE, urls.findings_anchor(rule.id))
            if overall.open
            else ctx.href(HERE, urls.RULES, urls.rule_anchor(rule.id))
        )
        row = [
            f"{ctx.rule_link(HERE, rule.id)}<br><small>{esc_code(rule.summary)}</small>",
            "、".join(ctx.clause_link(HERE, c) for c in rule.clauses)
            or ("记录格式" if rule.is_format else "—"),
            badge(overall.text, overall.css, href=href),
        ]
        for service in services:
            state = ctx.index.rule_for(rule.id, service.id, enabled)
            row.append(badge(state.text, state.css))
        rows.append(row)
        ids.append(f"status-{rule.id}")
    return table(head, rows, cls="brm-matrix", row_ids=ids)


# --- findings --------------------------------------------------------------------------------


def unwaived(ctx: Context) -> str:
    findings = sorted(
        (f for f in ctx.report.findings if f.waived is None),
        key=lambda f: (f.severity.rank, f.rule, f.path, f.line or 0),
    )
    if not findings:
        return f"<p>{badge('符合', PASS)} 没有未豁免的问题。</p>"
    return ctx.findings_table(HERE, findings, group_ids=True)


def waived(ctx: Context) -> str:
    findings = [f for f in ctx.report.findings if f.waived]
    if not findings:
        return "<p>没有被豁免的问题。</p>"
    rows = []
    for finding in findings:
        waiver = ctx.kb.by_id.get(finding.waived or "")
        rows.append(
            [
                ctx.severity_badge(finding),
                ctx.rule_link(HERE, finding.rule),
                ctx.location(HERE, finding),
                esc(finding.message),
                ctx.id_link(HERE, finding.waived or ""),
                esc(waiver["reason"]) if waiver else "—",
                esc(waiver["approved_by"]) if waiver else "—",
                _expiry(ctx, waiver) if waiver else "—",
            ]
        )
    head = ["严重性", "规则", "位置", "说明", "豁免", "理由", "批准人", "有效期至"]
    return table(head, rows, cls="brm-waived")


def _expiry(ctx: Context, waiver: Record) -> str:
    days = (waiver["expires"] - ctx.as_of).days
    return f"{day(waiver['expires'])}<br>{badge(days_text(days), WARN if days <= 60 else PASS)}"


# --- due soon --------------------------------------------------------------------------------


def upcoming_tables(ctx: Context) -> str:
    groups = [
        ("已逾期", [d for d in ctx.upcoming if d.days_left < 0]),
        ("30 天内到期", [d for d in ctx.upcoming if 0 <= d.days_left <= 30]),
        ("31～60 天内到期", [d for d in ctx.upcoming if 30 < d.days_left <= 60]),
    ]
    out = []
    for title, items in groups:
        out.append(f'<h3 class="brm-subhead">{esc(title)}（{len(items)}）</h3>')
        if not items:
            out.append("<p>无。</p>")
            continue
        rows = []
        for due in items:
            css = FAIL if due.overdue else WARN if due.days_left <= 30 else PASS
            rows.append(
                [
                    ctx.service_link(HERE, due.service),
                    esc(due.what),
                    day(due.due),
                    badge(days_text(due.days_left), css) + planned_badge(due),
                    ctx.rule_link(HERE, due.rule),
                    ctx.id_link(HERE, due.record) if due.record else "—",
                ]
            )
        out.append(table(["服务项目", "事项", "截止日", "剩余", "规则", "记录"], rows))
    return "".join(out)


# --- stakeholders ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coverage:
    """How one party took part in one service's reviews within the window."""

    meetings: int
    required: bool
    missing: tuple[str, ...]  # required organizations of this party that did not attend
    orgs: tuple[str, ...]

    @property
    def css(self) -> str:
        if self.required and (not self.meetings or self.missing):
            return FAIL
        return PASS if self.meetings else NEUTRAL


def stakeholder_coverage(ctx: Context, service: Record) -> dict[str, Coverage]:
    """Per party: minutes within the policy's window (default 12 months) up to the as-of date."""
    window = ctx.report.policy.options(get("stakeholder-participation"))["window_months"]
    required = set(ctx.report.policy.options(get("review-parties"))["required_parties"])
    since = add_months(ctx.as_of, -window)
    minutes = [m for m in held_by(ctx.kb.of(service.id, "minutes"), ctx.as_of) if m.date > since]
    named = {"supplier": service.get("suppliers", []), "external": service.get("external", [])}
    result = {}
    for party in PARTIES:
        present = [m for m in minutes if any(a["party"] == party for a in m["attendees"])]
        orgs = sorted({a["org"] for m in present for a in m["attendees"] if a["party"] == party})
        attended = {a["org"].strip() for m in minutes for a in m["attendees"]}
        missing = tuple(o for o in named.get(party, []) if o.strip() not in attended)
        result[party] = Coverage(
            len(present), party in required or bool(named.get(party)), missing, tuple(orgs)
        )
    return result


def stakeholder_matrix(ctx: Context) -> str:
    window = ctx.report.policy.options(get("stakeholder-participation"))["window_months"]
    since = add_months(ctx.as_of, -window)
    rows = []
    for service in ctx.kb.services:
        row = [ctx.record_link(HERE, service, service_name(service))]
        for party, cover in stakeholder_coverage(ctx, service).items():
            text = f"{cover.meetings} 次" if cover.meetings else ("0 次" if cover.required else "—")
            title = "、".join(cover.orgs) or f"{PARTIES[party]}未参加"
            cell = badge(text, cover.css, title=title)
            if cover.missing:
                cell += "<br><small>未参加：" + esc("、".join(cover.missing)) + "</small>"
            row.append(cell)
        rows.append(row)
    if not rows:
        return "<p>尚无服务项目。</p>"
    intro = (
        f"<p>{esc(since)} 至 {esc(ctx.as_of)}（{window} 个月）内，各参与方出席服务评审会议的次数"
        "（按会议纪要的参会人员统计）。红色表示应参加而未参加（3.1.2）；“—”表示该服务没有此类参与方。</p>"
    )
    return intro + table(["服务项目", *PARTIES.values()], rows, cls="brm-matrix")


# --- actions ---------------------------------------------------------------------------------


def action_tracker(ctx: Context) -> str:
    actions = ctx.relations.actions
    open_items = [a for a in actions if a.open]
    done = [a for a in actions if not a.open]
    overdue = sum(1 for a in open_items if a.data["due"] < ctx.as_of)
    out = [
        f"<p>共 {len(actions)} 项：未完成 {len(open_items)} 项（其中逾期 {overdue} 项），"
        f"已完成 {len(done)} 项。</p>"
    ]
    if open_items:
        out.append(actions_table(ctx, HERE, open_items, minutes=True, service=True))
    if done:
        done.sort(key=lambda a: a.data.get("done") or date.min, reverse=True)
        out.append(
            f'<details class="brm-done"><summary>已完成的行动项（{len(done)}）</summary>'
            f"{actions_table(ctx, HERE, done, minutes=True, service=True)}</details>"
        )
    return "".join(out)
