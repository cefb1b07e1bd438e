"""A generated site as the MkDocs process takes it: pages, inserts, attachments, the gate.

The records are checked and the pages rendered in another process (``brmkb.site.builder``,
run in the background by the site hook); what comes back is made of this module's classes
and ``brmkb.site.html``'s, so that MkDocs' own process loads neither the check nor the page
renderers (their imports took about a tenth of a second at the start of every build). The
check's outcome comes first, the pages follow while MkDocs reads the ones before them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brmkb.policy import PolicyError
from brmkb.site import gate, incremental, procedure, urls
from brmkb.site.html import Inserts, as_text_on_failure, stash


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


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    """A generated page: its Markdown, what joins it after Markdown (record and service
    pages), and what could not be published as written."""

    src_uri: str
    content: str
    inserts: Inserts | None = None
    problems: Sequence[Problem] = ()


#: The nav section that lists the service pages, and the most services it lists.
SERVICES_SECTION = "全部服务"
NAV_SERVICES_MAX = 50


@dataclass
class Published:
    """A generated site as MkDocs takes it: the pages (in the site's order, made so far),
    attachments, the gate, the export files. It holds no knowledge base, so that it comes back
    from the background process quickly (with the knowledge base and the check report it
    pickles to a third more and takes almost three times as long to move).

    The pages not made yet come from ``follow``'s batches, taken as a page is asked for
    (``page``): MkDocs reads the first pages while the background process makes the next.
    The export files come after the last batch (``finish``).
    """

    #: Every generated page, in the order MkDocs is given (and reads) them.
    order: list[str]
    attachments: list[Attachment]
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
    #: The pages made so far, by ``src_uri``.
    arrived: dict[str, GeneratedPage] = field(default_factory=dict)
    _coming: Iterator[list[GeneratedPage] | dict[str, bytes]] | None = field(
        default=None, repr=False
    )
    _on_problem: Callable[[Problem], None] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self._generated = frozenset(self.order)

    def follow(self, coming: Iterable[list[GeneratedPage] | dict[str, bytes]]) -> None:
        """Take the pages still to come from ``coming`` (batches of pages, then the export
        files), as they are asked for."""
        self._coming = iter(coming)

    def finish(self) -> dict[str, bytes]:
        """The export files, once every page has arrived (the background process ends here)."""
        while self._coming is not None:
            self._take(None)
        return self.exports

    def report_problems(self, report: Callable[[Problem], None]) -> None:
        """Hand every problem found while rendering a page to ``report``: those of the pages
        made so far now, the others as their pages arrive."""
        self._on_problem = report
        for page in self.arrived.values():
            for problem in page.problems:
                report(problem)

    def page(self, src_uri: str) -> GeneratedPage | None:
        """The generated page at ``src_uri`` (waiting for it if it is still being made), or
        None, at once, for a page the site does not generate."""
        found = self.arrived.get(src_uri)
        while found is None and src_uri in self._generated:
            self._take(src_uri)
            found = self.arrived.get(src_uri)
        return found

    def inserts(self, src_uri: str) -> Inserts | None:
        found = self.page(src_uri)
        return found.inserts if found else None

    def content(self, src_uri: str) -> str:
        """A generated page's Markdown."""
        found = self.page(src_uri)
        if found is None:
            raise KeyError(f"{src_uri} is not a generated page")
        return found.content

    def _take(self, wanted: str | None) -> None:
        batch = next(self._coming, None) if self._coming is not None else None
        if isinstance(batch, dict) or batch is None:
            self._coming = None
            if batch is not None:
                self.exports = batch
            if wanted is not None and wanted not in self.arrived:
                raise RuntimeError(f"the generated page {wanted} never arrived")
            return
        for page in batch:
            self.arrived[page.src_uri] = page
            if self._on_problem is not None:
                for problem in page.problems:
                    self._on_problem(problem)

    def prepare(
        self, page: Any, markdown: str, note: Callable[[str], None]
    ) -> tuple[str, list[str]]:
        """A page's Markdown as MkDocs renders it, and the generated blocks stashed out of it.

        Record and service pages hold the author's title and body: nothing is stashed
        (no body can slip raw HTML past the sanitizer that way), and a body Python-Markdown
        cannot render is shown as text (``note`` says so). ``page`` is MkDocs' page.
        """
        markdown = self.decorate(page.file.src_uri, markdown)
        if self.inserts(page.file.src_uri) is not None:
            page.render = as_text_on_failure(page, page.render, note)
            return markdown, []
        return stash(markdown)

    def sources(self) -> Iterator[tuple[str, dict[str, str] | None]]:
        """Every generated page and attachment, with how MkDocs' ``File.generated`` takes it:
        a page's content (``content``) comes later, as MkDocs reads it (None); under
        ``mkdocs serve --dirty`` a page is a file that changes with it."""
        for src_uri in self.order:
            if incremental.active():
                page = self.page(src_uri)
                assert page is not None  # every page in the order is generated
                yield src_uri, incremental.source(src_uri, page.content, page.inserts)
            else:
                yield src_uri, None
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
