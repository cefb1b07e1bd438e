"""``brmkb init``: a new knowledge-base repository, made of the files this repository uses.

The site configuration, hooks, checklist, hand-written pages, CI and editor settings of a
new knowledge base are this repository's own files, shipped in the package under
``templates/kb`` (links to them in a source checkout, copies in a wheel). This repository
is the sample organization's knowledge base: rendered for :data:`SAMPLE`, every shared file
is byte-identical to the repository's, which the tests assert. Only the few lines in
:func:`substitutions` name the organization; everything else is copied as it is.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from string import Template

from brmkb import __version__, policy, policy_schema, waivers
from brmkb.loader import RECORDS_DIR

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: The tree copied into every new knowledge base (this repository's files).
SHARED = TEMPLATES / "kb"
#: Files of a new knowledge base that this repository has in a form of its own, and their
#: templates (``$org``-style placeholders) under ``templates/``.
OWN = {
    "README.md": "README.md",
    "records/README.txt": "records-README.txt",
    ".gitignore": "gitignore",
    "requirements.txt": "requirements.txt",
}
#: Where the editor finds the schema of policy.yml (generated, not committed: see .gitignore).
POLICY_SCHEMA = ".vscode/brmkb-policy.schema.json"
#: The first step in a new knowledge base (the scaffold reports what else it needs).
FIRST_SERVICE = (
    "brmkb new service --service svc-demo --set name=服务名称 --set customer=客户全称"
    " --set project_manager=项目经理 \\\n"
    "    --set 'satisfaction=[{id: response, name: 响应及时性, target: 4.2, scale: 5}]'"
)
#: The commented line of .github/CODEOWNERS that ``--code-owner`` turns into a rule.
OWNER_LINE = "# * @your-org/service-team"
#: The sample organization's team that approves the policy and waivers in .github/CODEOWNERS.
SAMPLE_TEAM = "@huaxin/service-dept"


@dataclass(frozen=True)
class Organization:
    """What ``brmkb init`` asks for: the name, the two departments, the reviewers of changes."""

    name: str
    service_department: str = policy.DEFAULTS["service_department"]
    sales_department: str = policy.DEFAULTS["sales_department"]
    code_owner: str | None = None


#: The organization of this repository's sample knowledge base.
SAMPLE = Organization("华信智联科技有限公司")


class InitError(Exception):
    """The knowledge base cannot be written (the message says why, in Chinese)."""


def _yaml(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML scalar


def substitutions(org: Organization) -> dict[str, list[tuple[str, str]]]:
    """Per shared file: the sample's text and what it becomes for ``org``."""
    owner = [(OWNER_LINE, f"* {org.code_owner}")] if org.code_owner else []
    return {
        "mkdocs.yml": [(f"copyright: {_yaml(SAMPLE.name)}", f"copyright: {_yaml(org.name)}")],
        ".github/CODEOWNERS": owner,
    }


def code_owners(text: str, owner: str | None) -> str:
    """The sample's CODEOWNERS for another organization: its team approves the policy and the
    waivers; without one, those rules stay as comments to complete (an unknown team would be
    an error on GitHub)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.rstrip().endswith(SAMPLE_TEAM) and not line.startswith("#"):
            line = line.replace(SAMPLE_TEAM, owner) if owner else "# " + line
        lines.append(line)
    return "".join(lines)


def shared_files() -> dict[str, bytes]:
    """The shared tree, relative path -> bytes (compiled Python is not part of it)."""
    found: dict[str, bytes] = {}
    for folder, dirs, names in os.walk(SHARED, followlinks=True):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = Path(folder) / name
            rel = path.relative_to(SHARED).as_posix()
            if not name.endswith(".pyc") and rel != POLICY_SCHEMA:  # both generated
                found[rel] = path.read_bytes()
    return found


def files(org: Organization) -> dict[str, bytes]:
    """Every file of a new knowledge base for ``org``: relative path -> content."""
    result = shared_files()
    for rel, pairs in substitutions(org).items():
        text = result[rel].decode("utf-8")
        for old, new in pairs:
            if text.count(old) != 1:
                raise InitError(f"模板 {rel} 中应恰好有一处“{old}”；请修正模板。")
            text = text.replace(old, new)
        result[rel] = text.encode("utf-8")
    if org != SAMPLE:  # the sample's own approvers are its own
        owners = code_owners(result[".github/CODEOWNERS"].decode("utf-8"), org.code_owner)
        result[".github/CODEOWNERS"] = owners.encode("utf-8")
    values = {
        "org": org.name,
        "version": __version__,
        "first_service": FIRST_SERVICE,
        "service_department": org.service_department,
        "sales_department": org.sales_department,
    }
    for rel, name in OWN.items():
        template = (TEMPLATES / name).read_text(encoding="utf-8")
        result[rel] = Template(template).substitute(values).encode("utf-8")
    departments = {
        "service_department": org.service_department,
        "sales_department": org.sales_department,
    }
    # the CODEOWNERS written beside it requires approval for waivers/ folders: only there
    # may a waiver take effect
    folder = {waivers.WAIVER.id: {"folder": waivers.FOLDER}}
    result[policy.POLICY_FILE] = policy.template(departments, folder).encode("utf-8")
    schema = json.dumps(policy_schema.export(), ensure_ascii=False, indent=2) + "\n"
    result[POLICY_SCHEMA] = schema.encode("utf-8")
    return dict(sorted(result.items()))


def _validate(org: Organization) -> None:
    """The organization's values go into YAML, Markdown and CODEOWNERS: one line each."""
    for label, value in (
        ("组织名称", org.name),
        ("服务部门名称", org.service_department),
        ("销售部门名称", org.sales_department),
    ):
        if not value.strip() or not value.isprintable():
            raise InitError(f"{label}“{value}”不能为空，也不能含换行等控制字符。")
    owner = org.code_owner
    if owner is not None and (
        not owner.strip() or any(c.isspace() for c in owner) or not owner.isprintable()
    ):
        raise InitError(f"代码所有者“{owner}”应是一个 @用户名、@组织/团队 或邮箱地址，不含空格。")


def write(target: Path, org: Organization) -> list[str]:
    """Write a new knowledge base into ``target``, which must be missing or empty."""
    _validate(org)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise InitError(f"{target} 已存在且不是空目录；brmkb init 不会覆盖任何文件，请换一个目录。")
    contents = files(org)
    for rel, data in contents.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (target / RECORDS_DIR).mkdir(exist_ok=True)
    return list(contents)


def next_steps(target: Path) -> str:
    """What to do after ``brmkb init``, printed for the user."""
    return f"""已新建知识库 {target}。下一步：

  cd {target}
  git init && git add -A && git commit -m "新建业务关系管理知识库"
  {FIRST_SERVICE}
  brmkb check                                   # 按程序检查记录
  mkdocs serve                                  # 在 http://127.0.0.1:8000 预览站点
"""
