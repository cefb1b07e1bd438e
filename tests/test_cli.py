"""The command line: text and JSON output, exit codes, and the schema/rules/explain commands."""

from __future__ import annotations

import json
import re

import jsonschema
import pytest
import wcwidth

from brmkb import yamlio
from brmkb.cliformat import wrap
from brmkb.registry import all_rules
from tests.conftest import (
    AS_OF,
    SERVICE,
    cli,
    line_of,
    minutes,
    only,
    record,
    review,
    service,
)

REVIEW = "records/svc-x/reviews/rv-x-1.md"


def check(root, *args: str) -> int:
    return cli("check", str(root), "--as-of", AS_OF, *args)


@pytest.fixture
def clean(kb):
    """A knowledge base with nothing to report under the rules it enables."""
    return kb(
        {
            "policy.yml": only("review-frequency", "review-parties"),
            SERVICE: service(start="2026-09-01"),
        }
    )


@pytest.fixture
def broken(kb):
    """Errors in three files: a format problem, a late review and a missing customer."""
    return kb(
        {
            "policy.yml": only("review-frequency", "review-parties"),
            SERVICE: service(start="2025-12-01"),
            REVIEW: review("rv-x-1", "2026-07-01"),
            "records/svc-x/minutes/mn-x-1.md": minutes(attendees=[]),
            "records/svc-x/a-broken.md": "no front matter\n",
        }
    )


# --- text format --------------------------------------------------------------------------

LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+): (?P<sev>错误|警告|提示) \[(?P<rule>[a-z-]+)\]")


def test_clean_text_output_is_one_summary_line(clean, capsys):
    assert check(clean) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [out.strip()]
    assert out.startswith("通过")
    assert AS_OF in out


def test_an_empty_knowledge_base_passes_but_says_it_has_nothing_to_check(tmp_path, capsys):
    (tmp_path / "records").mkdir()
    assert check(tmp_path) == 0
    out = capsys.readouterr().out
    assert out.startswith("通过") and "还没有服务项目档案" in out and "brmkb new service" in out


def test_summary_says_when_the_policy_pins_the_check_date(clean, capsys):
    assert check(clean) == 0
    assert "固定" not in capsys.readouterr().out
    policy = clean / "policy.yml"
    policy.write_text(f"as_of: 2026-11-20\n{policy.read_text(encoding='utf-8')}", encoding="utf-8")
    assert cli("check", str(clean)) == 0
    assert "检查日固定为 2026-11-20（policy.yml 的 as_of）" in capsys.readouterr().out
    assert cli("check", str(clean), "--as-of", "2026-11-21") == 0
    assert "固定" not in capsys.readouterr().out


def test_text_lines_are_sorted_grouped_and_summarized(broken, capsys):
    assert check(broken) == 1
    lines = capsys.readouterr().out.splitlines()
    *body, blank, summary = lines
    assert blank == ""
    assert summary.startswith("不通过")
    assert "错误 4" in summary
    findings = [LINE.match(line) for line in body if line]
    assert all(findings), body
    located = [(m["path"], int(m["line"])) for m in findings]
    assert located == sorted(located)
    assert [m["path"] for m in findings] == [
        "records/svc-x/a-broken.md",
        "records/svc-x/minutes/mn-x-1.md",
        "records/svc-x/minutes/mn-x-1.md",
        REVIEW,
    ]
    # a blank line between the files, none within one
    assert [i for i, line in enumerate(body) if not line] == [1, 4]
    first = body[0]
    assert first.startswith("records/svc-x/a-broken.md:1: 错误 [front-matter] ")
    assert f"{REVIEW}:{line_of(review(), 'date')}: 错误 [review-frequency]（3.1.1） " in body[-1]


# --- JSON format --------------------------------------------------------------------------

REQUIRED = {"rule", "clause", "severity", "path", "line", "message", "waived"}


def test_json_output(broken, capsys):
    assert check(broken, "--format", "json") == 1
    document = json.loads(capsys.readouterr().out)
    assert document["as_of"] == AS_OF
    findings = document["findings"]
    assert len(findings) == 4
    for finding in findings:
        assert REQUIRED.issubset(finding)  # "at least" these keys, says RECORDS.md
        assert finding["severity"] in {"error", "warning", "info"}
        assert isinstance(finding["message"], str) and finding["message"]
        assert finding["waived"] is None
        assert not finding["path"].startswith("/") and "\\" not in finding["path"]
    by_rule = {f["rule"]: f for f in findings}
    assert by_rule["front-matter"]["clause"] is None
    assert by_rule["front-matter"]["line"] == 1
    assert by_rule["review-frequency"]["clause"] == "3.1.1"
    assert by_rule["review-frequency"]["path"] == REVIEW
    assert by_rule["review-frequency"]["line"] == line_of(review(), "date")


def test_json_line_is_null_when_there_is_none(kb, capsys):
    root = kb({"policy.yml": "max_record_bytes: 10\n" + only(), SERVICE: service()})
    assert check(root, "--format", "json") == 1
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule"] == "file-size"
    assert finding["line"] is None
    assert finding["clause"] is None


def test_json_clean(clean, capsys):
    assert check(clean, "--format", "json") == 0
    document = json.loads(capsys.readouterr().out)
    assert document["findings"] == []


def test_waived_error_is_shown_and_passes(kb, capsys):
    waiver = record(
        "waiver",
        "wv-x-1",
        rule="review-frequency",
        service="svc-x",
        reason="客户书面同意推迟评审",
        approved_by="质量管理部",
        expires="2027-06-30",
    )
    root = kb(
        {
            "policy.yml": only("review-frequency"),
            SERVICE: service(start="2025-01-01"),
            "records/waivers/wv-x-1.md": waiver,
        }
    )
    assert check(root, "--format", "json") == 0
    [finding] = json.loads(capsys.readouterr().out)["findings"]
    assert (finding["rule"], finding["severity"], finding["waived"]) == (
        "review-frequency",
        "error",
        "wv-x-1",
    )


# --- exit codes ---------------------------------------------------------------------------


def test_only_warnings_and_info_exit_zero(kb, capsys):
    policy = only("review-frequency", **{"review-frequency": {"overdue_severity": "warning"}})
    root = kb(
        {
            "policy.yml": policy,
            SERVICE: service(start="2025-01-01"),
            "records/svc-y/service.md": service(id="svc-y", start="2026-06-01"),
        }
    )
    assert check(root, "--format", "json") == 0
    severities = sorted(f["severity"] for f in json.loads(capsys.readouterr().out)["findings"])
    assert severities == ["info", "warning"]


def test_an_error_exits_one(kb):
    assert check(kb({"records/x.md": "no front matter\n"})) == 1


def test_default_dir_is_the_current_directory(clean, monkeypatch, capsys):
    monkeypatch.chdir(clean)
    assert cli("check", "--as-of", AS_OF) == 0
    assert capsys.readouterr().out.startswith("通过")


def test_missing_dir_exits_two(tmp_path, capsys):
    assert check(tmp_path / "nowhere") == 2
    assert "不存在" in capsys.readouterr().err


def test_a_file_is_not_a_directory(tmp_path, capsys):
    (tmp_path / "x.md").write_text("", encoding="utf-8")
    assert check(tmp_path / "x.md") == 2
    err = capsys.readouterr().err
    assert "不是目录" in err and "不存在" not in err


def test_dir_without_records_exits_two(tmp_path, capsys):
    assert check(tmp_path) == 2
    assert "records/" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("value", "hint"), [("2026/6/5", "2026-06-05"), ("yesterday", "2026-06-30")]
)
def test_bad_as_of_exits_two(clean, capsys, value, hint):
    assert cli("check", str(clean), "--as-of", value) == 2
    assert hint in capsys.readouterr().err


def test_unknown_subcommand_exits_two(capsys):
    assert cli("chek") == 2
    assert capsys.readouterr().out == ""


def test_no_subcommand_exits_two():
    assert cli() == 2


def test_unknown_format_exits_two(clean):
    assert check(clean, "--format", "xml") == 2


def test_invalid_policy_exits_two_with_its_line(kb, capsys):
    root = kb(
        {"policy.yml": "as_of: 2026-06-30\nrules:\n  review-frequncy: {}\n", SERVICE: service()}
    )
    assert check(root) == 2
    captured = capsys.readouterr()
    assert "policy.yml:3:" in captured.err
    assert "review-frequency" in captured.err
    assert captured.out == ""


# --- schema, rules, explain ---------------------------------------------------------------


@pytest.fixture
def exported(capsys):
    assert cli("schema") == 0
    return json.loads(capsys.readouterr().out)


def front(text: str) -> dict:
    return yamlio.parse(yamlio.split(text).yaml_text)


def validator(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


@pytest.mark.parametrize(
    "text",
    [service(), review(type="annual"), review(type="adhoc"), minutes()],
    ids=["service", "annual-review", "adhoc-review", "minutes"],
)
def test_schema_accepts_a_good_record(exported, text):
    assert list(validator(exported).iter_errors(front(text))) == []


@pytest.mark.parametrize(
    "text",
    [
        service(customer=None),
        service(start="2026/6/5"),
        review(type="weekly"),
        review(type="additional", change=None),
        minutes(atendees=[]),
        record("reveiw", "rv-x-1"),
    ],
    ids=["missing-key", "bad-date", "bad-enum", "conditional-key", "unknown-key", "unknown-kind"],
)
def test_schema_refuses_a_bad_record(exported, text):
    assert list(validator(exported).iter_errors(front(text)))


def test_schema_ids_are_written_for_ecma_regular_expressions(exported):
    text = json.dumps(exported)
    assert "\\\\Z" not in text
    assert exported["$defs"]["review"]["properties"]["id"]["pattern"].endswith("{0,99}$")


def test_rules_lists_every_rule_with_its_title_and_chinese_severity(capsys):
    assert cli("rules") == 0
    head, *lines = capsys.readouterr().out.splitlines()
    assert head.split() == ["规则", "名称", "条款", "严重性", "检查内容"]
    assert [line.split()[0] for line in lines] == [rule.id for rule in all_rules()]
    frequency = next(line for line in lines if line.startswith("review-frequency "))
    assert "评审频次" in frequency and "错误" in frequency and "error" not in frequency


def test_rules_columns_line_up_on_screen(capsys):
    """Han characters take two terminal cells: columns align by display width, not length."""
    assert cli("rules") == 0
    lines = capsys.readouterr().out.splitlines()
    for column in (
        r"\S+ +(?=\S)",
        r".*?(?=严重性|错误|警告|提示)",
        r".*?(?:严重性|错误|警告|提示) +",
    ):
        starts = {wcwidth.width(re.match(column, line).group(0)) for line in lines}
        assert len(starts) == 1, column


def test_help_is_chinese(capsys):
    for command in ([], ["check"], ["new"]):
        assert cli(*command, "--help") == 0
        out = capsys.readouterr().out
        assert out.startswith("用法：")
        assert "位置参数" in out and "显示本帮助并退出" in out
        assert not re.search(r"positional arguments|options:|show this help|usage:", out)


def test_help_wraps_at_words(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    assert cli("new", "--help") == 0
    text = capsys.readouterr().out
    words = re.findall(r"[a-z][a-z-]+", text)
    assert "complaint" in words and "monthly-report" in words
    for line in text.splitlines():
        assert wcwidth.width(line) <= 60, line


@pytest.mark.parametrize("width", range(8, 40))
def test_wrap_never_splits_an_ascii_word_or_starts_with_punctuation(width):
    text = "记录类型：service、review、complaint、monthly-report（默认 periodic），完。"
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for line in lines:
        assert not line.startswith(("，", "、", "）", "。"))
        # only a single word wider than the column may overflow it
        assert wcwidth.width(line) <= width or re.fullmatch(r"[!-~]+[、），。]*", line), line
    for word in ("service", "complaint", "monthly-report", "periodic"):
        assert any(word in line for line in lines), (width, lines)


def test_usage_errors_are_chinese(capsys):
    assert cli("check", "--format", "x") == 2
    err = capsys.readouterr().err
    assert "无效的取值 'x'（可选：" in err and "invalid choice" not in err
    assert cli("new") == 2
    assert "缺少必需的参数：KIND, --service" in capsys.readouterr().err


def test_explain_prints_the_rule_doc(capsys):
    assert cli("explain", "review-frequency") == 0
    out = capsys.readouterr().out
    assert out.startswith("# 评审频次（review-frequency）")
    assert "3.1.1" in out
    assert "服务评审至少每半年一次" in out
    assert "`interval_months`" in out


@pytest.mark.parametrize(
    "rule",
    [
        "review-frequency",
        "survey-cadence",
        "stakeholder-participation",
        "monthly-report",
        "deviation-report",
    ],
)
def test_explain_an_interval_rule_states_how_months_are_counted(capsys, rule):
    assert cli("explain", rule) == 0
    out = capsys.readouterr().out
    assert "## 月份计算" in out
    assert "2025-06-30 起 6 个月为 2025-12-31" in out


def test_explain_a_clause_quotes_the_procedure_and_lists_its_rules(capsys):
    assert cli("explain", "3.1.1") == 0
    out = capsys.readouterr().out
    assert out.startswith("# 条款 3.1.1")
    assert "> 3.1.1 项目经理应至少每半年对公司现有的IT服务，组织各利益相关方进行服务评审。" in out
    assert "- `review-frequency`（错误）" in out


def test_explain_a_clause_lists_rules_that_also_report_under_it(capsys):
    assert cli("explain", "3.1.7") == 0
    out = capsys.readouterr().out
    assert "临时性评审" in out
    assert "`review-sections`（错误，条款 3.1.5，另在本条款下报告）" in out


def test_explain_a_clause_with_subclauses_quotes_them_too(capsys):
    assert cli("explain", "3.1.5") == 0
    out = capsys.readouterr().out
    assert "> 3.1.5.7 服务范围或内容可能发生的变化。" in out
    assert "`review-inputs`" in out and "`annual-review`" in out


def test_explain_a_clause_no_record_can_show(capsys):
    assert cli("explain", "2.2.2") == 0
    assert "本条款不由记录检查：沟通策略和计划是销售部门的文件" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("arg", "hint"),
    [
        ("3.1.10", "是否想写“3.1.1”？"),
        ("9", "条款号形如 3.1.1"),
        ("review-frequence", "review-frequency"),
    ],
)
def test_explain_unknown_clause_or_rule_is_one_line(capsys, arg, hint):
    assert cli("explain", arg) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert hint in captured.err and captured.err.count("\n") == 1


def test_every_clause_of_the_procedure_can_be_explained(capsys):
    from brmkb.coverage import CLAUSES

    for clause in CLAUSES:
        assert cli("explain", clause) == 0, clause
        assert capsys.readouterr().out.startswith(f"# 条款 {clause}")


def test_explain_a_format_rule(capsys):
    assert cli("explain", "date-format") == 0
    assert "YYYY-MM-DD" in capsys.readouterr().out


def test_explain_unknown_rule_suggests_the_nearest(capsys):
    assert cli("explain", "review-frequence") == 2
    captured = capsys.readouterr()
    assert "“review-frequency”" in captured.err
    assert captured.out == ""
