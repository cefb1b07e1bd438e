"""Search at scale: index size and the wait from opening a page to the first result.

Usage::

    python benchmarks/search.py [--sizes 1000,5000] [--runs 3] [--work bench-out]
                                [--query 评审]

For each size the generated knowledge base (WORK/kb-SIZE, see ``generate.py``) is built
with the project's mkdocs.yml, docs/ and hooks/ (as ``site.py``'s *hooked* variant) and
served on a loopback port. Debian's Chromium (driven by Playwright, nothing downloaded)
then opens a record page in a fresh browser context — no cache, as a reader arriving from
a link — clicks the search box, types the query at once and waits for the first result.
Reported: the search index size, and the time from navigation to the first result (median
and all runs). Each run opens a different record page.

Target at 5,000 records: the first result within 2 s, an index of at most 8 MB.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import importlib.util
import statistics
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import knowledge_base  # noqa: E402

# benchmarks/site.py by path: "site" is also a module of Python's own, imported at start-up
_spec = importlib.util.spec_from_file_location("site_benchmark", HERE / "site.py")
site_benchmark = sys.modules["site_benchmark"] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_benchmark)

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
TARGET_SECONDS = 2.0
TARGET_INDEX_BYTES = 8 * 1024 * 1024


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def first_result(browser, url: str, query: str) -> float:
    """Seconds from navigating to ``url`` to the first search result for ``query``."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        start = time.perf_counter()
        page.goto(url, wait_until="domcontentloaded")
        page.click("input.md-search__input")
        page.keyboard.type(query)
        page.keyboard.press("End")  # CJK is typed as text input: Material searches on keyup
        page.wait_for_selector(".md-search-result__item")
        return time.perf_counter() - start
    finally:
        context.close()


def measure(size: int, work: Path, runs: int, query: str) -> tuple[int, list[float]]:
    kb = knowledge_base(work, size, 1, print)
    folder = work / f"search-{size}"
    pages = sorted(site_benchmark.prepare_hooked(kb, folder))
    child = site_benchmark.mkdocs_build(folder)
    if child.status != 0:
        error = (child.stdout + child.stderr).decode(errors="replace")[-2000:]
        raise SystemExit(f"build of {size} records failed:\n{error}")
    site = folder / "site"
    index = site_benchmark.search_index_bytes(site)
    handler = functools.partial(_Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    from playwright.sync_api import sync_playwright

    seconds = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            records = [p for p in pages if p.startswith("records/")]
            for run in range(runs):
                page = records[(run * 997) % len(records)]
                seconds.append(first_result(browser, f"{base}{page}/", query))
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return index, seconds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--work", type=Path, default=Path("bench-out"))
    parser.add_argument("--query", default="评审")
    args = parser.parse_args(argv)
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        index, seconds = measure(size, args.work, args.runs, args.query)
        rows.append((size, index, seconds))
        print(f"{size} records: index {index / 1e6:.1f} MB, first result {seconds}", flush=True)
    print("\n| records | search index | first result (median) | runs | target met |")
    print("|---|---|---|---|---|")
    for size, index, seconds in rows:
        median = statistics.median(seconds)
        met = index <= TARGET_INDEX_BYTES and median <= TARGET_SECONDS
        runs = " / ".join(f"{s:.2f}" for s in seconds)
        print(f"| {size:,} | {index / 2**20:.1f} MiB | {median:.2f} s | {runs} | {met} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
