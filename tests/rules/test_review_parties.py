"""3.1.2: every review brings together internal departments and the customer."""

from __future__ import annotations

import pytest

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

RULE = "review-parties"
MINUTES = "records/svc-x/minutes/mn-x-1.md"


def meeting(kb, text, policy=None):
    files = {SERVICE: service(), "records/svc-x/reviews/rv-x-1.md": review(), MINUTES: text}
    if policy:
        files["policy.yml"] = policy
    return run(kb(files), rules=RULE)


def test_internal_and_customer_present_passes(kb):
    assert meeting(kb, minutes(attendees=[STAFF, CUSTOMER])) == []


def test_missing_customer_is_an_error_on_attendees(kb):
    text = minutes(attendees=[STAFF, attendee("王五", "乙方公司", "internal", "销售部门")])
    [finding] = assert_findings(meeting(kb, text), [(RULE, MINUTES, line_of(text, "attendees"))])
    assert "客户" in finding.message
    assert "customer" in finding.message
    assert finding.clause == "3.1.2"


def test_missing_internal_department(kb):
    text = minutes(attendees=[CUSTOMER])
    [finding] = assert_findings(meeting(kb, text), [(RULE, MINUTES, line_of(text, "attendees"))])
    assert "internal" in finding.message


def test_nobody_at_all_misses_both(kb):
    text = minutes(attendees=[])
    assert_findings(meeting(kb, text), [(RULE, MINUTES, line_of(text, "attendees"))] * 2)


def test_supplier_does_not_stand_in_for_the_customer(kb):
    text = minutes(attendees=[STAFF, attendee("赵六", "甲方公司", "supplier")])
    assert_findings(meeting(kb, text), [(RULE, MINUTES, line_of(text, "attendees"))])


def test_policy_required_parties(kb):
    policy = "rules:\n  review-parties:\n    required_parties: [internal, customer, supplier]\n"
    text = minutes(attendees=[STAFF, CUSTOMER])
    [finding] = assert_findings(
        meeting(kb, text, policy), [(RULE, MINUTES, line_of(text, "attendees"))]
    )
    assert "supplier" in finding.message


@pytest.mark.parametrize(("as_of", "reported"), [("2025-05-31", False), ("2025-06-01", True)])
def test_who_attends_a_planned_meeting_is_checked_once_it_is_held(kb, as_of, reported):
    files = {
        SERVICE: service(),
        "records/svc-x/reviews/rv-x-1.md": review(),
        MINUTES: minutes(attendees=[STAFF]),  # 2025-06-01, the customer not (yet) named
    }
    assert bool(run(kb(files), as_of, RULE)) is reported
