"""Generated pages as source files that change only when the page does, for ``serve --dirty``.

MkDocs' dirty build (``mkdocs serve --dirty``, what ``make serve`` runs) rebuilds a page only
when its source file is newer than its output, and always rebuilds a page generated from
content in memory. Here each generated page gets a source file of its own, rewritten only
when the page's Markdown or the parts that join it after Markdown changed since the previous
build of the same server: saving one record rebuilds its page and the pages its findings
touch (service, lists, dashboard), not the whole site. ``mkdocs build`` never uses this.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from pathlib import Path

from brmkb.site.html import Inserts


class Sources:
    """A folder of generated page sources, and the fingerprint each was written with."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._written: dict[str, str] = {}

    def path(self, src_uri: str, content: str, inserts: Inserts | None) -> str:
        """The page's source file, rewritten (so newer than the built page) if it changed."""
        fingerprint = hashlib.sha256(f"{content}\0{inserts!r}".encode()).hexdigest()
        path = self.folder / src_uri
        if self._written.get(src_uri) != fingerprint or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
            self._written[src_uri] = fingerprint
        return str(path)


#: The sources of the running ``mkdocs serve --dirty``; None otherwise. Kept here, not in
#: the hook module, because MkDocs loads the hooks afresh for every rebuild.
_current: Sources | None = None


def start(*, command: str, dirty: bool) -> None:
    """MkDocs' ``on_startup``: a dirty-building server keeps page sources from now on."""
    global _current
    stop()
    if command == "serve" and dirty:
        _current = Sources(Path(tempfile.mkdtemp(prefix="brmkb-pages-")))


def stop() -> None:
    """MkDocs' ``on_shutdown``: the sources go with the server."""
    global _current
    if _current is not None:
        shutil.rmtree(_current.folder, ignore_errors=True)
    _current = None


def active() -> bool:
    """Whether a dirty-building server keeps page sources (else pages stay in memory)."""
    return _current is not None


def source(src_uri: str, content: str, inserts: Inserts | None) -> dict[str, str]:
    """How ``File.generated`` takes a generated page under a dirty-building server: a source
    file that changes only with the page."""
    if _current is None:
        raise RuntimeError("page sources are kept only under mkdocs serve --dirty")
    return {"abs_src_path": _current.path(src_uri, content, inserts)}
