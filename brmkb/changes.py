"""Gate what a change touches: findings of the records a branch changed stay errors.

``brmkb check --changed-since REV`` compares the working tree with the merge base of ``REV``
and ``HEAD`` (what ``git diff REV...HEAD`` shows, plus staged, unstaged and untracked files).
A blocking finding stays an error when

- its file is one the change touched (added or modified under ``records/``), or the change
  touched ``policy.yml`` (then every finding is the change's own), or
- it is new: the knowledge base as it was at the merge base did not have it, e.g. the change
  deleted the minutes of a review, or renamed an id that other records reference.

Every other blocking finding was already there before the change and lies in a file the
change did not touch: it is downgraded to a warning, with a note, so that an unrelated
overdue review does not block someone else's minutes. The full check without
``--changed-since`` (the main branch's daily run) still reports it as an error.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from brmkb import engine, loader, waivers
from brmkb.findings import Finding, Severity
from brmkb.policy import POLICY_FILE, PolicyError

#: Paths (relative to the knowledge base root) whose changes the gate looks at.
WATCHED = (loader.RECORDS_DIR, POLICY_FILE)

#: Appended to the message of a finding the gate downgrades.
NOTE = "〔既有问题，不在本次修改的文件中，暂作警告；主分支的完整检查仍按错误处理〕"


class GitError(Exception):
    """git is missing, the directory is not in a repository, or the revision is unknown."""


@dataclass(frozen=True, slots=True)
class ChangeSet:
    """What a change touched, relative to the merge base of ``rev`` and ``HEAD``."""

    rev: str
    base: str | None  #: the merge-base commit; None when the repository has no commit yet
    paths: frozenset[str]  #: POSIX paths relative to the knowledge base root

    @property
    def policy_changed(self) -> bool:
        return POLICY_FILE in self.paths

    @property
    def records(self) -> list[str]:
        return sorted(p for p in self.paths if p.startswith(loader.RECORDS_DIR + "/"))

    def touches(self, path: str) -> bool:
        return self.policy_changed or path in self.paths


@dataclass(frozen=True, slots=True)
class Gated:
    """A report whose old, unrelated errors were downgraded, and how many were."""

    report: engine.Report
    downgraded: int


def _git(root: Path, *args: str, binary: bool = False) -> str | bytes:
    try:
        result = subprocess.run(
            ["git", "-c", "core.quotepath=off", *args],
            cwd=root,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except FileNotFoundError:
        raise GitError("找不到 git 命令；--changed-since 需要安装 git。") from None
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"无法运行 git：{error}") from None
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(detail[-1] if detail else f"git {args[0]} 失败")
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


def _names(output: str | bytes) -> set[str]:
    text = output.decode("utf-8", "replace") if isinstance(output, bytes) else output
    return {name for name in text.split("\0") if name}


def changed_since(root: Path, rev: str) -> ChangeSet:
    """The files under ``records/`` and the policy file that differ from the merge base.

    Raises GitError when ``root`` is not in a git work tree or ``rev`` is unknown.
    """
    root = root.resolve()
    _git(root, "--version")  # GitError when git itself is missing
    try:
        inside = str(_git(root, "rev-parse", "--is-inside-work-tree")).strip()
    except GitError:
        inside = ""
    if inside != "true":
        raise GitError(f"{root} 不在 git 仓库的工作区中；--changed-since 需要 git 历史。")
    if not _has_commit(root, "HEAD"):
        if rev != "HEAD":
            raise GitError(f"仓库还没有任何提交，找不到版本“{rev}”。")
        # The very first commit: everything in it is the change's own.
        listed = _git(
            root, "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", *WATCHED
        )
        return ChangeSet(rev, None, frozenset(_names(listed)))
    if not _has_commit(root, rev):
        raise GitError(
            f"找不到版本“{rev}”；请写分支名、标签或提交号（如 origin/main）。"
            "在 CI 中请检出完整历史（GitHub：actions/checkout 的 fetch-depth: 0；"
            "GitLab：GIT_DEPTH: 0），并确认目标分支已经 fetch。"
        )
    base = str(_git(root, "merge-base", rev, "HEAD")).strip()
    # The merge base against the working tree: committed, staged and unstaged changes at once.
    changed = _names(
        _git(root, "diff", "--name-only", "-z", "--no-renames", "--relative", base, "--", *WATCHED)
    )
    untracked = _names(
        _git(root, "ls-files", "-z", "--others", "--exclude-standard", "--", *WATCHED)
    )
    return ChangeSet(rev, base, frozenset(changed | untracked))


def _has_commit(root: Path, rev: str) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    except GitError:
        return False
    return True


def base_findings(root: Path, changes: ChangeSet, as_of: date) -> list[Finding]:
    """The findings of the knowledge base as it was at the merge base, on the same as-of date.

    An unusable policy at the base counts as no findings (everything is then new).
    """
    if changes.base is None:
        return []
    root = root.resolve()
    prefix = str(_git(root, "rev-parse", "--show-prefix")).strip()
    top = Path(str(_git(root, "rev-parse", "--show-toplevel")).strip())
    tree = f"{changes.base}:{prefix}"  # the knowledge base's folder as it was at the base
    try:
        present = _names(_git(top, "ls-tree", "-z", "--name-only", tree)) & set(WATCHED)
    except GitError:  # the folder did not exist yet
        return []
    if loader.RECORDS_DIR not in present:
        return []
    with tempfile.TemporaryDirectory(prefix="brmkb-base-") as folder:
        archive = _git(top, "archive", "--format=tar", tree, "--", *sorted(present), binary=True)
        _extract(bytes(archive), Path(folder))
        try:
            return engine.run(Path(folder), as_of).findings
        except PolicyError:
            return []


def _extract(archive: bytes, folder: Path) -> None:
    """Unpack a tar made by git archive; members that would leave ``folder`` are skipped."""
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if hasattr(tarfile, "data_filter"):
                try:
                    tar.extract(member, folder, filter="data")
                except tarfile.FilterError:
                    continue
            elif member.isfile() or member.isdir():
                target = (folder / member.name).resolve()
                if target.is_relative_to(folder.resolve()):
                    tar.extract(member, folder)


def gate(report: engine.Report, changes: ChangeSet, before: Iterable[Finding]) -> Gated:
    """Downgrade the errors that were there before the change, in files it did not touch."""
    old = _Matcher(f for f in before if f.blocking)
    findings: list[Finding] = []
    downgraded = 0
    for finding in report.findings:
        if finding.blocking and not changes.touches(finding.path) and old.take(finding):
            finding = replace(finding, severity=Severity.WARNING, message=finding.message + NOTE)
            downgraded += 1
        findings.append(finding)
    return Gated(replace(report, findings=findings), downgraded)


class _Matcher:
    """One-to-one matching of findings to earlier ones: same message first, then same place.

    A finding whose message changed (an overdue count went up, a list of missing months got
    shorter) is still the same problem when the rule, file and record are the same, as long as
    there were at least as many such problems before.
    """

    def __init__(self, findings: Iterable[Finding]) -> None:
        self._exact: dict[tuple, list[Finding]] = {}
        self._place: dict[tuple, list[Finding]] = {}
        for finding in findings:
            self._exact.setdefault(_exact_key(finding), []).append(finding)
            self._place.setdefault(_place_key(finding), []).append(finding)

    def take(self, finding: Finding) -> bool:
        exact = self._exact.get(_exact_key(finding))
        candidates = exact or self._place.get(_place_key(finding))
        if not candidates:
            return False
        match = candidates[0]
        self._exact[_exact_key(match)].remove(match)
        self._place[_place_key(match)].remove(match)
        return True


def _exact_key(finding: Finding) -> tuple:
    return (finding.rule, finding.path, finding.record, finding.message)


def _place_key(finding: Finding) -> tuple:
    return (finding.rule, finding.path, finding.record)


def approvals(changes: ChangeSet, report: engine.Report) -> list[str]:
    """The changed files that are approvals: the policy, and waivers (added, edited or deleted).

    A waiver is a file in a ``waivers/`` folder, or a record of kind waiver wherever it is.
    """
    waivers_now = {record.rel for record in report.kb.of_kind("waiver")}
    return sorted(
        path
        for path in changes.paths
        if path == POLICY_FILE or path in waivers_now or waivers.FOLDER in path.split("/")[:-1]
    )


#: What the gate says about a change to an approval (the policy or a waiver).
APPROVAL = (
    "本次修改了审批内容（策略文件或豁免），须经服务部批准后才能合并"
    "（GitHub：CODEOWNERS；GitLab：审批规则）"
)


def approval_lines(paths: list[str], github: bool) -> list[str]:
    """One line per approval the change touches: a GitHub ``::notice`` annotation on the file,
    or a plain line for the terminal."""
    from brmkb.render.github import escape_data, escape_property

    if github:
        title = escape_property("需要审批")
        return [
            f"::notice file={escape_property(p)},title={title}::{escape_data(APPROVAL)}"
            for p in paths
        ]
    return [f"{APPROVAL}：{'、'.join(paths)}。"] if paths else []


def describe(changes: ChangeSet, gated: Gated) -> str:
    """One line for the terminal (stderr) saying what the gate did."""
    base = f"{changes.base[:12]}" if changes.base else "（尚无提交）"
    if changes.policy_changed:
        scope = "本次修改了策略文件 policy.yml，所有问题都按原严重性处理"
    else:
        scope = f"本次修改了 {len(changes.records)} 个记录文件"
    tail = f"；{gated.downgraded} 条既有问题降为警告" if gated.downgraded else ""
    return f"只检查本次变更：相对 {changes.rev}（合并基点 {base}），{scope}{tail}。"


#: Environment variable through which CI asks every front end (the pytest checklist, the site
#: build) to gate only what a change touches, as ``brmkb check --changed-since`` does.
ENVIRONMENT = "BRMKB_CHANGED_SINCE"


def restrict(report: engine.Report, root: Path, rev: str | None) -> engine.Report:
    """``report`` gated to what changed since ``rev``; unchanged when ``rev`` is empty.

    For front ends other than the CLI: ``restrict(report, root, os.environ.get(ENVIRONMENT))``.
    Raises GitError like ``changed_since``.
    """
    if not rev:
        return report
    changes = changed_since(root, rev)
    return gate(report, changes, base_findings(root, changes, report.as_of)).report
