"""3.1.5–3.1.7: what each kind of review must discuss, as headed sections with content."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.model import KnowledgeBase, Record, normalize_heading
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.change_reviews import major_change
from brmkb.schema import REVIEW_TYPES

_CLAUSES = {"annual": "3.1.5", "additional": "3.1.6", "adhoc": "3.1.7"}


@rule(
    "review-sections",
    clause="3.1.5",
    also=("3.1.6", "3.1.7"),
    options={
        "required": {
            "annual": ["当前和预计的业务需求", "服务范围或内容可能发生的变化"],
            "additional:before": [
                "变更前服务及合同的状况及成绩",
                "当前和预计的业务需求",
                "服务范围和SLA变更的目的",
            ],
            "adhoc": ["进展", "成绩", "需要处理的问题"],
        }
    },
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """评审报告正文包含程序要求讨论的内容。

    `required` 按评审类型（追加评审可写 `additional:before` / `additional:after`）列出正文中
    必须有的小节标题，每节下须有实际内容（HTML 注释和空白不算）。标题前的编号和空格不影响
    匹配，例如 `## 3.1.5.6 当前和预计的业务需求` 也算。默认：年度评审 3.1.5.6–3.1.5.7；
    重大变更前的追加评审 3.1.6.1–3.1.6.3（一般变更前的追加评审不要求这三节）；临时性评审 3.1.7
    的进展、成绩和需要处理的问题。问题报告在评审类型对应的条款下（3.1.5、3.1.6 或 3.1.7），
    按条款豁免时据此匹配。

    通过示例：一般变更（`major: false`）前的追加评审，正文只有评审结论。
    不通过示例：重大变更前的追加评审缺少“服务范围和SLA变更的目的”一节。
    """
    for review in kb.of_kind("review"):
        for title in _required(kb, review, opts["required"]):
            yield from _check_section(review, title)


def _required(kb: KnowledgeBase, review: Record, required: dict[str, list[str]]) -> list[str]:
    kind = review["type"]
    if kind == "additional" and not major_change(kb, review):
        return required.get(kind, [])  # 3.1.6's topics are for a major change only
    return [*required.get(kind, []), *required.get(f"{kind}:{review.get('phase')}", [])]


def _check_section(review: Record, title: str) -> Iterator[Hit]:
    clause = _CLAUSES.get(review["type"])
    wanted = normalize_heading(title)
    found = [s for s in review.sections if wanted in s.key]
    label = REVIEW_TYPES[review["type"]]
    if not found:
        yield Hit(
            review,
            f"{label}报告缺少“{title}”一节；请在正文中加标题 `## {title}` 并写明讨论内容。",
            ("type",),
            clause=clause,
        )
    elif not any(section.has_content for section in found):
        yield Hit(
            review,
            f"“{title}”一节（第 {found[0].line} 行）下没有内容；请写明评审中讨论的情况。",
            ("type",),
            clause=clause,
        )
