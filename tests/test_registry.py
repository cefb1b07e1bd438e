"""Every rule is registered once, documented in Chinese, tied to a clause, and tested."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from brmkb.cli import explanation
from brmkb.findings import Severity
from brmkb.registry import REGISTRY, Rule, all_rules, format_rule

TESTS = Path(__file__).resolve().parent

#: Every numbered clause of the procedure (业务关系管理程序), 1 to 4.
PROCEDURE = {
    *("1", "1.1", "1.2", "1.3", "1.4"),
    *("2", "2.1", "2.1.1", "2.1.2", "2.1.3", "2.2", "2.2.1", "2.2.2"),
    *("3", "3.1", *(f"3.1.{n}" for n in range(1, 10))),
    *(f"3.1.5.{n}" for n in range(1, 8)),
    *(f"3.1.6.{n}" for n in range(1, 4)),
    *("3.2", "3.2.1", "3.2.2", "3.2.3", "3.2.4", "3.3", "3.3.1"),
    "4",
}
CHINESE = re.compile(r"[\u4e00-\u9fff]")

RULES = all_rules()


def ids(rules: list[Rule]) -> list[str]:
    return [rule.id for rule in rules]


def test_there_are_rules():
    assert {"review-frequency", "schema", "reference"} <= set(ids(RULES))


def test_ids_are_unique_and_well_formed():
    assert len(set(ids(RULES))) == len(RULES)
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id) for rule in RULES)


def test_declaring_a_rule_twice_fails():
    with pytest.raises(ValueError, match="schema"):
        format_rule("schema", "重复", "重复声明。")
    assert REGISTRY["schema"].doc != "重复声明。"


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_rule_has_a_chinese_summary(rule):
    assert rule.doc.strip()
    assert rule.summary != rule.id
    assert CHINESE.search(rule.summary), rule.summary


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_rule_has_a_short_chinese_title(rule):
    assert CHINESE.search(rule.title), rule.title
    assert len(rule.title) <= 8, "a title is a few words; the docstring says the rest"
    assert rule.id in rule.label and rule.title in rule.label


def test_rule_titles_are_unique():
    assert len({rule.title for rule in RULES}) == len(RULES)


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_rule_clause_is_in_the_procedure(rule):
    clauses = [rule.clause, *getattr(rule, "also", ())]
    for clause in clauses:
        assert clause is None or clause in PROCEDURE, clause
    if rule.is_format:
        assert rule.clause is None


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_rule_defaults_are_sound(rule):
    assert isinstance(rule.severity, Severity)
    json.dumps(dict(rule.options), ensure_ascii=False)  # the policy template writes them out
    for key, value in rule.options.items():
        assert re.fullmatch(r"[a-z]+(_[a-z]+)*", key), key
        if key.endswith("severity"):
            assert value in {s.value for s in Severity}


@pytest.mark.parametrize("rule", RULES, ids=ids(RULES))
def test_rule_explanation_renders(rule):
    text = explanation(rule)
    assert text.startswith(f"# {rule.title}（{rule.id}）\n")
    assert rule.summary in text
    for key in rule.options:
        assert f"`{key}`" in text


def rule_modules() -> set[str]:
    """The modules under brmkb/rules that register at least one checking rule."""
    return {
        rule.check.__module__
        for rule in RULES
        if rule.check is not None and rule.check.__module__.startswith("brmkb.rules.")
    }


def test_rules_live_in_rule_modules():
    assert "brmkb.rules.review_frequency" in rule_modules()


@pytest.mark.parametrize("module", sorted(rule_modules()))
def test_every_rules_module_has_a_test_module(module):
    name = module.rsplit(".", 1)[1]
    assert (TESTS / "rules" / f"test_{name}.py").is_file(), f"tests/rules/test_{name}.py is missing"


def test_every_module_that_declares_rules_is_registered():
    import brmkb.rules

    folder = Path(brmkb.rules.__file__).parent
    declaring = {
        f"brmkb.rules.{path.stem}"
        for path in folder.glob("*.py")
        if "@rule(" in path.read_text(encoding="utf-8")
    }
    assert declaring <= rule_modules(), "import the module in brmkb/rules/__init__.py"


def test_every_rule_is_known_without_the_engine() -> None:
    """The site build's MkDocs process validates policy.yml without loading the check engine:
    the waiver rule (declared next to the waivers) must be known there too."""
    code = (
        "import sys\n"
        "from brmkb.registry import all_rules\n"
        "print(' '.join(sorted(rule.id for rule in all_rules())))\n"
        "assert 'brmkb.engine' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == sorted(rule.id for rule in RULES)
