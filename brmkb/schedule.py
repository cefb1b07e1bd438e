"""What falls due next, per service: shared by the rules, the dashboard, the calendar feed and CSV."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from brmkb.annual import obligations
from brmkb.intervals import Late, Next, late_events, pending
from brmkb.model import KnowledgeBase, Record
from brmkb.policy import Policy
from brmkb.registry import get


def held_by(records: list[Record], as_of: date) -> list[Record]:
    """Records dated on or before the as-of date: later ones have not happened yet."""
    return [r for r in records if r.date is not None and r.date <= as_of]


def review_timeline(
    kb: KnowledgeBase, service: Record, months: int, counted: list[str], as_of: date
) -> tuple[list[Late[Record]], Next[Record]]:
    """Late reviews and the next one due, counting only the review types that satisfy 3.1.1."""
    reviews = [r for r in held_by(kb.of(service.id, "review"), as_of) if r["type"] in counted]
    return late_events(service["start"], [(r.date, r) for r in reviews], months)


def survey_timeline(
    kb: KnowledgeBase, service: Record, months: int, as_of: date
) -> tuple[list[Late[Record]], Next[Record]]:
    surveys = held_by(kb.of(service.id, "survey"), as_of)
    return late_events(service["start"], [(s.date, s) for s in surveys], months)


@dataclass(frozen=True, slots=True)
class Due:
    """One upcoming or overdue obligation of a service."""

    service: str
    what: str
    due: date
    days_left: int
    rule: str
    record: str | None = None
    #: The date of a record planned to meet it (dated after the as-of date: not held yet).
    planned: date | None = None

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def upcoming(
    kb: KnowledgeBase, policy: Policy, as_of: date, service: str | None = None
) -> list[Due]:
    """The next review and survey of every active service, and every open action, by due date;
    only those of ``service`` if given (one service's calendar need not look at the others)."""
    services = [s for s in kb.services if service in (None, s.id)]
    items = [due for s in services for due in _service_dues(kb, policy, s, as_of)]
    minutes = kb.of_kind("minutes") if service is None else kb.of(service, "minutes")
    items.extend(_open_actions(kb, minutes, as_of))
    return sorted(items, key=lambda d: (d.due, d.service, d.what))


def _service_dues(kb: KnowledgeBase, policy: Policy, service: Record, as_of: date) -> Iterator[Due]:
    frequency = policy.options(get("review-frequency"))
    _, review = review_timeline(
        kb, service, frequency["interval_months"], frequency["counting_types"], as_of
    )
    cadence = policy.options(get("survey-cadence"))
    _, survey = survey_timeline(kb, service, cadence["interval_months"], as_of)
    reviews = kb.of(service.id, "review")
    counted = frequency["counting_types"]
    for what, rule, upcoming_item, later in (
        ("服务评审", "review-frequency", review, [r for r in reviews if r["type"] in counted]),
        ("客户满意度调查", "survey-cadence", survey, kb.of(service.id, "survey")),
    ):
        days = pending(upcoming_item.due, as_of, service.get("end"))
        if days is not None:
            planned = next((r.date for r in later if r.date > as_of), None)
            yield Due(service.id, what, upcoming_item.due, days, rule, planned=planned)
    annual = policy.options(get("annual-review"))
    for obligation in obligations(kb, service, annual, as_of)[1]:
        year = obligation.year
        if obligation.held:
            continue
        yield Due(
            service.id,
            "年度服务评审",
            year.end,
            (year.end - as_of).days,
            "annual-review",
            planned=obligation.planned[0].date if obligation.planned else None,
        )


def _open_actions(kb: KnowledgeBase, minutes_records: list[Record], as_of: date) -> Iterator[Due]:
    for minutes in minutes_records:
        for action in minutes.get("actions", []):
            if action["status"] == "open":
                yield Due(
                    kb.service_of(minutes) or "",
                    f"行动项 {action['id']}：{action['text']}",
                    action["due"],
                    (action["due"] - as_of).days,
                    "agreed-revisions" if action.get("revises") else "action-tracking",
                    minutes.id,
                )
