"""The organization's policy file: the procedure's numbers as editable, validated defaults."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from brmkb import yamlio
from brmkb.dates import iso_hint, parse_iso_date
from brmkb.findings import Severity
from brmkb.registry import Rule, RuleOptions, all_rules

POLICY_FILE = "policy.yml"

#: Shared settings and their defaults; rule options live with each rule.
DEFAULTS: dict[str, Any] = {
    "as_of": None,
    "service_department": "服务部",
    "sales_department": "销售部门",
    "max_record_bytes": 1_048_576,
}
_RULE_KEYS = {"severity", "enabled"}
SETTING_DOCS = {
    "as_of": "检查日（YYYY-MM-DD）；不写则为运行当天，命令行 --as-of 优先",
    "service_department": "拟制输出记录的部门（程序第 4 章）",
    "sales_department": "组织重大变更前追加评审的部门（3.1.6）",
    "max_record_bytes": "单个记录文件的大小上限（字节）",
}


class PolicyError(ValueError):
    """The policy file cannot be used; every problem carries its line."""

    def __init__(self, path: str, problems: list[tuple[int | None, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.path = path
        self.problems = problems

    def __reduce__(self) -> tuple[type, tuple[str, list[tuple[int | None, str]]]]:
        # Rebuilt from its own arguments (the site build checks in a forked process).
        return type(self), (self.path, self.problems)


@dataclass(frozen=True)
class Policy:
    """Validated policy: shared settings, per-rule overrides, and the as-of date it pins."""

    settings: Mapping[str, Any] = field(default_factory=lambda: dict(DEFAULTS))
    overrides: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    source: str | None = None

    @property
    def as_of(self) -> date | None:
        return self.settings["as_of"]

    @property
    def service_department(self) -> str:
        return self.settings["service_department"]

    @property
    def sales_department(self) -> str:
        return self.settings["sales_department"]

    @property
    def max_record_bytes(self) -> int:
        return self.settings["max_record_bytes"]

    def enabled(self, rule: Rule) -> bool:
        return bool(self.overrides.get(rule.id, {}).get("enabled", True))

    def overrides_severity(self, rule: Rule) -> bool:
        return "severity" in self.overrides.get(rule.id, {})

    def severity(self, rule: Rule) -> Severity:
        return Severity(self.overrides.get(rule.id, {}).get("severity", rule.severity))

    def options(self, rule: Rule) -> RuleOptions:
        own = self.overrides.get(rule.id, {})
        values = {key: own.get(key, default) for key, default in rule.options.items()}
        return RuleOptions(values, self)


def load(root: Path) -> Policy:
    """The policy at ``root/policy.yml``, or the procedure's defaults when there is none."""
    path = root / POLICY_FILE
    if not path.is_file():
        return Policy()
    try:
        text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise PolicyError(
            POLICY_FILE, [(None, "策略文件不是 UTF-8 编码；请以 UTF-8 保存。")]
        ) from None
    try:
        data = yamlio.parse(text) or {}
    except yamlio.FrontMatterError as error:
        raise PolicyError(POLICY_FILE, [(error.line, str(error))]) from None
    return _validate(data, text)


def _validate(data: Any, text: str) -> Policy:
    problems: list[tuple[int | None, str]] = []

    def report(path: tuple, message: str) -> None:
        problems.append((yamlio.key_line(text, path, first_line=1), message))

    if not isinstance(data, dict):
        raise PolicyError(POLICY_FILE, [(1, "策略文件应是键值映射（如 as_of: 2026-06-30）。")])
    settings = dict(DEFAULTS)
    for key, value in data.items():
        if key == "rules":
            continue
        if key not in DEFAULTS:
            report((key,), _unknown("设置项", key, [*DEFAULTS, "rules"]))
        elif key == "as_of":
            settings["as_of"] = _as_of(value, report)
        elif not _same_type(DEFAULTS[key], value):
            report((key,), f"设置项“{key}”应为{_type_name(DEFAULTS[key])}，这里是 {value!r}。")
        else:
            settings[key] = value
    overrides = _rule_overrides(data.get("rules") or {}, report)
    if problems:
        raise PolicyError(POLICY_FILE, problems)
    return Policy(settings, overrides, POLICY_FILE)


def _as_of(value: Any, report: Any) -> date | None:
    parsed = parse_iso_date(str(value)) if value is not None else None
    if value is not None and parsed is None:
        hint = iso_hint(value)
        report(
            ("as_of",),
            f"as_of 的值“{value}”不是 YYYY-MM-DD 日期；{'应写作 ' + hint if hint else '例如 2026-06-30'}。",
        )
    return parsed


def _rule_overrides(rules: Any, report: Any) -> dict[str, dict[str, Any]]:
    known = {rule.id: rule for rule in all_rules()}
    if not isinstance(rules, dict):
        report(("rules",), "rules 应为“规则编号: 设置”的映射。")
        return {}
    overrides: dict[str, dict[str, Any]] = {}
    for rule_id, settings in rules.items():
        rule = known.get(rule_id)
        if rule is None:
            report(("rules", rule_id), _unknown("规则", rule_id, known))
            continue
        if not isinstance(settings, dict):
            report(("rules", rule_id), f"规则“{rule_id}”的设置应为映射，例如 severity: warning。")
            continue
        overrides[rule_id] = _rule_settings(
            rule, settings, lambda p, m, r=rule_id: report(("rules", r, *p), m)
        )
    return overrides


def _rule_settings(rule: Rule, settings: dict, report: Any) -> dict[str, Any]:
    accepted: dict[str, Any] = {}
    for key, value in settings.items():
        if key == "severity":
            if not _is_severity(value):
                report((key,), f"severity 只能是 error、warning 或 info，这里是 {value!r}。")
                continue
        elif key == "enabled":
            if not isinstance(value, bool):
                report((key,), f"enabled 应为 true 或 false，这里是 {value!r}。")
                continue
        elif key.endswith("severity") and key in rule.options:
            if not _is_severity(value):
                report((key,), f"{key} 只能是 error、warning 或 info，这里是 {value!r}。")
                continue
        elif key not in rule.options:
            report((key,), _unknown(f"规则“{rule.id}”的选项", key, [*rule.options, *_RULE_KEYS]))
            continue
        elif not _same_type(rule.options[key], value):
            report((key,), f"选项“{key}”应为{_type_name(rule.options[key])}，这里是 {value!r}。")
            continue
        elif key in rule.choices and value not in rule.choices[key]:
            report((key,), f"选项“{key}”只能是 {'、'.join(rule.choices[key])}，这里是 {value!r}。")
            continue
        accepted[key] = value
    return accepted


def _is_severity(value: Any) -> bool:
    return isinstance(value, str) and value in {s.value for s in Severity}  # a list is unhashable


def _same_type(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int) and not isinstance(default, bool):
        return isinstance(value, int) and value >= 0
    if isinstance(default, list) and default:
        return isinstance(value, list) and all(_same_type(default[0], v) for v in value)
    if isinstance(default, dict):
        return isinstance(value, dict) and all(
            _same_type(default.get(k, v), v) for k, v in value.items()
        )
    return isinstance(value, type(default))


def _type_name(default: Any) -> str:
    names = {bool: "true 或 false", int: "非负整数", str: "文本", list: "列表", dict: "映射"}
    return names.get(type(default), type(default).__name__)


def _unknown(what: str, name: Any, known: Any) -> str:
    guess = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    hint = f"是否想写“{guess[0]}”？" if guess else f"可用的有：{'、'.join(map(str, known))}。"
    return f"未知的{what}“{name}”；{hint}"


def template(settings: Mapping[str, Any] | None = None) -> str:
    """A complete policy file: every setting and rule option at its default, commented in Chinese.

    ``settings`` replaces shared defaults (``brmkb init`` writes the organization's departments).
    """
    lines = ["# 业务关系管理程序的检查策略。所有值均为程序规定的默认值，按需修改。", ""]
    for key, default in {**DEFAULTS, **(settings or {})}.items():
        lines.append(f"# {SETTING_DOCS[key]}")
        lines.append(f"{key}: {_yaml(default)}" if default is not None else f"# {key}: 2026-06-30")
    lines += [
        "",
        "# 每条规则可设 severity（error/warning/info）、enabled（true/false）及其选项。",
        "rules:",
    ]
    for rule in all_rules():
        if rule.is_format:
            continue
        lines.append(f"  {rule.id}:  # {rule.clause or '—'} {rule.summary}")
        lines.append(f"    severity: {rule.severity.value}")
        lines.extend(f"    {key}: {_yaml(value)}" for key, value in rule.options.items())
    return "\n".join(lines) + "\n"


def _yaml(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
