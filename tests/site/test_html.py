"""Escaping and small HTML helpers: nothing from a record reaches the page as markup."""

from __future__ import annotations

import re

import markdown
import pytest
import yaml

from brmkb.site import html
from tests.site.kbs import XSS_IMG, XSS_SCRIPT

HOSTILE = [XSS_SCRIPT, XSS_IMG, "a & b", "'single'", "{: onclick=alert(1) }", "*em* [x](y) `c`"]


@pytest.mark.parametrize("text", HOSTILE)
def test_esc_leaves_no_markup(text: str) -> None:
    out = html.esc(text)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out


@pytest.mark.parametrize("text", HOSTILE)
def test_md_text_renders_as_the_same_text(text: str) -> None:
    md = markdown.Markdown(extensions=["attr_list", "toc", "tables"])
    rendered = md.convert(f"## {html.md_text(text)}")
    opening, _, rest = rendered.partition(">")
    assert re.fullmatch(r'<h2 id="[^"]*"', opening)  # no attribute but the generated id
    assert rest == html.esc(text) + "</h2>"


def test_front_matter_escapes_title_and_tags_for_material() -> None:
    text = html.front_matter(XSS_SCRIPT, [XSS_IMG, "会议纪要", "会议纪要"])
    data = yaml.safe_load(text.strip().strip("-"))
    assert data["title"] == "&lt;script&gt;alert(1)&lt;/script&gt;"
    assert data["tags"] == ["&quot;&gt;&lt;img src=x onerror=alert(1)&gt;", "会议纪要"]


def test_front_matter_passes_only_deliberate_keys() -> None:
    data = yaml.safe_load(html.front_matter("看板", hide=["navigation"]).strip().strip("-"))
    assert data == {"title": "看板", "hide": ["navigation"]}


def test_badge_and_link_escape_text_and_href() -> None:
    assert html.badge(XSS_SCRIPT, html.FAIL) == (
        '<span class="brm-badge brm-fail">&lt;script&gt;alert(1)&lt;/script&gt;</span>'
    )
    out = html.link('x" onclick="y', XSS_IMG)
    assert out.startswith('<a href="x&quot; onclick=&quot;y">')


def test_table_wraps_classless_table_and_anchors_rows() -> None:
    out = html.table(["甲", "<乙>"], [["1", "2"], ["3", "4"]], cls="brm-x", row_ids=["r1", None])
    assert out.startswith('<div class="brm-table brm-x"><table><thead>')
    assert "<th>&lt;乙&gt;</th>" in out and '<tr id="r1">' in out and "<tr><td>3" in out
    assert html.table(["a"], []) == ""


def test_block_has_no_blank_line_inside() -> None:
    out = html.block("<div>\n\n<p>x</p>\n\n</div>")
    assert "\n\n" not in out.strip("\n")


def test_day_does_not_wrap() -> None:
    assert html.day("2026-11-20") == '<time datetime="2026-11-20">2026-11-20</time>'
    assert html.day(None) == ""


def test_demote_shifts_headings_outside_code() -> None:
    text = "# A\n\n## B\n\n```\n# not a heading\n```\n"
    assert html.demote(text) == "## A\n\n### B\n\n```\n# not a heading\n```\n"


def test_generated_html_is_stashed_from_markdown_and_restored() -> None:
    from brmkb.site.html import block, stash, unstash

    card = '<div class="brm-card"><dl><dt>标题</dt>\n<dd>&lt;script&gt;</dd></dl></div>'
    markdown = (
        "# 标题\n" + block(card) + "正文 *强调*\n" + block("<table><tr><td>1</td></tr></table>")
    )
    text, blocks = stash(markdown)
    assert "brm-card" not in text and "<table>" not in text and "正文 *强调*" in text
    first, second = (line for line in text.splitlines() if line.startswith("<!--brm-"))
    html = f"<h1>标题</h1>\n{first}\n<p>正文 <em>强调</em></p>\n{second}"
    restored = unstash(html, blocks)
    assert card in restored and "<table><tr><td>1</td></tr></table>" in restored
    assert "<!--brm-" not in restored


def test_placeholders_cannot_be_written_by_a_record() -> None:
    """Placeholder text that a record could guess is left alone (it was a crash before)."""
    from brmkb.site.html import keep, unstash

    blocks: list[str] = []
    mine = keep(blocks, "<p>generated</p>")
    guessed = "<!--BRMRAW999999--><!--brm-raw--><!--brm-0-0-->"
    assert unstash(guessed + mine, blocks) == guessed + "<p>generated</p>"


def test_people_decisions_and_actions_are_indexed_as_hidden_escaped_terms() -> None:
    from pathlib import Path

    from brmkb.model import Record
    from brmkb.site.records import search_terms

    data = {
        "kind": "minutes",
        "id": "mn-1",
        "attendees": [
            {"name": "<script>alert(1)</script>", "org": "甲方", "party": "customer"},
            {"name": "许斌", "org": "甲方", "party": "customer"},
        ],
        "actions": [{"owner": "*王五*", "text": "更新驻场作业指导书"}],
        "decisions": ["下月起增加夜间巡检"],
    }
    terms = search_terms(Record(Path("x.md"), "x.md", data, "", "", 1))
    assert terms.startswith('<p class="brm-search-terms">') and terms.endswith("</p>")
    assert "&lt;script&gt;" in terms and "<script>" not in terms
    assert terms.count("甲方") == 1 and "许斌" in terms and "*王五*" in terms
    assert "更新驻场作业指导书" in terms and "下月起增加夜间巡检" in terms
    assert "minutes meeting" in terms  # English words find the kind too
    change = Record(Path("x.md"), "x.md", {"kind": "change", "id": "c"}, "", "", 1)
    assert search_terms(change) == '<p class="brm-search-terms">contract change</p>'
    service = Record(Path("x.md"), "x.md", {"kind": "service", "id": "s"}, "", "", 1)
    assert search_terms(service) == ""


def test_inserts_join_after_the_h1_and_at_the_end_and_their_sections_join_the_toc() -> None:
    from types import SimpleNamespace

    from brmkb.site.html import Inserts, Section, unstash

    inserts = Inserts(
        lead='<div class="brm-card">卡片</div>',
        head=(Section("decisions", "决议", "<ol><li>甲</li></ol>"),),
        tail=(Section("related", "相关记录", "<table></table>", "brm-screen-only"),),
        indexed='<p class="brm-search-terms">许斌</p>',
    )
    blocks: list[str] = []
    page = '<h1 id="t">标题</h1>\n<h2 id="body">正文</h2>'
    placed = inserts.place(page, blocks)
    # what search reads: the body and the indexed terms, not the card or the sections
    assert "卡片" not in placed and "决议" not in placed and "许斌" in placed
    finished = unstash(placed, blocks)
    # the indexed terms close the body: result snippets show the record's own text first
    order = ["标题", "卡片", 'id="decisions"', 'id="body"', "许斌", 'id="related"']
    assert [finished.index(part) for part in order] == sorted(
        finished.index(part) for part in order
    )
    assert '<h2 id="related" class="brm-screen-only">相关记录<a class="headerlink"' in finished

    def entry(title: str, id: str, level: int) -> SimpleNamespace:
        return SimpleNamespace(title=title, id=id, level=level, children=[])

    toc = [entry("标题", "t", 1)]
    toc[0].children.append(entry("正文", "body", 2))
    inserts.extend_toc(toc, entry)
    assert [c.id for c in toc[0].children] == ["decisions", "body", "related"]


def test_deeper_headings_that_open_the_body_nest_under_the_last_head_section() -> None:
    from types import SimpleNamespace

    from brmkb.site.html import Inserts, Section

    def entry(title: str, id: str, level: int) -> SimpleNamespace:
        return SimpleNamespace(title=title, id=id, level=level, children=[])

    toc = [entry("服务", "t", 1)]
    toc[0].children += [entry("概述", "a", 3), entry("范围", "b", 3), entry("其他", "c", 2)]
    records = Section("records", "全部记录", "", children=(Section("r-m", "纪要", "", level=3),))
    Inserts(head=(Section("profile", "服务档案", ""),), tail=(records,)).extend_toc(toc, entry)
    sections = toc[0].children
    assert [s.id for s in sections] == ["profile", "c", "records"]
    assert [s.id for s in sections[0].children] == ["a", "b"]
    assert [s.id for s in sections[2].children] == ["r-m"]


def test_generated_headings_use_the_permalink_title_of_mkdocs_yml() -> None:
    import re

    from brmkb.site.html import PERMALINK_TITLE
    from tests.site.conftest import REPO

    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert (
        re.search(r"^\s*permalink_title:\s*(\S+)\s*$", config, re.MULTILINE)[1] == PERMALINK_TITLE
    )


def test_front_matter_escapes_what_yaml_refuses() -> None:
    """C1 controls and non-characters in a title: MkDocs would drop the whole front matter."""
    from brmkb.site.html import front_matter

    title = "月报\x84\x85\x7f\u2028\ufffe"
    meta = yaml.safe_load(front_matter(title, [title]).strip().strip("-"))
    assert meta == {"title": title, "tags": [title]}
