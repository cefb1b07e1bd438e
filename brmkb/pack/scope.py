"""What an audit pack covers: a period, some services, a check date.

The check runs on the whole knowledge base (an obligation near the period's start depends
on what happened before it), then ``restrict`` keeps only the records of the period and
services and the findings about them. Every part of the pack — pages, search index,
workbook, PDFs, attachments — is made from the restricted report, so nothing outside the
scope can reach it.
"""

from __future__ import annotations

import calendar
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from brmkb.engine import Report
from brmkb.model import KnowledgeBase, Record
from brmkb.pack import PackError


class ScopeError(PackError):
    """The requested scope cannot make a pack (one line, in Chinese)."""


@dataclass(frozen=True, slots=True)
class Scope:
    start: date
    end: date
    #: The services in scope; empty means every service active in the period.
    services: tuple[str, ...]
    as_of: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ScopeError(f"--from {self.start} 晚于 --to {self.end}；请交换两个日期")

    def chosen(self, kb: KnowledgeBase) -> list[Record]:
        """The service records in scope; ScopeError for an unknown service."""
        known = {service.id: service for service in kb.services}
        unknown = [s for s in self.services if s not in known]
        if unknown:
            similar = [kb.same_but_case(s) for s in unknown]
            hint = "、".join(f"{s} 应写作 {k}" for s, k in zip(unknown, similar, strict=True) if k)
            raise ScopeError(
                f"没有服务项目“{'、'.join(unknown)}”"
                + (f"：编号大小写不一致（{hint}）" if hint else "")
                + f"；已有的服务项目：{'、'.join(known) or '无'}"
            )
        if self.services:
            return [known[s] for s in sorted(set(self.services))]
        return [s for s in kb.services if _overlaps(s.get("start"), s.get("end"), self)]

    def restrict(self, report: Report) -> Report:
        """The report limited to the scope: its records, and the findings on them."""
        kb = report.kb
        services = {s.id for s in self.chosen(kb)}
        kept = [r for r in kb.records if r.kind != "waiver" and self._holds(kb, r, services)]
        ids = {r.id for r in kept}
        kept += [r for r in kb.of_kind("waiver") if self._in_force(r, services, ids)]
        kept.sort(key=lambda r: r.rel)
        paths = {r.rel for r in kept}
        known = {i: rel for i, rel in kb.known_ids.items() if rel in paths}
        findings = [f for f in report.findings if f.path in paths]
        # The check date is the pack's (--to or --as-of), even where it equals policy.yml's.
        chosen = replace(report.policy, settings={**report.policy.settings, "as_of": None})
        return Report(KnowledgeBase(kb.root, kept, known), chosen, report.as_of, findings)

    def _holds(self, kb: KnowledgeBase, record: Record, services: set[str]) -> bool:
        if record.kind == "service":
            return record.id in services
        if kb.service_of(record) not in services:
            return False
        if record.kind == "complaint":  # received before the period and still open counts
            return _overlaps(record.get("received"), record.get("closed"), self)
        if record.kind == "monthly-report":
            year, month = (int(part) for part in str(record["month"]).split("-"))
            last = calendar.monthrange(year, month)[1]
            return _overlaps(date(year, month, 1), date(year, month, last), self)
        return record.date is not None and self.start <= record.date <= self.end

    def _in_force(self, waiver: Record, services: set[str], ids: set[str]) -> bool:
        """A waiver not expired on the check date, about a service or record in scope."""
        expires = waiver.get("expires")
        if expires is not None and expires < self.as_of:
            return False
        return waiver.get("service") in services or waiver.get("record") in ids


#: Environment variable by which ``brmkb pack`` hands the scope to the site hook, which runs
#: in the MkDocs process: the site then shows only the scope's records, checked as of its date.
ENVIRONMENT = "BRMKB_PACK_SCOPE"


def to_environment(scope: Scope) -> str:
    return json.dumps(
        {
            "from": scope.start.isoformat(),
            "to": scope.end.isoformat(),
            "services": list(scope.services),
            "as_of": scope.as_of.isoformat(),
        }
    )


def from_environment() -> Scope | None:
    """The scope of the pack being built, or None for the ordinary site."""
    value = os.environ.get(ENVIRONMENT)
    if not value:
        return None
    data = json.loads(value)
    return Scope(
        date.fromisoformat(data["from"]),
        date.fromisoformat(data["to"]),
        tuple(data["services"]),
        date.fromisoformat(data["as_of"]),
    )


def _overlaps(first: date | None, last: date | None, scope: Scope) -> bool:
    return (first is None or first <= scope.end) and (last is None or last >= scope.start)


def evidence(records: Iterable[Record]) -> list[Record]:
    """The records a pack counts: everything but service profiles and waivers."""
    return [r for r in records if r.kind not in ("service", "waiver")]
