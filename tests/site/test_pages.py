"""Record and service pages, rendered from the seeded knowledge base without MkDocs."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import markdown
import yaml

from brmkb import engine
from brmkb.site import build, records, urls
from tests.site import kbs
from tests.site.conftest import page_of


def _front_matter(content: str) -> dict:
    return yaml.safe_load(content.split("---\n", 2)[1])


def _html(content: str) -> str:
    """The page body as MkDocs renders it (same extensions that matter here)."""
    body = content.split("---\n", 2)[2]
    return markdown.Markdown(extensions=["attr_list", "md_in_html", "tables", "toc"]).convert(body)


def test_one_page_per_record_and_service(seeded, seeded_report) -> None:
    uris = {p.src_uri for p in seeded.pages}
    for record in seeded_report.kb.records:
        assert urls.record_page(record) in uris
    assert "records/svc-xss.md" not in uris  # a service's page is its service page
    assert {
        urls.DASHBOARD,
        urls.SERVICES,
        urls.RECORDS,
        urls.FIELDS,
        urls.RULES,
        urls.COVERAGE,
    } <= uris


def test_record_page_title_and_tags_are_escaped(seeded) -> None:
    content = page_of(seeded, "records/mn-xss-2026-10.md")
    meta = _front_matter(content)
    assert meta["title"] == "&lt;script&gt;alert(1)&lt;/script&gt;定期服务评审会议纪要"
    assert meta["tags"] == [
        "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;数据中心托管服务",
        "会议纪要",
    ]
    assert meta["search"] == {"boost": 2}  # records rank above the guides for kind words
    assert set(meta) == {"title", "tags", "search"}  # no record key reaches Material by accident


def test_record_page_titles_carry_their_kind(sample_report) -> None:
    site = build(sample_report)
    complaint = _front_matter(page_of(site, "records/cp-hosting-2025-001.md"))["title"]
    assert complaint == "客户投诉：B区精密空调故障导致机柜进风温度超标"
    minutes = _front_matter(page_of(site, "records/mn-hosting-2025-03.md"))["title"]
    assert minutes == "江南银行数据中心托管服务2025年第一次定期服务评审会议纪要"  # says it already


def test_no_front_matter_value_reaches_the_page_as_markup(seeded) -> None:
    for page in seeded.pages:
        rendered = _html(page_of(seeded, page.src_uri))
        assert "<script>alert" not in rendered, page.src_uri
        assert "<img src=x" not in rendered, page.src_uri
        assert 'onerror=alert(1)"' not in rendered, page.src_uri


def test_card_shows_the_front_matter(seeded) -> None:
    content = page_of(seeded, "records/mn-xss-2026-10.md")
    card = content[content.index('<div class="brm-card') :]
    card = card[: card.index("</table></div>")]
    rows = dict(re.findall(r'<th scope="row">(.*?)</th><td>(.*?)</td></tr>', card))
    assert rows["记录类型"] == "会议纪要"
    assert "2026-10-15" in rows["会议日期"]
    assert 'href="../rv-xss-2026-10/"' in rows["评审"]
    assert 'href="../../services/svc-xss/"' in rows["服务项目"]
    assert "发放部门" not in rows  # minutes end with their distribution, as on paper
    assert "本纪要发放至：服务部、&quot;&gt;&lt;img" in content
    assert rows["拟制部门"] == "服务部（默认）"
    assert rows["源文件"].endswith(
        "records/<wbr>svc-xss/<wbr>minutes/<wbr>mn-xss-2026-10.md</code>"
    )


def test_attendees_are_grouped_by_party(seeded) -> None:
    content = page_of(seeded, "records/mn-xss-2026-10.md")
    groups = re.findall(
        r'<span class="brm-group__label">(.*?)</span><span class="brm-group__items">(.*?)</span></div>',
        content,
    )
    assert [label for label, _ in groups] == ["内部部门", "客户"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<small>（服务部，乙方公司）" in groups[0][1]


def test_actions_show_status_and_what_they_address(seeded) -> None:
    content = page_of(seeded, "records/mn-xss-2026-10.md")
    assert '<h2 id="actions">行动项' in content
    assert '<span class="brm-badge brm-fail">未完成，已逾期 19 天</span>' in content
    assert '针对 <a href="../sv-xss-2026-10/"' in content


def test_minutes_read_like_paper_minutes(sample_report) -> None:
    """会议概况 (card, then the body), then 决议, 行动项, 发放范围; no distribution in the card."""
    content = page_of(build(sample_report), "records/mn-hosting-2025-03.md")
    order = [
        'class="brm-card',
        "## 会议概况",
        "## 会议内容",
        '<h2 id="decisions"',
        '<h2 id="actions"',
        '<h2 id="distribution"',
        '<h2 id="related"',
    ]
    positions = [content.index(marker) for marker in order]
    assert positions == sorted(positions)
    card = content.split('class="brm-card', 1)[1].split("</table>", 1)[0]
    assert "发放部门" not in card
    assert "本纪要发放至：服务部、销售部门、基础设施部、质量管理部。" in content


def test_record_findings_come_first(seeded) -> None:
    content = page_of(seeded, "records/mn-xss-2026-10.md")
    assert content.index("brm-record-findings") < content.index('class="brm-card')
    assert "检查结果（截至 2026-11-20）：警告 1" in content
    assert "rules/#rule-action-tracking" in content and "procedure/#clause-3-2-3" in content
    clean = page_of(seeded, "records/mr-xss-2026-08.md")
    assert "本记录未发现问题" in clean


def test_links_both_ways(seeded) -> None:
    review = page_of(seeded, "records/rv-xss-2026-10.md")
    minutes = page_of(seeded, "records/mn-xss-2026-10.md")
    survey = page_of(seeded, "records/sv-xss-2026-10.md")
    complaint = page_of(seeded, "records/cp-xss-001.md")
    waiver = page_of(seeded, "records/wv-xss-001.md")
    assert "会议纪要（评审）" in review and 'href="../mn-xss-2026-10/"' in review
    assert "本记录引用（评审）" in minutes and 'href="../rv-xss-2026-10/"' in minutes
    # survey ⇄ review that discusses it, survey ⇄ the action that addresses it
    assert "服务评审报告（讨论的记录）" in survey
    assert '<h2 id="improvements">改进措施' in survey and "ac-xss-1" in survey
    # complaint ⇄ waiver
    assert "合规豁免（记录）" in complaint and 'href="../wv-xss-001/"' in complaint
    assert '<h2 id="waived">豁免的问题' in waiver and "complaint-closure" in waiver


def test_survey_scores_against_targets(seeded) -> None:
    survey = page_of(seeded, "records/sv-xss-2026-10.md")
    assert '<h2 id="scores">得分' in survey
    assert "<td>响应速度</td><td>4.2</td><td>4.4</td>" in survey and "达标" in survey


def test_body_follows_the_card_and_repeated_title_is_dropped(seeded) -> None:
    report = page_of(seeded, "records/mr-xss-2026-08.md")
    assert report.count("# 服务月报（2026年8月）") == 1  # the page's H1, not the body's too
    assert report.index('class="brm-card') < report.index("## 运行情况")


def test_attachment_links(seeded) -> None:
    assert [a.src_uri for a in seeded.attachments] == ["records/svc-xss/attachments/contract.pdf"]
    service = page_of(seeded, "services/svc-xss.md")
    assert "[服务合同](../records/svc-xss/attachments/contract.pdf)" in service


REVIEW_WITH_INPUTS = "records/svc-xss/reviews/rv-xss-2026-10.md"


def with_inputs(tmp_path: Path, inputs: str, **extra: str):
    """The site of the sample knowledge base, one review given ``inputs`` (YAML lines)."""
    files = {**kbs.FILES, **extra}
    files[REVIEW_WITH_INPUTS] = files[REVIEW_WITH_INPUTS].replace(
        "discusses:", f"inputs:\n{inputs}discusses:"
    )
    return build(engine.run(kbs.write(tmp_path, files), date.fromisoformat(kbs.AS_OF)))


def test_review_inputs_link_to_attachments_and_records(tmp_path: Path) -> None:
    site = with_inputs(
        tmp_path,
        "  service_contract: ../attachments/contract.pdf\n"
        "  project_plan: {external: DOC-9, version: '2.0'}\n"
        "  monthly_reports: [mr-xss-2026-08]\n",
    )
    review = page_of(site, "records/rv-xss-2026-10.md")
    assert (
        '<a class="brm-attachment" href="../svc-xss/attachments/contract.pdf" download>contract.pdf</a>'
        in review
    )
    assert "外部文件 <code>DOC-9</code>，版本 2.0" in review
    assert 'href="../mr-xss-2026-08/"' in review
    monthly = page_of(site, "records/mr-xss-2026-08.md")
    assert "服务评审报告（评审输入：服务月报）" in monthly  # and back


def test_review_inputs_outside_records_are_named_not_published(tmp_path: Path) -> None:
    site = with_inputs(
        tmp_path,
        "  service_contract: ../../../contracts/HT-1.pdf\n"
        "  project_plan: ../../../contracts/none.pdf\n",
        **{"contracts/HT-1.pdf": "%PDF-1.4"},
    )
    review = page_of(site, "records/rv-xss-2026-10.md")
    assert f'<code class="brm-path">contracts/<wbr>HT-1.pdf</code>{records.KEPT_IN_REPOSITORY}' in review
    assert "<code>../../../contracts/none.pdf</code>（文件未找到）" in review
    assert not any("HT-1" in a.src_uri for a in site.attachments)


def test_broken_body_links_and_external_images_are_reported(tmp_path: Path) -> None:
    files = dict(kbs.FILES)
    files["records/svc-xss/surveys/sv-xss-2026-10.md"] += (
        "\n见[附件](../attachments/missing.pdf)和[纪要](../minutes/mn-xss-2026-10.md)。\n\n"
        "![图](https://example.com/a.png)\n\n```\n[示例](nowhere.md)\n```\n"
    )
    site = build(engine.run(kbs.write(tmp_path, files), date.fromisoformat(kbs.AS_OF)))
    survey = page_of(site, "records/sv-xss-2026-10.md")
    assert "[纪要](mn-xss-2026-10.md)" in survey  # MkDocs resolves and checks this link
    assert "[图](https://example.com/a.png)" in survey and "![图]" not in survey
    assert "[示例](nowhere.md)" in survey  # code is left alone
    problems = sorted((p.path, p.line) for p in site.problems)
    path = "records/svc-xss/surveys/sv-xss-2026-10.md"
    text = files[path].splitlines()
    assert problems == [
        (path, next(i for i, t in enumerate(text, 1) if "missing.pdf" in t)),
        (path, next(i for i, t in enumerate(text, 1) if "example.com" in t)),
    ]


def test_body_links_to_files_elsewhere_in_the_repository_are_named_not_linked(
    tmp_path: Path,
) -> None:
    files = {**kbs.FILES, "contracts/HT-1.pdf": "%PDF-1.4"}
    files["records/svc-xss/surveys/sv-xss-2026-10.md"] += (
        "\n见[合同](../../../contracts/HT-1.pdf)和[旧合同](../../../contracts/none.pdf)。\n"
    )
    site = build(engine.run(kbs.write(tmp_path, files), date.fromisoformat(kbs.AS_OF)))
    survey = page_of(site, "records/sv-xss-2026-10.md")
    assert "见合同（仓库内文件 contracts/HT\\-1\\.pdf，不随站点发布）和旧合同。" in survey
    assert [p.message for p in site.problems] == [
        "正文中的链接“../../../contracts/none.pdf”指向的文件不存在"
        "（相对于 records/svc-xss/surveys/sv-xss-2026-10.md）；请核对路径。"
    ]
    assert not any("HT-1" in a.src_uri for a in site.attachments)


def test_strip_title_keeps_a_different_heading() -> None:
    assert records.strip_title("# 标题\n\n正文", "标题") == "\n正文"
    assert records.strip_title("# 另一个\n\n正文", "标题") == "## 另一个\n\n正文"
    assert records.strip_title("正文", "标题") == "正文"


def test_service_page_sections(seeded) -> None:
    content = page_of(seeded, "services/svc-xss.md")
    headings = re.findall(r'<h2 id="([^"]+)">([^<]+)<a class="headerlink"', content)
    assert headings == [
        ("profile", "服务档案"),
        ("timeline", "评审时间线"),
        ("satisfaction", "客户满意度"),
        ("open-actions", "未完成的行动项"),
        ("complaints", "客户投诉"),
        ("records", "全部记录"),
    ]
    assert '<h3 id="records-minutes">会议纪要（1）' in content
    # the profile's own text sits under 服务档案, before the timeline
    assert content.index('id="profile"') < content.index("### ") < content.index('id="timeline"')
    assert content.count('<figure class="brm-chart') == 3  # timeline and two indicators
    assert "ac-xss-1" in content.split('id="open-actions"')[1].split('id="complaints"')[0]
    assert "cp-xss-001" in content.split('id="complaints"')[1]
    assert '下次评审：<time datetime="2027-04-15">' in content


def test_service_timeline_draws_the_service(seeded) -> None:
    import xml.etree.ElementTree as ET

    from brmkb.site import charts

    content = page_of(seeded, "services/svc-xss.md")
    svg = re.search(
        r'<svg xmlns="http://www.w3.org/2000/svg" viewBox[^>]*class="brm-timeline".*?</svg>',
        content,
    )
    root = ET.fromstring(svg.group(0))
    titles = [t.text or "" for t in root.iter(f"{{{charts.SVG_NS}}}title")]
    assert any(t.startswith("2026-10-15 定期服务评审") for t in titles)
    assert any(t.startswith("下次评审应不晚于 2027-04-15") for t in titles)
    links = [a.get("href") for a in root.iter(f"{{{charts.SVG_NS}}}a")]
    assert "../../records/rv-xss-2026-10/" in links and "../../records/sv-xss-2026-10/" in links


def test_overdue_review_gap_is_red(tmp_path: Path) -> None:
    files = dict(kbs.FILES)
    files["policy.yml"] = "as_of: 2027-06-01\nrules:\n  monthly-report: {enabled: false}\n"
    site = build(engine.run(kbs.write(tmp_path, files)))
    content = page_of(site, "services/svc-xss.md")
    assert 'class="brm-gap"' in content and "下一次评审已逾期 47 天" in content


def test_records_index_groups_by_service_and_kind(seeded) -> None:
    content = page_of(seeded, urls.RECORDS)
    assert (
        "## &quot;&gt;&lt;img src=x onerror=alert\\(1\\)&gt;数据中心托管服务 {#svc-svc-xss}"
        in content
    )
    assert "### 会议纪要（1） {#svc-svc-xss-minutes}" in content
    assert "## 合规豁免（1） {#waivers}" in content


def test_services_overview(seeded) -> None:
    content = page_of(seeded, urls.SERVICES)
    assert "知识库中共有 1 个服务项目" in content
    assert 'href="svc-xss/"' in content and "[全部记录](../records/index.md)" in content


def test_service_charts_say_only_what_they_show(sample_report) -> None:
    """The legend names the marks drawn; the deviation note only where a ring is drawn."""
    from brmkb.site import services

    site = build(sample_report)
    for service in sample_report.kb.services:
        content = page_of(site, f"services/{service.id}.md")
        figure = content.split('class="brm-chart brm-chart--timeline"', 1)[1].split("</figure>")[0]
        legend = re.findall(r'class="brm-legend__item">.*?</svg>(.*?)</span>', figure)
        kinds = {r["type"] for r in sample_report.kb.of(service.id, "review")}
        for kind, label in services.REVIEW_TYPES.items():
            assert (label in legend) == (kind in kinds), (service.id, label)
        assert ("超期区段" in legend) == ('class="brm-gap"' in figure), service.id
        for chart in content.split('<figure class="brm-chart">')[1:]:
            chart = chart.split("</figure>", 1)[0]
            assert ("红圈为需处理的偏差" in chart) == ('r="9"' in chart), service.id


def test_a_record_related_two_ways_is_one_row_naming_both(sample_site) -> None:
    """rv-hosting-2026-02 is ch-hosting-2026-01's additional review and discusses it."""
    page = sample_site.site / "records" / "ch-hosting-2026-01" / "index.html"
    html = page.read_text(encoding="utf-8")
    related = html[html.index("brm-related") :]
    related = related[: related.index("</table>")]
    assert related.count("<tr>") == 1 + len(set(re.findall(r'href="\.\./([^/"]+)/"', related)))
    assert "服务评审报告（合同变更、讨论的记录）" in related
    assert related.count('href="../rv-hosting-2026-02/"') == 2  # its id and its title, one row
