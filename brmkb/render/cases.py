"""Findings grouped into checklist cases (rule × service), for pytest and other test runners."""

from __future__ import annotations

from dataclasses import dataclass

from brmkb.engine import Report
from brmkb.findings import Finding
from brmkb.registry import all_rules
from brmkb.render.text import line

#: Case name for findings that belong to no single service (format problems, unknown services).
WHOLE_KB = "records"


@dataclass(frozen=True, slots=True)
class Case:
    """One checklist line: a rule applied to one service, with the findings it produced."""

    rule: str
    scope: str
    findings: tuple[Finding, ...]

    @property
    def id(self) -> str:
        return f"{self.rule}::{self.scope}"

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    def explain(self) -> str:
        return "\n".join(line(f) for f in self.findings)


def cases(report: Report) -> list[Case]:
    """Every enabled rule for every service, plus one whole-KB case per rule that needs it."""
    services = [service.id for service in report.kb.services]
    grouped: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        scope = finding.service if finding.service in services else WHOLE_KB
        grouped.setdefault((finding.rule, scope), []).append(finding)
    result = []
    for rule in all_rules():
        if not report.policy.enabled(rule):
            continue
        scopes = [WHOLE_KB] if rule.is_format else services
        extra = [WHOLE_KB] if (rule.id, WHOLE_KB) in grouped and not rule.is_format else []
        result.extend(
            Case(rule.id, scope, tuple(grouped.get((rule.id, scope), ())))
            for scope in [*scopes, *extra]
        )
    return result
