"""Customer satisfaction: indicator definitions over time, score series and deviations (3.2.2–3.2.4).

Shared by the deviation rules and the site's charts, so both agree on what a deviation is.
An indicator may be defined several times with ``from``/``until`` when the project plan
revises it (3.1.8); each survey is judged by the definition in force on its date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from brmkb.model import KnowledgeBase, Record


@dataclass(frozen=True, slots=True)
class Indicator:
    """One definition of an indicator, in force from ``start`` to ``until`` (inclusive; None:
    unbounded). ``index`` is its place in the service's ``satisfaction`` list."""

    id: str
    name: str
    target: float
    scale: int
    higher_is_better: bool
    start: date | None = None
    until: date | None = None
    index: int = 0

    def worse(self, score: float, than: float) -> bool:
        return score < than if self.higher_is_better else score > than

    def misses_target(self, score: float) -> bool:
        return self.worse(score, self.target)

    @property
    def shortfall(self) -> str:
        """How a score that misses the target misses it, in words."""
        if self.higher_is_better:
            return f"低于目标 {self.target}"
        return f"高于目标 {self.target}（越低越好）"

    def in_force(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (
            self.until is None or day <= self.until
        )

    def comparable(self, other: Indicator) -> bool:
        """Scores of two definitions of one indicator can form a trend: same scale and direction."""
        return (
            self.id == other.id
            and self.scale == other.scale
            and self.higher_is_better == other.higher_is_better
        )

    @property
    def period(self) -> str:
        """The period in words, empty when the definition always applies."""
        if self.start is None and self.until is None:
            return ""
        return f"{self.start or '开始'} 至 {self.until or '今'}"


@dataclass(frozen=True, slots=True)
class Score:
    """One survey's score of an indicator, with the definition in force on the survey's date."""

    day: date
    value: float
    survey: Record
    indicator: Indicator | None


@dataclass(frozen=True, slots=True)
class Deviation:
    """A survey whose result needs improvement: below target, or declining for several surveys."""

    survey: Record
    indicator: Indicator
    score: float
    reason: str


def indicators(service: Record) -> list[Indicator]:
    """Every definition of every indicator, in the order written."""
    return [
        Indicator(
            item["id"],
            item["name"],
            item["target"],
            item.get("scale", 5),
            item.get("higher_is_better", True),
            item.get("from"),
            item.get("until"),
            index,
        )
        for index, item in enumerate(service.get("satisfaction", []))
    ]


def indicator_ids(service: Record) -> list[str]:
    """Each indicator id once, in the order first written."""
    return list(dict.fromkeys(i.id for i in indicators(service)))


def in_force(service: Record, day: date) -> dict[str, Indicator]:
    """The definitions that judge a survey held on ``day``, by indicator id."""
    return {i.id: i for i in indicators(service) if i.in_force(day)}


def series(kb: KnowledgeBase, service: Record, indicator_id: str) -> list[Score]:
    """The indicator's scores, oldest first, each with the definition in force on its date."""
    definitions = [i for i in indicators(service) if i.id == indicator_id]
    return [
        Score(
            survey.date,
            survey["scores"][indicator_id],
            survey,
            next((i for i in definitions if i.in_force(survey.date)), None),
        )
        for survey in kb.of(service.id, "survey")
        if indicator_id in survey["scores"]
    ]


def judged(kb: KnowledgeBase, service: Record, indicator_id: str) -> list[tuple[Score, Indicator]]:
    """The scores that a definition in force judges, with that definition. A score without one,
    or off its scale (a typing error such as 45 for 4.5), is reported by the
    satisfaction-indicators rule and judged by nothing else: it makes no deviation, and no
    trend of the valid scores after it."""
    return [
        (p, i)
        for p in series(kb, service, indicator_id)
        if (i := p.indicator) is not None and 0 <= p.value <= i.scale
    ]


def deviations(
    kb: KnowledgeBase, service: Record, decline_count: int, as_of: date
) -> list[Deviation]:
    """Deviations of every indicator, in survey order; ``decline_count`` consecutive drops
    make a trend, counted only between scores whose definitions share scale and direction."""
    found: list[Deviation] = []
    for indicator_id in indicator_ids(service):
        points = [(p, i) for p, i in judged(kb, service, indicator_id) if p.day <= as_of]
        drops = 0
        for index, (point, indicator) in enumerate(points):
            before = points[index - 1] if index else None
            drops = (
                drops + 1
                if before is not None
                and indicator.comparable(before[1])
                and indicator.worse(point.value, before[0].value)
                else 0
            )
            if indicator.misses_target(point.value):
                found.append(Deviation(point.survey, indicator, point.value, indicator.shortfall))
            elif decline_count and drops >= decline_count:
                found.append(
                    Deviation(point.survey, indicator, point.value, f"连续 {drops} 次调查下降")
                )
    found.sort(key=lambda d: (d.survey.date, d.survey.id, d.indicator.id))
    return found
