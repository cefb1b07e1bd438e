"""The years of a service that owe an annual review (3.1.5), and which reviews answer them.

Shared by the annual-review rule and the schedule (dashboard, calendar feed), so both agree
on what is due when. A year is named by the calendar year in which it begins: calendar year
2025 is 2025-01-01 … 2025-12-31; with contract years counted from a start on 2025-07-01,
contract year 2025 is 2025-07-01 … 2026-06-30, and ``covers: 2025`` names it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from brmkb.dates import add_months
from brmkb.model import KnowledgeBase, Record

if TYPE_CHECKING:
    from brmkb.registry import RuleOptions

BASES = ("calendar", "contract")


@dataclass(frozen=True, slots=True)
class ServiceYear:
    """One year of service: its name, the part of it the service is active, and whether it owes
    an annual review (active for at least the policy's months)."""

    name: int
    start: date
    end: date
    owed: bool

    def window(self, grace_days: int) -> tuple[date, date]:
        """The days on which a review for this year may be held: the year, then the grace."""
        return self.start, self.end + timedelta(days=grace_days)


@dataclass(frozen=True, slots=True)
class Obligation:
    """An owed year with the held and the planned annual reviews that answer it."""

    year: ServiceYear
    held: list[Record] = field(default_factory=list)
    planned: list[Record] = field(default_factory=list)


def active_for(start: date, end: date, months: int) -> bool:
    """True when ``start`` … ``end`` (inclusive) lasts at least ``months`` calendar months."""
    return add_months(start, months) <= end + timedelta(days=1)


def service_years(
    start: date, end: date | None, as_of: date, basis: str, min_months: int
) -> Iterator[ServiceYear]:
    """The service's years that have begun by ``as_of``, oldest first. An open-ended service is
    taken to run to the end of the current year."""
    index = 0
    while True:
        if basis == "contract":
            first = add_months(start, 12 * index)
            last = add_months(start, 12 * (index + 1)) - timedelta(days=1)
            name = first.year
        else:
            name = start.year + index
            first, last = max(start, date(name, 1, 1)), date(name, 12, 31)
        if first > as_of or (end is not None and first > end):
            return
        if end is not None:
            last = min(last, end)
        yield ServiceYear(name, first, last, active_for(first, last, min_months))
        index += 1


def years_of(service: Record, options: RuleOptions, until: date) -> list[ServiceYear]:
    """The years of ``service`` begun by ``until``, counted as the policy's options say."""
    return list(
        service_years(
            service["start"],
            service.get("end"),
            until,
            options["year"],
            options["min_active_months"],
        )
    )


def covered_year(review: Record, years: list[ServiceYear]) -> int | None:
    """The year an annual review is for: its ``covers``, else the year its date falls in."""
    if review.get("covers") is not None:
        return int(review["covers"])
    return next((y.name for y in years if y.start <= review.date <= y.end), None)


def obligations(
    kb: KnowledgeBase, service: Record, options: RuleOptions, as_of: date
) -> tuple[list[ServiceYear], list[Obligation]]:
    """Every year of ``service`` and, for the owed ones, the annual reviews that count for them:
    held on or before ``as_of`` (``planned`` after it), inside the year or its grace days."""
    years = years_of(service, options, as_of)
    found: list[Obligation] = []
    annual = [r for r in kb.of(service.id, "review") if r["type"] == "annual"]
    for year in years:
        if not year.owed:
            continue
        first, last = year.window(options["grace_days"])
        answers = [
            r for r in annual if covered_year(r, years) == year.name and first <= r.date <= last
        ]
        found.append(
            Obligation(
                year,
                [r for r in answers if r.date <= as_of],
                [r for r in answers if r.date > as_of],
            )
        )
    return years, found
