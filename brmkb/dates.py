"""Calendar arithmetic and date reading in the forms people actually type."""

from __future__ import annotations

import calendar
import re
from datetime import date

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_MONTH = re.compile(r"\d{4}-\d{2}")
# Matched against stripped text: each run of spaces stands between two different
# characters, so no part of a long run can be taken by two quantifiers (linear matching).
_LOOSE_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
_LOOSE_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")

#: Years a record may name: every due date derived from them (months or days later, as the
#: policy's options allow) stays within the calendar (year 9999 is the last one Python has).
MIN_YEAR, MAX_YEAR = 1900, 9000


def parse_iso_date(text: str) -> date | None:
    """The date written as ISO ``YYYY-MM-DD`` in the years records may name, or None."""
    if not _ISO_DATE.fullmatch(text) or not MIN_YEAR <= int(text[:4]) <= MAX_YEAR:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def is_iso_date(value: object) -> bool:
    return isinstance(value, str) and parse_iso_date(value) is not None


def is_iso_month(value: object) -> bool:
    if not isinstance(value, str) or not _ISO_MONTH.fullmatch(value):
        return False
    return 1 <= int(value[5:]) <= 12 and MIN_YEAR <= int(value[:4]) <= MAX_YEAR


def iso_hint(value: object, *, month: bool = False) -> str | None:
    """The ISO spelling of a loosely written date (``2026/6/5`` → ``2026-06-05``), if it is one."""
    text = str(value).strip()
    if month:
        found = _LOOSE_MONTH.fullmatch(text)
        if found and 1 <= int(found[2]) <= 12 and MIN_YEAR <= int(found[1]) <= MAX_YEAR:
            return f"{int(found[1]):04d}-{int(found[2]):02d}"
        return None
    found = _LOOSE_DATE.fullmatch(text)
    if not found:
        return None
    try:
        day = date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None
    return day.isoformat() if MIN_YEAR <= day.year <= MAX_YEAR else None


def looks_iso(value: object) -> bool:
    """Written in the ISO shape (``2026-02-30``, ``2026-13``) whether or not the day exists."""
    return isinstance(value, str) and bool(
        _ISO_DATE.fullmatch(value) or _ISO_MONTH.fullmatch(value)
    )


def add_months(day: date, months: int) -> date:
    """``months`` calendar months after ``day`` (before it, when negative), as people count them.

    The last day of a month maps to the last day of the target month (06-30 + 6 = 12-31,
    02-28 + 6 = 08-31), so that activities held at period ends stay on time; any other day
    keeps its number, clamped to the target month's end (01-30 + 1 = 02-28). Every interval
    rule, the schedule and the scaffold count months with this one function.
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    if day.day == calendar.monthrange(day.year, day.month)[1]:
        return date(year, month + 1, last)
    return date(year, month + 1, min(day.day, last))


#: How ``add_months`` counts, in the words of the rules' documentation (``brmkb explain``).
MONTHS_RULE = (
    "月份按日历计算：N 个月后是目标月份的同一天；从某月最后一天起算则为目标月份的最后一天"
    "（2025-06-30 起 6 个月为 2025-12-31，2026-02-28 起 6 个月为 2026-08-31）；"
    "目标月份没有这一天时取该月最后一天（01-31 或 01-30 起 1 个月为 02-28，闰年为 02-29）。"
)


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"
