"""Record bodies are untrusted: what the sanitizer keeps and drops, what the check says about
it, and the Content-Security-Policy of the pages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from brmkb import engine, markup, sanitize
from brmkb.pack import shim
from brmkb.site import csp
from brmkb.site.html import as_text_on_failure
from tests.conftest import SERVICE, service
from tests.site import kbs, xss
from tests.site.render import extensions, renderer
from tests.site.conftest import REPO

render = renderer(REPO)


def test_the_renderer_reads_the_sites_markdown_settings() -> None:
    from mkdocs.config import load_config

    config = load_config(str(REPO / "mkdocs.yml"))
    names, configs = extensions(REPO)
    assert names == config.markdown_extensions
    assert configs.keys() == config.mdx_configs.keys()


def test_the_corpus_is_large() -> None:
    assert len(xss.VECTORS) >= 40


@pytest.mark.parametrize("vector", xss.VECTORS)
def test_no_vector_survives_and_each_is_reported(vector: str) -> None:
    html = render(vector)
    cleaned = sanitize.clean(html)
    assert xss.Runs(cleaned).found == [], cleaned
    if xss.Runs(html).found:  # what Markdown left as text is no loss
        assert markup.suspect(vector)
        assert sanitize.losses(html, cleaned), html
        assert list(markup.losses(vector)), vector  # the check says so without rendering


@pytest.mark.parametrize("body", xss.CLOBBERING)
def test_no_body_names_an_element_as_the_theme_does(body: str) -> None:
    cleaned = sanitize.clean(render(body))
    assert not re.search(r'(?:id|for|name)="__', cleaned), cleaned
    [(_, what)] = markup.losses(body)
    assert "__" in what and sanitize.RESERVED_NOTE in what


@pytest.mark.parametrize(
    "address", ["file:///etc/passwd", "ftp://files.example.org/a.pdf", "javascript:alert(1)"]
)
def test_an_address_in_angle_brackets_the_site_does_not_link_is_reported(address: str) -> None:
    body = f"合同扫描件见 <{address}>。\n"
    assert f'href="{address}' not in sanitize.clean(render(body))  # no link on the page
    [(offset, what)] = markup.losses(body)
    assert offset == body.index("<") and what.startswith(f"链接地址 {address[:40]}")


def test_an_html_image_on_another_site_is_reported_as_not_shown(kb) -> None:
    """The pages' content policy loads images from the site only: such an image is broken."""
    assert "img-src 'self' data:" in csp.policy([])
    body = (
        "![机房照片](https://example.org/a.png) 和 [链接](https://example.org/) 照常\n\n"
        '<img alt="拓扑" src="//cdn.example.org/b.png">\n\n'
        '`<img src="https://example.org/c.png">`\n\n'
        '```\n<img src="https://example.org/d.png">\n```\n\n'
        "![本地](attachments/e.png)\n"
    )
    written = {
        SERVICE: service(),
        "records/svc-x/monthly/mr-x-2026-01.md": (
            '---\nkind: monthly-report\nid: mr-x-2026-01\nservice: svc-x\nmonth: "2026-01"\n---\n\n'
            + body
        ),
    }
    report = engine.run(kb(written), date(2026, 2, 1))
    found = [(f.line, f.message) for f in report.findings if f.rule == "body-html"]
    [(line, message)] = found  # a Markdown image becomes a link; the build says so
    assert line == 10 and "//cdn.example.org/b.png" in message and "不会显示" in message


def test_the_theme_reads_its_own_settings(hostile_site) -> None:
    """The first element named ``__config`` on the page is the theme's settings."""

    def names(path: str) -> list[str]:
        page = (hostile_site.site / path / "index.html").read_text(encoding="utf-8")
        return re.findall(r'<[a-z]+[^>]*?\b(?:id|for|name)="(__[^"]*)"', page)

    named = names("records/mr-xss-2026-10")
    assert named == names("records/mr-xss-2026-08")  # the theme's own, and no others
    assert named.count("__config") == 1


def test_what_markdown_writes_is_kept() -> None:
    body = """## 标题 {#mine}

| 左 | 右 |
|:--|--:|
| 1 | 2 |

- [x] 已完成
- [ ] 未完成

!!! note "提示"
    内容

??? tip "折叠"
    内容

=== "甲"
    一

=== "乙"
    二

```python
print("你好")
```

`#!python len(x)` ![图](attachments/a.png) [链接](https://example.org/ "说明") <mailto:a@example.org>
"""
    html = render(body)
    cleaned = sanitize.clean(html)
    assert sanitize.losses(html, cleaned) == []
    assert list(markup.losses(body)) == []
    for kept in (
        'id="mine"',
        "headerlink",
        "text-align:right",
        'type="checkbox"',
        "admonition",
        "<details",
        'type="radio"',
        'class="highlight"',
        'src="attachments/a.png"',
        'href="https://example.org/"',
        "mailto:",
    ):
        assert kept in cleaned, kept


def test_the_check_warns_at_the_line_of_each_loss(tmp_path) -> None:
    root = kbs.write(tmp_path, xss.FILES)
    kbs.mkdocs_yml(REPO, root)
    report = engine.run(root, date.fromisoformat(kbs.AS_OF))
    found = [f for f in report.findings if f.rule == "body-html"]
    assert report.exit_code == 0  # warnings: the check accepts what the build builds
    assert {f.path for f in found} >= {
        "records/svc-xss/service.md",
        "records/waivers/wv-xss-001.md",
    }
    script = next(f for f in found if f.path == xss.PLACEHOLDER_RECORD)
    lines = xss.FILES[xss.PLACEHOLDER_RECORD].splitlines()
    assert "<script>" in lines[script.line - 1] and "不会发布" in script.message


def test_plain_bodies_are_not_scanned_further() -> None:
    plain = (
        "## 会议内容\n\n双方回顾了 SLA: 99.9%、R&D 与 https://example.org/ 的情况，"
        "见[合同](attachments/a.pdf)、[网站](https://example.org/a?b=1&c=2)和[邮件](mailto:a@b)。"
        "\n\n[说明]: https://example.org/\n"
    )
    assert not markup.suspect(plain)
    for hostile in ("[a](x:y)", "[a]( &#106;avascript)", "[a]: vbscript:x", "<b>", "x {: .c }"):
        assert markup.suspect(hostile), hostile


def test_scripts_in_the_content_get_no_hash() -> None:
    page = (
        '<html><head><meta charset="utf-8"><script>theme()</script></head><body>'
        "<article><script>alert(1)</script></article><script>palette()</script></body></html>"
    )
    out = csp.protect(page, "<article><script>alert(1)</script></article>")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', out)
    assert meta and out.index(meta.group(0)) < out.index("<script>")
    directives = meta.group(1)
    assert csp.policy(["theme()", "palette()"]).split("; ")[0] in directives
    assert csp.policy(["alert(1)"]).split("; ")[0].split()[-1] not in directives
    for needed in (
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-src 'none'",
    ):
        assert needed in directives
    assert "unsafe-inline" not in directives.split(";")[0]


def test_offline_pages_allow_the_search_shim_of_their_own_worker_only() -> None:
    page = (
        '<html><head><script id="__config" type="application/json">{"search": "../w.js"}'
        "</script></head><body></body></html>"
    )
    allowed = csp.policy([shim.bootstrap("../w.js")]).split("; ")[0].split()[-1]
    other = csp.policy([shim.bootstrap("w.js")]).split("; ")[0].split()[-1]
    assert allowed in csp.protect(page, offline=True)
    assert allowed not in csp.protect(page) and other not in csp.protect(page, offline=True)
    assert "unsafe-inline" not in csp.protect(page, offline=True).split("style-src")[0]


def test_every_built_page_carries_the_policy(sample_site) -> None:
    for path in sample_site.site.rglob("*.html"):
        assert 'http-equiv="Content-Security-Policy"' in path.read_text(encoding="utf-8"), path


def test_a_body_that_crashed_the_build_is_published(hostile_site) -> None:
    assert "Traceback" not in hostile_site.log
    guessed = (hostile_site.site / "records/mr-xss-2026-09/index.html").read_text(encoding="utf-8")
    assert "正文。" in guessed and "brm-card" in guessed and "alert(1)</script>" not in guessed


def test_a_body_markdown_cannot_render_is_shown_as_text() -> None:
    """500 nested ``<div markdown>`` exhaust Python-Markdown's recursion: the page shows the
    body as text, and says so once."""

    class Page:
        markdown = "# 标题\n\n" + xss.NESTED_BODY
        content = ""

        class file:
            src_uri = "records/x.md"

        def render(self) -> None:
            self.content = render(self.markdown)

    page, notes = Page(), []
    page.render = as_text_on_failure(page, page.render, notes.append)
    page.render()
    assert notes == ["records/x.md: 正文无法按 Markdown 显示（RecursionError），已作为纯文本发布。"]
    assert "<h1" in page.content and '&lt;div markdown="1"&gt;' in page.content
    assert "深处" in page.content


def test_emoji_shortcodes_become_characters_not_images() -> None:
    """An air-gapped site loads nothing from outside: ``:smile:`` in a record is the character
    itself, not an image from an emoji CDN."""
    html = render("进展顺利 :smile: :thumbsup:")
    assert "<img" not in html and "http" not in html
    assert "😄" in html
