"""What every page renderer needs: the report, the link scheme and the shared lookups."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from brmkb.cited import Repository
from brmkb.engine import Report
from brmkb.findings import Finding
from brmkb.model import Record
from brmkb.provenance import Provenance
from brmkb.registry import REGISTRY, Rule, all_rules
from brmkb.schedule import Due, held_by, upcoming
from brmkb.schema import KINDS
from brmkb.site import urls
from brmkb.site.html import NEUTRAL, badge, day, esc, link, table, wrap_path
from brmkb.site.relations import Relations
from brmkb.site.status import SEVERITY_CLASS, Index


@dataclass
class Context:
    report: Report
    urls: urls.Urls = field(default_factory=urls.Urls)
    history: dict[str, Provenance] = field(default_factory=dict)
    #: Site folder of the calendar and CSV exports (hooks/exports.py), None when not published.
    exports: str | None = None

    @cached_property
    def index(self) -> Index:
        return Index(self.report)

    @cached_property
    def relations(self) -> Relations:
        return Relations(self.report.kb)

    @cached_property
    def repository(self) -> Repository:
        """Where the files that reviews cite by path lie (as the ``input-path`` rule sees it)."""
        return Repository(self.kb.root)

    @cached_property
    def rules(self) -> list[Rule]:
        return all_rules()

    @property
    def kb(self):
        return self.report.kb

    @property
    def as_of(self) -> date:
        return self.report.as_of

    def enabled(self, rule: Rule) -> bool:
        return self.report.policy.enabled(rule)

    def export_href(self, here: str, name: str) -> str | None:
        return self.urls.rel(here, f"{self.exports}/{name}") if self.exports else None

    # --- links ------------------------------------------------------------------------------

    def href(self, here: str, target: str, anchor: str = "") -> str:
        return self.urls.rel(here, target, anchor)

    def record_href(self, here: str, record: Record) -> str:
        return self.urls.rel(here, urls.record_page(record))

    def record_link(self, here: str, record: Record | str | None, text: str | None = None) -> str:
        """A link to a record's page by record or id; plain text when the id is unknown."""
        if isinstance(record, str):
            found = self.kb.by_id.get(record)
            if found is None:
                return f"<code>{esc(record)}</code>"
            record = found
        if record is None:
            return ""
        return link(self.record_href(here, record), text or record.title, title=record.id)

    def id_link(self, here: str, record: Record | str) -> str:
        """A record's id as a code-styled link (compact, for tables)."""
        record_id = record if isinstance(record, str) else record.id
        found = self.kb.by_id.get(record_id)
        if found is None:
            return f"<code>{esc(record_id)}</code>"
        return (
            f'<a href="{esc(self.record_href(here, found))}" title="{esc(found.title)}">'
            f"<code>{esc(record_id)}</code></a>"
        )

    def rule_link(self, here: str, rule_id: str) -> str:
        """The rule's Chinese title linked to its documentation, its id beneath in small type."""
        rule = REGISTRY.get(rule_id)
        href = esc(self.href(here, urls.RULES, urls.rule_anchor(rule_id)))
        if rule is None:
            return f'<a href="{href}"><code>{esc(rule_id)}</code></a>'
        return (
            f'<a href="{href}" class="brm-rule">{esc(rule.title)}'
            f"<br><small><code>{esc(rule_id)}</code></small></a>"
        )

    def clause_link(self, here: str, clause: str | None) -> str:
        if not clause:
            return "—"
        return link(self.href(here, urls.PROCEDURE, urls.clause_anchor(clause)), clause)

    def service_link(self, here: str, service_id: str | None) -> str:
        service = self.kb.by_id.get(service_id or "")
        if service is None:
            return esc(service_id or "—")
        return link(self.record_href(here, service), self.relations.service_name(service.id))

    def pack_note(self, here: str) -> str:
        """Where auditors learn to make an offline, verifiable pack of a period."""
        guide = link(self.href(here, urls.AUDITOR), "审核员指南")
        return f'<p class="brm-pack">审核包：一条命令生成某一期间的离线证据包，见{guide}。</p>'

    @cached_property
    def upcoming(self) -> list[Due]:
        """Next review, survey and annual review per service, and open actions, by due date."""
        return upcoming(self.kb, self.report.policy, self.as_of)

    @cached_property
    def _dues(self) -> dict[tuple[str, str], Due]:
        found: dict[tuple[str, str], Due] = {}
        for due in self.upcoming:
            if due.record is None:
                found.setdefault((due.service, due.rule), due)
        return found

    def due(self, service_id: str, rule_id: str) -> Due | None:
        """The next review, survey or annual review of a service (None: nothing due)."""
        return self._dues.get((service_id, rule_id))

    def planned(self, record: Record) -> bool:
        """Dated after the check date: a planned meeting, not one held (it meets no obligation)."""
        return record.date is not None and record.date > self.as_of

    def last_review(self, service_id: str) -> Record | None:
        held = held_by(self.kb.of(service_id, "review"), self.as_of)
        return held[-1] if held else None

    @cached_property
    def by_rel(self) -> dict[str, Record]:
        """Records by their file (POSIX path relative to the root)."""
        return {record.rel: record for record in self.kb.records}

    # --- shared fragments ------------------------------------------------------------------

    def location(self, here: str, finding: Finding) -> str:
        """Where a finding is: a link to the record's page, and the file and line."""
        place = f"{finding.path}:{finding.line}" if finding.line else finding.path
        record = self.kb.by_id.get(finding.record or "")
        if record is None or record.rel != finding.path:
            record = self.by_rel.get(finding.path)
        target = ""
        if record is not None:
            target = self.record_link(here, record) + "<br>"
        return f'{target}<small class="brm-path">{wrap_path(place)}</small>'

    def severity_badge(self, finding: Finding) -> str:
        return badge(finding.severity.label, SEVERITY_CLASS[finding.severity])

    def findings_table(
        self,
        here: str,
        findings: Sequence[Finding],
        *,
        where: bool = True,
        group_ids: bool = False,
    ) -> str:
        """Findings as a table; ``group_ids`` gives each rule's first row an anchor."""
        head = ["严重性", "规则", "条款", *(["位置"] if where else []), "说明"]
        rows, ids, seen = [], [], set()
        for finding in findings:
            message = esc(finding.message)
            if finding.waived:
                message += (
                    "<br>" + badge("已豁免", "neutral") + " " + self.id_link(here, finding.waived)
                )
            row = [
                self.severity_badge(finding),
                self.rule_link(here, finding.rule),
                self.clause_link(here, finding.clause),
                *([self.location(here, finding)] if where else []),
                message,
            ]
            rows.append(row)
            anchor = urls.findings_anchor(finding.rule)
            ids.append(anchor if group_ids and anchor not in seen else None)
            seen.add(anchor)
        return table(head, rows, cls="brm-findings", row_ids=ids)

    def kind_label(self, kind: str) -> str:
        return KINDS[kind].label if kind in KINDS else kind

    def records_table(self, here: str, records: Iterable[Record], *, service: bool = False) -> str:
        rows = []
        for record in records:
            date_cell = day(when(record)) + (f" {PLANNED}" if self.planned(record) else "")
            row = [self.id_link(here, record), date_cell, self.record_link(here, record)]
            if service:
                row.insert(0, self.service_link(here, self.kb.service_of(record)))
            findings = self.index.of_record(record.id, record.rel)
            row.append(_mini_status(findings))
            rows.append(row)
        head = [*(["服务项目"] if service else []), "编号", "日期", "标题", "检查"]
        return table(head, rows, cls="brm-records")


#: The mark of a record dated after the check date, on the record lists and its own page.
PLANNED = badge("计划", NEUTRAL)


def when(record: Record) -> str:
    """The date a record is about: its date, received date, month or start."""
    for key in ("date", "received", "month", "start", "expires"):
        value = record.get(key)
        if value:
            return str(value)
    return ""


def _mini_status(findings: Sequence[Finding]) -> str:
    from brmkb.site.status import status

    state = status(findings)
    return badge(state.text, state.css)


def days_text(days: int) -> str:
    if days < 0:
        return f"已逾期 {-days} 天"
    if days == 0:
        return "今天到期"
    return f"还剩 {days} 天"
