"""The status of a rule (or of a rule for one service) summarised from its findings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from brmkb.engine import Report
from brmkb.findings import Finding, Severity
from brmkb.site.html import FAIL, INFO, NEUTRAL, PASS, WARN

_BY_SEVERITY = {
    Severity.ERROR: (FAIL, "不符合"),
    Severity.WARNING: (WARN, "警告"),
    Severity.INFO: (INFO, "提示"),
}
SEVERITY_CLASS = {severity: cls for severity, (cls, _) in _BY_SEVERITY.items()}


@dataclass(frozen=True, slots=True)
class Status:
    """``css`` is a badge class; ``label`` the Chinese word shown on the badge."""

    css: str
    label: str
    open: int = 0
    waived: int = 0

    @property
    def text(self) -> str:
        extra = f" {self.open}" if self.open else ""
        if self.waived:
            extra += f"（豁免 {self.waived}）"
        return self.label + extra


DISABLED = Status(NEUTRAL, "未启用")


def status(findings: Iterable[Finding]) -> Status:
    """Worst unwaived severity wins; only waived findings (or none) count as 符合."""
    found = list(findings)
    unwaived = [f for f in found if f.waived is None]
    waived = len(found) - len(unwaived)
    if not unwaived:
        return Status(PASS, "符合", 0, waived)
    worst = min(unwaived, key=lambda f: f.severity.rank).severity
    css, label = _BY_SEVERITY[worst]
    return Status(css, label, sum(1 for f in unwaived if f.severity is worst), waived)


class Index:
    """Findings of a report grouped by rule, by (rule, service), by record and by service."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.by_rule: dict[str, list[Finding]] = defaultdict(list)
        self.by_rule_service: dict[tuple[str, str | None], list[Finding]] = defaultdict(list)
        self.by_record: dict[str | None, list[Finding]] = defaultdict(list)
        self.by_path: dict[str, list[Finding]] = defaultdict(list)
        self.by_service: dict[str | None, list[Finding]] = defaultdict(list)
        self.by_waiver: dict[str, list[Finding]] = defaultdict(list)
        for finding in report.findings:
            if finding.waived:
                self.by_waiver[finding.waived].append(finding)
            self.by_rule[finding.rule].append(finding)
            self.by_rule_service[(finding.rule, finding.service)].append(finding)
            self.by_record[finding.record].append(finding)
            self.by_path[finding.path].append(finding)
            self.by_service[finding.service].append(finding)

    def rule(self, rule_id: str, enabled: bool = True) -> Status:
        return status(self.by_rule.get(rule_id, ())) if enabled else DISABLED

    def rule_for(self, rule_id: str, service: str | None, enabled: bool = True) -> Status:
        return status(self.by_rule_service.get((rule_id, service), ())) if enabled else DISABLED

    def of_record(self, record_id: str, path: str) -> list[Finding]:
        """A record's findings: by its id, and those the loader placed on its file."""
        seen = {id(f) for f in self.by_record.get(record_id, ())}
        extra = [f for f in self.by_path.get(path, ()) if id(f) not in seen]
        return sorted([*self.by_record.get(record_id, ()), *extra], key=Finding.sort_key)
