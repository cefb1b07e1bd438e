"""The procedure site, generated from a check report: pages, attachments and the build gate.

``build(report)`` renders everything once per build; the MkDocs hooks in ``hooks/`` only hand
the result to MkDocs. Nothing here imports MkDocs, so every page can be tested on its own.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from brmkb import engine, export, provenance, tree
from brmkb.engine import Report
from brmkb.findings import Finding
from brmkb.limits import DEFAULT, publishable
from brmkb.pack.scope import Scope, from_environment
from brmkb.policy import Policy, PolicyError
from brmkb.procedure import source as procedure_source
from brmkb.provenance import Provenance
from brmkb.render.text import summary
from brmkb.site import dashboard, gate, guides, procedure, records, services, urls
from brmkb.site.context import Context
from brmkb.site.gate import gate_line as gate_line  # re-exported for the tests
from brmkb.site.html import Inserts
from brmkb.site.html import as_text_on_failure, stash
from brmkb.site.html import unstash as unstash
from brmkb.site.records import Problem


@dataclass(frozen=True, slots=True)
class GeneratedPage:
    src_uri: str
    content: str


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file under records/ published at the same path, so that inputs can link to it."""

    src_uri: str
    path: Path


#: The nav section that lists the service pages, and the most services it lists.
SERVICES_SECTION = "全部服务"
NAV_SERVICES_MAX = 50


@dataclass
class Site:
    context: Context
    pages: list[GeneratedPage] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: What joins the record and service pages after Markdown, by page.
    inserts: dict[str, Inserts] = field(default_factory=dict)

    @property
    def report(self) -> Report:
        return self.context.report

    @property
    def blocking(self) -> list[Finding]:
        """Unwaived errors: they fail ``mkdocs build --strict``."""
        return self.report.blocking

    def publish(self) -> Published:
        """What the build hands to MkDocs (with the export files if they are published)."""
        ctx = self.context
        return Published(
            pages=self.pages,
            inserts=self.inserts,
            attachments=self.attachments,
            problems=self.problems,
            service_pages=[urls.service_page(s.id) for s in self.report.kb.services],
            gate_lines=[gate_line(f) for f in self.blocking],
            summary=summary(self.report),
            pinned=self.report.pinned,
            clause_lines=procedure.clause_lines(ctx),
            exports=export.files(self.report) if ctx.exports else {},
        )


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


def generate(
    root: Path,
    chosen: Policy,
    *,
    use_directory_urls: bool = True,
    exports: str | None = None,
    jobs: int = 1,
    scope: Scope | None = None,
) -> Published:
    """The whole site of the knowledge base at ``root``: checked, rendered and published (one
    call, so that the build can run it in the background).

    With a ``scope`` (an audit pack; ``brmkb pack`` hands it to the MkDocs process through
    the environment, see ``brmkb.pack.scope``), the check runs as of its date on every record,
    then the site shows only the records of the scope, the findings on them and the files
    they cite.
    """
    scope = scope or from_environment()
    report = engine.run(root, scope.as_of if scope else None, jobs=jobs, chosen=chosen)
    if scope is not None:
        report = scope.restrict(report)
    return build(
        report,
        history=provenance.history(root),
        use_directory_urls=use_directory_urls,
        exports=exports,
        cited_only=scope is not None,
    ).publish()


def build(
    report: Report,
    *,
    history: dict[str, Provenance] | None = None,
    use_directory_urls: bool = True,
    exports: str | None = None,
    cited_only: bool = False,
) -> Site:
    """Every generated page of the site, from one report (records loaded once per build).

    ``exports`` is the site folder where the calendar and CSV exports are published, if they
    are (the pages then link to them). ``cited_only`` publishes only the attachments that the
    report's records cite (an audit pack carries nothing else).
    """
    ctx = Context(report, urls.Urls(use_directory_urls), history or {}, exports)
    found = attachments(report.kb.root, report.policy.limits.attachment_types)
    if cited_only:
        cited = {path for record in report.kb.records for path in records.cited_files(record)}
        found = [a for a in found if a.src_uri in cited]
    site = Site(ctx, attachments=found)
    published = {a.src_uri for a in site.attachments}
    add = site.pages.append
    for src_uri, content, inserts, problems in records.record_pages(ctx, published):
        add(GeneratedPage(src_uri, content))
        site.inserts[src_uri] = inserts
        site.problems.extend(problems)
    for service in report.kb.services:
        content, inserts, problems = services.page(ctx, service, published)
        add(GeneratedPage(urls.service_page(service.id), content))
        site.inserts[urls.service_page(service.id)] = inserts
        site.problems.extend(problems)
    add(GeneratedPage(urls.SERVICES, services.overview(ctx)))
    add(GeneratedPage(urls.RECORDS, services.records_index(ctx)))
    add(GeneratedPage(urls.DASHBOARD, dashboard.page(ctx)))
    add(GeneratedPage(urls.PROCEDURE, procedure_source()))  # packaged: explain quotes it too
    add(GeneratedPage(urls.FIELDS, guides.fields_page(ctx)))
    add(GeneratedPage(urls.RULES, guides.rules_page(ctx)))
    add(GeneratedPage(urls.COVERAGE, guides.coverage_page(ctx)))
    return site


def attachments(root: Path, allowed: Collection[str] = DEFAULT.attachment_types) -> list[Attachment]:
    """The files under records/ that are published: not records, not hidden, of an ``allowed``
    type, and inside records/ after following links (the check reports every other file)."""
    base = root.resolve()
    return [
        Attachment(entry.rel, Path(entry.path))
        for entry in tree.walk(base)
        if entry.problem is None and not entry.is_record and publishable(entry.rel, allowed)
    ]




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
