"""The organization's policy file: the procedure's numbers as editable, validated defaults."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from brmkb import yamlio
from brmkb.dates import iso_hint, parse_iso_date
from brmkb.findings import Severity
from brmkb.limits import DEFAULT_ATTACHMENT_TYPES, NEVER_PUBLISHED, Limits
from brmkb.prompts import PLACEHOLDERS
from brmkb.registry import Rule, RuleOptions, all_rules

POLICY_FILE = "policy.yml"

#: Shared settings and their defaults; rule options live with each rule.
DEFAULTS: dict[str, Any] = {
    "as_of": None,
    "service_department": "服务部",
    "sales_department": "销售部门",
    "max_record_bytes": 1_048_576,
    "max_line_chars": 10_000,
    "max_nesting": 50,
    "attachment_types": list(DEFAULT_ATTACHMENT_TYPES),
    "placeholders": list(PLACEHOLDERS),
}
#: The range of every whole number the policy may set: beyond it a due date would leave the
#: calendar, or a limit would no longer protect the build. Rule options not listed here take
#: ``_NUMBERS``.
_RANGES: dict[str, tuple[int, int]] = {
    "max_record_bytes": (1, 64 * 1_048_576),
    "max_line_chars": (1, 1_000_000),
    "max_nesting": (1, 200),
    "due_day": (1, 28),
}
_NUMBERS = (0, 10_000)
#: A policy file larger than this is not read (it is a page of settings, not data).
MAX_POLICY_BYTES = 1_048_576
_RULE_KEYS = {"severity", "enabled"}
#: What each shared setting means (the policy template and the site's rules page say it).
SETTING_DOCS = {
    "as_of": "检查日（YYYY-MM-DD）；不写则为运行当天，命令行 --as-of 优先",
    "service_department": "拟制输出记录的部门（程序第 4 章）",
    "sales_department": "组织重大变更前追加评审的部门（3.1.6）",
    "max_record_bytes": "单个记录文件的大小上限（字节）",
    "max_line_chars": "记录正文单行的字符数上限（过长的行站点无法可靠渲染）",
    "max_nesting": "记录正文中 HTML 标签、列表和引用的嵌套层数上限",
    "attachment_types": "records/ 下允许发布的附件类型（扩展名）；HTML、SVG、脚本等类型从不发布",
    "placeholders": "正文中代表“还没写”的占位词：只有这些词（以及标题、HTML 注释）的正文或小节视为空",
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

    @property
    def limits(self) -> Limits:
        """What one record may be, for the loader."""
        return Limits(
            self.settings["max_record_bytes"],
            self.settings["max_line_chars"],
            self.settings["max_nesting"],
            frozenset(self.settings["attachment_types"]),
        )

    @property
    def placeholders(self) -> list[str]:
        return self.settings["placeholders"]

    def enabled(self, rule: Rule) -> bool:
        return bool(self.overrides.get(rule.id, {}).get("enabled", True))

    def overrides_severity(self, rule: Rule) -> bool:
        return "severity" in self.overrides.get(rule.id, {})

    def severity(self, rule: Rule) -> Severity:
        return Severity(self.overrides.get(rule.id, {}).get("severity", rule.severity))

    def options(self, rule: Rule) -> RuleOptions:
        """The rule's options, the policy's over the defaults. A mapping option is merged key
        by key: ``days: {high: 3}`` changes the days of high complaints and keeps the others',
        and ``required: {periodic: [...]}`` adds to the other review types' requirements
        rather than dropping them (an empty list removes one)."""
        own = self.overrides.get(rule.id, {})
        values = {
            key: _merged(default, own[key]) if key in own else default
            for key, default in rule.options.items()
        }
        return RuleOptions(values, self)


def _merged(default: Any, value: Any) -> Any:
    return {**default, **value} if isinstance(default, dict) else value


def load(root: Path) -> Policy:
    """The policy at ``root/policy.yml``, or the procedure's defaults when there is none."""
    path = root / POLICY_FILE
    if not os.path.lexists(path):
        return Policy()
    if not path.is_file():  # a folder, or a link to nothing: not "no policy" by mistake
        raise PolicyError(
            POLICY_FILE,
            [
                (
                    None,
                    f"{POLICY_FILE} 不是可读的文件（是目录或失效的链接）；请改为策略文件或删除它。",
                )
            ],
        )
    text = _read(path)
    try:
        data = yamlio.parse(text) or {}
    except yamlio.FrontMatterError as error:
        raise PolicyError(POLICY_FILE, [(error.line, str(error))]) from None
    shape = yamlio.shape_problem(data) or yamlio.repeated_key(text)
    if shape:
        raise PolicyError(POLICY_FILE, [shape])
    return _validate(data, text)


def _read(path: Path) -> str:
    """The policy file's text, within the size limit; PolicyError when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_POLICY_BYTES + 1)
    except OSError as error:
        raise PolicyError(POLICY_FILE, [(None, f"无法读取策略文件：{error.strerror}。")]) from None
    if len(raw) > MAX_POLICY_BYTES:
        raise PolicyError(
            POLICY_FILE, [(None, f"策略文件超过 {MAX_POLICY_BYTES} 字节；请只写需要的设置。")]
        )
    try:
        return raw.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError:
        raise PolicyError(
            POLICY_FILE, [(None, "策略文件不是 UTF-8 编码；请以 UTF-8 保存。")]
        ) from None


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
        elif not _same_type(DEFAULTS[key], value, key):
            wanted = _type_name(DEFAULTS[key], key)
            report((key,), f"设置项“{key}”应为{wanted}，这里是 {_shown(value)}。")
        elif key == "attachment_types":
            settings[key] = _attachment_types(value, report)
        else:
            settings[key] = value
    overrides = _rule_overrides(data.get("rules") or {}, report)
    if problems:
        raise PolicyError(POLICY_FILE, problems)
    return Policy(settings, overrides, POLICY_FILE)


def _attachment_types(value: list[str], report: Any) -> list[str]:
    types = [item.lower().lstrip(".") for item in value]
    active = sorted({t for t in types if t in NEVER_PUBLISHED})
    if active:
        report(
            ("attachment_types",),
            f"attachment_types 不能包含 {'、'.join(active)}：浏览器会执行这类文件中的脚本，"
            "records/ 下的这类文件从不发布；请删除它们，改用 PDF 或图片。",
        )
    return types


def _as_of(value: Any, report: Any) -> date | None:
    parsed = parse_iso_date(str(value)) if value is not None else None
    if value is not None and parsed is None:
        hint = iso_hint(value)
        report(
            ("as_of",),
            f"as_of 的值“{_shown(value, quote=False)}”不是 1900–9000 年间的 YYYY-MM-DD 日期；{'应写作 ' + hint if hint else '例如 2026-06-30'}。",
        )
    return parsed


def _rule_overrides(rules: Any, report: Any) -> dict[str, dict[str, Any]]:
    if not rules:  # the rules load only to check overrides (MkDocs' process spares the import)
        return {}
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
                report((key,), f"severity 只能是 error、warning 或 info，这里是 {_shown(value)}。")
                continue
        elif key == "enabled":
            if not isinstance(value, bool):
                report((key,), f"enabled 应为 true 或 false，这里是 {_shown(value)}。")
                continue
        elif key.endswith("severity") and key in rule.options:
            if not _is_severity(value):
                report((key,), f"{key} 只能是 error、warning 或 info，这里是 {_shown(value)}。")
                continue
        elif key not in rule.options:
            report((key,), _unknown(f"规则“{rule.id}”的选项", key, [*rule.options, *_RULE_KEYS]))
            continue
        elif not _same_type(rule.options[key], value, key):
            wanted = _type_name(rule.options[key], key)
            report((key,), f"选项“{key}”应为{wanted}，这里是 {_shown(value)}。")
            continue
        elif isinstance(value, dict) and key in rule.choices:
            unknown = [k for k in value if k not in rule.choices[key]]
            if unknown:
                report(
                    (key, unknown[0]), _unknown(f"选项“{key}”的项", unknown[0], rule.choices[key])
                )
                continue
        elif key in rule.choices and value not in rule.choices[key]:
            report((key,), f"选项“{key}”只能是 {'、'.join(rule.choices[key])}，这里是 {value!r}。")
            continue
        accepted[key] = value
    return accepted


def _is_severity(value: Any) -> bool:
    return isinstance(value, str) and value in {s.value for s in Severity}  # a list is unhashable


def _same_type(default: Any, value: Any, key: str = "") -> bool:
    """Whether ``value`` can stand for ``default`` (whole numbers within their range)."""
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, int):
        low, high = _RANGES.get(key, _NUMBERS)
        return isinstance(value, int) and low <= value <= high
    if isinstance(default, list) and default:
        return isinstance(value, list) and all(_same_type(default[0], v, key) for v in value)
    if isinstance(default, dict):
        return isinstance(value, dict) and all(
            _same_type(default.get(k, v), v, key) for k, v in value.items()
        )
    return isinstance(value, type(default))


def _type_name(default: Any, key: str = "") -> str:
    if isinstance(default, int) and not isinstance(default, bool):
        low, high = _RANGES.get(key, _NUMBERS)
        return f" {low} 到 {high} 之间的整数"
    if isinstance(default, dict) and default:
        return f"映射（每项的值为{_type_name(next(iter(default.values())), key)}）"
    names = {bool: "true 或 false", str: "文本", list: "列表", dict: "映射"}
    return names.get(type(default), type(default).__name__)


def _shown(value: Any, *, quote: bool = True, limit: int = 60) -> str:
    """A policy value as a message quotes it: short, whatever its size."""
    text = repr(value) if quote else str(value)
    return text if len(text) <= limit else text[:limit] + "…"


def _unknown(what: str, name: Any, known: Any) -> str:
    guess = difflib.get_close_matches(str(name), [str(k) for k in known], n=1, cutoff=0.6)
    hint = f"是否想写“{guess[0]}”？" if guess else f"可用的有：{'、'.join(map(str, known))}。"
    return f"未知的{what}“{name}”；{hint}"


def template(
    settings: Mapping[str, Any] | None = None,
    options: Mapping[str, Mapping[str, Any]] | None = None,
) -> str:
    """A complete policy file: every setting and rule option at its default, commented in Chinese.

    ``settings`` replaces shared defaults (``brmkb init`` writes the organization's departments),
    ``options`` rule options (rule id → option → value).
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
        chosen = {**rule.options, **(options or {}).get(rule.id, {})}
        lines.extend(f"    {key}: {_yaml(value)}" for key, value in chosen.items())
    return "\n".join(lines) + "\n"


def _yaml(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)
