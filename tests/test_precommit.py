"""pre-commit integration: ``.pre-commit-hooks.yaml`` run by the real pre-commit.

``pre-commit try-repo`` installs brmkb from a copy of this repository into its own virtual
environment (from the package index) and runs the hooks in a temporary knowledge-base
repository. The first run takes a while (installing); the others reuse the environment.
Set ``BRMKB_SKIP_NETWORK_TESTS=1`` where no package index can be reached.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.gitrepo import ENV, Repo
from tests.test_changes import BASE, _minutes, _policy

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    hooks = {hook["id"]: hook for hook in load_manifest(str(MANIFEST))}
    assert set(hooks) == {"brmkb-check", "brmkb-check-changed"}
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert hook["files"] == r"^records/|^policy\.yml$"
    assert hooks["brmkb-check"]["entry"] == "brmkb check"
    assert hooks["brmkb-check-changed"]["entry"] == "brmkb check --changed-since HEAD"


@pytest.mark.parametrize(
    ("path", "runs"),
    [
        ("records/svc-a/service.md", True),
        ("policy.yml", True),
        ("docs/index.md", False),
        ("sub/records/x.md", False),
        ("policy.yml.bak", False),
    ],
)
def test_hooks_run_only_for_records_and_the_policy(path: str, runs: bool) -> None:
    for hook in yaml.safe_load(MANIFEST.read_text(encoding="utf-8")):
        assert bool(re.search(hook["files"], path)) is runs


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository's package and manifest, committed in a repository of their own."""
    if os.environ.get("BRMKB_SKIP_NETWORK_TESTS"):
        pytest.skip("BRMKB_SKIP_NETWORK_TESTS is set")
    path = tmp_path_factory.mktemp("hooks") / "brmkb"
    repository = Repo(path)
    for name in ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml"):
        shutil.copy2(ROOT / name, path / name)
    shutil.copytree(ROOT / "brmkb", path / "brmkb", ignore=shutil.ignore_patterns("__pycache__"))
    repository.commit("hooks")
    return path


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(
    kb: Repo, hooks: Path, cache: Path, hook: str, *extra: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(hooks), hook, "--verbose", *extra],
        cwd=kb.path,
        env={**os.environ, **ENV, "PRE_COMMIT_HOME": str(cache), "PRE_COMMIT_COLOR": "never"},
        capture_output=True,
        text=True,
        timeout=900,
    )


def test_pre_commit_runs_the_hooks(tmp_path: Path, hook_repo: Path, cache: Path) -> None:
    kb = Repo(tmp_path / "kb")
    kb.write({**BASE, "policy.yml": _policy()})
    kb.commit("base")

    # The full check fails on svc-a's overdue review (an old, unrelated error) …
    full = try_repo(kb, hook_repo, cache, "brmkb-check", "--all-files")
    assert full.returncode == 1, full.stdout + full.stderr
    assert "records/svc-a/service.md" in full.stdout and "review-frequency" in full.stdout

    # … which the check of what is being committed only shows as a warning.
    good = "records/svc-b/minutes/mn-b-2026-05-2.md"
    kb.write({good: _minutes("mn-b-2026-05-2", "rv-b-2026-05", "2026-05-10")})
    kb.git("add", good)
    changed = try_repo(kb, hook_repo, cache, "brmkb-check-changed")
    assert changed.returncode == 0, changed.stdout + changed.stderr
    assert "Passed" in changed.stdout
    assert "既有问题" in changed.stdout

    # A staged record with an error of its own is stopped.
    bad = "records/svc-b/minutes/mn-b-2026-05-3.md"
    kb.write({bad: _minutes("mn-b-2026-05-3", "rv-b-2026-05", "2026-05-10", customer=False)})
    kb.git("add", bad)
    stopped = try_repo(kb, hook_repo, cache, "brmkb-check-changed")
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert f"{bad}:" in stopped.stdout and "review-parties" in stopped.stdout
