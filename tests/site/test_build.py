"""Real ``mkdocs build --strict`` runs: the sample knowledge base, a seeded one, a broken one."""

from __future__ import annotations

import json
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from brmkb import engine
from brmkb.site import searchworker, urls
from tests.site import kbs
from tests.site.conftest import REPO, Build


class _Page(HTMLParser):
    """Links, resources and ids of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if values.get(key):
                self.links.append((tag, values[key]))


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, link: str) -> tuple[Path, str]:
    parts = urlsplit(link)
    base = page.parent.relative_to(site).as_posix()
    path = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else None
    target = page if path is None else site / path
    if target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def test_sample_knowledge_base_builds_strict(sample_site: Build) -> None:
    assert "WARNING" not in sample_site.log and "Documentation built" in sample_site.log
    assert "brmkb: 通过：" in sample_site.log


def test_build_log_has_only_the_projects_own_lines(sample_site: Build) -> None:
    """jieba's dictionary messages go to the debug log; the user dictionary still applies."""
    assert "prefix dict" not in sample_site.log and "Loading model" not in sample_site.log
    assert not [line for line in sample_site.log.splitlines() if not line.startswith("INFO")]
    index = _search_index(sample_site.site)
    userdict = (REPO / "docs" / "assets" / "jieba_userdict.txt").read_text(encoding="utf-8")
    word = userdict.split()[0]
    assert any(f"\u200b{word}\u200b" in doc["text"] for doc in index["docs"]), word


def test_the_sample_builds_strict_with_properdocs(builds: dict[str, Build]) -> None:
    """The same mkdocs.yml and hooks, built by ProperDocs: the second generator stays proven."""
    build = builds["properdocs"]
    assert build.returncode == 0, build.log
    assert "brmkb: 通过" in build.log
    assert "WARNING" not in build.log
    assert (build.site / "services" / "svc-hosting" / "index.html").is_file()
    assert (build.site / "exports" / "calendar.ics").is_file()


def test_sample_site_has_every_page(sample_site: Build) -> None:
    site = sample_site.site
    report = engine.run(REPO)
    expected = ["index.html", "procedure/index.html", "iso20000/index.html", "tags/index.html"]
    expected += [
        u.replace(".md", "/index.html").replace("/index/index.html", "/index.html")
        for u in (
            urls.DASHBOARD,
            urls.SERVICES,
            urls.RECORDS,
            urls.FIELDS,
            urls.RULES,
            urls.COVERAGE,
        )
    ]
    expected += [f"services/{s.id}/index.html" for s in report.kb.services]
    expected += [f"records/{r.id}/index.html" for r in report.kb.records if r.kind != "service"]
    missing = [e for e in expected if not (site / e).is_file()]
    assert not missing
    attachments = [p for p in (REPO / "records").rglob("*") if p.is_file() and p.suffix != ".md"]
    assert attachments
    for path in attachments:
        assert (site / path.relative_to(REPO)).read_bytes() == path.read_bytes()


def test_a_broken_knowledge_base_fails_the_strict_build(builds: dict[str, Build]) -> None:
    broken = builds["broken"]
    assert broken.returncode == 1
    assert re.search(
        r"WARNING -  records/svc-xss/minutes/mn-xss-2026-10\.md:2: \[minutes-distribution\] ",
        broken.log,
    )
    assert "brmkb：知识库有 1 个未豁免的错误，严格模式（--strict）下停止构建" in broken.log
    assert not (broken.site / "index.html").exists()


@pytest.mark.parametrize("name", ["broken-q", "broken-quiet", "broken-api"])
def test_the_strict_gate_holds_whatever_the_logging(builds: dict[str, Build], name: str) -> None:
    """-q, --quiet, or loggers set to ERROR drop the warnings before MkDocs counts them."""
    build = builds[name]
    assert build.returncode != 0, build.log
    assert "WARNING" not in build.log
    assert not (build.site / "index.html").exists()
    if name != "broken-api":  # the API's caller decides what its loggers print
        assert "知识库有 1 个未豁免的错误" in build.log
        assert "mn-xss-2026-10.md:2: [minutes-distribution]" in build.log


def test_a_lax_build_publishes_a_banner_on_every_page(builds: dict[str, Build]) -> None:
    build = builds["broken-lax"]
    assert build.returncode == 0, build.log
    pages = _html_pages(build.site)
    assert len(pages) > 10
    for page in pages:
        html = page.read_text(encoding="utf-8")
        banner = re.search(
            r'<div class="admonition failure">\s*<p class="admonition-title">知识库未通过检查</p>'
            r'\s*<p>有 1 个未豁免的错误.*?<a href="([^"]+)">合规看板</a>',
            html,
            re.DOTALL,
        )
        assert banner, page
        assert f"检查日固定为 {kbs.AS_OF}（policy.yml 的 as_of）" in html, page
        target, _ = _target(build.site, page, banner[1])
        assert target == build.site / "dashboard" / "index.html", (page, banner[1])


def test_the_banner_is_left_out_of_the_search_index(builds: dict[str, Build]) -> None:
    """The same sentence on every page finds nothing; the pages' own text is still there."""
    index = _search_index(builds["broken-lax"].site)
    texts = [doc["text"].replace("\u200b", "") for doc in index["docs"]]
    assert not [text for text in texts if "未豁免的错误，本站内容" in text]
    assert any("满意度" in text for text in texts)


def test_a_first_heading_that_only_repeats_the_title_has_no_search_entry(
    sample_site: Build,
) -> None:
    docs = _search_index(sample_site.site)["docs"]
    titles = {doc["location"]: doc["title"] for doc in docs if "#" not in doc["location"]}
    assert titles["records/rv-hosting-2026-06/"]
    bare = [
        doc["location"]
        for doc in docs
        if "#" in doc["location"]
        and not doc["text"]
        and titles.get(doc["location"].split("#")[0]) == doc["title"]
    ]
    assert bare == []


@pytest.mark.parametrize("name", ["sample", "seeded", "broken-lax"])
def test_every_internal_link_and_anchor_resolves(builds: dict[str, Build], name: str) -> None:
    site = builds[name].site
    parsed = {page: _parse(page) for page in _html_pages(site)}
    broken = []
    for page, info in parsed.items():
        for tag, link in info.links:
            if re.match(r"^[a-z][a-z0-9+.-]*:", link) or link.startswith("//"):
                continue  # absolute URLs: see the offline test
            target, anchor = _target(site, page, link)
            if not target.exists():
                broken.append(f"{page.relative_to(site)}: {link}")
            elif anchor and target.suffix == ".html" and tag == "a":
                ids = parsed[target].ids if target in parsed else _parse(target).ids
                if unquote(anchor) not in ids:
                    broken.append(f"{page.relative_to(site)}: {link} (no anchor)")
    assert not broken, "\n".join(broken[:20])


@pytest.mark.parametrize("name", ["sample", "seeded"])
def test_pages_load_nothing_from_other_hosts(builds: dict[str, Build], name: str) -> None:
    site = builds[name].site
    for page in _html_pages(site):
        for tag, link in _parse(page).links:
            if tag in ("script", "img", "link", "iframe", "source", "video", "audio"):
                assert not re.match(r"^(https?:)?//", link) or (
                    tag == "link" and "canonical" in link
                ), (
                    page,
                    link,
                )
    text = "\n".join(p.read_text(encoding="utf-8") for p in _html_pages(site))
    assert "fonts.googleapis.com" not in text and "unpkg.com" not in text


def test_navigation_does_not_grow_with_the_records(builds: dict[str, Build]) -> None:
    """Pages carry a small nav: sections, and the services only inside their own section."""

    def nav(page: Path) -> str:
        html = page.read_text(encoding="utf-8")
        start = html.index('<nav class="md-nav md-nav--primary')
        return html[start : html.index('<div class="md-sidebar md-sidebar--secondary"', start)]

    def count(page: Path) -> int:
        return len(re.findall(r'class="md-nav__link', nav(page)))

    sample, seeded = builds["sample"].site, builds["seeded"].site
    # 126 records and 3 services against 9 records and 1 service: the same nav on a record,
    # byte for byte (Material also walks the entries of a collapsed section, leaving blank
    # lines behind: the services sit one level deeper, where it does not look)
    record = sample / "records" / "mn-hosting-2026-03" / "index.html"
    assert nav(record) == nav(seeded / "records" / "mn-xss-2026-10" / "index.html")
    assert count(record) < 30
    assert "mn-hosting" not in nav(record) and "/rv-" not in nav(record)
    # a service page lists the services (one entry each), still no record
    service = nav(sample / "services" / "svc-hosting" / "index.html")
    for other in ("svc-appmaint", "svc-desktop"):
        assert f"../{other}/" in service
    assert "records/rv-" not in service
    assert (sample / "records" / "mr-desktop-2025-01" / "index.html").stat().st_size < 40_000


def test_chinese_words_are_segmented_in_the_search_index(sample_site: Build) -> None:
    index = _search_index(sample_site.site)
    assert index["config"]["lang"] == ["zh"]
    texts = [d for d in index["docs"] if d["location"].startswith("records/sv-hosting-2026h1/")]
    assert texts and any(
        "\u200b满意度\u200b" in d["text"] or "满意度\u200b" in d["title"] for d in texts
    )


def test_escaped_titles_in_the_built_pages(seeded_site: Build) -> None:
    for page in _html_pages(seeded_site.site):
        html = page.read_text(encoding="utf-8")
        assert kbs.XSS_SCRIPT not in html, page
        assert "<img src=x" not in html, page
    minutes = (seeded_site.site / "records" / "mn-xss-2026-10" / "index.html").read_text("utf-8")
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt;定期服务评审会议纪要 - " in minutes


def test_home_page_says_the_site_must_be_served(sample_site: Build) -> None:
    home = (sample_site.site / "index.html").read_text(encoding="utf-8")
    assert "make serve" in home and "网页服务器" in home
    assert "所有页面都可离线浏览" not in home


def test_sections_do_not_repeat_their_pages_search_boost(sample_site: Build) -> None:
    docs = _search_index(sample_site.site)["docs"]
    boosted = {d["location"] for d in docs if "#" not in d["location"] and "boost" in d}
    assert any(page.startswith("records/") for page in boosted)
    sections = [
        d for d in docs if d["location"].split("#", 1)[0] in boosted and "#" in d["location"]
    ]
    assert sections and not any("boost" in d for d in sections)


def test_search_index_is_compact(sample_site: Build) -> None:
    """UTF-8, not \\uXXXX escapes; a page's tags once, on its own entry; listings left out."""
    raw = (sample_site.site / "search" / searchworker.DOCUMENTS).read_text(encoding="utf-8")
    entries = raw.split('"docs"', 1)[1]  # the config's separator pattern is written as \\u200b
    assert "\\u200b" not in entries and "\u200b" in entries
    assert "\u200b，" not in entries and "，\u200b" not in entries  # a comma separates already
    docs = json.loads(raw)["docs"]
    assert all("tags" not in doc for doc in docs if "#" in doc["location"])
    assert any(doc.get("tags") for doc in docs if doc["location"].startswith("records/"))
    assert not any(doc["location"].startswith(("records/#", "tags/")) for doc in docs)


def _search_index(site: Path) -> dict:
    """The whole search index of a served site, as the project's worker fetches it."""
    return json.loads((site / "search" / searchworker.DOCUMENTS).read_text(encoding="utf-8"))


def test_the_page_script_gets_the_index_without_its_documents(sample_site: Build) -> None:
    """The worker fetches the documents itself; the page parses only the configuration."""
    page = json.loads((sample_site.site / "search" / searchworker.INDEX).read_text("utf-8"))
    whole = _search_index(sample_site.site)
    assert page == {**whole, "docs": []} and len(whole["docs"]) > 100


def test_pages_name_the_project_search_worker(sample_site: Build) -> None:
    """Every page, the theme's 404 page included, starts the project's worker, not the theme's."""
    worker = searchworker.worker()
    assert (sample_site.site / worker.path).read_bytes() == worker.content
    for name in ("index.html", "404.html", "records/rv-desktop-2025-12/index.html"):
        html = (sample_site.site / name).read_text(encoding="utf-8")
        start = html.rindex('<script id="__config" type="application/json">')
        data = json.loads(html[html.index(">", start) + 1 : html.index("</script>", start)])
        assert data["search"].endswith(worker.path), name


def test_only_the_themes_data_block_names_the_worker() -> None:
    ours = searchworker.worker()
    theme = "search.a7633da7.min.js"
    quoted = f"<p>assets/javascripts/workers/{theme}</p>"
    block = f'<script id="__config" type="application/json">{{"search": "../assets/javascripts/workers/{theme}"}}</script>'
    page = f"<body>{quoted}{block}</body>"
    named = block.replace(f"assets/javascripts/workers/{theme}", ours.path)
    assert searchworker.point_at(page, theme, ours) == (f"<body>{quoted}{named}</body>", True)
    assert searchworker.point_at(quoted, theme, ours) == (quoted, True)
    other = block.replace(theme, "custom.js")  # a theme override names its own worker
    assert searchworker.point_at(other, theme, ours) == (other, False)
