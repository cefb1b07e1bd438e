"""The policy file: every problem has a line and a suggestion; a valid policy changes behaviour."""

from __future__ import annotations

from datetime import date

import pytest

from brmkb import engine, policy
from brmkb.findings import Severity
from brmkb.policy import PolicyError
from tests.conftest import SERVICE, assert_findings, line_of, review, run, service


def problems(kb, text):
    """The (line, message) problems of a policy file."""
    root = kb({"policy.yml": text, SERVICE: service()})
    with pytest.raises(PolicyError) as raised:
        engine.run(root, date(2026, 11, 26))
    assert raised.value.path == "policy.yml"
    return raised.value.problems


def test_no_policy_file_gives_the_procedure_defaults(kb):
    chosen = policy.load(kb({}))
    assert chosen.as_of is None
    assert chosen.service_department == "服务部"
    assert chosen.sales_department == "销售部门"


@pytest.mark.parametrize("shape", ["folder", "dangling link"])
def test_a_policy_that_is_no_file_is_refused_not_taken_for_none(kb, shape):
    root = kb({})
    if shape == "folder":
        (root / "policy.yml").mkdir()
    else:
        (root / "policy.yml").symlink_to(root / "nowhere.yml")
    with pytest.raises(PolicyError) as raised:
        policy.load(root)
    [(line, message)] = raised.value.problems
    assert line is None and "不是可读的文件" in message


def test_empty_policy_file_gives_the_defaults(kb):
    assert policy.load(kb({"policy.yml": "# 只有注释\n"})).max_record_bytes == 1_048_576


def test_unknown_top_level_key_with_suggestion(kb):
    [(line, message)] = problems(kb, "as_of: 2026-06-30\nservice_departmnt: 服务部\n")
    assert line == 2
    assert "“service_department”" in message


def test_unknown_rule_id(kb):
    [(line, message)] = problems(kb, "rules:\n  review-frequncy:\n    interval_months: 3\n")
    assert line == 2
    assert "“review-frequency”" in message


def test_unknown_rule_option(kb):
    text = "rules:\n  review-frequency:\n    interval_month: 3\n"
    [(line, message)] = problems(kb, text)
    assert line == 3
    assert "“interval_months”" in message


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("interval_months", "six"),
        ("interval_months", "-1"),
        ("interval_months", "true"),
        ("counting_types", "periodic"),
        ("counting_types", "[1, 2]"),
        ("due_soon_days", "1.5"),
    ],
)
def test_wrong_option_type(kb, option, value):
    [(line, message)] = problems(kb, f"rules:\n  review-frequency:\n    {option}: {value}\n")
    assert line == 3
    assert option in message


@pytest.mark.parametrize("value", ["fatal", "ERROR", "[error]", "1"])
def test_bad_severity(kb, value):
    [(line, message)] = problems(kb, f"rules:\n  review-parties:\n    severity: {value}\n")
    assert line == 3
    assert "error、warning 或 info" in message


@pytest.mark.parametrize("value", ["fatal", "[warning]"])
def test_bad_severity_option(kb, value):
    [(line, _)] = problems(kb, f"rules:\n  review-frequency:\n    overdue_severity: {value}\n")
    assert line == 3


def test_enabled_must_be_a_boolean(kb):
    [(line, _)] = problems(kb, "rules:\n  review-parties:\n    enabled: 'no'\n")
    assert line == 3


@pytest.mark.parametrize(
    ("value", "hint"), [("2026/6/30", "2026-06-30"), ("2026年6月30日", "2026-06-30")]
)
def test_as_of_not_iso(kb, value, hint):
    [(line, message)] = problems(kb, f"# 检查日\nas_of: {value}\n")
    assert line == 2
    assert f"应写作 {hint}" in message


@pytest.mark.parametrize(
    "text", ["max_record_bytes: 1 MB\n", "max_record_bytes: true\n", "service_department: 1\n"]
)
def test_wrong_setting_type(kb, text):
    [(line, _)] = problems(kb, text)
    assert line == 1


def test_every_problem_is_reported_at_once(kb):
    text = "as_of: 2026/6/30\nrules:\n  nope: {}\n  review-parties:\n    severity: fatal\n"
    assert [line for line, _ in problems(kb, text)] == [1, 3, 5]


def test_yaml_syntax_error_in_the_policy(kb):
    [(line, _)] = problems(kb, "as_of: 2026-06-30\nrules: [\n  review-parties: {}\n")
    assert line == 2


@pytest.mark.parametrize("text", ["- as_of\n", "rules: 5\n", "rules:\n  review-parties: warning\n"])
def test_policy_of_the_wrong_shape(kb, text):
    assert problems(kb, text)


def test_policy_not_utf8(kb):
    root = kb({"policy.yml": "service_department: 服务部\n".encode("gbk"), SERVICE: service()})
    with pytest.raises(PolicyError):
        policy.load(root)


# --- a valid policy changes behaviour -----------------------------------------------------


def test_policy_as_of_is_used_when_none_is_given(kb):
    root = kb({"policy.yml": "as_of: 2025-07-02\n", SERVICE: service(start="2025-01-01")})
    report = engine.run(root)
    assert report.as_of == date(2025, 7, 2)
    [finding] = [f for f in report.findings if f.rule == "review-frequency"]
    assert finding.severity is Severity.ERROR


def test_given_as_of_wins_over_the_policy(kb):
    root = kb({"policy.yml": "as_of: 2025-07-02\n"})
    assert engine.run(root, date(2026, 1, 1)).as_of == date(2026, 1, 1)


def test_rule_severity_override(kb):
    late = review("rv-x-1", "2025-07-02")
    root = kb(
        {
            "policy.yml": "rules:\n  review-frequency:\n    severity: warning\n",
            SERVICE: service(start="2025-01-01"),
            "records/svc-x/reviews/rv-x-1.md": late,
        }
    )
    [finding] = assert_findings(
        run(root, "2025-08-01", "review-frequency"),
        [("review-frequency", "records/svc-x/reviews/rv-x-1.md", line_of(late, "date"))],
    )
    assert finding.severity is Severity.WARNING


def test_rule_severity_override_covers_overdue_errors_but_not_info(kb):
    root = kb(
        {
            "policy.yml": "rules:\n  review-frequency:\n    severity: warning\n",
            SERVICE: service(start="2025-01-01"),
        }
    )
    [overdue] = run(root, "2025-07-02", "review-frequency")
    assert overdue.severity is Severity.WARNING
    [soon] = run(root, "2025-06-15", "review-frequency")
    assert soon.severity is Severity.INFO


def test_format_rule_severity_override(kb):
    root = kb(
        {
            "policy.yml": "rules:\n  date-format:\n    severity: warning\n",
            SERVICE: service(start="2025/1/1"),
        }
    )
    [finding] = run(root, rules="date-format")
    assert finding.severity is Severity.WARNING


def test_disabled_rule_reports_nothing(kb):
    root = kb(
        {"policy.yml": "rules:\n  review-frequency:\n    enabled: false\n", SERVICE: service()}
    )
    assert run(root, "2026-11-26", "review-frequency") == []


def test_departments_in_the_policy(kb):
    chosen = policy.load(
        kb({"policy.yml": "service_department: 运维服务部\nsales_department: 市场部\n"})
    )
    assert (chosen.service_department, chosen.sales_department) == ("运维服务部", "市场部")


def test_rule_options_fall_back_to_their_defaults(kb):
    from brmkb.registry import get

    chosen = policy.load(
        kb({"policy.yml": "rules:\n  review-frequency:\n    interval_months: 3\n"})
    )
    options = chosen.options(get("review-frequency"))
    assert options["interval_months"] == 3
    assert options["due_soon_days"] == 30


def test_policy_template_is_a_valid_policy(kb):
    root = kb({"policy.yml": policy.template()})
    assert policy.load(root).overrides


@pytest.mark.parametrize(
    ("rule_id", "text", "line", "guess"),
    [
        ("complaint-closure", "days:\n      hgih: 3\n", 4, "high"),
        ("review-sections", "required:\n      periodc: [服务运行情况]\n", 4, "periodic"),
        ("review-inputs", "required:\n      anual: [project_plan]\n", 4, "annual"),
    ],
)
def test_unknown_item_of_a_mapping_option(kb, rule_id, text, line, guess):
    """A misspelt severity or review type would otherwise be ignored without a word."""
    [(found, message)] = problems(kb, f"rules:\n  {rule_id}:\n    {text}")
    assert found == line and f"“{guess}”" in message


def test_wrong_value_in_a_mapping_option_says_what_each_value_is(kb):
    [(_, message)] = problems(kb, "rules:\n  complaint-closure:\n    days: {high: -1}\n")
    assert "每项的值为 0 到 10000 之间的整数" in message
