"""make serve builds dirty: a generated page's source changes only when the page does."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from brmkb.site import incremental
from brmkb.site.html import Inserts


@pytest.fixture
def serving() -> Iterator[None]:
    incremental.start(command="serve", dirty=True)
    yield
    incremental.stop()


def test_only_a_dirty_server_keeps_page_sources() -> None:
    incremental.start(command="build", dirty=False)
    assert not incremental.active()
    incremental.start(command="serve", dirty=False)
    assert not incremental.active()
    with pytest.raises(RuntimeError):
        incremental.source("records/a.md", "# A\n", None)
    incremental.start(command="serve", dirty=True)
    assert incremental.active()
    incremental.stop()
    assert not incremental.active()


def test_an_unchanged_page_keeps_its_source_file(serving) -> None:
    path = Path(incremental.source("records/a.md", "# A\n", Inserts(lead="x"))["abs_src_path"])
    assert path.read_text(encoding="utf-8") == "# A\n"
    os.utime(path, (0, 0))  # as if the page had been built since
    incremental.source("records/a.md", "# A\n", Inserts(lead="x"))
    assert path.stat().st_mtime == 0


@pytest.mark.parametrize(
    ("content", "inserts"), [("# A2\n", Inserts(lead="x")), ("# A\n", Inserts(lead="y"))]
)
def test_a_changed_page_or_changed_findings_rewrite_the_source(serving, content, inserts) -> None:
    path = Path(incremental.source("records/a.md", "# A\n", Inserts(lead="x"))["abs_src_path"])
    os.utime(path, (0, 0))
    incremental.source("records/a.md", content, inserts)
    assert path.stat().st_mtime > 0 and path.read_text(encoding="utf-8") == content


def test_the_sources_go_with_the_server(serving) -> None:
    folder = Path(incremental.source("a.md", "# A\n", None)["abs_src_path"]).parent
    incremental.stop()
    assert not folder.exists() and not incremental.active()
