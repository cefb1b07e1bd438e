"""The sample shows what the rules read over time: a revised target, a January annual review
that covers the year before, and a planned review (dated after the check date)."""

from __future__ import annotations

import pytest

from brmkb import engine
from brmkb.site import build, charts, dashboard, urls
from brmkb.site.charts import Point
from tests.site.conftest import page_of


@pytest.fixture(scope="module")
def sample(sample_report: engine.Report):
    return build(sample_report)


def test_sample_passes(sample_report: engine.Report) -> None:
    assert sample_report.exit_code == 0
    assert not [f for f in sample_report.findings if f.rule == "annual-review"]


def test_chart_draws_each_period_of_a_revised_target(sample) -> None:
    content = page_of(sample, "services/svc-desktop.md")
    chart = content.split('id="sat-svc-desktop-response-', 1)[1].split("</svg>", 1)[0]
    assert "目标 4.2</text>" in chart and "目标 4.4</text>" in chart
    assert "目标 4.2 → 4.4" in content
    assert "2026-01-14 至 今" in content and "开始 至 2026-01-13" in content


def test_line_chart_steps_where_the_target_changes() -> None:
    points = [
        Point("a", 4.3, True, "a", target=4.2),
        Point("b", 4.3, False, "b", target=4.5),
        Point("c", 4.6, True, "c", target=4.5),
    ]
    svg = charts.line_chart(points, target=4.5, scale=5, title="t")
    assert svg.count("目标 4.2</text>") == 1 and svg.count("目标 4.5</text>") == 1


def test_dashboard_marks_the_planned_review(sample) -> None:
    row = dashboard.services_table(sample.context).split(
        f'id="{urls.service_anchor("svc-appmaint")}"', 1
    )[1]
    assert "计划 2026-12-10" in row.split("</tr>", 1)[0]


def test_planned_record_page_says_it_is_planned(sample) -> None:
    content = page_of(sample, urls.record_page(sample.context.kb.by_id["rv-appmaint-2026-12"]))
    assert "这是计划，尚未召开" in content


def test_records_list_marks_planned_records(sample) -> None:
    content = page_of(sample, urls.RECORDS)
    row = content.split("rv-appmaint-2026-12", 1)[1].split("</tr>", 1)[0]
    assert "计划" in row


def test_january_annual_review_covers_the_year_before(sample) -> None:
    review = sample.context.kb.by_id["rv-desktop-2025-01"]
    assert review["covers"] == 2024 and review.date.year == 2025


def test_field_guide_explains_each_semantics_with_examples(sample) -> None:
    content = page_of(sample, urls.FIELDS)
    for anchor in ("indicator-history", "annual-covers", "planned", "additional-window"):
        section = content.split(f"{{#note-{anchor}}}", 1)[1].split("\n### ", 1)[0]
        assert "通过示例" in section and "不通过示例" in section


def test_timeline_draws_the_planned_review_hollow(sample) -> None:
    content = page_of(sample, "services/svc-appmaint.md")
    mark = content.split("2026-12-10 定期服务评审（计划）", 1)[0].rsplit("<circle", 1)[1]
    assert 'fill="var(--md-default-bg-color, #fff)"' in mark
