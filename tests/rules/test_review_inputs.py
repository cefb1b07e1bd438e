"""3.1.5: the annual review report carries the five input records."""

from __future__ import annotations

import pytest

from tests.conftest import ALL_INPUTS, SERVICE, assert_findings, line_of, review, run, service

RULE = "review-inputs"
REVIEW = "records/svc-x/reviews/rv-x-1.md"


def findings(kb, text, policy=None):
    files = {SERVICE: service(), REVIEW: text}
    if policy:
        files["policy.yml"] = policy
    return run(kb(files), rules=RULE)


def test_annual_review_with_all_five_inputs_passes(kb):
    assert findings(kb, review(type="annual")) == []


@pytest.mark.parametrize("missing", sorted(ALL_INPUTS))
def test_annual_review_missing_one_input(kb, missing):
    inputs = {key: value for key, value in ALL_INPUTS.items() if key != missing}
    text = review(type="annual", inputs=inputs)
    [finding] = assert_findings(findings(kb, text), [(RULE, REVIEW, line_of(text, "inputs"))])
    assert f"inputs.{missing}" in finding.message
    assert finding.clause == "3.1.5"


def test_empty_list_of_monthly_reports_is_a_schema_error(kb):
    text = review(type="annual", inputs={**ALL_INPUTS, "monthly_reports": []})
    root = kb({SERVICE: service(), REVIEW: text})
    [finding] = assert_findings(
        run(root, rules={RULE, "schema"}), [("schema", REVIEW, line_of(text, "monthly_reports"))]
    )
    assert "不能为空" in finding.message


def test_annual_review_without_inputs_is_reported_at_the_front_matters_first_line(kb):
    text = review(type="annual", inputs=None)
    found = assert_findings(findings(kb, text), [(RULE, REVIEW, 2)] * 5)
    assert len({f.message for f in found}) == 5


@pytest.mark.parametrize("kind", ["periodic", "adhoc", "additional"])
def test_other_review_types_need_no_inputs(kb, kind):
    assert findings(kb, review(type=kind)) == []


def test_policy_can_require_inputs_of_periodic_reviews(kb):
    policy = "rules:\n  review-inputs:\n    required:\n      periodic: [monthly_reports]\n"
    text = review(type="periodic")
    [finding] = assert_findings(findings(kb, text, policy), [(RULE, REVIEW, 2)])
    assert "服务月报" in finding.message
