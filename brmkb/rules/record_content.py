"""Clause 4: output records say something, and no record keeps the prompts of ``brmkb new``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb import markdown_scan, prompts
from brmkb.dates import month_key
from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schema import KINDS
from brmkb.validate import field_name

#: The output records of clause 4, whose bodies are what the procedure asks them to record.
OUTPUTS = ("review", "minutes", "monthly-report")


@rule("record-content", title="记录内容完整", clause="4")
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """评审报告、会议纪要和服务月报有实际内容。

    这三种输出记录的正文除标题、HTML 注释和占位词之外必须有文字，否则为错误（标在正文的
    第一个标题上）。占位词由策略的 `placeholders` 规定（默认：待补充、待填写、待完善、待更新、
    待定、TBD、TBC、TODO、FIXME、略、N/A、无内容、此处填写，以及单独的“…”“...”），整行只有
    占位词、或“地点：待定”这样标签后只有占位词，都算没有写。

    正文有内容、但某个标题下什么也没有（只有空白、注释或占位词，且没有下级小节）时为警告，
    标在该标题行：请写上内容，或删去这一节。该节里还留着 `brmkb new` 的填写提示时，由
    “记录未完成”在提示所在行报告错误，这里不再重复警告。

    日期在检查日之后的评审和纪要（计划中的会议）、尚未开始的月份的月报，要到召开或该月
    开始后才有内容可写，届时再检查。
    """
    placeholders = opts.policy.placeholders
    for kind in OUTPUTS:
        for record in kb.of_kind(kind):
            if planned(record, as_of) or prompts.sections_written(record.body, placeholders):
                continue  # nothing to report (the second test builds no sections)
            leaves = [s for s in record.sections if not s.nested]
            empty = [s for s in leaves if not s.has_text(placeholders)]
            # A section's lines are the body's: one with text is text in the body, unless a
            # comment that spans sections changes what the body hides (then read the body).
            written = len(empty) < len(leaves) and "<!--" not in record.body
            # an underlined (setext) title is a heading, not text
            if not written and prompts.is_blank(
                markdown_scan.without_setext(record.body), placeholders
            ):
                yield Hit(
                    record,
                    f"《{KINDS[kind].label}》正文除标题、注释和占位词外没有内容；"
                    "请写明实际情况，空的记录不能作为合规依据。",
                    line=record.title_line,
                )
                continue
            for section in empty:
                if next(prompts.prompt_lines(section.content), None) is not None:
                    continue  # its prompt is unfinished-record's error, at the prompt's line
                yield Hit(
                    record,
                    f"“{section.title}”一节下没有内容；请写上内容，不适用时删去这一节。",
                    severity=Severity.WARNING,
                    line=section.line,
                )


def planned(record: Record, as_of: date) -> bool:
    """A meeting dated after the check date, or a monthly report of a month not yet begun."""
    if record.kind == "monthly-report":
        return str(record.get("month", "")) > month_key(as_of)
    return record.date is not None and record.date > as_of


@rule("unfinished-record", title="记录未完成", clause=None)
def check_prompts(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """记录里没有 `brmkb new` 留下、尚未替换的填写提示。

    `brmkb new` 在正文中写 `<!-- 请填写：… -->` 注释提示要写的内容，在头信息中把要填的值
    写成“请填写：…”（例如参会人员的姓名和部门）。任何一处还留着，记录就是没写完：为错误，
    标在提示所在的行。写上实际内容后删除这条注释；不适用的小节或列表项整个删去。
    """
    for record in kb.records:
        prompted = "<!--" in record.body  # a prompt is a comment: most bodies have none
        for offset, text in prompts.prompt_lines(record.body) if prompted else ():
            yield Hit(
                record,
                f"这里还是 brmkb new 留下的填写提示（{text}）；请写上实际内容并删除这条注释，"
                "不适用的小节整个删去。",
                line=record.body_line + offset,
            )
        if not prompts.may_hold_placeholders(record.yaml_text):
            continue
        for path, value in prompts.placeholder_values(record.data):
            yield Hit(
                record,
                f"字段“{field_name(path)}”的值“{value}”是 brmkb new 留下的占位；请改为实际内容，"
                "不适用的项整个删去。",
                path,
            )
