"""3.1.5: one annual service review in every calendar year of the service's life."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.findings import Severity
from brmkb.intervals import years
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schedule import held_by


@rule("annual-review", title="年度评审", clause="3.1.5", options={"due_soon_days": 30})
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """每个完整的服务年度召开一次年度服务评审。

    服务从 1 月 1 日到 12 月 31 日全年都在服务期内的自然年，须有一份 `type: annual` 的评审，
    日期在该年内。已结束的年度缺少年度评审为错误；当年的年度评审尚未召开且离年底不足
    `due_soon_days` 天时为提示。服务中途开始或结束的年份不要求年度评审。

    通过示例：服务 2024-07-01 开始，2025-12-10 召开年度评审（2024 年不完整，不要求）。
    不通过示例：服务 2024-01-01 开始，2024 年只有定期评审。
    """
    for service in kb.services:
        held = {
            r.date.year
            for r in held_by(kb.of(service.id, "review"), as_of)
            if r["type"] == "annual"
        }
        for year in years(service["start"], service.get("end"), as_of):
            if year in held:
                continue
            year_end = date(year, 12, 31)
            if year_end < as_of:
                yield Hit(
                    service,
                    f"{year} 年全年在服务期内，但没有年度服务评审（type: annual）；"
                    "若已召开，请补录评审报告，否则需经批准后以豁免记录说明。",
                    ("start",),
                )
            elif (year_end - as_of).days <= opts["due_soon_days"]:
                yield Hit(
                    service,
                    f"{year} 年的年度服务评审尚未召开，须在 {year_end} 前完成（还剩 {(year_end - as_of).days} 天）。",
                    ("start",),
                    Severity.INFO,
                )
