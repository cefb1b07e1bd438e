"""A page per record: its findings, a metadata card from the front matter, the body, links.

Every front-matter value is escaped; the body is the author's Markdown, rendered like any
page of the site, with relative links rewritten to where the linked files are published.
"""

from __future__ import annotations

import bisect
import posixpath
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from brmkb import markdown_scan
from brmkb.cited import Place
from brmkb.findings import Finding
from brmkb.model import Record, normalize_heading
from brmkb.provenance import Provenance
from brmkb.schema import INPUTS, KINDS, PARTIES, Schema
from brmkb.site import urls
from brmkb.site.context import PLANNED, Context, days_text
from brmkb.site.html import (
    FAIL,
    INFO,
    NEUTRAL,
    PASS,
    WARN,
    Inserts,
    Section,
    badge,
    day,
    esc,
    front_matter,
    h1,
    md_text,
    wrap_path,
    table,
)
from brmkb.site.published import Problem
from brmkb.site.relations import Action
from brmkb.site.status import status

#: Keys shown elsewhere than in the card's simple rows.
_NOT_IN_CARD = {"kind", "id", "title", "actions", "decisions", "satisfaction", "scores"}
#: Output records (clause 4) name the department that prepared them; absent means the default.
_OUTPUT_KINDS = {"review", "minutes", "monthly-report"}
#: After the path of an input kept elsewhere in the repository: why it is not a link.
KEPT_IN_REPOSITORY = '<small>（仓库内文件，不随站点发布）</small>'

#: How readers look for each kind of record: the word its page title carries (the kind's
#: label goes before an author's title that lacks it), its search boost over the guides (a
#: page's boost is 1), and the English words that find it too.
_SEARCH = {
    "review": ("评审报告", 3, "review report"),
    "minutes": ("会议纪要", 2, "minutes meeting"),
    "complaint": ("投诉", 3, "complaint"),
    "survey": ("满意度调查", 3, "satisfaction survey"),
    "monthly-report": ("月报", 2, "monthly report"),
    "change": ("变更", 3, "contract change"),
    "request": ("请求", 2, "review request"),
    "waiver": ("豁免", 1, "waiver"),
}

# Linear by construction: no part of the link may contain "[", so a run of text is scanned by
# one candidate link only, whatever a record's body holds.
_LINK = re.compile(
    r"(!?)\[([^\[\]\n]*)\]\([ \t]*<?([^)\s>\[]+)>?((?:[ \t]+\"[^\"\n\[\]]*\")?)[ \t]*\)"
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@cache
def schema_of(kind: str) -> Schema:
    """A kind's JSON Schema, built once (``Kind.schema`` builds it on every access)."""
    return KINDS[kind].schema


def tags(ctx: Context, record: Record) -> list[str]:
    return [ctx.relations.service_name(ctx.kb.service_of(record)), KINDS[record.kind].label]


def page(ctx: Context, record: Record, published: set[str]) -> tuple[str, Inserts, list[Problem]]:
    """A record's page: its Markdown (title and body), the generated parts that join it after
    Markdown, and the problems found while rendering its body."""
    here = urls.record_page(record)
    body, problems = rewrite_links(ctx, record, here, published)
    title = page_title(record)
    boost = _SEARCH[record.kind][1] if record.kind in _SEARCH else 1
    markdown = (
        front_matter(title, tags(ctx, record), **({"search": {"boost": boost}} if boost != 1 else {}))
        + h1(title)
        + strip_title(body, record.title)
    )
    related = related_section(ctx, here, record)
    sections = tuple(details(ctx, here, record))
    # Minutes read like the paper minutes: the meeting (card, then the body's 会议概况 and
    # discussion), then what it decided, the actions and who receives the minutes.
    after = record.kind == "minutes"
    inserts = Inserts(
        lead=planned_note(ctx, record)
        + findings_box(ctx, here, ctx.index.of_record(record.id, record.rel))
        + card(ctx, here, record, published),
        head=() if after else sections,
        tail=(sections if after else ())
        + ((Section("related", "相关记录", related, "brm-screen-only"),) if related else ()),
        indexed=search_terms(record),
    )
    return markdown, inserts, problems


def page_title(record: Record) -> str:
    """The record's title, with its kind in front when the title does not say it: a search
    for 投诉 finds “客户投诉：B区精密空调故障…”."""
    word = _SEARCH.get(record.kind, ("",))[0]
    if word in record.title:
        return record.title
    return f"{KINDS[record.kind].label}：{record.title}"


def search_terms(record: Record) -> str:
    """What search should find a record by beyond its body — the people and organizations,
    decisions and actions, the kind's English words — as a hidden paragraph at the end of the
    page (the card joins the page after search has indexed it), so that result snippets show
    the record's own text."""
    people = [
        term
        for attendee in record.get("attendees", [])
        for term in (attendee.get("name"), attendee.get("org"))
    ]
    people += [record.get(key) for key in ("organizer", "requested_by", "customer", "project_manager")]
    people += [action.get("owner") for action in record.get("actions", [])]
    people += [*record.get("suppliers", []), *record.get("external", [])]
    people += record.get("decisions", [])
    people += [action.get("text") for action in record.get("actions", [])]
    if record.kind in _SEARCH:
        people.append(_SEARCH[record.kind][2])
    terms = [esc(term) for term in dict.fromkeys(p for p in people if isinstance(p, str))]
    return f'<p class="brm-search-terms">{" ".join(terms)}</p>' if terms else ""


# --- findings --------------------------------------------------------------------------------


def planned_note(ctx: Context, record: Record) -> str:
    """Says that a record dated after the check date is planned, not held."""
    if not ctx.planned(record):
        return ""
    return (
        f'<p class="brm-record-status brm-planned">{PLANNED} 日期 {esc(record.date)} 晚于检查日 '
        f"{esc(ctx.as_of)}：这是计划，尚未召开，不满足任何要求；召开后请补充内容。</p>"
    )


def findings_box(ctx: Context, here: str, findings: list[Finding]) -> str:
    """The record's own findings, at the top of its page (screen only: not on paper)."""
    state = status(findings)
    if not findings:
        return (
            f'<p class="brm-record-status brm-screen-only">{badge("符合", PASS)} '
            f"截至 {esc(ctx.as_of)}，本记录未发现问题。</p>"
        )
    kind = {FAIL: "failure", WARN: "warning", INFO: "info"}.get(state.css, "success")
    counts = "，".join(
        f"{label} {n}"
        for label, n in (
            ("错误", _count(findings, "error")),
            ("警告", _count(findings, "warning")),
            ("提示", _count(findings, "info")),
            ("已豁免", sum(1 for f in findings if f.waived)),
        )
        if n
    )
    return (
        f'<div class="admonition {kind} brm-record-findings brm-screen-only">'
        f'<p class="admonition-title">检查结果（截至 {esc(ctx.as_of)}）：{esc(counts)}</p>'
        f"{ctx.findings_table(here, findings, where=False)}</div>"
    )


def _count(findings: list[Finding], severity: str) -> int:
    return sum(1 for f in findings if f.severity.value == severity and not f.waived)


# --- the card --------------------------------------------------------------------------------


def card(ctx: Context, here: str, record: Record, published: set[str]) -> str:
    kind = KINDS[record.kind]
    properties: dict[str, Schema] = schema_of(record.kind)["properties"]
    rows = [
        ("记录类型", esc(kind.label)),
        ("记录编号", f"<code>{esc(record.id)}</code>"),
    ]
    if record.kind == "minutes":
        rows.append(("服务项目", ctx.service_link(here, ctx.kb.service_of(record))))
    for key, schema in properties.items():
        if key in _NOT_IN_CARD or (key == "distribution" and record.kind == "minutes"):
            continue  # minutes name their distribution at the end, as on paper
        if key not in record.data:
            if key == "prepared_by" and record.kind in _OUTPUT_KINDS:
                rows.append(
                    (schema["title"], f"{esc(ctx.report.policy.service_department)}（默认）")
                )
            continue
        value = record.data[key]
        if key == "attendees":
            rows.append((schema["title"], attendees(value)))
        elif key == "inputs":
            rows.append((schema["title"], inputs(ctx, here, record, value, published)))
        else:
            rows.append((schema["title"], render_value(ctx, here, schema, value, key)))
    rows.append(("源文件", f'<code class="brm-path">{wrap_path(record.rel)}</code>'))
    stamp = ctx.history.get(record.rel)
    if stamp is not None:
        rows.append(("最后修改", provenance(stamp)))
    body = "".join(f'<tr><th scope="row">{esc(k)}</th><td>{v}</td></tr>' for k, v in rows)
    return f'<div class="brm-card brm-meta"><table><tbody>{body}</tbody></table></div>'


def provenance(stamp: Provenance) -> str:
    """Date, committer and commit, labelled; the commit's own (often English) subject is
    behind a tooltip, not a sentence on the page."""
    return (
        f"{esc(stamp.date)} · 提交人 {esc(stamp.author)} · 提交 "
        f'<code title="提交说明：{esc(stamp.subject)}">{esc(stamp.commit[:7])}</code>'
    )


def render_value(ctx: Context, here: str, schema: Schema, value: Any, key: str = "") -> str:
    """One front-matter value as HTML, by what the schema says it is."""
    if "x-ref" in schema and isinstance(value, str):
        return _ref(ctx, here, value)
    if schema.get("type") == "array" and isinstance(value, list):
        items = schema.get("items", {})
        if "x-ref" in items:
            return "<br>".join(_ref(ctx, here, v) for v in value) or "—"
        return esc("、".join(str(v) for v in value)) or "—"
    if "x-labels" in schema:
        return _choice(schema, value, key)
    if isinstance(value, bool):
        return "是" if value else "否"
    return multiline(value)


def _choice(schema: Schema, value: Any, key: str) -> str:
    label = schema["x-labels"].get(value, value)
    css = {
        ("status", "open"): WARN,
        ("status", "done"): PASS,
        ("status", "closed"): PASS,
        ("severity", "high"): FAIL,
        ("severity", "medium"): WARN,
    }.get((key, value))
    if css:
        return badge(label, css)
    return esc(label)


def _ref(ctx: Context, here: str, value: str) -> str:
    target = ctx.kb.by_id.get(value)
    if target is None:
        return f"<code>{esc(value)}</code>（未找到）"
    return f"{ctx.record_link(here, target)} <code>{esc(value)}</code>"


def multiline(value: Any) -> str:
    return esc(value).replace("\n", "<br>")


def attendees(people: list[dict]) -> str:
    """Attendees grouped by party, in the procedure's order: internal, customer, supplier, other."""
    rows = []
    for party, label in PARTIES.items():
        names = [_person(p) for p in people if p.get("party") == party]
        if names:
            rows.append(
                f'<div class="brm-group"><span class="brm-group__label">{esc(label)}</span>'
                f'<span class="brm-group__items">{"、".join(names)}</span></div>'
            )
    return "".join(rows)


def _person(person: dict) -> str:
    where = "，".join(esc(person[k]) for k in ("dept", "org") if person.get(k))
    return f'<span class="brm-person">{esc(person["name"])}<small>（{where}）</small></span>'


def inputs(ctx: Context, here: str, record: Record, value: dict, published: set[str]) -> str:
    rows = []
    for key, label in INPUTS.items():
        if key not in value:
            continue
        refs = value[key] if isinstance(value[key], list) else [value[key]]
        cells = [_input(ctx, here, record, ref, published) for ref in refs]
        rows.append(
            f'<div class="brm-group"><span class="brm-group__label">{esc(label)}</span>'
            f'<span class="brm-group__items">{"、".join(cells) or "—"}</span></div>'
        )
    return "".join(rows)


def _input(ctx: Context, here: str, record: Record, ref: Any, published: set[str]) -> str:
    if isinstance(ref, dict):
        version = f"，版本 {esc(ref['version'])}" if ref.get("version") is not None else ""
        return f"外部文件 <code>{esc(ref['external'])}</code>{version}"
    target = ctx.kb.by_id.get(ref)
    if target is not None and "/" not in ref:
        return ctx.id_link(here, target)
    path = posixpath.normpath(posixpath.join(posixpath.dirname(record.rel), ref))
    if path in published:
        name = posixpath.basename(path)
        return (
            f'<a class="brm-attachment" href="{esc(ctx.href(here, path))}" download>{esc(name)}</a>'
        )
    found = ctx.repository.locate(record.path.parent, ref)
    if found.place is Place.REPOSITORY:  # cited, never published: its path, as text
        return f'<code class="brm-path">{wrap_path(found.rel)}</code>{KEPT_IN_REPOSITORY}'
    return f"<code>{esc(ref)}</code>（文件未找到）"


# --- sections under the card: decisions, actions, scores -------------------------------------


def details(ctx: Context, here: str, record: Record) -> Iterator[Section]:
    """The generated sections: decisions, actions, distribution, scores, improvements, waived
    findings (under the card, or after the body of minutes)."""
    if record.get("decisions"):
        items = "".join(f"<li>{multiline(d)}</li>" for d in record["decisions"])
        yield Section("decisions", "决议", f'<ol class="brm-decisions">{items}</ol>')
    actions = ctx.relations.actions_of.get(record.id, [])
    if actions:
        yield Section("actions", "行动项", actions_table(ctx, here, actions, minutes=False))
    if record.kind == "minutes" and record.get("distribution"):
        departments = "、".join(esc(d) for d in record["distribution"])
        yield Section("distribution", "发放范围", f"<p>本纪要发放至：{departments}。</p>")
    if record.kind == "survey":
        yield scores(ctx, here, record)
    if record.kind in ("survey", "complaint"):
        addressing = ctx.relations.actions_for.get(record.id, [])
        if addressing:
            improvements = actions_table(ctx, here, addressing, minutes=True, addresses=False)
            yield Section("improvements", "改进措施", improvements)
    if record.kind == "waiver":
        waived = ctx.index.by_waiver.get(record.id, [])
        listed = (
            ctx.findings_table(here, waived) if waived else "<p>本豁免目前没有匹配到任何问题。</p>"
        )
        yield Section("waived", "豁免的问题", listed)


def action_state(ctx: Context, action: dict) -> str:
    if action["status"] == "done":
        done = action.get("done")
        return badge(f"已完成 {done}" if done else "已完成", PASS)
    days = (action["due"] - ctx.as_of).days
    return badge(f"未完成，{days_text(days)}", FAIL if days < 0 else WARN)


def actions_table(
    ctx: Context,
    here: str,
    actions: list[Action],
    *,
    minutes: bool,
    addresses: bool = True,
    service: bool = False,
) -> str:
    head = ["编号", "内容", "责任人", "计划完成", "状态"]
    if service:
        head.insert(0, "服务项目")
    rows = []
    for item in actions:
        action = item.data
        related = []
        if action.get("revises"):
            related.append("修订《" + esc(INPUTS.get(action["revises"], action["revises"])) + "》")
        if action.get("addresses"):
            related.append("针对 " + ctx.id_link(here, action["addresses"]))
        # the minutes an action comes from sit under its id, what it relates to under its
        # text: two columns fewer, so that the table fits the column at 1280 px
        source = f"<br><small>纪要 {ctx.id_link(here, item.minutes)}</small>" if minutes else ""
        note = f"<br><small>{'；'.join(related)}</small>" if addresses and related else ""
        row = [
            f'<code id="action-{esc(item.id)}">{esc(item.id)}</code>{source}',
            f'<span class="brm-text">{multiline(action["text"])}</span>{note}',
            esc(action["owner"]),
            day(action["due"]),
            action_state(ctx, action),
        ]
        if service:
            row.insert(0, ctx.service_link(here, ctx.kb.service_of(item.minutes)))
        rows.append(row)
    return table(head, rows, cls="brm-actions")


def scores(ctx: Context, here: str, survey: Record) -> Section:
    from brmkb.satisfaction import in_force

    service = ctx.kb.by_id.get(survey["service"])
    known = in_force(service, survey.date) if service is not None else {}
    rows = []
    for key, value in survey["scores"].items():
        indicator = known.get(key)
        if indicator is None:
            rows.append(
                [f"<code>{esc(key)}</code>", "—", esc(value), badge("当天未生效的指标", NEUTRAL)]
            )
            continue
        ok = not indicator.misses_target(value)
        rows.append(
            [
                esc(indicator.name),
                esc(indicator.target),
                esc(value),
                badge("达标" if ok else "未达标", PASS if ok else FAIL),
            ]
        )
    return Section("scores", "得分", table(["指标", "目标", "得分", "结论"], rows))


# --- links both ways -------------------------------------------------------------------------


def related_section(ctx: Context, here: str, record: Record) -> str:
    """The records this one refers to and those that refer to it: one row per record and
    direction, naming every way they are related (a review that is both the change's
    additional review and discusses it is one row, not two)."""
    rows: dict[tuple[str, str], tuple[Record, list[str]]] = {}

    def add(who: str, target: Record, label: str) -> None:
        labels = rows.setdefault((who, target.id), (target, []))[1]
        if label not in labels:
            labels.append(label)

    for ref in ctx.relations.outgoing.get(record.id, []):
        if ref.target.kind == "service" and ref.path == ("service",):
            continue  # the card already links the service
        add("本记录引用", ref.target, ref.label)
    for ref in ctx.relations.incoming.get(record.id, []):
        if record.kind == "service":
            continue  # the service page lists its records itself
        add(ctx.kind_label(ref.source.kind), ref.source, ref.label)
    if not rows:
        return ""
    cells = [
        [
            esc(f"{who}（{'、'.join(labels)}）"),
            ctx.id_link(here, target),
            day(_date(target)),
            ctx.record_link(here, target),
        ]
        for (who, _), (target, labels) in rows.items()
    ]
    return table(["关系", "编号", "日期", "标题"], cells, cls="brm-related brm-screen-only")


def _date(record: Record) -> str:
    from brmkb.site.context import when

    return when(record)


# --- the body --------------------------------------------------------------------------------


def strip_title(body: str, title: str) -> str:
    """The body without a leading H1 (an ATX line, or a line underlined with ``===``) that
    repeats the title (the page has its own)."""
    text = body.lstrip()
    found = markdown_scan.first_heading(text)
    if found is None or found.level != 1:
        return body
    if normalize_heading(found.title) == normalize_heading(title):
        return text[found.end + 1 :]
    return markdown_scan.demoted(text, found) + text[found.end :]  # a different H1: a section


def rewrite_links(
    ctx: Context, record: Record, here: str, published: set[str]
) -> tuple[str, list[Problem]]:
    """Relative links in the body point at files next to the record; point them at the
    published pages and attachments instead. External images become links (offline site)."""
    problems: list[Problem] = []
    by_rel = ctx.by_rel

    newlines = [i for i, c in enumerate(record.body) if c == "\n"] if "](" in record.body else []

    def line(offset: int) -> int:
        return record.body_line + bisect.bisect_left(newlines, offset)

    def replace(match: re.Match[str], base: int) -> str:
        bang, text, target, title = match.groups()
        if _SCHEME.match(target) or target.startswith("//"):
            if bang:
                problems.append(
                    Problem(
                        record.rel,
                        line(base + match.start()),
                        f"正文引用了外部图片“{target}”；离线站点不加载外部资源，已改为链接。"
                        "请把图片放进 attachments/ 并用相对路径引用。",
                    )
                )
                return f"[{text or target}]({target}{title})"
            return match.group(0)
        if target.startswith(("#", "/")):
            return match.group(0)
        path, _, anchor = target.partition("#")
        resolved = posixpath.normpath(posixpath.join(posixpath.dirname(record.rel), path))
        if resolved in by_rel:
            destination = urls.record_page(by_rel[resolved])
        elif resolved in published:
            destination = resolved
        else:
            found = ctx.repository.locate(record.path.parent, path or ".")
            if found.place is Place.REPOSITORY:  # allowed by the contract, never published:
                return f"{text}（仓库内文件 {md_text(found.rel)}，不随站点发布）"  # as on the card
            problems.append(
                Problem(
                    record.rel,
                    line(base + match.start()),
                    f"正文中的链接“{target}”指向的文件不存在（相对于 {record.rel}）；请核对路径。",
                )
            )
            return text
        relative = posixpath.relpath(destination, posixpath.dirname(here))
        return f"{bang}[{text}]({relative}{'#' + anchor if anchor else ''}{title})"

    def change(text: str, base: int) -> str:
        return _LINK.sub(lambda m: replace(m, base), text)

    return markdown_scan.outside_code(record.body, change), problems


def cited_files(record: Record) -> set[str]:
    """Files a record points at (input paths and relative body links), relative to the root:
    what an audit pack must carry for the record's links to work."""
    base = posixpath.dirname(record.rel)
    refs = [
        ref
        for value in (record.get("inputs") or {}).values()
        for ref in (value if isinstance(value, list) else [value])
        if isinstance(ref, str)
    ]
    refs += [m[3].partition("#")[0] for m in _LINK.finditer(record.body)]
    return {
        posixpath.normpath(posixpath.join(base, ref))
        for ref in refs
        if ref and not _SCHEME.match(ref) and not ref.startswith(("/", "#"))
    }
