"""Who last changed each record, from git history, read in one pass (no git: no provenance)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

_SEPARATOR = "\x1e"


@dataclass(frozen=True, slots=True)
class Provenance:
    author: str
    date: date
    commit: str
    subject: str


def history(root: Path, folder: str = "records") -> dict[str, Provenance]:
    """Last change of every tracked file under ``folder``, keyed by POSIX path relative to ``root``.

    Empty when ``root`` is not a git work tree or git is missing: pages then simply show none.
    """
    try:
        output = subprocess.run(
            [
                "git",
                "-c",
                "core.quotepath=off",
                "log",
                f"--format={_SEPARATOR}%H%x1f%an%x1f%as%x1f%s",
                "--name-only",
                "--relative",  # paths relative to root, also when root is a subfolder
                "--no-renames",
                "--",
                folder,
            ],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
            timeout=60,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, Provenance] = {}
    for block in output.split(_SEPARATOR)[1:]:
        header, _, names = block.partition("\n")
        commit, author, day, subject = header.split("\x1f", 3)
        stamp = Provenance(author, date.fromisoformat(day), commit, subject)
        for name in names.split("\n"):
            if name and name not in found:
                found[name] = stamp
    return found


@dataclass(frozen=True, slots=True)
class Commit:
    """The commit a tree is at, and whether what a build reads differs from it."""

    sha: str | None
    dirty: bool


#: What a site or pack is made from: a change here outside a commit makes the tree dirty.
SOURCES = ("records", "policy.yml", "docs", "mkdocs.yml", "hooks", "brmkb")


def commit(root: Path) -> Commit:
    """HEAD of the work tree at ``root`` and whether its sources have uncommitted changes
    (untracked files elsewhere, such as a pack just written, do not count)."""

    def git(*args: str) -> str | None:
        try:
            return subprocess.run(
                ["git", *args], cwd=root, capture_output=True, text=True, check=True, timeout=60
            ).stdout
        except (OSError, subprocess.SubprocessError):
            return None

    sha = git("rev-parse", "HEAD")
    if sha is None:
        return Commit(None, False)
    changes = git("status", "--porcelain", "--", *SOURCES)
    return Commit(sha.strip(), bool(changes and changes.strip()))
