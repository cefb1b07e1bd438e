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


@pytest.mark.parametrize(
    ("listed", "reported"),
    [
        ({"suppliers": ["丙供应商"]}, ["supplier"]),
        ({"external": ["丁测评"]}, ["external"]),
        ({"suppliers": ["丙供应商"], "external": ["丁测评"]}, ["supplier", "external"]),
        ({}, []),
    ],
)
def test_policy_required_parties_as_the_service_has_them(kb, listed, reported):
    """3.1.2: the parties follow the service; one without suppliers need not bring one."""
    policy = "rules:\n  review-parties:\n    required_parties: [internal, customer, supplier, external]\n"
    text = minutes(attendees=[STAFF, CUSTOMER])
    files = {
        SERVICE: service(**listed),
        "records/svc-x/reviews/rv-x-1.md": review(),
        MINUTES: text,
        "policy.yml": policy,
    }
    found = assert_findings(
        run(kb(files), rules=RULE), [(RULE, MINUTES, line_of(text, "attendees"))] * len(reported)
    )
    assert all(f"party: {p}" in f.message for f, p in zip(found, reported, strict=True))


@pytest.mark.parametrize(("as_of", "reported"), [("2025-05-31", False), ("2025-06-01", True)])
def test_who_attends_a_planned_meeting_is_checked_once_it_is_held(kb, as_of, reported):
    files = {
        SERVICE: service(),
        "records/svc-x/reviews/rv-x-1.md": review(),
        MINUTES: minutes(attendees=[STAFF]),  # 2025-06-01, the customer not (yet) named
    }
    assert bool(run(kb(files), as_of, RULE)) is reported
