"""The ready-to-copy CI: GitHub workflows, the GitLab example in the guide, the PR template.

Validated three ways: against the published JSON schemas of GitHub workflows and GitLab CI
(shipped inside check-jsonschema, no network), by ``actionlint`` where it is installed, and by
parsing the files and asserting the steps. Every ``brmkb`` command line in them is run too,
so a renamed option cannot go unnoticed.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pathspec
import pytest
import yaml

from brmkb import cli

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
PR_GATE = WORKFLOWS / "pr-gate.yml"
SITE = WORKFLOWS / "site.yml"
GUIDE = ROOT / "docs" / "guide" / "submit.md"
TEMPLATE = ROOT / ".github" / "pull_request_template.md"


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:  # YAML 1.1 reads the key "on" as a boolean
        data["on"] = data.pop(True)
    return data


def gitlab_example() -> str:
    """The complete .gitlab-ci.yml of the submission guide."""
    blocks = re.findall(r"```yaml\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    (example,) = [b for b in blocks if b.startswith("# .gitlab-ci.yml")]
    return example


def steps(job: dict[str, Any]) -> list[dict[str, Any]]:
    return job["steps"]


def step(job: dict[str, Any], *, uses: str | None = None, run: str | None = None) -> dict[str, Any]:
    for item in steps(job):
        if uses and item.get("uses", "").startswith(uses + "@"):
            return item
        if run and run in item.get("run", ""):
            return item
    raise AssertionError(f"no step with uses={uses} run={run}")


# --- schema and linter ---------------------------------------------------------------------------


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"]
)
def test_workflows_match_the_github_schema(schema: str) -> None:
    result = check_jsonschema(schema, PR_GATE, SITE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_validation_can_fail(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n")
    assert check_jsonschema("vendor.github-workflows", broken).returncode != 0


def test_gitlab_example_matches_the_gitlab_schema(tmp_path: Path) -> None:
    path = tmp_path / ".gitlab-ci.yml"
    path.write_text(gitlab_example(), encoding="utf-8")
    result = check_jsonschema("vendor.gitlab-ci", path)
    assert result.returncode == 0, result.stdout + result.stderr


# --- the pull-request gate ----------------------------------------------------------------------


def test_pr_gate_runs_on_pull_requests_with_read_only_permissions() -> None:
    data = load(PR_GATE)
    assert "pull_request" in data["on"]
    assert data["permissions"] == {"contents": "read"}
    assert data["env"]["NO_MKDOCS_2_WARNING"] == "1"


def test_pr_gate_steps() -> None:
    (job,) = load(PR_GATE)["jobs"].values()
    assert job["env"]["BASE"] == "origin/${{ github.base_ref }}"
    assert step(job, uses="actions/checkout")["with"]["fetch-depth"] == 0  # history for the diff
    assert step(job, uses="actions/setup-python")["with"]["python-version"] == "3.11"
    assert "pip install" in step(job, run="pip install")["run"]
    gate = step(job, run="--format github")
    assert gate["run"] == 'brmkb check . --format github --changed-since "$BASE"'
    assert "if" not in gate, "the gate itself must never be skipped"
    summary = step(job, run="--format markdown")["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in summary and "--changed-since" in summary
    assert "--format junit" in summary
    assert step(job, run="pytest checks")
    assert step(job, run="mkdocs build --strict")
    assert step(job, uses="actions/upload-artifact")["with"]["path"] == "reports/"


def test_pr_gate_order_and_reporting_after_a_failure() -> None:
    (job,) = load(PR_GATE)["jobs"].values()
    names = [s.get("run", s.get("uses", "")) for s in steps(job)]
    order = [
        next(i for i, n in enumerate(names) if key in n)
        for key in (
            "actions/checkout",
            "pip install",
            "--format github",
            "--format markdown",
            "pytest checks",
            "mkdocs build",
        )
    ]
    assert order == sorted(order)
    gate = next(i for i, n in enumerate(names) if "--format github" in n)
    for later in steps(job)[gate + 1 :]:
        assert later.get("if") == "${{ !cancelled() }}", later  # everything is reported at once


# --- the main-branch workflow -----------------------------------------------------------------------


def test_site_workflow_triggers() -> None:
    triggers = load(SITE)["on"]
    assert triggers["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in triggers
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    assert (day, month, weekday) == ("*", "*", "*"), "daily"
    assert minute.isdigit() and hour.isdigit()


def test_site_workflow_full_check_build_and_publish() -> None:
    jobs = load(SITE)["jobs"]
    check = jobs["check"]
    full = step(check, run="--format github")["run"]
    assert full == "brmkb check . --format github"  # strict: no --changed-since
    assert step(check, run="pytest checks")
    build = jobs["build"]
    assert step(build, uses="actions/checkout")["with"]["fetch-depth"] == 0  # provenance
    assert step(build, run="mkdocs build")
    assert step(build, uses="actions/upload-pages-artifact")["with"]["path"] == "site"
    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert step(deploy, uses="actions/deploy-pages")["id"] == "deployment"
    assert "needs" not in build, "the site is published even when the daily check fails"


def test_every_job_has_a_timeout() -> None:
    for path in (PR_GATE, SITE):
        for name, job in load(path)["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: {name}"


# --- the GitLab example -------------------------------------------------------------------------------


def test_gitlab_example_structure() -> None:
    data = yaml.safe_load(gitlab_example())
    assert data["variables"]["GIT_DEPTH"] == "0"
    gate = data["gate"]
    assert gate["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]
    script = "\n".join(gate["script"])
    assert 'brmkb check . --changed-since "$CI_MERGE_REQUEST_DIFF_BASE_SHA"' in script
    assert "pytest checks" in script and "mkdocs build --strict" in script
    assert gate["artifacts"]["reports"]["junit"] == ["reports/brmkb.xml"]
    assert gate["artifacts"]["when"] == "always"
    compliance = data["compliance"]
    assert "brmkb check ." in compliance["script"]
    assert compliance["rules"] == [{"if": "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"}]
    pages = data["pages"]
    assert pages["needs"] == []
    assert "mkdocs build --site-dir public" in pages["script"]
    assert pages["artifacts"]["paths"] == ["public"]


# --- every brmkb command line in the CI files is valid --------------------------------------------


def _commands() -> list[tuple[str, str]]:
    found = []
    sources = {
        PR_GATE.name: [s.get("run", "") for j in load(PR_GATE)["jobs"].values() for s in steps(j)],
        SITE.name: [s.get("run", "") for j in load(SITE)["jobs"].values() for s in steps(j)],
        "submit.md": yaml.safe_load(gitlab_example())["gate"]["script"]
        + yaml.safe_load(gitlab_example())["compliance"]["script"],
    }
    for source, scripts in sources.items():
        for script in scripts:
            for line in script.splitlines():
                if line.strip().startswith("brmkb "):
                    found.append((source, line.strip()))
    return found


COMMANDS = _commands()


@pytest.mark.parametrize(
    ("source", "line"), COMMANDS, ids=[f"{s}:{i}" for i, (s, _) in enumerate(COMMANDS)]
)
def test_brmkb_command_lines_run(
    source: str, line: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    command = re.split(r"\s*(?:>>?|\|\|)\s*", line)[0]  # drop redirections and "|| true"
    for variable in ("$BASE", "$CI_MERGE_REQUEST_DIFF_BASE_SHA"):
        command = command.replace(f'"{variable}"', "HEAD")
    args = shlex.split(command)[1:]
    monkeypatch.chdir(ROOT)
    status = cli.main(args)
    assert status in (0, 1), capsys.readouterr().err


def test_there_are_command_lines_to_run() -> None:
    assert len(COMMANDS) >= 8


# --- the pull-request template ----------------------------------------------------------------------


def test_pull_request_template_checklist() -> None:
    text = TEMPLATE.read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] (.+)$", text, re.MULTILINE)
    assert len(items) >= 12
    reviewer = text.split("## 评审人核对清单", 1)[1]
    for expected in (
        "3.1.2",
        "3.1.5",
        "3.1.6",
        "3.1.7",
        "3.1.8",
        "3.1.9",
        "distribution",
        "revises",
        "服务部",
    ):
        assert expected in reviewer, expected
    assert "brmkb check --changed-since origin/main" in text


# --- approvals -----------------------------------------------------------------------------------

CODEOWNERS = ROOT / ".github" / "CODEOWNERS"
TEAM = "@huaxin/service-dept"


def _owned(lines: list[str]) -> pathspec.PathSpec:
    patterns = [line.split()[0] for line in lines if line.strip() and line[0] not in "#["]
    return pathspec.PathSpec.from_lines("gitignore", patterns)


def test_codeowners_require_the_service_department_for_every_approval() -> None:
    lines = CODEOWNERS.read_text(encoding="utf-8").splitlines()
    rules = [line.split() for line in lines if line.strip() and not line.startswith("#")]
    assert rules and all(owners == [TEAM] for _, *owners in rules)
    owned = _owned(lines)
    waivers = [p.relative_to(ROOT).as_posix() for p in (ROOT / "records").rglob("waivers/*.md")]
    assert waivers
    for path in ["policy.yml", *waivers, "records/svc-x/waivers/wv-1.md", ".github/CODEOWNERS"]:
        assert owned.match_file(path), path
    assert not owned.match_file("records/svc-x/reviews/rv-1.md")


def test_the_guide_shows_the_same_approvals_on_gitlab() -> None:
    blocks = re.findall(r"```text\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.DOTALL)
    (owners,) = [b for b in blocks if b.startswith("[审批]")]
    lines = owners.splitlines()
    assert lines[0] == f"[审批][1] {TEAM}"
    owned = _owned(lines)
    for path in ["policy.yml", "records/waivers/wv-1.md", "records/svc-x/waivers/wv-2.md"]:
        assert owned.match_file(path), path
