"""3.1.5: one annual service review for every year of the service's life."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.annual import BASES, Obligation, ServiceYear, obligations, years_of
from brmkb.findings import Severity
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.rules.common import planned_note

_BASIS = {"calendar": "自然年", "contract": "合同年"}


@rule(
    "annual-review",
    title="年度评审",
    clause="3.1.5",
    options={"year": "calendar", "min_active_months": 6, "grace_days": 31, "due_soon_days": 30},
    choices={"year": BASES},
    months=True,
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """服务期内的每一年都召开一次年度服务评审。

    “一年”由策略 `year` 决定：

    - `calendar`（默认）：自然年。服务在某个自然年内的服务期不少于 `min_active_months`
      个月（默认 6 个月）时，该年须有一次年度评审。
    - `contract`：合同年，从服务开始日起每 12 个月为一年；最后不足 12 个月的部分
      不少于 `min_active_months` 个月时也算一年。合同年以其开始的那一年命名：
      服务 2025-07-01 开始时，“合同年 2025”是 2025-07-01 至 2026-06-30。

    一年的年度评审（`type: annual`）应在该年结束前召开（服务在年内结束时，以服务结束日为
    年末）。年末之后 `grace_days` 天内（默认 31 天）召开的年度评审写明 `covers: YYYY` 时，
    也算该年的年度评审；不写 `covers` 时，评审算作其日期所在的那一年（合同年：日期所在的合同年）。
    日期晚于检查日的评审是计划，尚未召开，不算完成；计划中的评审可以写明尚未开始的年度
    （如检查日 2025-12-20 时，计划 2026-12-10 召开、`covers: 2026`），按其日期核对。

    - 年末前未召开：离年末不足 `due_soon_days` 天或已有计划时为提示。
    - 已过年末、仍在宽限期内：警告，提示在宽限期内补开并写 `covers`。
    - 宽限期已过仍没有：错误，标在服务档案上。
    - `covers` 写的年份不是服务年度，或评审日期不在该年及其宽限期内：错误。

    示例：合同 2025-07-01 至 2026-06-30，按合同年须有一次年度评审；按自然年 2025 年和
    2026 年各服务 6 个月，各须一次。服务 2025-01-02 开始、没有结束日期，两种算法都须有
    2025 年的年度评审。

    通过示例：服务 2025-01-01 开始，2026-01-15 召开年度评审并写 `covers: 2025`。
    不通过示例：同一服务 2026-01-15 召开年度评审但没写 `covers`（算作 2026 年），
    到 2026-02-01 仍没有 2025 年的年度评审。
    """
    basis = _BASIS[opts["year"]]
    for service in kb.services:
        years, owed = obligations(kb, service, opts, as_of)
        for review in kb.of(service.id, "review"):
            # a planned review may name a year that begins after the as-of date, by its own date
            known = years if review.date <= as_of else years_of(service, opts, review.date)
            yield from _check_covers(review, known, opts["grace_days"], basis)
        for obligation in owed:
            if not obligation.held:
                yield from _open(service, obligation, opts, as_of, basis)


def _check_covers(
    review: Record, years: list[ServiceYear], grace_days: int, basis: str
) -> Iterator[Hit]:
    if review.get("covers") is None:
        return
    covers = int(review["covers"])  # written 2025 or "2025"
    if review["type"] != "annual":
        yield Hit(review, "covers 只用于年度服务评审（type: annual）；请删除此字段。", ("covers",))
        return
    year = next((y for y in years if y.name == covers), None)
    if year is None:
        yield Hit(
            review,
            f"covers: {covers} 不是本服务的{basis}（已开始的年度：{'、'.join(str(y.name) for y in years) or '无'}）；"
            "请核对年份。",
            ("covers",),
        )
        return
    first, last = year.window(grace_days)
    if not first <= review.date <= last:
        yield Hit(
            review,
            f"年度评审写明覆盖{basis} {covers}（{year.start} 至 {year.end}），但评审日期 {review.date} 不在"
            f"该年度及其后 {grace_days} 天内（{first} 至 {last}）；请核对 covers 或日期。",
            ("covers",),
        )


def _open(
    service: Record, obligation: Obligation, opts: RuleOptions, as_of: date, basis: str
) -> Iterator[Hit]:
    year = obligation.year
    _, last = year.window(opts["grace_days"])
    what = f"{basis} {year.name}（{year.start} 至 {year.end}）的年度服务评审"
    planned = planned_note(obligation.planned)
    if as_of > last:
        yield Hit(
            service,
            f"{what}没有召开，应不晚于 {year.end}（写明 covers: {year.name} 时可延至 {last}）；"
            "若已召开，请补录评审报告，否则需经批准后以豁免记录说明。",
            ("start",),
        )
    elif as_of > year.end:
        yield Hit(
            service,
            f"{what}应不晚于 {year.end}，已过 {(as_of - year.end).days} 天；{planned}"
            f"请在 {last} 前召开并在评审报告中写 covers: {year.name}。",
            ("start",),
            Severity.WARNING,
        )
    elif planned or (year.end - as_of).days <= opts["due_soon_days"]:
        yield Hit(
            service,
            f"{what}应不晚于 {year.end}，还剩 {(year.end - as_of).days} 天；{planned or '请提前安排。'}",
            ("start",),
            Severity.INFO,
        )
