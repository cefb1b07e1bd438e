"""Minutes of a review: attendees by organization, distribution, actions and sections.

The attendees start with the project manager; every other organization the service names
(customer, suppliers, other external ones) gets a commented-out line to complete or delete.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import date

from brmkb import policy
from brmkb.dates import add_months
from brmkb.model import KnowledgeBase
from brmkb.prompts import placeholder, prompt
from brmkb.rules.review_sections import MINUTES as MINUTES_SECTIONS
from brmkb.scaffold.context import PREFIXES, Context, Draft, ScaffoldError, month_of, unknown
from brmkb.scaffold.fields import claim_id, fill, title_value
from brmkb.scaffold.frontmatter import Field, FrontMatter
from brmkb.scaffold.sections import merge_sections, required_sections
from brmkb.schema import PARTIES
from brmkb.yamlio import flow


def _internal_org(kb: KnowledgeBase) -> str | None:
    """Our own organization's name, as written for internal attendees in earlier minutes."""
    names = Counter(
        str(a["org"])
        for m in kb.of_kind("minutes")
        for a in m["attendees"]
        if a["party"] == "internal"
    )
    if not names:
        return None
    best = max(names.values())
    return min(name for name, count in names.items() if count == best)


def minutes_draft(
    context: Context, review_id: str, day: date, review_title: str, *, own: bool
) -> Draft:
    """Minutes of ``review_id``; ``own``: the ``--set`` values are for the minutes."""
    service = context.service
    stem = review_id.removeprefix(f"{PREFIXES['review']}-")
    if stem == review_id:
        stem = f"{context.short}-{month_of(day)}"
    folder = context.folder("minutes")
    record_id = context.free_id(f"{PREFIXES['minutes']}-{stem}", folder)
    title = (
        review_title.removesuffix("报告") + "会议纪要"
        if review_title.endswith("报告")
        else f"{review_title}会议纪要"
    )
    derived: list[Field] = [
        ("kind", "minutes", None),
        ("id", record_id, None),
        ("title", title, None),
        ("review", review_id, None),
        ("date", day.isoformat(), "会议日期"),
    ]
    fields = fill(context, "minutes", derived, own=own)
    record_id = claim_id(context, fields, record_id)
    title = title_value(fields) or title
    keys = {key for key, _, _ in fields}
    front = FrontMatter.of(fields)
    if "attendees" not in keys:
        _attendees(front, context)
    if "distribution" not in keys:
        departments = [str(d) for d in service.get("departments") or []]
        front.add(
            "distribution",
            departments or [context.policy.service_department],
            "3.1.9 纪要发放的部门，请核对",
        )
    if "decisions" not in keys:
        front.comment(f"decisions: [{placeholder('决议')}]    # 会议决议（可选）")
    if "actions" not in keys:
        action = context.styled(f"ac-{context.short}-{day.strftime('%y%m')}-1")
        due = add_months(day, 1).isoformat()
        front.comment(
            "actions:    # 行动项（可选）；status 为 open 或 done，done 时加 done: 完成日期"
        )
        item = {
            "id": action,
            "text": placeholder("行动内容"),
            "owner": placeholder("责任人"),
            "due": due,
            "status": "open",
        }
        front.comment(f"  - {flow(item)}")
    body = _minutes_body(context.policy, title, day)
    return context.claim("minutes", record_id, f"{folder}/{record_id}.md", front.text() + body)


def _minutes_body(chosen: policy.Policy, title: str, day: date) -> str:
    """The policy's required sections of minutes, then the usual ones (suggestions)."""
    overview = (
        f"- 时间：{day.year}年{day.month}月{day.day}日 {prompt('开始和结束时间')}\n"
        f"- 地点：{prompt('会议地点')}\n"
        f"- 主持：{prompt('主持人（部门）')}\n"
        f"- 记录：{prompt('记录人（部门）')}"
    )
    suggested = [
        ("会议概况", None),
        ("会议内容", "各方汇报和讨论的要点"),
        ("会议决议", "会议形成的决议；行动项写在头信息的 actions 中"),
    ]
    sections = merge_sections(required_sections(chosen, MINUTES_SECTIONS), suggested)
    parts = [f"\n# {title}\n"]
    for heading, hint in sections:
        text = overview if heading == "会议概况" else prompt(hint)
        parts.append(f"\n## {heading}\n\n{text}\n")
    return "".join(parts)


def _attendees(front: FrontMatter, context: Context) -> None:
    """The project manager, then one commented-out line per organization the service names."""
    service = context.service
    ours = _internal_org(context.kb)
    manager = {
        "name": str(service["project_manager"]),
        "org": ours or placeholder("本公司全称"),
        "dept": context.policy.service_department,
        "party": "internal",
    }
    front.add("attendees", [manager], "参会人员，每人一项")
    front.comment(
        "以下按服务档案预填了单位：填上姓名和部门并删去行首的“# ”，未参会的单位整行删除；party："
        + "、".join(f"{k} {v}" for k, v in PARTIES.items()),
        indent=2,
    )
    others: list[tuple[str, str]] = [(str(service["customer"]), "customer")]
    others += [(str(s), "supplier") for s in service.get("suppliers") or []]
    others += [(str(e), "external") for e in service.get("external") or []]
    for org, party in others:
        person = {
            "name": placeholder("姓名"),
            "org": org,
            "dept": placeholder("部门"),
            "party": party,
        }
        front.comment(f"- {flow(person)}", indent=2)


def build_minutes(context: Context) -> list[Draft]:
    """Minutes of ``--review``, else of the service's latest review that has none yet."""
    options, kb = context.options, context.kb
    if options.review:
        review = kb.by_id.get(options.review)
        if review is None or review.kind != "review":
            ids = [r.id for r in kb.of(options.service, "review")]
            raise ScaffoldError(unknown("评审", options.review, ids))
        if kb.service_of(review) != options.service:
            raise ScaffoldError(
                f"评审“{review.id}”属于服务项目“{kb.service_of(review)}”，不是“{options.service}”。"
            )
    else:
        pending = [r for r in kb.of(options.service, "review") if r.id not in kb.minutes_by_review]
        if not pending:
            raise ScaffoldError(
                f"服务项目“{options.service}”的评审都已有会议纪要；请用 --review 指定评审，"
                "或用 brmkb new review --minutes 同时新建评审报告和会议纪要。"
            )
        review = pending[-1]
    draft = minutes_draft(context, review.id, review.date, review.title, own=True)
    earlier = [m.id for m in kb.minutes_by_review.get(review.id, [])]
    if earlier:
        note = (
            f"评审“{review.id}”已有会议纪要 {'、'.join(earlier)}；{draft.rel} 是另一份"
            "（如续会）。如不需要，删除该文件即可。"
        )
        draft = replace(draft, note=note)
    return [draft]
