"""3.1.5: one annual service review for every year of service (calendar or contract years)."""

from __future__ import annotations

from datetime import date

import pytest

from brmkb.annual import service_years
from brmkb.findings import Severity
from tests.conftest import SERVICE, assert_findings, line_of, review, run, service

RULE = "annual-review"
START = line_of(service(), "start")


def annual(kb, *reviews, start="2024-01-01", policy="", **fields):
    """A service with reviews given as (day, type) or (day, type, covers) tuples."""
    files = {SERVICE: service(start=start, **fields)}
    for n, (day, kind, *covers) in enumerate(reviews, 1):
        extra = {"covers": covers[0]} if covers else {}
        files[f"records/svc-x/reviews/rv-x-{n}.md"] = review(f"rv-x-{n}", day, kind, **extra)
    if policy:
        files["policy.yml"] = f"rules:\n  annual-review:\n{policy}"
    return kb(files)


CONTRACT = "    year: contract\n"


def names(start, end, as_of, basis, months=6):
    return [
        (y.name, y.owed)
        for y in service_years(
            date.fromisoformat(start),
            end and date.fromisoformat(end),
            date.fromisoformat(as_of),
            basis,
            months,
        )
    ]


# --- which years owe a review -------------------------------------------------------------


def test_contract_from_july_owes_one_per_calendar_half_year():
    assert names("2025-07-01", "2026-06-30", "2026-12-31", "calendar") == [
        (2025, True),
        (2026, True),
    ]


def test_contract_from_july_owes_one_contract_year():
    assert names("2025-07-01", "2026-06-30", "2026-12-31", "contract") == [(2025, True)]


def test_open_ended_service_owes_its_first_year_either_way():
    assert names("2025-01-02", None, "2026-11-20", "calendar")[0] == (2025, True)
    assert names("2025-01-02", None, "2026-11-20", "contract")[0] == (2025, True)


def test_two_year_service_not_on_year_boundaries_owes_both_years():
    assert names("2025-01-02", "2026-12-30", "2027-03-01", "calendar") == [
        (2025, True),
        (2026, True),
    ]


@pytest.mark.parametrize(
    ("start", "owed"),
    [("2024-07-01", True), ("2024-07-02", False)],  # six months to the day; one day short
)
def test_min_active_months_boundary(start, owed):
    assert names(start, None, "2024-12-31", "calendar") == [(2024, owed)]


@pytest.mark.parametrize(("end", "owed"), [("2026-12-31", True), ("2026-12-30", False)])
def test_contract_final_part_year_boundary(end, owed):
    # Contract year 2026 runs from 2026-07-01; to 2026-12-31 is six months, a day less is not.
    assert names("2025-07-01", end, "2027-03-01", "contract")[-1] == (2026, owed)


# --- the rule -----------------------------------------------------------------------------


def test_full_year_with_an_annual_review_passes(kb):
    root = annual(kb, ("2024-12-10", "annual"))
    assert run(root, "2025-03-01", RULE) == []


def test_missing_year_is_an_error_after_the_grace_days(kb):
    root = annual(kb, ("2024-06-10", "periodic"), ("2024-12-10", "periodic"))
    [finding] = assert_findings(run(root, "2025-02-01", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.ERROR
    assert "2024" in finding.message


def test_missing_year_within_the_grace_days_is_a_warning(kb):
    root = annual(kb, ("2024-06-10", "periodic"))
    [finding] = assert_findings(run(root, "2025-01-31", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.WARNING
    assert "covers: 2024" in finding.message


def test_january_review_with_covers_counts_for_the_year_before(kb):
    root = annual(kb, ("2025-01-31", "annual", 2024))
    assert run(root, "2025-03-01", RULE) == []


def test_january_review_without_covers_counts_for_its_own_year(kb):
    root = annual(kb, ("2025-01-15", "annual"))
    [finding] = assert_findings(run(root, "2025-03-01", RULE), [(RULE, SERVICE, START)])
    assert "自然年 2024" in finding.message


def test_covers_outside_the_grace_days_is_an_error(kb):
    root = annual(kb, ("2025-02-01", "annual", 2024))
    found = run(root, "2025-03-01", RULE)
    covers = line_of(review("rv-x-1", "2025-02-01", "annual", covers=2024), "covers")
    assert_findings(
        found,
        [(RULE, "records/svc-x/reviews/rv-x-1.md", covers), (RULE, SERVICE, START)],
    )


def test_covers_of_a_year_outside_the_service_is_an_error(kb):
    root = annual(kb, ("2024-12-10", "annual", 2023))
    covers = line_of(review("rv-x-1", "2024-12-10", "annual", covers=2023), "covers")
    found = run(root, "2024-12-20", RULE)
    assert ("records/svc-x/reviews/rv-x-1.md", covers) in [(f.path, f.line) for f in found]


def test_covers_on_another_review_type_is_an_error(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2024-06-10", "periodic", 2024))
    [finding] = run(root, "2025-03-01", RULE)
    assert finding.path == "records/svc-x/reviews/rv-x-2.md"


def test_service_from_second_of_january_owes_its_first_year(kb):
    root = annual(kb, start="2025-01-02")
    [finding] = assert_findings(run(root, "2026-11-20", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.ERROR
    assert "2025" in finding.message


def test_contract_years_name_the_year_they_begin(kb):
    root = annual(
        kb, ("2026-06-20", "annual"), start="2025-07-01", end="2026-06-30", policy=CONTRACT
    )
    assert run(root, "2026-12-31", RULE) == []


def test_contract_year_review_in_grace_needs_covers(kb):
    late = annual(kb, ("2026-07-20", "annual"), start="2025-07-01", policy=CONTRACT)
    [finding] = run(late, "2026-08-15", RULE)
    assert "合同年 2025" in finding.message and finding.severity is Severity.ERROR


def test_contract_year_review_in_grace_with_covers_counts(kb):
    root = annual(kb, ("2026-07-20", "annual", 2025), start="2025-07-01", policy=CONTRACT)
    assert run(root, "2026-08-15", RULE) == []


def test_calendar_years_for_a_july_contract_owe_two(kb):
    root = annual(kb, ("2025-12-10", "annual"), start="2025-07-01", end="2026-06-30")
    [finding] = run(root, "2026-08-15", RULE)
    assert "自然年 2026" in finding.message and finding.severity is Severity.ERROR


def test_each_missing_year_is_reported(kb):
    root = annual(kb, ("2025-11-10", "annual"), start="2024-01-01")
    found = assert_findings(run(root, "2027-02-05", RULE), [(RULE, SERVICE, START)] * 2)
    assert sorted(f.message[4:8] for f in found) == ["2024", "2026"]


def test_current_year_due_soon_is_info(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"))
    [finding] = assert_findings(run(root, "2026-12-01", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.INFO
    assert "2026-12-31" in finding.message


def test_current_year_not_yet_due_soon_is_silent(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"))
    assert run(root, "2026-11-30", RULE) == []


def test_planned_review_does_not_count_but_is_named(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"), ("2026-12-15", "annual"))
    [finding] = run(root, "2026-11-20", RULE)
    assert finding.severity is Severity.INFO
    assert "已计划于 2026-12-15" in finding.message


def test_planned_review_counts_once_its_day_comes(kb):
    root = annual(kb, ("2024-12-10", "annual"), ("2025-12-10", "annual"), ("2026-12-15", "annual"))
    [finding] = run(root, "2026-12-14", RULE)
    assert finding.severity is Severity.INFO
    assert run(root, "2026-12-15", RULE) == []


def test_policy_due_soon_days(kb):
    root = annual(kb, start="2026-01-01", policy="    due_soon_days: 60\n")
    [finding] = assert_findings(run(root, "2026-11-26", RULE), [(RULE, SERVICE, START)])
    assert finding.severity is Severity.INFO


def test_policy_min_active_months(kb):
    root = annual(kb, start="2024-10-01", policy="    min_active_months: 3\n")
    [finding] = run(root, "2025-03-01", RULE)
    assert "自然年 2024" in finding.message


def test_policy_year_takes_only_calendar_or_contract(kb):
    from brmkb import policy

    root = annual(kb, policy="    year: fiscal\n")
    with pytest.raises(policy.PolicyError, match="calendar、contract"):
        policy.load(root)


@pytest.mark.parametrize(("covers", "valid"), [('"2024"', True), ("24", False), ("2024.5", False)])
def test_covers_is_a_four_digit_year(kb, covers, valid):
    text = review("rv-x-1", "2025-01-20", "annual").replace(
        "date: 2025-01-20", f"date: 2025-01-20\ncovers: {covers}"
    )
    root = kb({SERVICE: service(start="2024-01-01"), "records/svc-x/reviews/rv-x-1.md": text})
    found = run(root, "2025-03-01", ("annual-review", "schema"))
    assert (found == []) is valid


def test_explain_names_the_year_choices_and_the_examples():
    from brmkb.registry import explanation, get

    text = explanation(get(RULE))
    assert '`year` | `"calendar"`（可选：`calendar`、`contract`）' in text
    assert "合同 2025-07-01 至 2026-06-30" in text and "通过示例" in text and "不通过示例" in text


@pytest.mark.parametrize(
    ("start", "day", "covers", "policy"),
    [
        ("2025-01-01", "2026-12-10", 2026, ""),  # planned inside a year that has not begun
        ("2025-01-01", "2027-01-10", 2026, ""),  # planned in the grace days after it
        ("2024-07-01", "2026-06-30", 2025, CONTRACT),  # contract year 2025 begins 2025-07-01
    ],
)
def test_planned_review_may_cover_a_year_not_begun_yet(kb, start, day, covers, policy):
    root = annual(kb, ("2025-06-20", "annual"), (day, "annual", covers), start=start, policy=policy)
    assert [f for f in run(root, "2025-06-25", RULE) if f.path != SERVICE] == []


def test_planned_review_covering_a_year_it_is_not_held_in_is_an_error(kb):
    root = annual(kb, ("2025-06-20", "annual"), ("2027-03-10", "annual", 2026), start="2025-01-01")
    covers = line_of(review("rv-x-2", "2027-03-10", "annual", covers=2026), "covers")
    [finding] = [f for f in run(root, "2025-06-25", RULE) if f.path != SERVICE]
    assert (finding.path, finding.line) == ("records/svc-x/reviews/rv-x-2.md", covers)
    assert "2026" in finding.message
