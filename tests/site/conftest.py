"""Fixtures of the site tests: small knowledge bases, and real site builds made once per session.

The ``mkdocs build --strict`` runs (the sample knowledge base, the seeded one, a broken one
and one numbered in capitals) start together and are shared by every test that needs a built site.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import ModuleType

import pytest

from brmkb import engine
from brmkb.site import build as build_site
from brmkb.site.context import Context
from brmkb.site.html import unstash
from tests import upper
from tests.site import kbs, xss

REPO = Path(__file__).resolve().parents[2]
#: Builds made with another generator than MkDocs: the sample, with ProperDocs, the maintained
#: fork of MkDocs 1.x (see docs-dev/GENERATORS.md).
GENERATORS = {"properdocs": "properdocs"}

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NEEDS_CHROMIUM = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="needs Debian's chromium (make browser); required in CI",
)


def hook_module(name: str) -> ModuleType:
    """A fresh copy of ``hooks/<name>.py``, as MkDocs loads it for every build."""
    spec = importlib.util.spec_from_file_location(f"{name}_under_test", REPO / "hooks" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Build:
    """One finished ``mkdocs build --strict``: exit status, log and output folder."""

    returncode: int
    log: str
    site: Path
    root: Path


#: A strict build run through MkDocs' Python API with its loggers at ERROR (as a script or
#: an embedding tool may set them): warnings never reach MkDocs' strict counter.
QUIET_API_BUILD = """\
import logging, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
logging.getLogger("mkdocs").setLevel(logging.ERROR)
build(load_config(config_file=sys.argv[1], site_dir=sys.argv[2], strict=True))
"""

#: Every build the tests share: name → (knowledge base, how MkDocs is run). The broken
#: knowledge base is built strict in every logging set-up, and once not strict.
BUILDS: dict[str, tuple[str, list[str]]] = {
    "sample": ("sample", ["-m", "mkdocs", "build", "--strict"]),
    "properdocs": ("sample", ["-m", GENERATORS["properdocs"], "build", "--strict"]),
    "seeded": ("seeded", ["-m", "mkdocs", "build", "--strict"]),
    "upper": ("upper", ["-m", "mkdocs", "build", "--strict"]),
    "broken": ("broken", ["-m", "mkdocs", "build", "--strict"]),
    "broken-q": ("broken", ["-m", "mkdocs", "build", "--strict", "-q"]),
    "broken-quiet": ("broken", ["-m", "mkdocs", "build", "--strict", "--quiet"]),
    "broken-api": ("broken", ["-c", QUIET_API_BUILD]),
    "broken-lax": ("broken", ["-m", "mkdocs", "build"]),
    # record bodies with every shape of script injection (and broken links): built as the
    # daily publishing job builds, not strict
    "hostile": ("hostile", ["-m", "mkdocs", "build"]),
}


@pytest.fixture(scope="session")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Build]:
    base = tmp_path_factory.mktemp("sites")
    roots = {"sample": REPO}
    files = {"seeded": kbs.FILES, "broken": kbs.BROKEN_FILES, "hostile": xss.FILES}
    for name, content in files.items():
        root = kbs.write(base / name, content)
        kbs.mkdocs_yml(REPO, root)
        roots[name] = root
    (base / "upper").mkdir()
    roots["upper"] = upper.write(base / "upper")
    kbs.mkdocs_yml(REPO, roots["upper"])
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    running = {}
    for name, (kb, how) in BUILDS.items():
        config, out = str(roots[kb] / "mkdocs.yml"), str(base / f"{name}-site")
        where = [config, out] if how[0] == "-c" else ["-f", config, "-d", out]
        running[name] = subprocess.Popen(
            [sys.executable, *how, *where],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
    done = {}
    for name, process in running.items():
        log, _ = process.communicate(timeout=300)
        done[name] = Build(process.returncode, log, base / f"{name}-site", roots[BUILDS[name][0]])
    return done


@pytest.fixture(scope="session")
def sample_site(builds: dict[str, Build]) -> Build:
    build = builds["sample"]
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def seeded_site(builds: dict[str, Build]) -> Build:
    build = builds["seeded"]
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def hostile_site(builds: dict[str, Build]) -> Build:
    build = builds["hostile"]
    assert build.returncode == 0, build.log
    return build


@pytest.fixture(scope="session")
def seeded_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeded knowledge base on disk (records and policy only)."""
    return kbs.write(tmp_path_factory.mktemp("seeded-kb"), kbs.FILES)


@pytest.fixture(scope="session")
def seeded_report(seeded_root: Path) -> engine.Report:
    return engine.run(seeded_root, date.fromisoformat(kbs.AS_OF))


@pytest.fixture(scope="session")
def seeded(seeded_report: engine.Report):
    """The generated site of the seeded knowledge base, as brmkb.site builds it (no MkDocs)."""
    return build_site(seeded_report)


@pytest.fixture(scope="session")
def seeded_ctx(seeded) -> Context:
    return seeded.context


@pytest.fixture(scope="session")
def sample_report() -> engine.Report:
    return engine.run(REPO)


def page_of(site, src_uri: str) -> str:
    """The Markdown of one generated page, with what joins it after Markdown put in place
    (after the line of its H1, as the build puts it after the H1's HTML; the title and body
    pass the sanitizer as their HTML does in the build)."""
    content = next(p.content for p in site.pages if p.src_uri == src_uri)
    inserts = site.inserts.get(src_uri)
    if inserts is None:
        return content
    start = content.index("\n# ") + 1
    end = content.index("\n", start)
    blocks: list[str] = []
    placed = inserts.place(content[start:end] + "</h1>" + content[end:], blocks)
    return content[:start] + unstash(placed, blocks)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Playwright drives Debian's, nothing downloaded), one per module:
    Playwright's sync API allows one session at a time, and the audit pack's tests and PDFs
    start their own."""
    if os.environ.get("CI"):
        from playwright import sync_api  # must be installed in CI: fail, do not skip
    else:
        sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=ARGS
        )
        yield chromium
        chromium.close()
