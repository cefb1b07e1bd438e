"""Gaps between dated events measured in calendar months: shared by every 'at least every N months' rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from brmkb.dates import add_months

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Late(Generic[T]):
    """An event held after its due date; ``previous`` is None when counted from the anchor."""

    event: T
    previous: T | None
    since: date
    due: date
    held: date


@dataclass(frozen=True, slots=True)
class Next(Generic[T]):
    """The obligation still open at the as-of date."""

    previous: T | None
    since: date
    due: date


def late_events(
    anchor: date, events: Iterable[tuple[date, T]], months: int
) -> tuple[list[Late[T]], Next[T]]:
    """Events more than ``months`` after the one before (or after ``anchor``), and what comes next.

    ``events`` must be sorted by date. Exactly ``months`` later is on time; one day more is late.
    """
    late: list[Late[T]] = []
    since, previous = anchor, None
    for held, event in events:
        due = add_months(since, months)
        if held > due:
            late.append(Late(event, previous, since, due, held))
        if held >= since:
            since, previous = held, event
    return late, Next(previous, since, add_months(since, months))


def pending(next_due: date, as_of: date, end: date | None) -> int | None:
    """Days left (negative: overdue) until ``next_due``, or None when the service ends before it."""
    if end is not None and end < next_due:
        return None
    return (next_due - as_of).days
