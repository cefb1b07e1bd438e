"""3.1.1, 3.1.5–3.1.7, 3.1.9: what each review and its minutes must discuss, as headed sections."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from datetime import date

from brmkb.model import KnowledgeBase, Record, normalize_heading
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.change_reviews import major_change
from brmkb.schedule import held_by
from brmkb.schema import REVIEW_TYPES

_CLAUSES = {
    "periodic": "3.1.1",
    "annual": "3.1.5",
    "additional": "3.1.6",
    "adhoc": "3.1.7",
    "minutes": "3.1.9",
}
#: The key under ``required`` for minutes (the other keys are review types).
MINUTES = "minutes"
#: The procedure's own words for a default title, where they differ from it: a heading copied
#: from 3.1.6.1 ("变更前服务及合同的状况，以及取得的成绩") meets the title too.
_PROCEDURE_WORDING = {"变更前服务及合同的状况及成绩": "变更前服务及合同的状况以及取得的成绩"}
#: Commas and enumeration marks do not tell headings apart, nor the case of "SLA".
_LIST_MARKS = re.compile(r"[，,、；;]")


@rule(
    "review-sections",
    title="评审报告内容",
    clause="3.1.5",
    also=("3.1.1", "3.1.6", "3.1.7", "3.1.9"),
    options={
        "required": {
            "periodic": [],
            "annual": ["当前和预计的业务需求", "服务范围或内容可能发生的变化"],
            "additional:before": [
                "变更前服务及合同的状况及成绩",
                "当前和预计的业务需求",
                "服务范围和SLA变更的目的",
            ],
            "adhoc": ["进展", "成绩", "需要处理的问题"],
            MINUTES: [],
        }
    },
    choices={"required": (*REVIEW_TYPES, "additional:before", "additional:after", MINUTES)},
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """评审报告和会议纪要的正文包含要求讨论的内容。

    `required` 按评审类型（`periodic`、`annual`、`additional`、`adhoc`；追加评审还可写
    `additional:before` / `additional:after`）列出评审报告正文中必须有的小节标题，`minutes`
    列出会议纪要必须有的小节标题。策略中只需写要改的类型，其余类型沿用默认（写空列表 `[]` 取消
    某一类型的要求）。每节下须有实际内容：只有空白、HTML 注释和占位词（策略的
    `placeholders`，如“待补充”“TBD”）不算。标题前的编号、空格、逗号顿号和英文大小写不影响
    匹配，标题包含所要求的文字即可，例如 `## 3.1.5.6 当前和预计的业务需求` 和
    `## 进展、成绩和需要处理的问题`（一节满足三项）也算；程序原文的写法
    `## 3.1.6.1 变更前服务及合同的状况，以及取得的成绩` 也算作“变更前服务及合同的状况及成绩”。
    小节标题是以 `#` 开头的标题行（`## 标题`），或下一行只有 `===`（一级）或 `---`（二级）
    的标题行（从 Word 转换来的文档常见这种写法）。后一种写法的标题行上面须是空行（或另一个
    标题）：紧接在正文段落之后的 `---` 是分隔线，不是标题，站点上也不显示为标题。

    默认：年度评审 3.1.5.6–3.1.5.7；重大变更前的追加评审 3.1.6.1–3.1.6.3（一般变更前的追加
    评审不要求这三节）；临时性评审 3.1.7 的进展、成绩和需要处理的问题。定期评审和会议纪要
    默认没有必填小节（`brmkb new` 写出的标题只是建议），组织可按需在策略中规定。问题报告在
    评审类型对应的条款下（定期评审 3.1.1、年度 3.1.5、追加 3.1.6、临时 3.1.7、纪要 3.1.9），
    按条款豁免时据此匹配。缺少的小节标在正文末尾一行，没有内容的小节标在它的标题行。
    日期在检查日之后的评审和纪要是计划中的会议，讨论内容要到召开后才写，届时再检查。

    通过示例：一般变更（`major: false`）前的追加评审，正文只有评审结论。
    不通过示例：重大变更前的追加评审缺少“服务范围和SLA变更的目的”一节。
    """
    placeholders = opts.policy.placeholders
    required = opts["required"]
    for review in held_by(kb.of_kind("review"), as_of):
        label = REVIEW_TYPES[review["type"]] + "报告"
        clause = _CLAUSES.get(review["type"])
        titles = _required(kb, review, required)
        keys = _keys(review) if titles else []
        for title in titles:
            yield from _check_section(review, keys, title, label, clause, placeholders)
    titles = required.get(MINUTES, [])
    for minutes in held_by(kb.of_kind("minutes"), as_of) if titles else ():
        keys = _keys(minutes)
        for title in titles:
            yield from _check_section(
                minutes, keys, title, "会议纪要", _CLAUSES[MINUTES], placeholders
            )


def _required(kb: KnowledgeBase, review: Record, required: dict[str, list[str]]) -> list[str]:
    kind = review["type"]
    if kind == "additional" and not major_change(kb, review):
        return required.get(kind, [])  # 3.1.6's topics are for a major change only
    return [*required.get(kind, []), *required.get(f"{kind}:{review.get('phase')}", [])]


def _check_section(
    record: Record,
    keys: list[str],
    title: str,
    label: str,
    clause: str | None,
    placeholders: Collection[str],
) -> Iterator[Hit]:
    wanted = {_key(title), _key(_PROCEDURE_WORDING.get(title, title))}
    found = [
        s
        for s, key in zip(record.sections, keys, strict=True)
        if any(words in key for words in wanted)
    ]
    if not found:
        yield Hit(
            record,
            f"{label}缺少“{title}”一节；请在正文中加标题 `## {title}` 并写明讨论内容。",
            clause=clause,
            line=record.end_line,
        )
    elif not any(section.has_text(placeholders) for section in found):
        yield Hit(
            record,
            f"“{title}”一节下没有内容；请写明评审中讨论的情况。",
            clause=clause,
            line=found[0].line,
        )


def _keys(record: Record) -> list[str]:
    """The record's section keys, normalized once for all the titles it must have."""
    return [_key(section.title) for section in record.sections]


def _key(title: str) -> str:
    """A title as headings and required titles are compared: normalized, without list marks."""
    return _LIST_MARKS.sub("", normalize_heading(title)).casefold()
