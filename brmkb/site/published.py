"""A generated site as the MkDocs process takes it: pages, inserts, attachments, the gate.

The records are checked and the pages rendered in another process (``brmkb.site.builder``,
run in the background by the site hook); what comes back is made of this module's classes
and ``brmkb.site.html``'s, so that MkDocs' own process loads neither the check nor the page
renderers (their imports took about a tenth of a second at the start of every build).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from brmkb.policy import PolicyError
from brmkb.site import gate, incremental, procedure, urls
from brmkb.site.html import Inserts, as_text_on_failure, stash


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    src_uri: str
    content: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file under records/ published at the same path, so that inputs can link to it."""

    src_uri: str
    path: Path


@dataclass(frozen=True, slots=True)
class Problem:
    """Something in a record that the site cannot publish as written (a broken body link)."""

    path: str
    line: int
    message: str


#: The nav section that lists the service pages, and the most services it lists.
SERVICES_SECTION = "全部服务"
NAV_SERVICES_MAX = 50


@dataclass
class Published:
    """A generated site as MkDocs takes it: pages, inserts, attachments, the gate, the export
    files. It holds no knowledge base, so that it comes back from the background process
    quickly (with the knowledge base and the check report it pickles to a third more and
    takes almost three times as long to move)."""

    pages: list[GeneratedPage]
    inserts: dict[str, Inserts]
    attachments: list[Attachment]
    problems: list[Problem]
    service_pages: list[str]
    #: One ``path:line: [rule] message`` line per unwaived error: they fail ``--strict``.
    gate_lines: list[str]
    summary: str
    #: What follows each clause of the procedure page (see ``procedure.clause_lines``).
    clause_lines: dict[str, str]
    #: File name → content of the calendar and CSV exports (empty when not published).
    exports: dict[str, bytes]
    #: The sentence saying the policy fixes the check date, or None (see ``Report.pinned``).
    pinned: str | None = None

    def prepare(
        self, page: Any, markdown: str, note: Callable[[str], None]
    ) -> tuple[str, list[str]]:
        """A page's Markdown as MkDocs renders it, and the generated blocks stashed out of it.

        Record and service pages hold the author's title and body: nothing is stashed
        (no body can slip raw HTML past the sanitizer that way), and a body Python-Markdown
        cannot render is shown as text (``note`` says so). ``page`` is MkDocs' page.
        """
        markdown = self.decorate(page.file.src_uri, markdown)
        if page.file.src_uri in self.inserts:
            page.render = as_text_on_failure(page, page.render, note)
            return markdown, []
        return stash(markdown)

    def sources(self) -> Iterator[tuple[str, dict[str, str]]]:
        """Every generated page and attachment, with how MkDocs' ``File.generated`` takes it
        (a page's content, or under ``mkdocs serve --dirty`` a file that changes with it)."""
        for page in self.pages:
            inserts = self.inserts.get(page.src_uri)
            yield page.src_uri, incremental.source(page.src_uri, page.content, inserts)
        for attachment in self.attachments:
            yield attachment.src_uri, {"abs_src_path": str(attachment.path)}

    def decorate(self, src_uri: str, markdown: str) -> str:
        """A page's Markdown with what the site adds to it: clause badges on the procedure,
        and on every page, while unwaived errors remain, a banner that says so."""
        if src_uri == urls.PROCEDURE:
            markdown = procedure.decorate(self.clause_lines, markdown)
        if self.gate_lines:
            markdown = gate.banner(src_uri, len(self.gate_lines), self.pinned) + markdown
        return markdown

    @property
    def abort_message(self) -> str | None:
        """Why a strict build must stop, or None when the knowledge base passes."""
        return gate.abort_message(self.gate_lines) if self.gate_lines else None

    def nav(self, nav: Any, limit: int = NAV_SERVICES_MAX) -> Any:
        """The configured nav with a section of service pages after ``services/index.md``,
        when there are at most ``limit`` services.

        Every service page carries that section, so its size times the number of service pages
        grows with the square of the number of services; beyond a list one can scan, the
        services overview (with each service's status) serves better anyway.
        """
        pages = self.service_pages
        return _expand_nav(nav, pages if len(pages) <= limit else [])


def policy_error_line(error: PolicyError) -> str:
    """A policy file that cannot be used, as one line (the build stops on it)."""
    problems = "；".join(
        (f"第 {line} 行：" if line else "") + message.rstrip("。")
        for line, message in error.problems
    )
    return f"{error.path}: 策略文件有误，无法生成站点：{problems}。"


def _expand_nav(nav: Any, pages: list[str]) -> Any:
    """The nav list that holds ``services/index.md`` gets a section with the service pages.

    A section of their own, not entries next to the index: Material's templates walk the
    children of every nav entry they draw on every page, even a collapsed one, but not the
    children of a collapsed entry's children. So pages outside this section do not pay for
    the number of services.
    """
    if not isinstance(nav, list):
        return nav
    out = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            ((title, value),) = item.items()
            if value == urls.SERVICES:
                value = [urls.SERVICES]
            out.append({title: _expand_nav(value, pages)})
        else:
            out.append(item)
    if urls.SERVICES in out and pages:
        out.append({SERVICES_SECTION: pages})
    return out
