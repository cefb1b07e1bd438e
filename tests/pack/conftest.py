"""The sample knowledge base's audit pack, made once per session and unpacked."""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from brmkb import cli, engine
from brmkb.pack import shim
from brmkb.pack.scope import Scope

REPO = Path(__file__).resolve().parents[2]
START, END = date(2026, 1, 1), date(2026, 6, 30)
PERIOD = ["--from", START.isoformat(), "--to", END.isoformat()]


@dataclass(frozen=True)
class Pack:
    zip: Path
    folder: Path
    scope: Scope
    #: The sample's check as of the pack's date, on every record, and restricted to the scope.
    full: engine.Report
    scoped: engine.Report


def needs(tool: str) -> None:
    """Skip without ``tool`` outside CI; in CI its absence is a failure."""
    missing = {
        "chromium": shutil.which("chromium") is None,
        "shim": not shim.location().is_file(),
    }[tool]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"needs {tool} (make test installs it)")


def make(out: Path, *args: str) -> int:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    return cli.main(["pack", str(REPO), *PERIOD, "--out", str(out), *args])


def unpack(archive: Path, folder: Path) -> Path:
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(folder)
    return folder


@pytest.fixture(scope="session")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Pack:
    needs("shim")
    needs("chromium")
    base = tmp_path_factory.mktemp("pack")
    archive = base / "pack.zip"
    assert make(archive) == 0
    scope = Scope(START, END, (), END)
    full = engine.run(REPO, END)
    return Pack(archive, unpack(archive, base / "unpacked"), scope, full, scope.restrict(full))
