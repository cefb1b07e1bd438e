"""The built sites in a real browser: Debian's Chromium driven by Playwright, nothing downloaded.

Every request to a host other than 127.0.0.1 is aborted and fails the test that made it;
so does any dialog (an ``alert`` from injected script), uncaught page error or
Content-Security-Policy violation.
Skipped only when Chromium is missing outside CI (``make browser`` installs it).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.site import kbs, xss
from tests.site.conftest import NEEDS_CHROMIUM, Build

pytestmark = [pytest.mark.browser, NEEDS_CHROMIUM]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def served(builds: dict[str, Build]) -> Iterator[dict[str, str]]:
    """Each built site on its own loopback port."""
    servers, bases = [], {}
    for name in ("sample", "seeded", "properdocs", "hostile"):
        assert builds[name].returncode == 0, builds[name].log
        handler = functools.partial(_Quiet, directory=str(builds[name].site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        bases[name] = f"http://127.0.0.1:{server.server_address[1]}/"
    yield bases
    for server in servers:
        server.shutdown()
        server.server_close()


class Watch:
    """What a page did that it must not: leave the machine, open a dialog, throw."""

    def __init__(self) -> None:
        self.external: list[str] = []
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.violations: list[str] = []

    def console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)


#: Records every Content-Security-Policy violation of the page in ``window.__violations``.
LISTEN_CSP = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', event => window.__violations.push(
  `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
"""


def violations(page) -> list[str]:
    """The policy violations the page has reported so far."""
    return page.evaluate("window.__violations || []")


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser, watch: Watch):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")

    def route(route) -> None:
        url = route.request.url
        if url.startswith("http://127.0.0.1:") or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            watch.external.append(url)
            route.abort()

    context.route("**/*", route)
    context.add_init_script(LISTEN_CSP)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    tab.on("console", watch.console)
    tab.on("dialog", lambda dialog: (watch.dialogs.append(dialog.message), dialog.dismiss()))
    tab.on("pageerror", lambda error: watch.errors.append(str(error)))
    yield tab
    context.close()
    assert watch.external == [], f"requests to other hosts: {watch.external}"
    assert watch.dialogs == [], f"script ran: {watch.dialogs}"
    assert watch.errors == [], f"page errors: {watch.errors}"
    assert watch.violations == [], f"policy violations: {watch.violations}"


def _search(page, base: str, words: str) -> list[str]:
    page.goto(base, wait_until="networkidle")
    page.click("input.md-search__input")
    page.keyboard.type(words)
    page.keyboard.press("End")  # CJK is typed as text input: Material searches on keyup
    page.wait_for_selector(".md-search-result__item")
    return [
        link.get_attribute("href") or ""
        for link in page.query_selector_all(".md-search-result__item > .md-search-result__link")
    ]


def _heading(page) -> str:
    """The page's H1 as read, without its permalink mark."""
    return page.locator("h1").first.evaluate(
        "h => [...h.childNodes].filter(n => !n.classList?.contains('headerlink'))"
        ".map(n => n.textContent).join('').trim()"
    )


def test_search_finds_a_word_inside_a_chinese_sentence(page, served) -> None:
    hrefs = _search(page, served["seeded"], kbs.UNIQUE_WORD)
    assert any("records/sv-xss-2026-10/" in href for href in hrefs), hrefs


@pytest.mark.parametrize("build", ["sample", "properdocs"])
def test_search_finds_satisfaction_surveys(page, served, build: str) -> None:
    hrefs = _search(page, served[build], "满意度")
    assert any("records/sv-" in href for href in hrefs), hrefs


def test_dashboard_shows_the_seeded_finding(page, served) -> None:
    page.goto(served["seeded"] + "dashboard/", wait_until="networkidle")
    row = page.locator("#findings-action-tracking")
    assert row.is_visible()
    assert "已逾期 19 天" in row.inner_text()
    waived = page.locator("#waived + div")
    assert "wv-xss-001" in waived.inner_text() and "complaint-closure" in waived.inner_text()
    row.get_by_role("link", name=kbs.MINUTES_TITLE).click()
    page.wait_for_url("**/records/mn-xss-2026-10/")
    assert _heading(page) == kbs.MINUTES_TITLE


#: One page of each kind the site has (every page shares the same theme assets).
SAMPLE_PAGES = [
    "",
    "procedure/",
    "dashboard/",
    "services/svc-hosting/",
    "records/rv-desktop-2025-12/",
    "guide/rules/",
    "tags/",
]


def test_pages_make_no_request_to_another_host(page, served) -> None:
    for path in SAMPLE_PAGES:
        response = page.goto(served["sample"] + path, wait_until="networkidle")
        assert response is not None and response.ok, path
    # the search worker and its index load from the site too
    _search(page, served["sample"], "评审")


def test_hostile_front_matter_shows_as_text(page, served, watch: Watch) -> None:
    base = served["seeded"]
    page.goto(base + "records/mn-xss-2026-10/", wait_until="networkidle")
    assert _heading(page) == kbs.MINUTES_TITLE
    assert page.title().startswith(kbs.MINUTES_TITLE)
    card = page.locator(".brm-card").inner_text()
    assert kbs.XSS_SCRIPT in card and kbs.XSS_IMG in card
    for path in (
        "",
        "services/",
        "services/svc-xss/",
        "records/",
        "dashboard/",
        "tags/",
        "records/rv-xss-2026-10/",
        "records/wv-xss-001/",
    ):
        page.goto(base + path, wait_until="load")  # injected markup would act while parsing
        assert page.evaluate("document.querySelectorAll('img[src=\"x\"]').length") == 0, path
        scripts = page.evaluate(
            "[...document.scripts].filter(s => s.textContent.includes('alert(1)')).length"
        )
        assert scripts == 0, path
    page.goto(base + "services/svc-xss/", wait_until="networkidle")
    assert _heading(page) == kbs.SERVICE_NAME
    assert page.locator(".md-nav__link--active").first.inner_text().strip() == kbs.SERVICE_NAME
    # search results render titles and tags from the index: still text
    _search(page, base, "会议纪要")
    page.wait_for_timeout(300)
    assert watch.dialogs == []


def test_minutes_print_like_a_paper_record(page, served) -> None:
    page.goto(served["sample"] + "records/mn-hosting-2026-03/", wait_until="networkidle")
    page.emulate_media(media="print")
    for hidden in (
        ".md-header",
        ".md-sidebar--primary",
        ".md-footer",
        ".brm-record-status",
        ".md-tags",
    ):
        assert not page.locator(hidden).first.is_visible(), hidden
    assert page.locator(".brm-card table").is_visible()
    assert page.locator("h1").first.is_visible()
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.brm-card td')).borderTopStyle"
    )
    assert border == "solid"


def test_no_page_of_the_sample_violates_its_policy(page, served, sample_site) -> None:
    for path in sorted(sample_site.site.rglob("*.html")):
        rel = path.relative_to(sample_site.site).as_posix()
        page.goto(served["sample"] + rel, wait_until="load")
        assert violations(page) == [], rel


def test_search_palette_and_navigation_work_under_the_policy(page, served) -> None:
    base = served["sample"]
    assert "records/" in " ".join(_search(page, base, "评审"))
    page.keyboard.press("Escape")
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme !== {scheme!r}")
    page.get_by_role("link", name="合规看板").first.click()
    page.wait_for_url("**/dashboard/")
    assert page.locator("h1").first.is_visible()
    assert violations(page) == []


def test_the_policy_refuses_an_inline_handler(page, served, watch: Watch) -> None:
    """The listeners hear a violation: markup that slipped past the sanitizer could not run."""
    page.goto(served["sample"], wait_until="networkidle")
    page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', "
        '\'<img src="missing.png" onerror="window.__ran = 1">\')'
    )
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__ran") is None
    watch.violations.clear()  # heard on purpose


#: Anything on a page (its table of contents too) that could run script, or in its content
#: that could leave the page.
_DANGEROUS = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    const content = el.closest('article') !== null;
    for (const a of el.attributes) {
      const value = a.value.replace(/[\\x00-\\x20]/g, '').toLowerCase();
      if (a.name.startsWith('on') || /^(javascript|vbscript|data):/.test(value)
          || content && a.name === 'style' && !/^text-align:\\w+;?$/.test(value)) {
        found.push(`${el.tagName} ${a.name}`);
      }
    }
    if (content && /^(SCRIPT|STYLE|IFRAME|FRAME|OBJECT|EMBED|FORM|BASE|META|LINK|TEXTAREA)$/
        .test(el.tagName)) found.push(el.tagName);
  }
  return found;
}"""


def test_hostile_bodies_run_nothing(page, served, hostile_site) -> None:
    base = served["hostile"]
    for path in xss.PAGES:
        page.goto(base + path, wait_until="networkidle")
        assert page.evaluate(_DANGEROUS) == [], path
        assert violations(page) == [], path
    _search(page, base, "数据中心")
    page.wait_for_timeout(300)


def test_a_body_that_crashed_the_build_is_published(page, served, hostile_site) -> None:
    page.goto(served["hostile"] + "records/mr-xss-2026-09/", wait_until="networkidle")
    article = page.locator("article").inner_text()
    assert "正文。" in article and "BRMRAW" not in page.content()
    assert page.locator(".brm-card").is_visible()


#: Pages with wide tables and charts: a service, its records, the dashboard, the overview.
LAYOUT_PAGES = [
    "services/svc-hosting/",
    "services/svc-desktop/",
    "records/mn-hosting-2025-03/",
    "records/rv-hosting-2025-12/",
    "dashboard/",
    "services/",
]

_LAYOUT = """() => {
  const tables = [...document.querySelectorAll('.md-content .md-typeset__scrollwrap')].map(w => ({
    head: (w.querySelector('tr') || w).textContent.trim().slice(0, 30),
    over: w.scrollWidth - w.clientWidth,
    scrolls: getComputedStyle(w).overflowX === 'auto',
    hint: getComputedStyle(w).backgroundImage.includes('radial-gradient'),
  }));
  const charts = [...document.querySelectorAll('.md-content .brm-chart > svg')].map(s => {
    const box = s.getBoundingClientRect(), frame = s.parentElement.getBoundingClientRect();
    return {
      id: s.getAttribute('aria-labelledby'),
      over: Math.max(box.right - frame.right, frame.left - box.left),
      font: parseFloat(s.getAttribute('font-size')) * box.width / s.viewBox.baseVal.width,
    };
  });
  return {tables, charts};
}"""


@pytest.mark.parametrize("width", [1280, 390])
def test_no_clipped_table_and_no_chart_overflow(browser, served, width: int) -> None:
    """At 1280 px every table fits its column; narrower, a table may scroll but shows that it
    does (edge shadows). Charts scale to their frame; at 1280 px their text is ≥ 11 px."""
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        for path in LAYOUT_PAGES:
            page.goto(served["sample"] + path, wait_until="networkidle")
            layout = page.evaluate(_LAYOUT)
            for table in layout["tables"]:
                if width >= 1280:
                    assert table["over"] <= 1, (path, table)
                else:
                    assert table["over"] <= 1 or (table["scrolls"] and table["hint"]), (path, table)
            for chart in layout["charts"]:
                assert chart["over"] <= 1, (path, chart)
                if width >= 1280:
                    assert chart["font"] >= 11, (path, chart)
            if path.startswith("services/svc"):
                assert layout["charts"], path
    finally:
        context.close()


def _results(page, base: str, words: str) -> list[str]:
    """The pages of the search results, in order, each once (a page's sections follow it)."""
    hrefs = _search(page, base, words)
    pages = [href.split("?", 1)[0].split("#", 1)[0].removeprefix(base) for href in hrefs]
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize(
    ("words", "expected", "within"),
    [
        ("评审", ["procedure/", "records/rv-"], 3),
        ("满意度", ["procedure/", "records/sv-"], 3),
        ("投诉", ["procedure/", "records/cp-"], 3),
        ("会议纪要", ["records/mn-"], 1),
        ("合同变更", ["procedure/", "records/ch-"], 3),
        ("3.1.1", ["procedure/"], 1),
        ("review", ["records/rv-"], 3),
        ("complaint", ["records/cp-"], 2),
    ],
)
def test_search_ranks_the_records_people_mean(page, served, words, expected, within) -> None:
    """Kind words find the procedure's clauses and the records of that kind before the guides;
    English kind words find records too."""
    top = _results(page, served["sample"], words)[:within]
    for prefix in expected:
        assert any(result.startswith(prefix) for result in top), (words, top)


def test_search_snippets_show_the_records_own_text(page, served) -> None:
    """A minutes result opens with the record, not its list of attendees; people still find it."""
    hrefs = _search(page, served["sample"], "陈志强")
    assert any("records/mn-hosting-" in href for href in hrefs), hrefs
    _search(page, served["sample"], "会议纪要")
    first = page.locator(".md-search-result__item").first.inner_text()
    assert "华信智联科技有限公司" not in first, first


def test_the_search_worker_fetches_the_whole_index_itself(page, served) -> None:
    """The page script fetches Material's index without documents; the worker fetches them."""
    requests: list[str] = []
    page.context.on("request", lambda request: requests.append(request.url))
    assert "records/" in " ".join(_search(page, served["sample"], "评审"))
    fetched = [url.removeprefix(served["sample"]) for url in requests if "/search/" in url]
    assert sorted(fetched) == ["search/documents.json", "search/search_index.json"]
