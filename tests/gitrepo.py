"""A real git repository in a temporary folder, isolated from the machine's git configuration."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

#: Environment for git commands in tests: no user or system configuration, fixed identity.
ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "测试员",
    "GIT_AUTHOR_EMAIL": "tester@example.invalid",
    "GIT_COMMITTER_NAME": "测试员",
    "GIT_COMMITTER_EMAIL": "tester@example.invalid",
}


class Repo:
    """``git init`` in ``path``; write files, commit with fixed dates, switch branches."""

    def __init__(self, path: Path, branch: str = "main") -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", branch)

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            env={**os.environ, **ENV},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout

    def write(self, files: dict[str, str]) -> None:
        for rel, text in files.items():
            target = self.path / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", newline="\n")

    def commit(
        self,
        message: str,
        *,
        author: str = "测试员",
        when: str = "2026-05-01T10:00:00+08:00",
    ) -> str:
        self.git("add", "-A")
        env_author = ["-c", f"user.name={author}"]
        subprocess.run(
            [
                "git",
                *env_author,
                "commit",
                "-q",
                "-m",
                message,
                "--author",
                f"{author} <a@example.invalid>",
            ],
            cwd=self.path,
            env={**os.environ, **ENV, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
            check=True,
        )
        return self.git("rev-parse", "HEAD").strip()
