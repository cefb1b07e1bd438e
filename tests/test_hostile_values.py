"""Hostile front-matter values: numbers YAML reads as infinity or not-a-number, and keys that
are not text where a record names things by id. Each is a schema finding at its line; none
reaches a rule (where one crashed a rule, the other made every comparison with it pass)."""

from __future__ import annotations

import pytest

from brmkb import yamlio
from tests.conftest import SERVICE, assert_findings, run, service

SURVEY = "records/svc-x/surveys/sv-x-1.md"
INDICATOR = {"id": "overall", "name": "总体满意度", "target": 4.0}


def survey(scores: str) -> str:
    return (
        "---\nkind: survey\nid: sv-x-1\nservice: svc-x\ndate: 2026-06-01\nresponses: 5\n"
        f"scores: {scores}\n---\n\n# 调查\n"
    )


def no_rule_failed(findings: list) -> bool:
    return not any("运行出错" in f.message for f in findings)


@pytest.mark.parametrize("number", [".nan", ".NaN", ".inf", "-.Inf", "+.INF", "1.0e+400"])
def test_scores_that_are_no_number_are_schema_findings(kb, number):
    root = kb(
        {SERVICE: service(satisfaction=[INDICATOR]), SURVEY: survey(f"{{overall: {number}}}")}
    )
    findings = run(root)
    [finding] = assert_findings([f for f in findings if f.path == SURVEY], [("schema", SURVEY, 7)])
    assert "scores.overall" in finding.message and "应为数字" in finding.message
    assert repr(number) in finding.message
    assert no_rule_failed(findings)


@pytest.mark.parametrize(
    ("field", "number"), [("target", ".nan"), ("target", ".inf"), ("scale", ".inf")]
)
def test_targets_and_scales_that_are_no_number_are_schema_findings(kb, field, number):
    text = service(satisfaction=[{**INDICATOR, field: "VALUE"}]).replace("VALUE", number)
    [finding] = [f for f in run(kb({SERVICE: text})) if f.path == SERVICE and f.rule == "schema"]
    assert f"satisfaction[1].{field}" in finding.message and repr(number) in finding.message


@pytest.mark.parametrize("key", ["1", "0x1f", "null", "true", "1.5", "[a]"])
def test_score_keys_that_are_not_text_are_schema_findings(kb, key):
    """Where ``[a]`` keys a mapping YAML itself refuses it (a syntax finding); the others
    were handed to the satisfaction rule, which crashed on them."""
    root = kb({SERVICE: service(satisfaction=[INDICATOR]), SURVEY: survey(f"{{{key}: 4.5}}")})
    findings = run(root)
    [finding] = [f for f in findings if f.path == SURVEY]
    assert finding.line == 7 and finding.rule in ("schema", "yaml-syntax")
    if finding.rule == "schema":
        assert "的键" in finding.message and "应为文本" in finding.message
    assert no_rule_failed(findings)


def test_finite_floats_are_read_as_before():
    assert yamlio.parse("a: 4.5\nb: 1.0e+3\nc: -0.0\nd: 1_000.5\n") == {
        "a": 4.5,
        "b": 1000.0,
        "c": -0.0,
        "d": 1000.5,
    }


MINUTES = "records/svc-x/minutes/mn-x-1.md"


@pytest.mark.parametrize(
    ("attendee", "line"),
    [
        ("  - name: 张三\n    org: 乙方\n    party: internal\n    party: customer\n", 10),
        ("  - {name: 张三, org: 乙方, party: internal, party: customer}\n", 7),
    ],
)
def test_a_key_written_twice_inside_a_list_is_a_finding(kb, attendee, line):
    """PyYAML keeps the last ``party``: the check then reported a missing internal party."""
    text = (
        "---\nkind: minutes\nid: mn-x-1\nreview: rv-x-1\ndate: 2026-06-20\nattendees:\n"
        f"{attendee}distribution: [服务部]\n---\n\n# 纪要\n"
    )
    findings = run(kb({SERVICE: service(), MINUTES: text}))
    [finding] = [f for f in findings if f.path == MINUTES]
    assert (finding.rule, finding.line) == ("yaml-syntax", line)
    assert "“party”在同一层写了两次" in finding.message


COMPLAINT = "records/svc-x/complaints/cp-x-1.md"


def complaint(extra: str) -> str:
    return (
        "---\nkind: complaint\nid: cp-x-1\nservice: svc-x\nreceived: 2026-06-01\n"
        f"severity: low\nstatus: open\n{extra}---\n\n# 投诉\n"
    )


@pytest.mark.parametrize(("character", "code"), [("\0", "U+0000"), ("\x1b", "U+001B")])
def test_a_control_character_in_the_front_matter_is_named_at_its_line(kb, character, code):
    root = kb({SERVICE: service(), COMPLAINT: complaint(f"title: 空调{character}故障\n")})
    [finding] = [f for f in run(root) if f.path == COMPLAINT]
    assert (finding.rule, finding.line) == ("yaml-syntax", 8)
    assert code in finding.message and "position" not in finding.message


@pytest.mark.parametrize("value", ["{a: 1}", "[2026-06-01]", "!!timestamp 2026-06-01"])
def test_a_date_that_is_no_number_is_not_called_one(kb, value):
    root = kb({SERVICE: service(), COMPLAINT: complaint("").replace("2026-06-01", value)})
    [finding] = [f for f in run(root) if f.path == COMPLAINT]
    assert finding.line == 5 and "received" in finding.message
    assert "数字" not in finding.message
