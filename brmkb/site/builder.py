"""Checks the records and renders every generated page, once per build (``generate``).

The site hook runs ``generate`` in a background process; its result is a
``brmkb.site.published.Published``, all that MkDocs' own process needs.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
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
