"""The VS Code settings of a knowledge base: problem matcher, policy schema, mkdocs.yml tags.

The matchers of .vscode/tasks.json run here as VS Code runs them: each output line is tried
against each matcher's regular expression; the severity group maps ``error``/``warning``/
``info`` (any other word, such as GitHub's ``notice``, takes the matcher's own severity); a
pattern of kind ``file`` places the problem on the file without a line.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from brmkb import cli
from brmkb.findings import Severity
from brmkb.render.github import escape_data
from tests.site.kbs import BROKEN_FILES, FILES, write

ROOT = Path(__file__).resolve().parent.parent
VSCODE = ROOT / ".vscode"
SEVERITIES = {"error": "error", "warning": "warning", "info": "info"}


def _check_task() -> dict:
    tasks = json.loads((VSCODE / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    (task,) = [t for t in tasks if t["args"][0] == "check"]
    return task


def _problems(output: str, matchers: list[dict]) -> list[tuple[str, int | None, str, str]]:
    found = []
    for line in output.splitlines():
        for matcher in matchers:
            pattern = matcher["pattern"]
            match = re.match(pattern["regexp"], line)  # VS Code: JavaScript, same syntax here
            if match is None:
                continue
            word = match.group(pattern["severity"])
            severity = SEVERITIES.get(word, matcher["severity"])
            number = None if pattern.get("kind") == "file" else int(match.group(pattern["line"]))
            found.append(
                (match.group(pattern["file"]), number, severity, match.group(pattern["message"]))
            )
            break
    return found


@pytest.mark.parametrize("files", [FILES, BROKEN_FILES], ids=["seeded", "broken"])
def test_the_matcher_finds_every_finding_with_file_line_severity_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str]
) -> None:
    root = write(tmp_path / "kb", files)
    task = _check_task()
    assert task["command"] == "brmkb"
    assert cli.main([task["args"][0], str(root), *task["args"][2:]]) in (0, 1)
    got = _problems(capsys.readouterr().out, task["problemMatcher"])
    cli.main(["check", str(root), "--format", "json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    expected = [
        (f["path"], f["line"], Severity.INFO.value if f["waived"] else f["severity"])
        for f in findings
    ]
    assert sorted((path, line, severity) for path, line, severity, _ in got) == sorted(expected)
    assert len({severity for *_, severity in expected}) >= 2
    messages = [message for *_, message in got]
    for finding in findings:
        assert any(m.startswith(escape_data(finding["message"])) for m in messages)


def test_a_finding_without_a_line_is_placed_on_its_file() -> None:
    matchers = _check_task()["problemMatcher"]
    got = _problems("::error file=policy.yml,title=[policy]::策略文件有误", matchers)
    assert got == [("policy.yml", None, "error", "策略文件有误")]


def test_the_policy_schema_is_mapped_onto_policy_yml() -> None:
    settings = json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))
    schemas = settings["yaml.schemas"]
    assert schemas == {"./.vscode/brmkb-policy.schema.json": "policy.yml"}
    tasks = json.loads((VSCODE / "tasks.json").read_text(encoding="utf-8"))["tasks"]
    (refresh,) = [t for t in tasks if t["args"][0] == "schema"]
    assert refresh["args"] == ["schema", "--policy", "--out", ".vscode/brmkb-policy.schema.json"]
    assert refresh["runOptions"] == {"runOn": "folderOpen"}


def test_the_yaml_extension_knows_every_python_tag_of_mkdocs_yml() -> None:
    seen: set[str] = set()
    kinds = {yaml.ScalarNode: "", yaml.MappingNode: " mapping", yaml.SequenceNode: " sequence"}

    class Tags(yaml.SafeLoader):
        """Records every Python tag of mkdocs.yml, with the kind of node it is on."""

    Tags.add_multi_constructor(
        "tag:yaml.org,2002:python/", lambda _, __, node: seen.add(node.tag + kinds[type(node)])
    )
    yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Tags)
    settings = json.loads((VSCODE / "settings.json").read_text(encoding="utf-8"))
    assert seen
    assert seen <= set(settings["yaml.customTags"])
