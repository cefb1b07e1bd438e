"""What some fields mean over time, beyond their form: the field guide shows each note under its
record kind, with a passing and a failing example, so a user reads the semantics the rules apply."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Note:
    """One rule of meaning: a name (its anchor), a title, the text, and two front-matter examples."""

    name: str
    title: str
    text: str
    passing: str
    failing: str
    failing_why: str


NOTES: dict[str, tuple[Note, ...]] = {
    "service": (
        Note(
            "indicator-history",
            "满意度指标的修订：from / until",
            "《项目策划书》修订满意度目标或量表时（3.1.8），同一指标编号再写一项，用 `from` 和 "
            "`until`（日期，均含当天，均可不写）标明每项定义的生效时段。每次调查按调查日期当天生效的"
            "定义判断是否达标；“连续下降”只在同一指标、同一量表的时段内比较。同一指标的时段不能重叠，"
            "重叠是记录格式错误。不写 `from`/`until` 的定义始终有效：直接改目标值，所有调查都按新目标判断。",
            "satisfaction:\n"
            "  - {id: response, name: 响应及时性, target: 4.2, until: 2026-01-13}\n"
            "  - {id: response, name: 响应及时性, target: 4.4, from: 2026-01-14}",
            "satisfaction:\n"
            "  - {id: response, name: 响应及时性, target: 4.2, until: 2026-01-14}\n"
            "  - {id: response, name: 响应及时性, target: 4.4, from: 2026-01-14}",
            "两项在 2026-01-14 重叠，无法确定当天的调查按哪个目标判断。",
        ),
    ),
    "review": (
        Note(
            "annual-covers",
            "年度评审覆盖的年度：covers",
            "服务期内的每一年都须有一次年度评审（`type: annual`），应在该年结束前召开。“一年”默认是"
            "自然年（策略 `annual-review.year: calendar`，服务在该年不少于 6 个月才算），也可设为合同年"
            "（`contract`，从服务开始日起每 12 个月，以开始的那一年命名）。年末之后 31 天内补开的年度评审"
            "写 `covers: YYYY` 时算作该年的年度评审；不写时算作评审日期所在的那一年。",
            "type: annual\ndate: 2025-01-14\ncovers: 2024",
            "type: annual\ndate: 2025-01-14",
            "没写 covers，这次评审算作 2025 年的年度评审，2024 年仍然缺少。",
        ),
        Note(
            "planned",
            "计划中的评审：日期晚于检查日",
            "日期晚于检查日的评审是计划，尚未召开：它不满足任何要求（定期评审、年度评审、追加评审、"
            "临时性评审），对应的要求在到期之前保持提示“应不晚于……”，到期仍未召开即为错误。网站在时间线"
            "和总览中以“计划”标出。召开之后，日期不再晚于检查日，它才算数。",
            "# 检查日 2026-11-20，下一次评审应不晚于 2026-12-18\ntype: periodic\ndate: 2026-12-10",
            "# 检查日 2026-12-19，评审仍写 2026-12-20（又推迟了）\ntype: periodic\ndate: 2026-12-20",
            "到期日 2026-12-18 已过，计划中的评审不算召开，定期评审逾期。",
        ),
        Note(
            "additional-window",
            "追加评审的期限与重大变更",
            "重大合同变更（`major: true`）前后各须一次追加评审，分别在生效日前后的期限内（默认各 30 天）。"
            "同一阶段已有一次在期限内时，期限外的另一次只提示“不计入”。由销售部门组织、讨论 3.1.6 三项"
            "内容的要求，只适用于重大变更前的追加评审；一般变更前的评审欢迎召开，按一般评审检查。",
            "# 变更 2026-07-01 生效（major: true）\ntype: additional\nphase: before\ndate: 2026-06-10\n"
            "organizer_dept: 销售部门",
            "# 变更 2026-07-01 生效（major: true），评审只有这一次\ntype: additional\nphase: before\n"
            "date: 2026-05-17",
            "早于期限 2026-06-01，且没有另一次在期限内。",
        ),
    ),
    "minutes": (
        Note(
            "minutes-date",
            "纪要日期不早于评审",
            "会议纪要记录评审会议，日期不能早于其评审的日期。改进措施（带 `addresses` 的行动项）"
            "所在纪要的日期须在调查当天至调查后 30 天内（策略 `deviation-action.days`）。",
            "# 评审 2026-06-09\nreview: rv-x-2026-06\ndate: 2026-06-09",
            "# 评审 2026-06-09\nreview: rv-x-2026-06\ndate: 2026-05-31",
            "纪要早于评审 9 天。",
        ),
    ),
    "monthly-report": (
        Note(
            "report-month",
            "月报的月份与满意度偏差",
            "`month` 尚未开始的月报是计划中的记录（提示），该月过去后才算提交。有偏差的调查须写入调查当月的月报"
            "（次月 10 日到期）的 `deviations`；调查在上月月报到期之前时，写入上月月报也算按时；"
            "只由更晚月份的月报列出时为错误，并写明晚了多少天。",
            '# 调查 2026-06-09 有偏差\nmonth: "2026-06"\ndeviations: [sv-x-2026h1]',
            '# 调查 2026-06-09 有偏差\nmonth: "2026-09"\ndeviations: [sv-x-2026h1]',
            "2026-09 的月报 2026-10-10 到期，比 2026-06 月报的到期日晚 92 天。",
        ),
    ),
    "complaint": (
        Note(
            "received-future",
            "收到日期不在未来",
            "投诉在收到后登记，`received` 晚于检查日时为警告（日期在未来），请核对。",
            "# 检查日 2026-11-20\nreceived: 2026-11-18",
            "# 检查日 2026-11-20\nreceived: 2026-12-01",
            "收到日期晚于检查日。",
        ),
    ),
    "waiver": (
        Note(
            "waiver-clause",
            "按条款豁免",
            "`rule` 写条款号时，豁免报告在该条款及其子条款下的所有问题，包括规则兼报的条款：例如"
            " `review-sections` 把临时性评审缺少的小节报告在 3.1.7 下，`rule: 3.1.7` 即可豁免；"
            "行动项的问题按其所属条款报告（3.2.3、3.1.8 或 3.1.9）。条款号如 `3.2`、`4` 不加引号也可以。",
            "rule: 3.1.7\nrecord: rv-x-adhoc\nreason: 客户要求只讨论进展\napproved_by: 质量经理\n"
            "expires: 2027-06-30",
            "rule: 3.1.10\nrecord: rv-x-adhoc\nreason: …\napproved_by: 质量经理\nexpires: 2027-06-30",
            "没有规则检查条款 3.1.10，豁免无效。",
        ),
    ),
}


def markdown(kind: str) -> str:
    """The notes of a record kind as Markdown, for the field guide."""
    parts = []
    for note in NOTES.get(kind, ()):
        parts.append(
            f"\n### {note.title} {{#note-{note.name}}}\n\n{note.text}\n\n"
            f"通过示例：\n\n```yaml\n{note.passing}\n```\n\n"
            f"不通过示例（{note.failing_why}）：\n\n```yaml\n{note.failing}\n```\n"
        )
    return "".join(parts)
