"""Rule declarations: every rule is declared once (id, clause, severity, options, docs)."""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from brmkb.dates import MONTHS_RULE
from brmkb.findings import Finding, Severity

if TYPE_CHECKING:
    from brmkb.model import KnowledgeBase, Record
    from brmkb.policy import Policy


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports; the runner stamps rule id, clause, severity and line on it.

    The line is that of the front-matter ``key`` (the record's first line for ``()``), or
    ``line`` when the finding is about the body (a section's heading, the body's end).
    """

    record: Record
    message: str
    key: tuple[str | int, ...] = ()
    severity: Severity | None = None
    clause: str | None = None
    service: str | None = None
    line: int | None = None


@dataclass(frozen=True, slots=True)
class RuleOptions:
    """A rule's own options (policy over defaults) plus the shared policy."""

    values: Mapping[str, Any]
    policy: Policy

    def __getitem__(self, key: str) -> Any:
        return self.values[key]


Check = Callable[["KnowledgeBase", RuleOptions, date], Iterator[Hit]]


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule; format rules have no check (the loader reports them)."""

    id: str
    title: str
    clause: str | None
    severity: Severity
    doc: str
    check: Check | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    format: bool = False
    also: tuple[str, ...] = ()
    #: Text options that take one of a few values: option → the values allowed.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    #: The rule counts calendar months (``brmkb.dates.add_months``); its documentation says how.
    months: bool = False

    @property
    def clauses(self) -> tuple[str, ...]:
        """Every clause the rule enforces: its own, then those it reports findings under too."""
        return (self.clause, *self.also) if self.clause else self.also

    @property
    def label(self) -> str:
        """How a person meets the rule: its short title, then its stable id."""
        return f"{self.title}（{self.id}）"

    @property
    def summary(self) -> str:
        return self.doc.strip().splitlines()[0] if self.doc.strip() else self.id

    @property
    def is_format(self) -> bool:
        """Problems of a file's form, found while loading; they cannot be waived."""
        return self.format

    def finding(self, path: str, line: int | None, message: str, **extra: Any) -> Finding:
        return Finding(self.id, self.clause, self.severity, path, line, message, **extra)


REGISTRY: dict[str, Rule] = {}


def rule(
    id: str,
    *,
    title: str,
    clause: str | None,
    severity: Severity = Severity.ERROR,
    options: Mapping[str, Any] | None = None,
    also: tuple[str, ...] = (),
    choices: Mapping[str, tuple[str, ...]] | None = None,
    months: bool = False,
) -> Callable[[Check], Check]:
    """Register a check function; ``title`` names it for people (a few Chinese words), its
    docstring is the rule's user documentation."""

    def register(check: Check) -> Check:
        _add(
            Rule(
                id,
                title,
                clause,
                severity,
                check.__doc__ or "",
                check,
                dict(options or {}),
                also=also,
                choices=dict(choices or {}),
                months=months,
            )
        )
        return check

    return register


def format_rule(id: str, title: str, doc: str, severity: Severity = Severity.ERROR) -> Rule:
    """Declare a problem found while reading files (no clause: the file itself is malformed)."""
    return _add(Rule(id, title, None, severity, doc, format=True))


def declare(
    id: str,
    title: str,
    doc: str,
    clause: str | None = None,
    severity: Severity = Severity.ERROR,
    options: Mapping[str, Any] | None = None,
) -> Rule:
    """Declare a rule whose findings come from a stage of its own (not a ``check`` function)."""
    return _add(Rule(id, title, clause, severity, doc, options=dict(options or {})))


def _add(new: Rule) -> Rule:
    if new.id in REGISTRY:
        raise ValueError(f"rule {new.id!r} is declared twice")
    REGISTRY[new.id] = new
    return new


def get(rule_id: str) -> Rule:
    load_all()
    return REGISTRY[rule_id]


def all_rules() -> list[Rule]:
    """Every rule, format rules first, then by clause."""
    load_all()
    return sorted(REGISTRY.values(), key=lambda r: (not r.is_format, _clause_key(r.clause), r.id))


def _clause_key(clause: str | None) -> tuple[int, ...]:
    return tuple(int(p) for p in clause.split(".")) if clause else ()


def load_all() -> None:
    """Import the rule modules, which register themselves (the waiver rule too: a process
    that never loads the engine, such as the site build's MkDocs process, still knows it)."""
    import brmkb.formats
    import brmkb.rules
    import brmkb.waivers  # noqa: F401


def _choices(rule: Rule, key: str) -> str:
    values = rule.choices.get(key)
    what = "可写的项" if isinstance(rule.options.get(key), dict) else "可选"
    return f"（{what}：{'、'.join(f'`{v}`' for v in values)}）" if values else ""


def explanation(rule: Rule) -> str:
    """A rule's documentation as Markdown, headed by its title, clause and default severity."""
    head = (
        f"# {rule.label}\n\n"
        f"条款：{rule.clause or '（记录格式）'}　默认严重性：{rule.severity.label}\n\n"
    )
    return head + documentation(rule)


def documentation(rule: Rule) -> str:
    """The rule's docstring and options as Markdown: ``brmkb explain`` and the rules guide."""
    body = inspect.cleandoc(rule.doc)
    if rule.months:
        body += f"\n\n## 月份计算\n\n{MONTHS_RULE}"
    options = ""
    if rule.options:
        rows = "\n".join(
            f"| `{key}` | `{json.dumps(value, ensure_ascii=False)}`{_choices(rule, key)} |"
            for key, value in rule.options.items()
        )
        options = f"\n\n## 策略选项\n\n在 policy.yml 的 `rules: {{{rule.id}: …}}` 下设置：\n\n| 选项 | 默认值 |\n|---|---|\n{rows}"
    return body + options + "\n"
