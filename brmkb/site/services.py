"""A page per service (profile, review timeline, satisfaction charts, actions, complaints,
records), the services overview, and the index of all records."""

from __future__ import annotations

from datetime import date, timedelta

from brmkb import export, satisfaction
from brmkb.findings import Severity
from brmkb.model import Record
from brmkb.registry import get
from brmkb.schedule import review_timeline
from brmkb.schema import KINDS, REVIEW_TYPES
from brmkb.site import charts, urls
from brmkb.site.charts import COLORS, Event, Lane, Marker, Point, Span
from brmkb.site.context import Context, days_text, when
from brmkb.site.html import (
    FAIL,
    PASS,
    WARN,
    Inserts,
    Section,
    badge,
    block,
    day,
    demote,
    esc,
    front_matter,
    h1,
    md_text,
    table,
)
from brmkb.site.records import Problem, actions_table, card, rewrite_links, strip_title
from brmkb.site.status import status

#: Record kinds listed on a service page, in this order.
LISTED_KINDS = [k for k in KINDS if k not in ("service", "waiver")]


def service_name(record: Record) -> str:
    return str(record.get("name") or record.title)


def page(
    ctx: Context, service: Record, published: set[str]
) -> tuple[str, Inserts, list[Problem]]:
    """A service's page: its Markdown (title and the profile's body), the generated parts that
    join it after Markdown, and the problems found while rendering the body."""
    here = urls.service_page(service.id)
    body, problems = rewrite_links(ctx, service, here, published)
    name = service_name(service)
    findings = ctx.index.by_service.get(service.id, [])
    unwaived = [f for f in findings if f.waived is None]
    lead = summary_strip(ctx, here, service) + ctx.pack_note(here)
    if unwaived:
        lead += (
            '<div class="admonition warning brm-screen-only">'
            f'<p class="admonition-title">本服务项目的问题（截至 {esc(ctx.as_of)}）</p>'
            f"{ctx.findings_table(here, unwaived)}</div>"
        )
    profile = card(ctx, here, service, published)
    if service.get("satisfaction"):
        profile += indicator_table(service)
    open_actions = ctx.relations.open_by_service.get(service.id, [])
    listed = [(kind, ctx.kb.of(service.id, kind)) for kind in LISTED_KINDS]
    listed = [(kind, records) for kind, records in listed if records]
    inserts = Inserts(
        lead=lead,
        head=(Section("profile", "服务档案", profile),),
        tail=(
            Section("timeline", "评审时间线", timeline_figure(ctx, here, service)),
            Section("satisfaction", "客户满意度", satisfaction_figures(ctx, here, service)),
            Section(
                "open-actions",
                "未完成的行动项",
                actions_table(ctx, here, open_actions, minutes=True)
                if open_actions
                else "<p>没有未完成的行动项。</p>",
            ),
            Section(
                "complaints",
                "客户投诉",
                complaints_table(ctx, here, ctx.kb.of(service.id, "complaint")),
            ),
            Section(
                "records",
                "全部记录",
                "",
                children=tuple(
                    Section(
                        f"records-{kind}",
                        f"{KINDS[kind].label}（{len(records)}）",
                        ctx.records_table(here, reversed(records)),
                        level=3,
                    )
                    for kind, records in listed
                ),
            ),
        ),
    )
    body = demote(strip_title(body, service.title))
    markdown = front_matter(name, [name, KINDS["service"].label]) + h1(name) + body
    return markdown, inserts, problems


def summary_strip(ctx: Context, here: str, service: Record) -> str:
    items = []
    last = ctx.last_review(service.id)
    items.append(
        "上次评审：" + (f"{ctx.record_link(here, last, str(last.date))}" if last else "尚无")
    )
    for rule_id, label in (("review-frequency", "下次评审"), ("survey-cadence", "下次满意度调查")):
        due = ctx.due(service.id, rule_id)
        if due is not None:
            css = FAIL if due.overdue else WARN if due.days_left <= 30 else PASS
            items.append(f"{label}：{day(due.due)} {badge(days_text(due.days_left), css)}")
    state = status(ctx.index.by_service.get(service.id, []))
    items.append(
        "检查："
        + badge(
            state.text,
            state.css,
            href=ctx.href(here, urls.DASHBOARD, urls.service_anchor(service.id)),
        )
    )
    if service.get("end"):
        items.append(f"服务已于 {esc(service['end'])} 结束")
    if ctx.report.pinned:
        items.append(f'<span class="brm-pinned">{esc(ctx.report.pinned)}</span>')
    calendar = ctx.export_href(here, export.service_calendar(service.id))
    if calendar:
        items.append(f'<a href="{esc(calendar)}" download>订阅本服务的到期日历（.ics）</a>')
    return '<ul class="brm-summary">' + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def indicator_table(service: Record) -> str:
    rows = [
        [
            f"<code>{esc(i.id)}</code>",
            esc(i.name),
            esc(i.target),
            esc(i.scale),
            "越高越好" if i.higher_is_better else "越低越好",
            esc(i.period or "始终"),
        ]
        for i in satisfaction.indicators(service)
    ]
    return '<p class="brm-caption">客户满意度指标（3.2.2）</p>' + table(
        ["编号", "指标", "目标", "满分", "方向", "生效时段"], rows
    )


# --- the review timeline ---------------------------------------------------------------------

_SHAPES = {"periodic": "circle", "annual": "circle", "additional": "circle", "adhoc": "circle"}


def timeline_data(
    ctx: Context, here: str, service: Record
) -> tuple[list[Lane], date, date, list[str]]:
    """Lanes of the timeline, its date range, and the sentences that describe it."""
    kb, as_of = ctx.kb, ctx.as_of
    options = ctx.report.policy.options(get("review-frequency"))
    reviews = Lane("服务评审")
    for review in kb.of(service.id, "review"):
        kind = review["type"]
        phase = {"before": "（变更前）", "after": "（变更后）"}.get(review.get("phase", ""), "")
        planned = "（计划）" if ctx.planned(review) else ""
        reviews.events.append(
            Event(
                review.date,
                f"{review.date} {REVIEW_TYPES[kind]}{phase}{planned}：{review.title}",
                COLORS[kind],
                _SHAPES[kind],
                ctx.record_href(here, review),
                hollow=ctx.planned(review),
            )
        )
    late, upcoming = review_timeline(
        kb, service, options["interval_months"], options["counting_types"], as_of
    )
    for gap in late:
        reviews.spans.append(
            Span(
                gap.due,
                gap.held,
                f"评审超期 {(gap.held - gap.due).days} 天：应不晚于 {gap.due}，实际 {gap.held}",
            )
        )
    sentences = []
    end = service.get("end")
    active = end is None or end >= upcoming.due
    if active and upcoming.due < as_of:
        reviews.spans.append(
            Span(
                upcoming.due,
                as_of,
                f"下一次评审已逾期 {(as_of - upcoming.due).days} 天（应不晚于 {upcoming.due}）",
            )
        )
        sentences.append(
            f"下一次评审应不晚于 {upcoming.due}，已逾期 {(as_of - upcoming.due).days} 天。"
        )
    elif active:
        reviews.markers.append(
            Marker(
                upcoming.due,
                f"下次评审应不晚于 {upcoming.due}（{days_text((upcoming.due - as_of).days)}）",
                COLORS["due"],
                short=f"下次评审 {upcoming.due}",
            )
        )
        sentences.append(
            f"下一次评审应不晚于 {upcoming.due}（{days_text((upcoming.due - as_of).days)}）。"
        )
    if late:
        sentences.append(f"历史上有 {len(late)} 次评审间隔超期（红色区段）。")
    changes = Lane("合同变更")
    for change in kb.of(service.id, "change"):
        label = "重大合同变更" if change["major"] else "一般合同变更"
        changes.events.append(
            Event(
                change.date,
                f"{change.date} {label}：{change.title}",
                COLORS["change"],
                "diamond",
                ctx.record_href(here, change),
                hollow=not change["major"],
            )
        )
    requests = Lane("客户请求")
    for request in kb.of(service.id, "request"):
        requests.events.append(
            Event(
                request.date,
                f"{request.date} 临时评审请求：{request['subject']}",
                COLORS["request"],
                "triangle",
                ctx.record_href(here, request),
            )
        )
    surveys = Lane("满意度调查")
    for survey in kb.of(service.id, "survey"):
        surveys.events.append(
            Event(
                survey.date,
                f"{survey.date} 客户满意度调查{'（计划）' if ctx.planned(survey) else ''}：{survey.title}",
                COLORS["line"],
                "square",
                ctx.record_href(here, survey),
                hollow=ctx.planned(survey),
            )
        )
    lanes = [reviews, changes, requests, surveys]
    days = [e.day for lane in lanes for e in lane.events] + [m.day for m in reviews.markers]
    start = min([service["start"], *days]) - timedelta(days=20)
    finish = max([as_of if active or end is None else end, *days]) + timedelta(days=30)
    counts = {
        t: sum(1 for r in kb.of(service.id, "review") if r["type"] == t) for t in REVIEW_TYPES
    }
    sentences.insert(
        0,
        "共有"
        + "、".join(f"{REVIEW_TYPES[t]} {n} 次" for t, n in counts.items() if n)
        + f"；合同变更 {len(changes.events)} 次，客户临时评审请求 {len(requests.events)} 次。"
        if any(counts.values())
        else "尚无服务评审记录。",
    )
    return lanes, start, finish, sentences


def legend(lanes: list[Lane]) -> list[tuple[str, str]]:
    """Legend entries (symbol, label) for what the timeline shows, and nothing else."""
    reviews, changes, requests, surveys = lanes
    held = [e for e in reviews.events if not e.hollow]
    entries = [
        (charts.swatch(COLORS[t], _SHAPES[t]), label)
        for t, label in REVIEW_TYPES.items()
        if any(e.color == COLORS[t] for e in held)
    ]
    shown = [
        (reviews.spans, charts.swatch(COLORS["overdue"], "square"), "超期区段"),
        (reviews.markers, charts.swatch(COLORS["due"], "square"), "下次评审截止日"),
        (
            [e for e in reviews.events if e.hollow],
            charts.swatch(COLORS["periodic"], hollow=True),
            "计划中的评审",
        ),
        (
            [e for e in changes.events if not e.hollow],
            charts.swatch(COLORS["change"], "diamond"),
            "重大合同变更",
        ),
        (
            [e for e in changes.events if e.hollow],
            charts.swatch(COLORS["change"], "diamond", hollow=True),
            "一般合同变更",
        ),
        (requests.events, charts.swatch(COLORS["request"], "triangle"), "客户请求"),
        (surveys.events, charts.swatch(COLORS["line"], "square"), "满意度调查"),
    ]
    return entries + [(symbol, label) for items, symbol, label in shown if items]


def timeline_figure(ctx: Context, here: str, service: Record) -> str:
    lanes, start, finish, sentences = timeline_data(ctx, here, service)
    end = service.get("end") or max(ctx.as_of, finish - timedelta(days=30))
    svg = charts.timeline(
        lanes,
        start,
        finish,
        title=f"{service_name(service)}：服务评审时间线",
        description="".join(sentences),
        band=(service["start"], min(end, finish)),
        markers=[Marker(ctx.as_of, f"检查日 {ctx.as_of}")],
        chart_id=f"timeline-{service.id}",
    )
    items = "".join(
        f'<span class="brm-legend__item">{symbol}{esc(label)}</span>'
        for symbol, label in legend(lanes)
    )
    return (
        f'<figure class="brm-chart brm-chart--timeline">{svg}'
        f'<figcaption><span class="brm-legend">{items}</span>'
        f"<span>{esc(''.join(sentences))}点击标记可打开对应记录。</span></figcaption></figure>"
    )


# --- satisfaction ----------------------------------------------------------------------------


def satisfaction_figures(ctx: Context, here: str, service: Record) -> str:
    ids = satisfaction.indicator_ids(service)
    if not ids:
        return "<p>服务档案中没有客户满意度指标（3.2.2）。</p>"
    decline = ctx.report.policy.options(get("deviation-report"))["decline_count"]
    flagged = {
        (d.survey.id, d.indicator.id): d.reason
        for d in satisfaction.deviations(ctx.kb, service, decline, ctx.as_of)
    }
    latest = {i.id: i for i in satisfaction.indicators(service)}  # the last definition written
    figures = []
    for indicator_id in ids:
        scores = satisfaction.judged(ctx.kb, service, indicator_id)
        if not scores:
            figures.append(
                f'<figure class="brm-chart"><figcaption>{esc(latest[indicator_id].name)}：尚无调查结果。</figcaption></figure>'
            )
            continue
        for group in _same_scale(scores):
            figures.append(_indicator_figure(ctx, here, service, group, flagged))
    return '<div class="brm-charts">' + "".join(figures) + "</div>"


Judged = list[tuple[satisfaction.Score, satisfaction.Indicator]]


def _same_scale(scores: Judged) -> list[Judged]:
    """Runs of scores whose definitions share a scale: one chart each, as trends are compared."""
    groups: list[Judged] = []
    for score, indicator in scores:
        if groups and indicator.comparable(groups[-1][-1][1]):
            groups[-1].append((score, indicator))
        else:
            groups.append([(score, indicator)])
    return groups


def _indicator_figure(
    ctx: Context,
    here: str,
    service: Record,
    scores: Judged,
    flagged: dict[tuple[str, str], str],
) -> str:
    points = []
    for score, indicator in scores:
        ok = not indicator.misses_target(score.value)
        reason = flagged.get((score.survey.id, indicator.id))
        label = str(score.survey.get("period") or score.day)
        title = f"{label}（{score.day}）：{score.value}，目标 {indicator.target}，{'达标' if ok else '未达标'}"
        if reason:
            title += f"；偏差：{reason}"
        points.append(
            Point(
                label,
                score.value,
                ok,
                title,
                ctx.record_href(here, score.survey),
                flagged=bool(reason),
                target=indicator.target,
            )
        )
    last, current = points[-1], scores[-1][1]
    targets = list(dict.fromkeys(p.target for p in points))
    target_text = " → ".join(_num_text(t) for t in targets if t is not None)
    svg = charts.line_chart(
        points,
        target=current.target,
        scale=current.scale,
        title=f"{current.name}：历次调查得分与目标",
        description=f"{len(points)} 次调查，最近一次 {last.label} 得分 {last.value}，目标 {target_text}。",
        chart_id=f"sat-{service.id}-{current.id}-{current.index}",
    )
    misses = sum(1 for p in points if not p.ok)
    note = f"，{misses} 次未达标" if misses else "，均达标"
    revised = "（修订后的目标按各次调查当天生效的定义画出）" if len(targets) > 1 else ""
    return (
        f'<figure class="brm-chart">{svg}<figcaption>{esc(current.name)}'
        f"（目标 {esc(target_text)}，满分 {esc(current.scale)}"
        f"{'' if current.higher_is_better else '，越低越好'}）：{len(points)} 次调查{esc(note)}。"
        f"{esc(revised)}"
        + ("红圈为需处理的偏差。" if any(p.flagged for p in points) else "")
        + "</figcaption></figure>"
    )


def _num_text(value: float) -> str:
    return f"{value:g}"


def complaints_table(ctx: Context, here: str, complaints: list[Record]) -> str:
    if not complaints:
        return "<p>没有客户投诉记录。</p>"
    rows = []
    for complaint in reversed(complaints):
        closed = complaint.get("closed")
        took = (closed - complaint["received"]).days if closed else None
        state = (
            badge("已关闭", PASS)
            if complaint["status"] == "closed"
            else badge(f"处理中 {(ctx.as_of - complaint['received']).days} 天", WARN)
        )
        severity = KINDS["complaint"].schema["properties"]["severity"]["x-labels"]
        rows.append(
            [
                ctx.id_link(here, complaint),
                ctx.record_link(here, complaint),
                day(complaint["received"]),
                esc(severity[complaint["severity"]]),
                state,
                esc(f"{closed}（{took} 天）") if closed else "—",
            ]
        )
    return table(["编号", "标题", "收到", "严重程度", "状态", "关闭"], rows)


# --- overview pages --------------------------------------------------------------------------


def overview(ctx: Context) -> str:
    """services/index.md: one row per service."""
    here = urls.SERVICES
    rows = []
    for service in ctx.kb.services:
        last = ctx.last_review(service.id)
        due = ctx.due(service.id, "review-frequency")
        state = status(ctx.index.by_service.get(service.id, []))
        open_actions = len(ctx.relations.open_by_service.get(service.id, []))
        period = f"{service['start']} 起" + (f"，{service['end']} 止" if service.get("end") else "")
        rows.append(
            [
                # customer and manager under the name: the table fits the column at 1280 px
                ctx.record_link(here, service, service_name(service))
                + f"<br><small>{esc(service['customer'])} · 项目经理 "
                f"{esc(service['project_manager'])}</small>",
                esc(period),
                ctx.record_link(here, last, str(last.date)) if last else "尚无",
                (
                    f"{day(due.due)}<br>{badge(days_text(due.days_left), FAIL if due.overdue else WARN if due.days_left <= 30 else PASS)}"
                    if due
                    else "—"
                ),
                esc(open_actions),
                badge(
                    state.text,
                    state.css,
                    href=ctx.href(here, urls.DASHBOARD, urls.service_anchor(service.id)),
                ),
            ]
        )
    intro = (
        f"知识库中共有 {len(rows)} 个服务项目（截至 {esc(ctx.as_of)}）。"
        "每个服务项目的页面包括服务档案、评审时间线、客户满意度趋势、未完成的行动项、客户投诉和全部记录。"
    )
    head = [
        "服务项目",
        "服务期",
        "上次评审",
        "下次评审",
        "未完成行动项",
        "检查",
    ]
    return (
        front_matter("服务项目")
        + h1("服务项目")
        + f"{intro}\n\n"
        + block(table(head, rows, cls="brm-services") or "<p>尚无服务项目。</p>")
        + "\n按服务项目和类型列出的全部记录见[全部记录](../records/index.md)。\n"
    )


def records_index(ctx: Context) -> str:
    """records/index.md: every record, grouped by service and kind."""
    here = urls.RECORDS
    parts = [
        front_matter("全部记录", search={"exclude": True}),
        h1("全部记录"),
        f"知识库共有 {len(ctx.kb.records)} 份记录（截至 {esc(ctx.as_of)}），按服务项目和记录类型分组。"
        "也可以用页面顶部的搜索框或[标签](../tags.md)查找记录。\n\n",
    ]
    listed: set[str] = set()
    for service in ctx.kb.services:
        name = service_name(service)
        parts.append(f"\n## {md_text(name)} {{#{urls.service_anchor(service.id)}}}\n")
        parts.append(
            block(
                f"<p>{ctx.record_link(here, service, '服务项目页面')} · 服务档案 {ctx.id_link(here, service)}</p>"
            )
        )
        listed.add(service.id)
        for kind in LISTED_KINDS:
            records = ctx.kb.of(service.id, kind)
            if records:
                listed.update(r.id for r in records)
                parts.append(
                    f"\n### {KINDS[kind].label}（{len(records)}） {{#{urls.service_anchor(service.id)}-{kind}}}\n"
                )
                parts.append(block(ctx.records_table(here, reversed(records))))
    waivers = ctx.kb.of_kind("waiver")
    if waivers:
        listed.update(r.id for r in waivers)
        parts.append(f"\n## {KINDS['waiver'].label}（{len(waivers)}） {{#waivers}}\n")
        parts.append(block(ctx.records_table(here, waivers, service=True)))
    rest = [r for r in ctx.kb.records if r.id not in listed]
    if rest:
        parts.append("\n## 未归入服务项目的记录 {#unassigned}\n")
        parts.append(block(ctx.records_table(here, sorted(rest, key=when))))
    return "".join(parts)


def severity_of(findings: list) -> Severity | None:
    unwaived = [f for f in findings if f.waived is None]
    return min(unwaived, key=lambda f: f.severity.rank).severity if unwaived else None
