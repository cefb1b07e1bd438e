"""The installable package: ``python -m build``, then the wheel alone makes a working site.

The wheel goes into a fresh virtual environment that has no brmkb but the wheel's (the source
tree is never on its path). Its third-party dependencies are installed by pip once into an
environment of their own, kept in pytest's cache and keyed by the wheel's requirements, and
reached through a ``.pth`` line; that environment never holds brmkb. The test asserts both.
Set ``BRMKB_SKIP_NETWORK_TESTS=1`` where no package index can be reached.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from brmkb import init

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.package
#: The environment of every command: no bytecode switch (setuptools warns that it skips
#: byte-compiling), nothing that puts the source tree on the path.
ENV = {
    key: value
    for key, value in os.environ.items()
    if key not in {"PYTHONDONTWRITEBYTECODE", "PYTHONPATH", "VIRTUAL_ENV"}
}


def _run(*command: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=ENV, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


FIND_BRMKB = """
import pathlib, sys
for entry in sys.path:
    if (pathlib.Path(entry or ".") / "brmkb" / "__init__.py").is_file():
        print(pathlib.Path(entry or ".").resolve() / "brmkb")
"""


def _warnings(output: str) -> list[str]:
    """Warning lines, less pip's notes on this machine's own index configuration."""
    return [
        line
        for line in output.splitlines()
        if "warn" in line.lower() and not re.match(r"WARNING: Location '.*' is ignored", line)
    ]


def _site_packages(venv: Path) -> Path:
    relative = sysconfig.get_path("purelib", vars={"base": ".", "platbase": "."})
    return venv / relative


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("BRMKB_SKIP_NETWORK_TESTS"):
        pytest.skip("BRMKB_SKIP_NETWORK_TESTS is set")
    out = tmp_path_factory.mktemp("dist")
    built = _run(sys.executable, "-m", "build", "--outdir", out, ROOT)
    assert _warnings(built.stdout + built.stderr) == []
    return out


def _requirements(wheel: Path) -> list[str]:
    """The wheel's third-party requirements, with the ``site`` and ``kb`` extras."""
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(name).decode("utf-8")
    found = []
    for line in metadata.splitlines():
        if not line.startswith("Requires-Dist: "):
            continue
        requirement, _, marker = line.removeprefix("Requires-Dist: ").partition(";")
        if requirement.startswith("brmkb"):
            continue
        if not marker or re.search(r"extra == \"(site|kb)\"", marker):
            found.append(requirement.strip())
    return sorted(found)


@pytest.fixture(scope="module")
def venv(dist: Path, request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    wheel = next(dist.glob("brmkb-*.whl"))
    requirements = _requirements(wheel)
    key = hashlib.sha256(f"{sys.version}\n{requirements}".encode()).hexdigest()[:16]
    deps = request.config.cache.mkdir(f"wheel-deps-{key}")
    if not (deps / "ready").exists():
        _run(sys.executable, "-m", "venv", "--clear", deps)
        _run(deps / "bin" / "python", "-m", "pip", "install", "--no-compile", *requirements)
        (deps / "ready").write_text("\n".join(requirements), encoding="utf-8")
    fresh = tmp_path_factory.mktemp("venv") / "fresh"
    _run(sys.executable, "-m", "venv", fresh)
    installed = _run(fresh / "bin" / "python", "-m", "pip", "install", "--no-deps", wheel)
    assert _warnings(installed.stdout + installed.stderr) == []
    (_site_packages(fresh) / "dependencies.pth").write_text(
        f"{_site_packages(deps)}\n", encoding="utf-8"
    )
    return fresh


def test_the_distributions_carry_the_templates_and_the_dictionary(dist: Path) -> None:
    wheel = zipfile.ZipFile(next(dist.glob("brmkb-*.whl"))).namelist()
    templates = {n.removeprefix("brmkb/templates/kb/") for n in wheel if "templates/kb/" in n}
    assert templates == set(init.shared_files())
    assert "brmkb/templates/kb/docs/assets/jieba_userdict.txt" in wheel
    sdist = subprocess.run(
        ["tar", "tzf", next(dist.glob("brmkb-*.tar.gz"))], capture_output=True, text=True
    ).stdout
    assert "brmkb/templates/kb/hooks/brmkb_site.py" in sdist
    assert "records/" not in sdist


def test_the_wheel_alone_initializes_and_builds_a_site(venv: Path, tmp_path: Path) -> None:
    python = venv / "bin" / "python"
    # Every brmkb the fresh environment could import: only the wheel's.
    where = _run(python, "-c", FIND_BRMKB, cwd=tmp_path)
    assert where.stdout.splitlines() == [str(_site_packages(venv) / "brmkb")]
    _run(venv / "bin" / "brmkb", "init", "kb-demo", "--org", "示例科技有限公司", cwd=tmp_path)
    kb = tmp_path / "kb-demo"
    org = init.Organization("示例科技有限公司")
    written = {p.relative_to(kb).as_posix(): p.read_bytes() for p in kb.rglob("*") if p.is_file()}
    assert written == init.files(org)  # the wheel writes what the source tree writes
    _run(venv / "bin" / "brmkb", "check", cwd=kb)
    built = _run(python, "-m", "mkdocs", "build", "--strict", cwd=kb)
    assert "brmkb: 通过" in built.stderr
    assert (kb / "site" / "index.html").is_file()


def test_an_editable_install_prints_no_warning(tmp_path: Path) -> None:
    """``make site`` and ``make test`` install the checkout editable with an up-to-date pip,
    which shows the build backend's warnings (the flat layout's import-hook install had one)."""
    if os.environ.get("BRMKB_SKIP_NETWORK_TESTS"):
        pytest.skip("BRMKB_SKIP_NETWORK_TESTS is set")
    venv = tmp_path / "editable"
    _run(sys.executable, "-m", "venv", venv)
    _run(venv / "bin" / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    installed = _run(venv / "bin" / "python", "-m", "pip", "install", "--no-deps", "-e", ROOT)
    assert _warnings(installed.stdout + installed.stderr) == []
    found = _run(venv / "bin" / "python", "-c", FIND_BRMKB, cwd=tmp_path).stdout.split()
    assert found == [str(ROOT / "brmkb")]
