"""Calendar arithmetic and date reading."""

from __future__ import annotations

from datetime import date

import pytest

from brmkb.dates import add_months, is_iso_date, is_iso_month, iso_hint, month_key, parse_iso_date
from brmkb.intervals import late_events, pending


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 1, 15), 6, date(2025, 7, 15)),
        (date(2025, 8, 31), 6, date(2026, 2, 28)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2025, 12, 31), 12, date(2026, 12, 31)),
        (date(2025, 3, 31), -1, date(2025, 2, 28)),
        (date(2025, 5, 10), 0, date(2025, 5, 10)),
        (date(2025, 1, 30), 1, date(2025, 2, 28)),
        (date(2024, 1, 30), 1, date(2024, 2, 29)),
        (date(2025, 12, 30), 2, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 6, 30), 6, date(2025, 12, 31)),
        (date(2026, 2, 28), 6, date(2026, 8, 31)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 2, 28), 12, date(2026, 2, 28)),
        (date(2023, 2, 28), 12, date(2024, 2, 29)),
        (date(2025, 4, 30), 1, date(2025, 5, 31)),
        (date(2025, 9, 30), 3, date(2025, 12, 31)),
        (date(2025, 11, 30), 1, date(2025, 12, 31)),
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2025, 12, 31), -6, date(2025, 6, 30)),
        (date(2025, 6, 30), -6, date(2024, 12, 31)),
        (date(2025, 1, 31), -1, date(2024, 12, 31)),
    ],
)
def test_add_months_maps_a_month_end_to_the_month_end(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-06-05", date(2026, 6, 5)),
        ("2026-6-5", None),
        ("2026-02-30", None),
        (" 2026-06-05", None),
    ],
)
def test_parse_iso_date(text, expected):
    assert parse_iso_date(text) == expected


def test_is_iso_date_only_for_text():
    assert is_iso_date("2026-06-05")
    assert not is_iso_date(date(2026, 6, 5))
    assert not is_iso_date(20260605)


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2026-06", True), ("2026-13", False), ("2026-00", False), ("2026-6", False), (202606, False)],
)
def test_is_iso_month(text, ok):
    assert is_iso_month(text) is ok


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2026/6/5", "2026-06-05"),
        ("2026年6月5日", "2026-06-05"),
        ("2026.6.5", "2026-06-05"),
        ("2026 年 6 月 5 日", "2026-06-05"),
        ("2026/2/30", None),
        ("六月五日", None),
    ],
)
def test_iso_hint_for_dates(text, hint):
    assert iso_hint(text) == hint


@pytest.mark.parametrize(
    ("text", "hint"), [("2026-6", "2026-06"), ("2026年6月", "2026-06"), ("2026/13", None)]
)
def test_iso_hint_for_months(text, hint):
    assert iso_hint(text, month=True) == hint


def test_month_key():
    assert month_key(date(2026, 3, 9)) == "2026-03"


# --- intervals ----------------------------------------------------------------------------


def test_late_events_boundary_and_next_due():
    events = [(date(2025, 7, 15), "a"), (date(2026, 1, 16), "b")]
    late, upcoming = late_events(date(2025, 1, 15), events, 6)
    assert [(x.event, x.previous, x.due) for x in late] == [("b", "a", date(2026, 1, 15))]
    assert (upcoming.previous, upcoming.since, upcoming.due) == (
        "b",
        date(2026, 1, 16),
        date(2026, 7, 16),
    )


def test_events_before_the_anchor_do_not_move_it():
    late, upcoming = late_events(date(2025, 1, 1), [(date(2024, 12, 1), "early")], 6)
    assert late == []
    assert upcoming.previous is None
    assert upcoming.due == date(2025, 7, 1)


@pytest.mark.parametrize(
    ("end", "expected"), [(None, -1), (date(2025, 6, 30), None), (date(2025, 7, 1), -1)]
)
def test_pending(end, expected):
    assert pending(date(2025, 7, 1), date(2025, 7, 2), end) == expected
