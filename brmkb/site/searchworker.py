"""The site's search worker (``search_worker.js``) and how pages are pointed at it.

Material's pages name their search worker in the ``__config`` data block; the theme's own
worker builds a Lunr index in the reader's browser on every page load, which at 5,000
records kept the first result waiting for seconds. The project's worker answers the same
messages from the same ``search_index.json``. It is published under a name carrying its
content hash, so a reader's browser never keeps an old copy.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

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


def theme_worker(theme_dirs: list[str]) -> str | None:
    """The file name of the theme's own search worker (``search.<hash>.min.js``), if any."""
    for folder in theme_dirs:
        found = sorted(Path(folder, WORKERS).glob("search.*.min.js"))
        if found:
            return found[0].name
    return None


def point_at(html: str, theme_name: str, ours: Worker) -> str:
    """``html`` with its ``__config`` naming our worker instead of the theme's.

    Only the theme's data block is touched (the last one: the theme writes it after the
    content), so a page that quotes the file name keeps its words.
    """
    start = html.rfind(_CONFIG_START)
    if start == -1:
        return html
    end = html.find(_CONFIG_END, start)
    if end == -1:
        return html
    block = html[start:end]
    named = block.replace(f"{WORKERS}{theme_name}", ours.path, 1)
    return html[:start] + named + html[end:]
