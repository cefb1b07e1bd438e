"""Run the whole check once: policy, records, rules, then severities from the policy."""

from __future__ import annotations

import gc
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from brmkb import loader, markup, policy, waivers
from brmkb.findings import Finding, Severity
from brmkb.model import KnowledgeBase
from brmkb.registry import Hit, Rule, all_rules, get


@dataclass(frozen=True)
class Report:
    """Everything a front end renders: the findings and what they were computed from."""

    kb: KnowledgeBase
    policy: policy.Policy
    as_of: date
    findings: list[Finding]

    @property
    def blocking(self) -> list[Finding]:
        return [f for f in self.findings if f.blocking]

    @property
    def exit_code(self) -> int:
        return 1 if self.blocking else 0

    @property
    def files(self) -> int:
        """Record files read, whether they could be used or not."""
        return self.kb.files

    @property
    def broken_files(self) -> int:
        """Record files with format errors (left out of the procedure's rules)."""
        return len({f.path for f in self.findings if get(f.rule).is_format})

    def files_text(self) -> str:
        """``检查了 N 份记录`` and, when some are broken, how many."""
        broken = f"，其中 {self.broken_files} 份有格式错误" if self.broken_files else ""
        return f"检查了 {self.files} 份记录{broken}"

    @property
    def pinned(self) -> str | None:
        """When policy.yml pins the check date: the sentence that says so (days left and
        overdue are then counted to that date, not to today); else None."""
        if self.policy.as_of is None or self.policy.as_of != self.as_of:
            return None
        return f"检查日固定为 {self.as_of}（{policy.POLICY_FILE} 的 as_of）"

    def count(self, severity: Severity, *, waived: bool = False) -> int:
        return sum(
            1 for f in self.findings if f.severity is severity and (f.waived is not None) == waived
        )


def run(
    root: Path,
    as_of: date | None = None,
    today: date | None = None,
    jobs: int = 1,
    chosen: policy.Policy | None = None,
) -> Report:
    """Check the knowledge base at ``root``.

    The as-of date is ``as_of`` if given, else the policy's, else ``today`` (the caller's
    clock): rules never read the clock themselves. ``jobs`` processes read large knowledge
    bases. The policy is ``chosen`` if the caller has loaded it already, else read from
    ``root``; PolicyError is raised for an unusable one.
    """
    chosen = chosen or policy.load(root)
    when = as_of or chosen.as_of or today or date.today()
    with _collector_paused():
        loaded = loader.load(root, chosen.limits, jobs)
        findings = [_with_policy(f, chosen) for f in (*loaded.findings, *markup.check(loaded.kb))]
        for rule in all_rules():
            if rule.check is not None and chosen.enabled(rule):
                findings.extend(_run_rule(rule, loaded.kb, chosen, when))
    folder = chosen.options(waivers.WAIVER)["folder"]
    findings = waivers.apply(findings, loaded.kb, when, folder)
    findings.sort(key=Finding.sort_key)
    return Report(loaded.kb, chosen, when, findings)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Loading allocates a few hundred thousand dicts and lists that all stay alive, and the
    rules index and scan them: the cyclic collector's passes over them find nothing (records
    hold no cycles; reference counting frees them) and grow with the knowledge base, 5–8 % of
    a check at 10,000 records. Paused while loading and checking, then what the check kept
    is moved to the oldest generation without a pass (``_tenured``). Whoever had paused it
    keeps it paused."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        _tenured()
        gc.enable()


def _tenured() -> None:
    """Move every object the collector tracks to its oldest generation, without a pass.

    Otherwise the first allocation after the check starts a young-generation pass over all
    it allocated (50–60 ms at 10,000 records), only to find that it is all alive. Freezing
    and thawing moves the objects as one list; a full collection still visits them, and
    collects any cycle a rule left. Skipped when the caller has frozen objects of its own
    (thawing them would undo that)."""
    if gc.get_freeze_count() == 0:
        gc.freeze()
        gc.unfreeze()


def _with_policy(finding: Finding, chosen: policy.Policy) -> Finding:
    severity = chosen.severity(get(finding.rule))
    return finding if severity is finding.severity else replace(finding, severity=severity)


def _run_rule(rule: Rule, kb: KnowledgeBase, chosen: policy.Policy, when: date) -> list[Finding]:
    default = chosen.severity(rule)
    # An organization that sets a rule's severity means all of its errors, overdue ones too.
    cap = default if chosen.overrides_severity(rule) else None
    try:
        return [
            _stamp(rule, hit, kb, default, cap)
            for hit in rule.check(kb, chosen.options(rule), when)
        ]
    except Exception as error:  # a rule bug must not hide every other finding
        detail = traceback.format_exception_only(error)[-1].strip()
        return [
            rule.finding(
                loader.RECORDS_DIR,
                None,
                f"规则“{rule.id}”运行出错（{detail}）；其他规则的结果不受影响，请把此消息报告给维护者。",
            )
        ]


def _stamp(
    rule: Rule, hit: Hit, kb: KnowledgeBase, default: Severity, cap: Severity | None
) -> Finding:
    record = hit.record
    severity = hit.severity or default
    if cap is not None and severity is Severity.ERROR:
        severity = cap
    return Finding(
        rule=rule.id,
        clause=hit.clause or rule.clause,
        severity=severity,
        path=record.rel,
        line=hit.line or record.line_of(hit.key),
        message=hit.message,
        service=hit.service or kb.service_of(record),
        record=record.id,
    )
