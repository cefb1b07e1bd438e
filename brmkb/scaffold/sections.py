"""A record's body: its title and sections, each with a prompt of what to write in it.

The sections a review and minutes must have come from the policy (the ``review-sections``
rule's options), so the scaffold asks for exactly what the check will require.
"""

from __future__ import annotations

from collections.abc import Iterable

from brmkb import policy
from brmkb.model import normalize_heading
from brmkb.prompts import prompt
from brmkb.registry import get


def outline(title: str, sections: Iterable[tuple[str, str]]) -> str:
    """The body: the title, then each section with the prompt of what to write in it."""
    parts = [f"\n# {title}\n"]
    for heading, hint in sections:
        parts.append(f"\n## {heading}\n\n{prompt(hint)}\n")
    return "".join(parts)


#: What to write under each section the procedure requires (default headings of 3.1.5–3.1.7).
_HINTS = {
    "当前和预计的业务需求": "客户当前和预计的业务需求（3.1.5、3.1.6）",
    "服务范围或内容可能发生的变化": "服务范围或服务内容可能发生的变化（3.1.5）",
    "变更前服务及合同的状况及成绩": "变更前服务及合同的执行状况和取得的成绩（3.1.6）",
    "服务范围和SLA变更的目的": "服务范围和 SLA 变更的目的（3.1.6）",
    "进展": "客户关心事项的进展（3.1.7）",
    "成绩": "取得的成绩（3.1.7）",
    "需要处理的问题": "需要处理的问题及建议措施（3.1.7）",
}
#: Sections worth having beyond the required ones, by review type (and phase).
_SUGGESTED = {
    "periodic": ["服务运行情况", "满意度情况", "需要处理的问题", "评审结论"],
    "annual": ["年度服务回顾", "评审结论"],
    "additional:before": ["评审结论"],
    "additional:after": ["变更实施情况", "变更后服务运行情况", "遗留问题"],
    "adhoc": ["评审背景"],
}


def review_sections(
    chosen: policy.Policy, review_type: str, phase: str | None
) -> list[tuple[str, str]]:
    """The review's sections and prompts: the policy's required ones first, then suggestions."""
    keys = [review_type, f"{review_type}:{phase}"] if phase else [review_type]
    required = [title for key in keys for title in required_sections(chosen, key)]
    suggested = [(title, None) for key in keys for title in _SUGGESTED.get(key, [])]
    return merge_sections(required, suggested)


def required_sections(chosen: policy.Policy, key: str) -> list[str]:
    """The section titles the policy requires under ``key`` (a review type, or minutes)."""
    return list(chosen.options(get("review-sections"))["required"].get(key, []))


def merge_sections(
    required: list[str], suggested: list[tuple[str, str | None]]
) -> list[tuple[str, str]]:
    """Required sections (with their prompts), then the suggested ones not already required;
    a suggestion may carry a prompt of its own."""
    wanted = [normalize_heading(t) for t in required]
    sections = [
        (title, f"{_HINTS.get(title, title)}。本节必填，留空时检查会报错") for title in required
    ]
    for title, hint in suggested:
        key = normalize_heading(title)
        if any(key in w or w in key for w in wanted):
            continue
        sections.append((title, hint or f"{title}（可选，不需要时删去本节）"))
    return sections
