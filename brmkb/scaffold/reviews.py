"""Reviews: the type's title, organizer, inputs and sections, from the policy and the records.

What the knowledge base knows is filled in: the change or request an additional or ad hoc
review is about, the organizer (3.1.6: the sales department before a major change), the
inputs found in the records and in ``attachments/``, and what the review may discuss.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

from brmkb.dates import add_months
from brmkb.model import Record
from brmkb.prompts import placeholder
from brmkb.registry import get
from brmkb.scaffold.context import PREFIXES, Context, Draft, ScaffoldError, month_of, unknown
from brmkb.scaffold.fields import claim_id, fill, missing_values, title_value
from brmkb.scaffold.frontmatter import Field, FrontMatter
from brmkb.scaffold.minutes import minutes_draft
from brmkb.scaffold.sections import outline, review_sections
from brmkb.schema import INPUTS, REVIEW_TYPES
from brmkb.yamlio import flow


def _latest(records: list[Record], before: date | None = None) -> Record | None:
    eligible = [r for r in records if before is None or (r.date is not None and r.date <= before)]
    return eligible[-1] if eligible else None


def _pick(context: Context, kind: str, wanted: str | None, label: str, hint: str) -> Record:
    """The record ``wanted``, or the service's latest of ``kind`` (changes: the latest major one)."""
    options = context.options
    mine = context.kb.of(options.service, kind)
    if wanted:
        record = context.kb.by_id.get(wanted)
        similar = context.kb.same_but_case(wanted)
        if record is None and similar in {r.id for r in mine}:
            raise ScaffoldError(f"没有{label}“{wanted}”：编号大小写不一致：是否指 {similar}？")
        if record is None or record.kind != kind:
            raise ScaffoldError(unknown(label, wanted, [r.id for r in mine]))
        if context.kb.service_of(record) != options.service:
            raise ScaffoldError(
                f"“{wanted}”属于服务项目“{context.kb.service_of(record)}”，不是“{options.service}”。"
            )
        return record
    candidates = [c for c in mine if c["major"]] if kind == "change" else mine
    found = _latest(candidates, options.day if kind == "request" else None)
    if found is None:
        raise ScaffoldError(f"服务项目“{options.service}”还没有{label}记录；{hint}")
    return found


def _inputs(
    context: Context, review_rel: str, required: list[str]
) -> tuple[dict, dict[str, str], list[str]]:
    """Inputs found in the knowledge base, documents to confirm, and the keys still to fill in.

    Monthly reports: the service's reports of the twelve months before the review's month.
    Documents: the last file (by name) in the service's ``attachments/`` whose name starts
    with the input's Chinese name, e.g. ``服务合同-HT2024-058.pdf``; only a suggestion, since
    it may be last year's version (项目计划表-2025.xlsx for the 2026 review).
    """
    day = context.options.day
    found: dict[str, Any] = {}
    suggested: dict[str, str] = {}
    attachments = context.root / Path(context.service.rel).parent / "attachments"
    names = (
        sorted(p.name for p in attachments.iterdir() if p.is_file()) if attachments.is_dir() else []
    )
    for key in required:
        if key == "monthly_reports":
            first, last = month_of(add_months(day, -12)), month_of(day)
            reports = [
                r.id
                for r in context.kb.of(context.options.service, "monthly-report")
                if first <= str(r["month"]) < last
            ]
            if reports:
                found[key] = reports
            continue
        matches = [n for n in names if n.startswith(INPUTS.get(key, key))]
        if matches:
            here = (context.root / review_rel).parent
            suggested[key] = Path(os.path.relpath(attachments / matches[-1], here)).as_posix()
    return found, suggested, [key for key in required if key not in found and key not in suggested]


def _discussable(context: Context) -> list[str]:
    """Surveys, complaints and changes since the service's previous review (3.2.4 candidates)."""
    day = context.options.day
    previous = _latest(context.kb.of(context.options.service, "review"), day)
    since = previous.date if previous is not None else None
    found = []
    for kind, key in (("survey", "date"), ("complaint", "received"), ("change", "date")):
        for record in context.kb.of(context.options.service, kind):
            when = record.get(key)
            if when is not None and when <= day and (since is None or when > since):
                found.append(record.id)
    return found


def _review_draft(context: Context) -> tuple[Draft, str]:
    """The review and its title."""
    options, service = context.options, context.service
    review_type = options.review_type
    if review_type not in REVIEW_TYPES:
        raise ScaffoldError(unknown("评审类型", review_type, list(REVIEW_TYPES)))
    day = options.day
    folder = context.folder("review")
    record_id = context.free_id(f"{PREFIXES['review']}-{context.short}-{month_of(day)}", folder)
    name = context.name
    phase: str | None = None
    major = False
    extra: list[Field] = []
    title = f"{name}{day.year}年{day.month}月{REVIEW_TYPES[review_type]}报告"
    if review_type == "annual":
        title = f"{name}{day.year}年度服务评审报告"
    elif review_type == "additional":
        change = _pick(
            context,
            "change",
            options.change,
            "重大合同变更",
            "请先用 brmkb new change 登记变更，或用 --change 指定。",
        )
        if options.phase is not None and options.phase not in ("before", "after"):
            raise ScaffoldError(
                f"--phase 只能是 before（变更前）或 after（变更后），这里是“{options.phase}”。"
            )
        phase = options.phase or ("before" if day < change.date else "after")
        major = bool(change.get("major"))
        extra += [("change", change.id, None), ("phase", phase, "before：变更前；after：变更后")]
        what = change.get("title") or change.id
        title = f"{name}{what}变更{'前' if phase == 'before' else '后'}追加评审报告"
    elif review_type == "adhoc":
        request = _pick(
            context,
            "request",
            options.request,
            "客户临时评审请求",
            "请先用 brmkb new request 登记请求，或用 --request 指定。",
        )
        extra.append(("request", request.id, None))
    sales_led = review_type == "additional" and phase == "before" and major  # 3.1.6
    chosen = context.policy
    derived: list[Field] = [
        ("kind", "review", None),
        ("id", record_id, None),
        ("title", title, None),
        ("service", service.id, None),
        ("type", review_type, "、".join(f"{k}：{v}" for k, v in REVIEW_TYPES.items())),
        *extra,
        ("date", day.isoformat(), "评审日期"),
        *_organizer(context, sales_led),
        (
            "organizer_dept",
            chosen.sales_department if sales_led else chosen.service_department,
            "3.1.6：重大变更前的追加评审由销售部门组织" if sales_led else None,
        ),
    ]
    fields = fill(context, "review", derived)
    record_id = claim_id(context, fields, record_id)
    title = title_value(fields) or title
    rel = f"{folder}/{record_id}.md"
    front = FrontMatter.of(fields)
    keys = {key for key, _, _ in fields}
    required = chosen.options(get("review-inputs"))["required"].get(review_type, [])
    if required and "inputs" not in keys:
        found, suggested, missing = _inputs(context, rel, required)
        note = '评审输入：相对本文件的路径、记录 id，或 {external: 文件编号, version: "版本"}'
        if found:
            front.add("inputs", found, note)
        else:
            front.comment(f"inputs:    # {note}；取消注释并填写")
        if suggested:
            front.comment(
                "以下文件取自 attachments/，可能是上一年度的版本：确认是本次评审的输入后取消注释",
                indent=2,
            )
        for key, path in suggested.items():
            front.comment(
                f"{key}: {flow(path)}    # 请确认《{INPUTS.get(key, key)}》的版本", indent=2
            )
        for key in missing:
            front.comment(
                f"{key}: {placeholder(f'《{INPUTS.get(key, key)}》的路径')}"
                '    # 或记录 id、{external: 文件编号, version: "版本"}',
                indent=2,
            )
    grace = chosen.options(get("annual-review"))["grace_days"]
    if review_type == "annual" and "covers" not in keys and day.timetuple().tm_yday <= grace:
        front.comment(
            f"covers: {day.year - 1}    # 3.1.5：补开上一年度的年度评审时保留此行；本年度的评审请删除"
        )
    if "discusses" not in keys:
        candidates = _discussable(context)
        if candidates:
            front.comment(
                f"discusses: {flow(candidates)}    # 本次评审讨论的调查、投诉或变更（3.2.4），按实际讨论的保留"
            )
    topics = phase if review_type != "additional" or major else None  # 3.1.6: major only
    body = outline(title, review_sections(chosen, review_type, topics))
    return context.claim("review", record_id, rel, front.text() + body), title


def _organizer(context: Context, sales_led: bool) -> list[Field]:
    """The review's organizer: the project manager, or for 3.1.6 the last sales organizer."""
    if not sales_led:
        return [("organizer", str(context.service["project_manager"]), "默认为项目经理，请核对")]
    sales = context.policy.sales_department
    previous = [
        r for r in context.kb.of(context.options.service, "review") if r["organizer_dept"] == sales
    ]
    if previous:
        return [
            ("organizer", str(previous[-1]["organizer"]), f"取自上次由{sales}组织的评审，请核对")
        ]
    if "organizer" in context.options.values:
        return [("organizer", None, None)]
    raise missing_values("review", ["organizer"], {"organizer": f"{sales}的组织者姓名"})


def build_review(context: Context) -> list[Draft]:
    """The review, and with ``--minutes`` its minutes (whose id follows the review's)."""
    review, title = _review_draft(context)
    if not context.options.minutes:
        return [review]
    day = context.options.day
    return [review, minutes_draft(context, review.id, day, title, own=False)]
