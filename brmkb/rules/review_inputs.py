"""3.1.5: the annual review report carries the five input records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schedule import held_by
from brmkb.schema import INPUTS, REVIEW_TYPES


@rule(
    "review-inputs",
    title="年度评审输入",
    clause="3.1.5",
    options={"required": {"annual": list(INPUTS)}},
    choices={"required": tuple(REVIEW_TYPES)},
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """年度服务评审报告带齐五项输入。

    `required` 按评审类型列出必须提供的输入（默认年度评审：服务合同、项目策划书、
    项目计划表、项目总结报告、服务月报）。策略中只需写要改的类型，其余类型沿用默认（如只写 `periodic`，
    年度评审仍要求五项输入；写空列表 `[]` 取消某一类型的要求）。每项输入写在 `inputs` 下，可以是相对于本记录的
    文件路径、记录 id（服务月报），或 `{external: 文件编号, version: 版本}`；
    引用能否找到由 `input-path` 和 `reference` 规则检查。日期在检查日之后的评审是计划中的
    会议，输入要到召开时才齐备，届时再检查。
    """
    for review in held_by(kb.of_kind("review"), as_of):
        required = opts["required"].get(review["type"], [])
        inputs = review.get("inputs") or {}
        for key in required:
            if inputs.get(key):
                continue
            label = INPUTS.get(key, key)
            yield Hit(
                review,
                f"{REVIEW_TYPES[review['type']]}缺少输入《{label}》（inputs.{key}）；"
                f"请在 inputs 下写 {key}: 文件路径、记录 id 或 {{external: 文件编号, version: 版本}}。",
                ("inputs",),  # when missing: the front matter's first line
            )
