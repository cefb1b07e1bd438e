"""The unpacked pack in headless Chromium from disk: links, charts and Chinese search work,
nothing is requested from anywhere but the pack's own files, and the pages' policy refuses
nothing they need."""

from __future__ import annotations

import os

import pytest

from tests.pack.conftest import Pack, needs
from tests.site.conftest import ARGS, CHROMIUM

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(pack: Pack):
    needs("chromium")
    if os.environ.get("CI"):
        from playwright import sync_api
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    outside: list[str] = []
    errors: list[str] = []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.route(
            "**/*",
            lambda route: (
                route.continue_()
                if route.request.url.startswith("file://")
                else (outside.append(route.request.url), route.abort())
            ),
        )
        opened = context.new_page()
        opened.on("pageerror", lambda error: errors.append(str(error)))
        opened.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and errors.append(message.text)
            ),
        )
        opened.on("dialog", lambda dialog: (errors.append(dialog.message), dialog.dismiss()))
        yield opened
        browser.close()
    assert not outside, outside
    assert not errors, errors


def test_links_and_charts_from_disk(pack: Pack, page) -> None:
    page.goto((pack.folder / "index.html").as_uri())
    page.click("a.md-tabs__link:has-text('合规看板')")
    assert page.url.endswith("/dashboard.html")
    assert "检查日 2026-06-30" in page.inner_text(".brm-verdict")
    page.click("a:has-text('审核员指南')")
    assert page.url.endswith("/guide/auditor.html")
    page.goto((pack.folder / "services" / "svc-hosting.html").as_uri())
    assert page.locator("svg").count() > 0
    page.click("a[title='rv-hosting-2026-06']")
    assert page.url.endswith("/records/rv-hosting-2026-06.html")
    assert "江南银行数据中心托管服务" in page.inner_text("h1")


def test_chinese_search_from_disk(pack: Pack, page) -> None:
    page.goto((pack.folder / "index.html").as_uri())
    page.click("input.md-search__input")
    page.keyboard.type("满意度")
    page.keyboard.press("End")  # CJK is typed without keyup; Material searches on keyup
    page.wait_for_selector(".md-search-result__item", timeout=30_000)
    links = [
        a.get_attribute("href")
        for a in page.query_selector_all(".md-search-result__item > .md-search-result__link")
    ]
    assert any("/records/sv-hosting-2026h1.html" in link for link in links), links
    assert not any("2025" in link for link in links), links
