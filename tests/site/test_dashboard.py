"""合规看板: its numbers are computed from a small knowledge base whose answers are known."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from brmkb import engine
from brmkb.site import build, dashboard, urls
from brmkb.site.context import Context
from brmkb.site.html import FAIL, NEUTRAL, PASS
from tests.site import kbs
from tests.site.conftest import page_of


def _rows(html: str, table_class: str) -> list[list[str]]:
    table = html.split(f'<div class="brm-table {table_class}">', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body)]


def test_headline_counts(seeded_ctx: Context) -> None:
    head = dashboard.headline(seeded_ctx)
    stats = dict(
        (label, int(n))
        for n, label in re.findall(
            r'brm-stat__n">(\d+)</span><span class="brm-stat__label">(.*?)</span>', head
        )
    )
    assert stats == {"记录": 9, "服务项目": 1, "错误": 0, "警告": 1, "提示": 0, "已豁免": 1}
    assert "通过" in head


def test_headline_says_the_check_date_is_pinned(seeded_ctx: Context, seeded_root: Path) -> None:
    pinned = "检查日固定为 2026-11-20（policy.yml 的 as_of）"
    assert pinned in dashboard.headline(seeded_ctx)
    assert pinned in page_of(build(seeded_ctx.report), urls.service_page("svc-xss"))
    later = build(engine.run(seeded_root, date(2026, 11, 21))).context
    head = dashboard.headline(later)
    assert "固定" not in head and "检查日 <strong>2026-11-21</strong>" in head


def test_service_row_last_review_and_next_due(seeded_ctx: Context) -> None:
    row = _rows(dashboard.services_table(seeded_ctx), "brm-dashboard-services")[0]
    assert "2026-10-15" in row[1] and "定期服务评审" in row[1]
    assert "2027-04-15" in row[2] and "还剩 146 天" in row[2]
    assert "2027-04-20" in row[3]  # six months after the survey of 2026-10-20
    assert row[4] == "—"  # no full calendar year yet: no annual review due
    assert "警告 1（豁免 1）" in row[5]


def test_every_rule_has_a_status_row(seeded_ctx: Context) -> None:
    matrix = dashboard.rules_matrix(seeded_ctx)
    for rule in seeded_ctx.rules:
        assert f'<tr id="status-{rule.id}">' in matrix
        row = matrix.split(f'<tr id="status-{rule.id}">', 1)[1].split("</td>", 1)[0]
        assert f">{rule.title}<br><small><code>{rule.id}</code>" in row  # Chinese title first
    row = matrix.split('<tr id="status-action-tracking">', 1)[1].split("</tr>", 1)[0]
    assert 'href="#findings-action-tracking">警告 1</a>' in row
    waived = matrix.split('<tr id="status-complaint-closure">', 1)[1].split("</tr>", 1)[0]
    assert "符合（豁免 1）" in waived


def test_unwaived_findings_link_to_the_exact_record(seeded_ctx: Context) -> None:
    table = dashboard.unwaived(seeded_ctx)
    assert '<tr id="findings-action-tracking">' in table
    assert 'href="../records/mn-xss-2026-10/"' in table
    line = (
        kbs.FILES["records/svc-xss/minutes/mn-xss-2026-10.md"]
        .splitlines()
        .index("    due: 2026-11-01")
        + 1
    )
    assert f"records/<wbr>svc-xss/<wbr>minutes/<wbr>mn-xss-2026-10.md:{line}" in table
    assert "complaint-closure" not in table  # waived: listed separately


def test_waived_findings_with_their_waivers(seeded_ctx: Context) -> None:
    row = _rows(dashboard.waived(seeded_ctx), "brm-waived")[0]
    assert "complaint-closure" in row[1] and 'href="../records/cp-xss-001/"' in row[2]
    assert 'href="../records/wv-xss-001/"' in row[4]
    assert row[5] == "&lt;script&gt;alert(1)&lt;/script&gt;备件缺货"
    assert row[6] == "质量管理部" and "2027-12-31" in row[7]


def test_upcoming_groups_by_days(tmp_path: Path) -> None:
    files = dict(kbs.FILES)
    files["policy.yml"] = "as_of: 2027-03-10\nrules:\n  monthly-report: {enabled: false}\n"
    ctx = build(engine.run(kbs.write(tmp_path, files))).context
    out = dashboard.upcoming_tables(ctx)
    overdue, soon, later = re.split(r'<h3 class="brm-subhead">', out)[1:]
    assert overdue.startswith("已逾期（1）") and "ac-xss-1" in overdue
    assert soon.startswith("30 天内到期（0）")
    # the review (2027-04-15, 36 days) and the survey (2027-04-20, 41 days) fall due in 31–60 days
    assert later.startswith("31～60 天内到期（2）")
    assert "服务评审" in later and "客户满意度调查" in later


def test_stakeholder_coverage(tmp_path: Path) -> None:
    files = dict(kbs.FILES)
    files["records/svc-xss/service.md"] = files["records/svc-xss/service.md"].replace(
        "departments: [服务部]", "departments: [服务部]\nsuppliers: [云栖电力]\nexternal: [电信]"
    )
    files["policy.yml"] = (
        f"as_of: {kbs.AS_OF}\nrules:\n  stakeholder-participation: {{enabled: false}}\n"
    )
    ctx = build(engine.run(kbs.write(tmp_path, files))).context
    service = ctx.kb.by_id["svc-xss"]
    cover = dashboard.stakeholder_coverage(ctx, service)
    assert (cover["internal"].meetings, cover["customer"].meetings) == (1, 1)
    assert cover["supplier"].missing == ("云栖电力",) and cover["supplier"].css == FAIL
    assert cover["internal"].css == PASS
    matrix = dashboard.stakeholder_matrix(ctx)
    assert "未参加：云栖电力" in matrix and "未参加：电信" in matrix


def test_party_without_organizations_is_not_required(seeded_ctx: Context) -> None:
    cover = dashboard.stakeholder_coverage(seeded_ctx, seeded_ctx.kb.by_id["svc-xss"])
    assert cover["supplier"].css == NEUTRAL and not cover["supplier"].required


def test_action_tracker(seeded_ctx: Context) -> None:
    out = dashboard.action_tracker(seeded_ctx)
    assert "共 1 项：未完成 1 项（其中逾期 1 项），已完成 0 项。" in out
    assert "未完成，已逾期 19 天" in out


def test_page_has_every_section(seeded) -> None:
    content = page_of(seeded, urls.DASHBOARD)
    for anchor in (
        "services",
        "rules",
        "findings",
        "waived",
        "upcoming",
        "stakeholders",
        "actions",
    ):
        assert f"{{#{anchor}}}" in content


def test_sample_knowledge_base_dashboard(sample_report) -> None:
    ctx = build(sample_report).context
    assert len(_rows(dashboard.services_table(ctx), "brm-dashboard-services")) == len(
        sample_report.kb.services
    )
    assert dashboard.unwaived(ctx).count("<tr id=") == len(
        {f.rule for f in sample_report.findings if f.waived is None}
    )
