"""The ``brmkb new`` commands of the submission guide (写作与提交) run as printed on the sample
knowledge base, and the first one prints the paths the guide shows."""

from __future__ import annotations

import re
import shlex
import shutil
from datetime import date
from pathlib import Path

import pytest

from brmkb import cli
from tests.conftest import cli as brmkb

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide" / "submit.md"

#: What the guide says the knowledge base holds before a command: only the minutes are
#: missing ("评审已经开过、报告早已提交、只差纪要时").
PREMISES = {"brmkb new minutes": "brmkb new review --service svc-hosting --date 2026-11-18"}


def commands() -> list[str]:
    """Every ``brmkb new`` command line of the guide, in code blocks and in code spans."""
    text = GUIDE.read_text(encoding="utf-8")
    lines = re.findall(r"^(brmkb new [^`\n]*?)\s*(?:#.*)?$", text, re.MULTILINE)
    spans = re.findall(r"`(brmkb new [^`]*--service[^`]*)`", text)
    return list(dict.fromkeys(lines + spans))


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the sample knowledge base as the working directory (the guide runs every
    command at the repository's root), on the day of its pinned check date."""
    monkeypatch.setattr(cli, "today", lambda: date(2026, 11, 20))
    shutil.copytree(ROOT / "records", tmp_path / "records")
    shutil.copy(ROOT / "policy.yml", tmp_path / "policy.yml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_guide_shows_commands() -> None:
    assert len(commands()) >= 10


@pytest.mark.parametrize("command", commands())
def test_guide_command_runs(sample: Path, command: str, capsys: pytest.CaptureFixture) -> None:
    for prefix, premise in PREMISES.items():
        if command.startswith(prefix):
            assert brmkb(*shlex.split(premise)[1:]) == 0
    capsys.readouterr()
    assert brmkb(*shlex.split(command)[1:]) == 0, capsys.readouterr().err
    written = capsys.readouterr().out.split()
    assert written and all((sample / path).is_file() for path in written)


def test_first_command_prints_the_paths_shown(sample: Path, capsys: pytest.CaptureFixture) -> None:
    text = GUIDE.read_text(encoding="utf-8")
    shown = re.search(
        r"```sh\n(brmkb new review[^\n]*)\n```\n\n命令输出[^\n]*\n\n```text\n(.*?)```",
        text,
        re.DOTALL,
    )
    assert shown is not None
    assert brmkb(*shlex.split(shown.group(1))[1:]) == 0
    assert capsys.readouterr().out == shown.group(2)
