"""Checks the records and renders every generated page, once per build (``generate``).

The site hook runs ``generate`` in a background process; what it hands over — a
``brmkb.site.published.Published``, then the pages — is all that MkDocs' own process needs.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from brmkb import engine, export, provenance, tree
from brmkb.engine import Report
from brmkb.findings import Finding
from brmkb.limits import DEFAULT, publishable
from brmkb.pack.scope import Scope, from_environment
from brmkb.policy import Policy
from brmkb.procedure import source as procedure_source
from brmkb.provenance import Provenance
from brmkb.render.text import summary
from brmkb.site import dashboard, guides, procedure, records, services, urls
from brmkb.site.context import Context
from brmkb.site.gate import gate_line
from brmkb.site.html import Inserts
from brmkb.site.published import Attachment, GeneratedPage, Problem, Published


#: How a generated page is made: its Markdown, what joins it after Markdown (record and
#: service pages), and the problems found while rendering it.
Made = tuple[str, Inserts | None, list[Problem]]


@dataclass
class Site:
    context: Context
    pages: list[GeneratedPage] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)

    @property
    def report(self) -> Report:
        return self.context.report

    @property
    def inserts(self) -> dict[str, Inserts]:
        """What joins the record and service pages after Markdown, by page."""
        return {page.src_uri: page.inserts for page in self.pages if page.inserts is not None}

    @property
    def problems(self) -> list[Problem]:
        return [problem for page in self.pages for problem in page.problems]

    @property
    def blocking(self) -> list[Finding]:
        """Unwaived errors: they fail ``mkdocs build --strict``."""
        return self.report.blocking

    def publish(self, order: list[str] | None = None, *, exports: bool = True) -> Published:
        """What the build hands to MkDocs: the pages made so far, the order of every page (by
        default, of those made), and the export files if they are published (unless
        ``exports`` is false: they come later, see ``generate``)."""
        ctx = self.context
        return Published(
            order=[page.src_uri for page in self.pages] if order is None else order,
            attachments=self.attachments,
            service_pages=[urls.service_page(s.id) for s in self.report.kb.services],
            gate_lines=[gate_line(f) for f in self.blocking],
            summary=summary(self.report),
            pinned=self.report.pinned,
            clause_lines=procedure.clause_lines(ctx),
            exports=self.exports() if exports else {},
            arrived={page.src_uri: page for page in self.pages},
        )

    def exports(self) -> dict[str, bytes]:
        """The calendar and CSV export files, if the site publishes them."""
        return export.files(self.report) if self.context.exports else {}


def generate(
    root: Path,
    chosen: Policy,
    *,
    use_directory_urls: bool = True,
    exports: str | None = None,
    jobs: int = 1,
    scope: Scope | None = None,
    batch: int = 32,
) -> Iterator[Published | list[GeneratedPage] | dict[str, bytes]]:
    """The whole site of the knowledge base at ``root``, as the build takes it: first what
    the check decided (a ``Published`` with no pages yet: MkDocs needs it to list the pages),
    then the pages, ``batch`` at a time, in the site's order — the order MkDocs reads them,
    so that the build can read the first pages while the next are made in the background —
    and last the export files (published after the pages are written).

    With a ``scope`` (an audit pack; ``brmkb pack`` hands it to the MkDocs process through
    the environment, see ``brmkb.pack.scope``), the check runs as of its date on every record,
    then the site shows only the records of the scope, the findings on them and the files
    they cite.
    """
    scope = scope or from_environment()
    report = engine.run(root, scope.as_of if scope else None, jobs=jobs, chosen=chosen)
    if scope is not None:
        report = scope.restrict(report)
    site, plan = start(
        report,
        history=provenance.history(root),
        use_directory_urls=use_directory_urls,
        exports=exports,
        cited_only=scope is not None,
    )
    yield site.publish([src_uri for src_uri, _ in plan], exports=False)
    for first in range(0, len(plan), batch):
        yield [GeneratedPage(src_uri, *make()) for src_uri, make in plan[first : first + batch]]
    yield site.exports()


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
    site, plan = start(
        report,
        history=history,
        use_directory_urls=use_directory_urls,
        exports=exports,
        cited_only=cited_only,
    )
    site.pages.extend(GeneratedPage(src_uri, *make()) for src_uri, make in plan)
    return site


def start(
    report: Report,
    *,
    history: dict[str, Provenance] | None,
    use_directory_urls: bool,
    exports: str | None,
    cited_only: bool,
) -> tuple[Site, list[tuple[str, Callable[[], Made]]]]:
    """The site with its attachments but no pages yet, and every page to make, in order."""
    ctx = Context(report, urls.Urls(use_directory_urls), history or {}, exports)
    found = attachments(report.kb.root, report.policy.limits.attachment_types)
    if cited_only:
        cited = {path for record in report.kb.records for path in records.cited_files(record)}
        found = [a for a in found if a.src_uri in cited]
    return Site(ctx, attachments=found), plan(ctx, {a.src_uri for a in found})


def plan(ctx: Context, published: set[str]) -> list[tuple[str, Callable[[], Made]]]:
    """Every generated page of the site, in order, with how to make it (nothing made yet)."""

    def plain(render: Callable[[Context], str]) -> Callable[[], Made]:
        return lambda: (render(ctx), None, [])

    kb = ctx.report.kb
    pages = [
        (urls.record_page(record), partial(records.page, ctx, record, published))
        for record in kb.records
        if record.kind != "service"
    ]
    pages += [
        (urls.service_page(service.id), partial(services.page, ctx, service, published))
        for service in kb.services
    ]
    return pages + [
        (urls.SERVICES, plain(services.overview)),
        (urls.RECORDS, plain(services.records_index)),
        (urls.DASHBOARD, plain(dashboard.page)),
        (urls.PROCEDURE, lambda: (procedure_source(), None, [])),  # packaged: explain quotes it
        (urls.FIELDS, plain(guides.fields_page)),
        (urls.RULES, plain(guides.rules_page)),
        (urls.COVERAGE, plain(guides.coverage_page)),
    ]


def attachments(
    root: Path, allowed: Collection[str] = DEFAULT.attachment_types
) -> list[Attachment]:
    """The files under records/ that are published: not records, not hidden, of an ``allowed``
    type, and inside records/ after following links (the check reports every other file)."""
    base = root.resolve()
    return [
        Attachment(entry.rel, Path(entry.path))
        for entry in tree.walk(base)
        if entry.problem is None and not entry.is_record and publishable(entry.rel, allowed)
    ]
