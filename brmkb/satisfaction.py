"""Customer satisfaction: indicator series and their deviations (3.2.2–3.2.4).

Shared by the deviation rules and the site's charts, so both agree on what a deviation is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from brmkb.model import KnowledgeBase, Record


@dataclass(frozen=True, slots=True)
class Indicator:
    id: str
    name: str
    target: float
    scale: int
    higher_is_better: bool

    def worse(self, score: float, than: float) -> bool:
        return score < than if self.higher_is_better else score > than

    def misses_target(self, score: float) -> bool:
        return self.worse(score, self.target)


@dataclass(frozen=True, slots=True)
class Deviation:
    """A survey whose result needs improvement: below target, or declining for several surveys."""

    survey: Record
    indicator: Indicator
    score: float
    reason: str


def indicators(service: Record) -> list[Indicator]:
    return [
        Indicator(
            item["id"],
            item["name"],
            item["target"],
            item.get("scale", 5),
            item.get("higher_is_better", True),
        )
        for item in service.get("satisfaction", [])
    ]


def series(
    kb: KnowledgeBase, service: Record, indicator: Indicator
) -> list[tuple[date, float, Record]]:
    """The indicator's scores, oldest first."""
    return [
        (survey.date, survey["scores"][indicator.id], survey)
        for survey in kb.of(service.id, "survey")
        if indicator.id in survey["scores"]
    ]


def deviations(
    kb: KnowledgeBase, service: Record, decline_count: int, as_of: date
) -> list[Deviation]:
    """Deviations of every indicator, in survey order; ``decline_count`` consecutive drops make a trend."""
    found: list[Deviation] = []
    for indicator in indicators(service):
        points = [p for p in series(kb, service, indicator) if p[0] <= as_of]
        drops = 0
        for index, (_, score, survey) in enumerate(points):
            drops = drops + 1 if index and indicator.worse(score, points[index - 1][1]) else 0
            if indicator.misses_target(score):
                found.append(Deviation(survey, indicator, score, f"低于目标 {indicator.target}"))
            elif decline_count and drops >= decline_count:
                found.append(Deviation(survey, indicator, score, f"连续 {drops} 次调查下降"))
    found.sort(key=lambda d: (d.survey.date, d.survey.id, d.indicator.id))
    return found
