"""Where every generated page lives, and relative links between pages, as MkDocs computes them.

Links inside raw HTML are not rewritten by MkDocs, so generated pages compute the final
relative URL themselves (same rules as ``mkdocs.structure.files.File.url``).
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from brmkb.limits import file_type
from brmkb.model import Record
from brmkb.schema import id_key

HOME = "index.md"
PROCEDURE = "procedure.md"
DASHBOARD = "dashboard.md"
SERVICES = "services/index.md"
RECORDS = "records/index.md"
FIELDS = "guide/fields.md"
RULES = "guide/rules.md"
COVERAGE = "guide/coverage.md"
TAGS = "tags.md"
AUDITOR = "guide/auditor.md"


def _page(folder: str, record_id: str) -> str:
    """The page of a record: the lower-case slug of its id, unique because ids are unique
    ignoring case (so two pages never collide on a case-insensitive file system), and the same
    URL as before for lower-case ids. Ids start with a letter or digit, so ``_index`` (the page
    of the id ``index``, which MkDocs would take for the folder's index) is no record's slug,
    nor ``_index.html`` (whose folder would be the list page ``records/index.html``).

    A page is a folder (``records/<slug>/``), so a slug that looks like a file name
    (``cp-1.pdf``) would take the place of an attachment of that name directly in records/:
    such a slug ends in ``_`` (``cp-1.pdf_``), which no slug of that form ends in before, so
    pages stay unique."""
    slug = id_key(record_id)
    if slug in ("index", "index.html"):
        return f"{folder}/_{slug}.md"
    if any(c.isalpha() for c in file_type(slug)):
        slug += "_"
    return f"{folder}/{slug}.md"


def service_page(service_id: str) -> str:
    return _page("services", service_id)


def record_page(record: Record) -> str:
    """A service's record is its service page; every other record has a page of its own."""
    if record.kind == "service":
        return service_page(record.id)
    return _page("records", record.id)


def rule_anchor(rule_id: str) -> str:
    return f"rule-{rule_id}"


def findings_anchor(rule_id: str) -> str:
    return f"findings-{rule_id}"


def clause_anchor(clause: str) -> str:
    return "clause-" + clause.replace(".", "-")


class Urls:
    """Relative URLs from one generated page to another page, anchor or published file."""

    def __init__(self, use_directory_urls: bool = True) -> None:
        self.use_directory_urls = use_directory_urls
        self._urls: dict[str, str] = {}
        #: (folder of a page, folder of a target) → the relative path between them: the
        #: pages of a site sit in a few folders, and link to each other tens of thousands of times
        self._prefixes: dict[tuple[str, str], str] = {}

    def url(self, src_uri: str) -> str:
        """The site-relative URL of a source file (``records/a.md`` → ``records/a/``)."""
        found = self._urls.get(src_uri)
        if found is None:
            found = self._urls[src_uri] = self._url(src_uri)
        return found

    def _url(self, src_uri: str) -> str:
        if not src_uri.endswith(".md"):
            return quote(src_uri)
        stem = src_uri[:-3]
        folder, name = posixpath.split(stem)
        if name in ("index", "README"):
            dest = f"{folder}/" if folder else ""
        elif self.use_directory_urls:
            dest = f"{stem}/"
        else:
            dest = f"{stem}.html"
        if not self.use_directory_urls and (dest == "" or dest.endswith("/")):
            dest += "index.html"
        return quote(dest)

    def rel(self, from_src: str, to_src: str, anchor: str = "") -> str:
        """Link from the page generated from ``from_src`` to ``to_src`` (plus ``#anchor``)."""
        here, there = self.url(from_src), self.url(to_src)
        base = here.rpartition("/")[0]  # the folder the page is served from
        target_dir, _, name = there.rpartition("/")
        prefix = self._prefixes.get((base, target_dir))
        if prefix is None:
            prefix = self._prefixes[base, target_dir] = _prefix(base, target_dir)
        target = prefix + name
        if not target:
            target = "" if anchor else "./"
        return target + (f"#{anchor}" if anchor else "")


def _prefix(base: str, target_dir: str) -> str:
    """The relative path from the folder ``base`` to the folder ``target_dir`` ('' or ending
    in ``/``); both are site-relative, '' for the site's root."""
    here = base.split("/") if base else []
    there = target_dir.split("/") if target_dir else []
    common = 0
    while common < min(len(here), len(there)) and here[common] == there[common]:
        common += 1
    return "../" * (len(here) - common) + "".join(f"{p}/" for p in there[common:])


def service_anchor(service_id: str) -> str:
    """Anchor of a service on the dashboard and the records index (safe in ``{#...}``)."""
    return "svc-" + service_id.replace(".", "_")
