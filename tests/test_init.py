"""``brmkb init``: the files it writes, and this repository as the sample organization's copy.

What is compared with this repository, for :data:`brmkb.init.SAMPLE`:

- every file of the shared tree (mkdocs.yml, hooks/, checks/, docs/, .github/, .gitlab-ci.yml,
  .pre-commit-config.yaml, .vscode/*.json): byte for byte;
- policy.yml: byte for byte, except that this repository pins ``as_of`` (with its comment)
  where a new knowledge base has the commented ``# as_of:`` line;
- .gitignore: every line of the new knowledge base's is in this repository's (which adds the
  package's own build folders).

Not compared: README.md and requirements.txt (this repository's are the package's own),
records/ (the sample's records), and the generated .vscode/brmkb-policy.schema.json.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from brmkb import cli, init, policy, policy_schema
from tests.test_workflows import gitlab_example

ROOT = Path(__file__).resolve().parent.parent
SHARED_ROOTS = (
    "mkdocs.yml",
    "hooks",
    "checks",
    "docs",
    ".github",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
    ".vscode",
)
#: What this repository's policy.yml adds after the commented ``as_of`` line: why, and the date.
AS_OF_PIN = re.compile(r"(?<=# as_of: 2026-06-30\n)(?:# .*\n)*as_of: \d{4}-\d{2}-\d{2}\n")


def _repo_files() -> dict[str, bytes]:
    found = {}
    for name in SHARED_ROOTS:
        path = ROOT / name
        paths = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
        for file in paths:
            rel = file.relative_to(ROOT).as_posix()
            if "__pycache__" in rel or rel == init.POLICY_SCHEMA:
                continue
            found[rel] = file.read_bytes()
    return found


def test_the_shared_files_are_this_repositorys() -> None:
    written = init.files(init.SAMPLE)
    repo = _repo_files()
    assert {rel: written[rel] for rel in repo} == repo
    assert set(init.shared_files()) == set(repo)


def test_the_sample_policy_is_the_new_policy_with_a_pinned_date() -> None:
    written = init.files(init.SAMPLE)[policy.POLICY_FILE].decode("utf-8")
    repo = (ROOT / policy.POLICY_FILE).read_text(encoding="utf-8")
    pin = AS_OF_PIN.search(repo)
    assert pin is not None
    assert "\nas_of:" not in written
    assert repo.replace(pin.group(0), "") == written


def test_the_new_gitignore_is_part_of_this_repositorys() -> None:
    written = init.files(init.SAMPLE)[".gitignore"].decode("utf-8").splitlines()
    repo = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert [line for line in written if line not in repo] == []
    assert init.POLICY_SCHEMA in "\n".join(written)


def test_the_guide_shows_the_gitlab_file_as_it_is() -> None:
    # The guide's example is validated against GitLab's schema in test_workflows.
    assert gitlab_example() == (ROOT / ".gitlab-ci.yml").read_text(encoding="utf-8")


def test_pre_commit_accepts_the_commit_hook_configuration() -> None:
    from pre_commit.clientlib import load_config

    (repo,) = load_config(str(ROOT / ".pre-commit-config.yaml"))["repos"]
    (hook,) = repo["hooks"]
    # "system" (brmkb from the knowledge base's environment); pre-commit 4 calls it so.
    assert (repo["repo"], hook["language"]) == ("local", "unsupported")
    assert hook["entry"] == "brmkb check --changed-since HEAD"


def test_the_organization_goes_where_it_belongs() -> None:
    org = init.Organization("示例科技有限公司", "运维服务部", "市场部", "@demo/service-team")
    written = {rel: data.decode("utf-8") for rel, data in init.files(org).items()}
    assert '\ncopyright: "示例科技有限公司"' in written["mkdocs.yml"]
    assert written["README.md"].startswith("# 示例科技有限公司 业务关系管理知识库\n")
    assert "* @demo/service-team\n" in written[".github/CODEOWNERS"]
    assert init.OWNER_LINE not in written[".github/CODEOWNERS"]
    assert "brmkb[kb]==" in written["requirements.txt"]
    assert "示例科技有限公司" in written["records/README.txt"]
    assert not any("华信" in text for text in written.values())


def test_the_policy_names_the_departments_and_every_default(tmp_path: Path) -> None:
    org = init.Organization("示例科技有限公司", "运维服务部", "市场部")
    init.write(tmp_path / "kb", org)
    chosen = policy.load(tmp_path / "kb")
    assert (chosen.service_department, chosen.sales_department) == ("运维服务部", "市场部")
    assert chosen.as_of is None
    written = (tmp_path / "kb" / policy.POLICY_FILE).read_text(encoding="utf-8")
    assert written == policy.template(
        {"service_department": "运维服务部", "sales_department": "市场部"},
        {"waiver": {"folder": "waivers"}},
    )


def test_the_editor_schema_is_written_and_accepts_the_policies(tmp_path: Path) -> None:
    from jsonschema import Draft202012Validator

    init.write(tmp_path / "kb", init.SAMPLE)
    exported = json.loads((tmp_path / "kb" / init.POLICY_SCHEMA).read_text(encoding="utf-8"))
    assert exported == policy_schema.export()
    validator = Draft202012Validator(exported)
    for path in (ROOT / "policy.yml", tmp_path / "kb" / "policy.yml"):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
        typed = yaml.safe_load(path.read_text(encoding="utf-8"))
        typed["as_of"] = data.get("as_of")  # the editor sees dates as strings
        assert list(validator.iter_errors(typed)) == []
    wrong = {"rules": {"review-frequency": {"interval_months": "six", "severty": "error"}}}
    assert len(list(validator.iter_errors(wrong))) == 2


@pytest.mark.parametrize("existing", ["file.txt", ".git/HEAD"])
def test_init_never_writes_into_a_folder_that_is_not_empty(
    tmp_path: Path, existing: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / existing).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / existing).write_text("keep", encoding="utf-8")
    assert cli.main(["init", str(tmp_path), "--org", "示例科技有限公司"]) == 2
    assert "不是空目录" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [Path(existing).name]


def test_init_prints_the_next_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "kb-demo"
    assert cli.main(["init", str(target), "--org", "示例科技有限公司"]) == 0
    out = capsys.readouterr().out
    assert "brmkb new service --service svc-demo" in out
    assert (target / "records").is_dir()
    assert not any((target / "records").glob("*.md"))


def test_schema_writes_the_policy_schema_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "policy.schema.json"
    assert cli.main(["schema", "--policy", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == policy_schema.export()


@pytest.mark.parametrize(
    "option",
    [["--org", "示例\n公司"], ["--org", " "], ["--code-owner", "@a @b"], ["--sales-dept", ""]],
)
def test_init_refuses_values_that_break_the_files(
    tmp_path: Path, option: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["init", str(tmp_path / "kb"), "--org", "示例科技有限公司", *option]) == 2
    assert "brmkb:" in capsys.readouterr().err
    assert not (tmp_path / "kb").exists()


def test_the_new_policy_lets_waivers_take_effect_only_where_code_owners_approve_them() -> None:
    written = init.files(init.Organization("示例科技有限公司"))
    rules = yaml.safe_load(written["policy.yml"])["rules"]
    assert rules["waiver"]["folder"] == "waivers"
    assert "/records/**/waivers/" in written[".github/CODEOWNERS"].decode("utf-8")


def test_the_approvers_of_policy_and_waivers_are_the_organization_s() -> None:
    org = init.Organization("示例科技有限公司", code_owner="@demo/service-team")
    owners = init.files(org)[".github/CODEOWNERS"].decode("utf-8")
    assert "/policy.yml             @demo/service-team\n" in owners
    assert "/records/**/waivers/    @demo/service-team\n" in owners
    assert "@huaxin" not in owners.replace(init.SAMPLE_TEAM, "", 1)  # only the comment names it
    bare = init.files(init.Organization("示例科技有限公司"))[".github/CODEOWNERS"].decode("utf-8")
    assert "# /policy.yml" in bare and "\n/policy.yml" not in bare


def test_the_editor_schema_knows_the_items_of_mapping_options_and_text_choices() -> None:
    from jsonschema import Draft202012Validator

    validator = Draft202012Validator(policy_schema.export())
    good = {
        "rules": {"complaint-closure": {"days": {"high": 3}}, "annual-review": {"year": "contract"}}
    }
    assert list(validator.iter_errors(good)) == []
    for wrong in (
        {"complaint-closure": {"days": {"hgih": 3}}},
        {"review-sections": {"required": {"periodc": ["服务运行情况"]}}},
        {"review-inputs": {"required": {"periodic": "monthly_reports"}}},
        {"annual-review": {"year": "fiscal"}},
    ):
        assert list(validator.iter_errors({"rules": wrong})), wrong
