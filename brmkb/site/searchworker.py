"""The site's search worker (``search_worker.js``) and how pages are pointed at it.

Material's pages name their search worker in the ``__config`` data block; the theme's own
worker builds a Lunr index in the reader's browser on every page load, which at 5,000
records kept the first result waiting for seconds. The project's worker answers the same
messages from the same index, which on a served site it fetches itself (``split``). It is
published under a name carrying its content hash, so a reader's browser never keeps an old
copy.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

#: The index as Material's page script fetches it, and the whole index as the worker fetches it
INDEX = "search_index.json"
DOCUMENTS = "documents.json"
_CONFIG_START = '<script id="__config" type="application/json">'
_CONFIG_END = "</script>"
WORKERS = "assets/javascripts/workers/"


@dataclass(frozen=True)
class Worker:
    """The worker's published path under the site and its bytes."""

    path: str
    content: bytes


def worker() -> Worker:
    content = resources.files("brmkb.site").joinpath("search_worker.js").read_bytes()
    digest = hashlib.sha256(content).hexdigest()[:8]
    return Worker(f"{WORKERS}brmkb-search.{digest}.js", content)


def from_disk(plugins: Mapping) -> bool:
    """Whether Material's offline plugin is on: pages are read from disk (the audit pack)."""
    plugin = plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.get("enabled", True))


def split(index: dict, *, served: bool) -> Iterator[tuple[str, dict]]:
    """The index files to write under search/: the whole index as Material's ``INDEX``, or,
    on a served site with the project's worker, Material's without its documents and the
    whole index as ``DOCUMENTS``.

    The worker fetches ``DOCUMENTS`` itself as it starts; the page script then parses and
    hands over only the configuration, where it used to parse the whole index on the page
    and copy it into the worker before the worker could begin. Pages read from disk cannot
    fetch: they keep the whole index in ``INDEX`` (Material's offline plugin makes it a
    script).
    """
    if not served:
        yield INDEX, index
        return
    yield DOCUMENTS, index
    yield INDEX, {**index, "docs": []}


def theme_worker(theme_dirs: list[str]) -> str | None:
    """The file name of the theme's own search worker (``search.<hash>.min.js``), if any."""
    for folder in theme_dirs:
        found = sorted(Path(folder, WORKERS).glob("search.*.min.js"))
        if found:
            return found[0].name
    return None


def point_at(html: str, theme_name: str, ours: Worker) -> tuple[str, bool]:
    """``html`` with its ``__config`` naming our worker instead of the theme's, and whether
    the page now starts ours (or starts none): a page whose configuration names another
    worker (a theme override) keeps it, and that worker needs the whole index.

    Only the theme's data block is touched (the last one: the theme writes it after the
    content), so a page that quotes the file name keeps its words.
    """
    start = html.rfind(_CONFIG_START)
    end = html.find(_CONFIG_END, start) if start != -1 else -1
    if end == -1:
        return html, True
    block = html[start:end].replace(f"{WORKERS}{theme_name}", ours.path, 1)
    return html[:start] + block + html[end:], ours.path in block
