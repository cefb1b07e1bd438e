"""A4 PDFs of the period's review reports and minutes, and of the dashboard.

Printed by headless Chromium (Debian's, driven by Playwright: one browser for every page,
about three times faster than a ``chromium --print-to-pdf`` per page) from the pack's own
pages: the site's print stylesheet sets A4 and hides the navigation, fonts-noto-cjk provides
the embedded Chinese fonts. Chromium stamps the clock into the document information
dictionary; those dates become the check date (same length, so the cross-reference table
stays valid).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from brmkb.pack import PackError

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
INSTALL = "sudo apt-get install chromium fonts-noto-cjk（或 make browser）"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",  # a pack page never reaches the network
]
_DATE = re.compile(rb"(/(?:CreationDate|ModDate) ?\(D:)[0-9]{14}")


class PdfError(PackError):
    """No browser, or one that failed (one line, in Chinese)."""


def browser() -> str:
    """The Chromium to print with; PdfError says how to install it, or to use --no-pdf."""
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise PdfError(f"打印 PDF 需要 Chromium：{INSTALL}；或加 --no-pdf 生成不含 PDF 的审核包")


def site_folder(work: Path) -> Path:
    """A folder in ``work`` to build the site in, named so that ``relink`` can work: the
    length of its ``file://`` URI minus ``../`` must be even."""
    for name in ("site", "site_"):
        folder = work / name
        if (len(_prefix(folder)) - 3) % 2 == 0:
            return folder
    raise AssertionError("unreachable: the two names differ in length by one")


def print_pages(pages: Iterable[tuple[Path, Path]], site: Path, when: date) -> None:
    """Print each ``(html, pdf)`` pair of pages under ``site`` (see ``site_folder``); ``when``
    replaces the print time in the metadata."""
    executable = browser()
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise PdfError(
            "打印 PDF 需要 playwright：pip install -e '.[pack]'；或加 --no-pdf 生成不含 PDF 的审核包"
        ) from None
    with sync_playwright() as playwright:
        try:
            chromium = playwright.chromium.launch(
                executable_path=executable, args=FLAGS, env={**os.environ, "TZ": "UTC"}
            )
        except Error as error:
            raise PdfError(f"无法启动 Chromium（{executable}）：{error.message}") from None
        try:
            page = chromium.new_page()
            for html, pdf in pages:
                page.goto(html.resolve().as_uri())
                data = page.pdf(prefer_css_page_size=True)
                pdf.parent.mkdir(parents=True, exist_ok=True)
                pdf.write_bytes(relink(fix_dates(data, when), site))
        except Error as error:
            raise PdfError(f"Chromium 打印失败：{error.message}") from None
        finally:
            chromium.close()


def _prefix(site: Path) -> bytes:
    return (site.resolve().as_uri() + "/").encode()


def relink(data: bytes, site: Path) -> bytes:
    """Links to pages of the site become relative to ``pdf/`` in the pack. Chromium writes
    them as absolute ``file://`` URIs of the folder it printed from; ``../././…`` (the same
    length: see ``site_folder``) keeps every offset of the file valid."""
    prefix = _prefix(site)
    return data.replace(prefix, b"../" + b"./" * ((len(prefix) - 3) // 2))


def fix_dates(data: bytes, when: date) -> bytes:
    """The PDF's creation and modification dates set to ``when`` (midnight UTC; Chromium runs
    with TZ=UTC), keeping every length so that the cross-reference offsets stay right."""
    day = when.strftime("%Y%m%d").encode() + b"000000"
    return _DATE.sub(lambda m: m.group(1) + day, data)
