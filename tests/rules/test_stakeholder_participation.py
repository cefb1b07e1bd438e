"""3.1.2: suppliers and other external organizations take part in reviews."""

from __future__ import annotations

import pytest

from brmkb.findings import Severity
from tests.conftest import (
    CUSTOMER,
    SERVICE,
    STAFF,
    assert_findings,
    attendee,
    line_of,
    minutes,
    review,
    run,
    service,
)

RULE = "stakeholder-participation"
SUPPLIER = "供应商甲有限公司"


def meetings(kb, *days, org=SUPPLIER, start="2025-01-01", group="suppliers"):
    """A service that names ``SUPPLIER`` in ``group``; ``org`` attends a review on each day."""
    text = service(start=start, **{group: [SUPPLIER]})
    files = {SERVICE: text}
    held = []
    for n, day in enumerate(days, 1):
        path = f"records/svc-x/minutes/mn-x-{n}.md"
        party = "supplier" if group == "suppliers" else "external"
        body = minutes(
            f"mn-x-{n}", f"rv-x-{n}", day, [STAFF, CUSTOMER, attendee("赵六", org, party)]
        )
        files[f"records/svc-x/reviews/rv-x-{n}.md"] = review(f"rv-x-{n}", day)
        files[path] = body
        held.append((path, body))
    return kb(files), text, held


def test_present_every_twelve_months_passes(kb):
    root, _, _ = meetings(kb, "2026-01-01", "2027-01-01")
    assert run(root, "2027-06-01", RULE) == []


def test_twelve_months_and_a_day_is_late(kb):
    root, _, [_, (path, text)] = meetings(kb, "2026-01-01", "2027-01-02")
    [finding] = assert_findings(
        run(root, "2027-06-01", RULE), [(RULE, path, line_of(text, "attendees"))]
    )
    assert SUPPLIER in finding.message
    assert "2027-01-01" in finding.message


def test_first_attendance_counts_from_the_start(kb):
    root, _, [(path, text)] = meetings(kb, "2026-01-02")
    assert_findings(run(root, "2026-03-01", RULE), [(RULE, path, line_of(text, "attendees"))])


def test_organization_name_must_match(kb):
    root, service_text, _ = meetings(kb, "2025-06-01", org="供应商甲公司")
    [finding] = assert_findings(
        run(root, "2026-01-02", RULE), [(RULE, SERVICE, line_of(service_text, "suppliers"))]
    )
    assert finding.severity is Severity.ERROR
    assert "逾期 1 天" in finding.message


def test_surrounding_spaces_do_not_matter(kb):
    root, _, _ = meetings(kb, "2025-06-01", org=f" {SUPPLIER} ")
    assert run(root, "2026-01-02", RULE) == []


def test_due_soon_is_info(kb):
    root, service_text, _ = meetings(kb, "2025-06-01")
    [finding] = assert_findings(
        run(root, "2026-05-15", RULE), [(RULE, SERVICE, line_of(service_text, "suppliers"))]
    )
    assert finding.severity is Severity.INFO


def test_other_external_organizations_too(kb):
    root, service_text, _ = meetings(kb, group="external")
    [finding] = assert_findings(
        run(root, "2026-01-02", RULE), [(RULE, SERVICE, line_of(service_text, "external"))]
    )
    assert "外部组织" in finding.message


def test_service_without_suppliers_needs_none(kb):
    root = kb({SERVICE: service(start="2020-01-01")})
    assert run(root, "2026-11-26", RULE) == []


def test_a_year_after_february_end_is_the_next_february_end(kb):
    root, _, _ = meetings(kb, "2024-02-29", "2025-02-28", "2026-02-28", start="2024-01-01")
    assert run(root, "2026-03-01", RULE) == []


def minuted(kb, review_day, minutes_day):
    """The supplier at one review held on ``review_day``, its minutes dated ``minutes_day``."""
    people = [STAFF, CUSTOMER, attendee("赵六", SUPPLIER, "supplier")]
    return kb(
        {
            SERVICE: service(start="2025-01-01", suppliers=[SUPPLIER]),
            "records/svc-x/reviews/rv-x-1.md": review("rv-x-1", review_day),
            "records/svc-x/minutes/mn-x-1.md": minutes("mn-x-1", "rv-x-1", minutes_day, people),
        }
    )


@pytest.mark.parametrize(
    ("review_day", "minutes_day", "late"),
    [
        ("2026-01-01", "2026-01-03", False),  # met on the last day, minutes written later
        ("2026-01-01", "2026-01-01", False),
        ("2026-01-02", "2026-01-02", True),
    ],
)
def test_attendance_counts_on_the_day_of_the_review(kb, review_day, minutes_day, late):
    found = run(minuted(kb, review_day, minutes_day), "2026-06-01", RULE)
    assert bool(found) is late, found


@pytest.mark.parametrize(
    ("review_day", "minutes_day", "as_of"),
    [
        ("2026-01-01", "2026-01-03", "2026-01-02"),  # the minutes are not written yet
        ("2026-06-05", "2026-01-01", "2026-06-01"),  # minutes dated before a planned review
    ],
)
def test_no_attendance_before_the_meeting_and_its_minutes(kb, review_day, minutes_day, as_of):
    [finding] = run(minuted(kb, review_day, minutes_day), as_of, RULE)
    assert finding.path == SERVICE and finding.severity is Severity.ERROR
    assert "已逾期" in finding.message


@pytest.mark.parametrize(("as_of", "ended"), [("2026-02-01", False), ("2026-06-01", True)])
def test_a_duty_missed_before_the_service_ended_asks_for_the_record_or_a_waiver(kb, as_of, ended):
    """After the end nothing can be caught up: no "尽快", and no days counted past the end."""
    text = service(start="2025-01-01", end="2026-03-31", suppliers=[SUPPLIER])
    [found] = assert_findings(
        run(kb({SERVICE: text}), as_of, RULE), [(RULE, SERVICE, line_of(text, "suppliers"))]
    )
    assert found.severity is Severity.ERROR
    assert ("到服务结束（2026-03-31）时仍没有" in found.message) is ended
    assert ("请尽快完成" in found.message) is not ended
