"""``brmkb check --changed-since``: what a change touches stays an error, old problems elsewhere warn.

Every test runs against a real git repository in a temporary folder: a main branch with a
knowledge base, then a branch with the change under test.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from brmkb import changes, cli, engine
from brmkb.findings import Finding, Severity
from tests.gitrepo import Repo

AS_OF = "2026-06-01"

#: Only the rules these tests are about, so that rules added later do not change the counts.
POLICY = """\
as_of: 2026-06-01
rules:
{rules}
"""
KEPT = {"review-frequency", "review-minutes", "review-parties", "minutes-distribution"}


def _policy(extra: str = "") -> str:
    from brmkb.registry import all_rules

    lines = []
    for rule in all_rules():
        if rule.is_format:
            continue
        lines.append(f"  {rule.id}:")
        lines.append("    enabled: true" if rule.id in KEPT else "    enabled: false")
    return POLICY.format(rules="\n".join(lines)) + extra


def _service(service_id: str, start: str) -> str:
    return (
        f"---\nkind: service\nid: {service_id}\nname: 服务{service_id}\ncustomer: 甲方\n"
        f"project_manager: 张三\nstart: {start}\n---\n\n# {service_id}\n"
    )


def _review(review_id: str, service: str, day: str) -> str:
    return (
        f"---\nkind: review\nid: {review_id}\nservice: {service}\ntype: periodic\ndate: {day}\n"
        f"organizer: 张三\norganizer_dept: 服务部\n---\n\n# {review_id}\n"
    )


def _minutes(minutes_id: str, review: str, day: str, customer: bool = True) -> str:
    people = "  - {name: 张三, org: 乙方, dept: 服务部, party: internal}\n"
    if customer:
        people += "  - {name: 李四, org: 甲方, party: customer}\n"
    return (
        f"---\nkind: minutes\nid: {minutes_id}\nreview: {review}\ndate: {day}\n"
        f"attendees:\n{people}distribution: [服务部]\n---\n\n# {minutes_id}\n"
    )


#: svc-a's last review was 2025-03-01: at 2026-06-01 its next review is overdue (an old error).
#: svc-b is in order.
BASE = {
    "records/svc-a/service.md": _service("svc-a", "2025-01-01"),
    "records/svc-a/reviews/rv-a-2025-03.md": _review("rv-a-2025-03", "svc-a", "2025-03-01"),
    "records/svc-a/minutes/mn-a-2025-03.md": _minutes("mn-a-2025-03", "rv-a-2025-03", "2025-03-01"),
    "records/svc-b/service.md": _service("svc-b", "2026-01-01"),
    "records/svc-b/reviews/rv-b-2026-05.md": _review("rv-b-2026-05", "svc-b", "2026-05-10"),
    "records/svc-b/minutes/mn-b-2026-05.md": _minutes("mn-b-2026-05", "rv-b-2026-05", "2026-05-10"),
}
OVERDUE = ("review-frequency", "records/svc-a/service.md")


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    """main: the base knowledge base; checked out: branch ``pr`` from it."""
    repository = Repo(tmp_path / "kb")
    repository.write({**BASE, "policy.yml": _policy()})
    repository.commit("base")
    repository.git("switch", "-q", "-c", "pr")
    return repository


def check(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    """``brmkb check ROOT --format json ARGS``: exit status, parsed output, stderr."""
    status = cli.main(["check", str(root), "--format", "json", "--as-of", AS_OF, *args])
    captured = capsys.readouterr()
    return status, json.loads(captured.out) if captured.out else {}, captured.err


def by_place(output: dict) -> dict[tuple[str, str], list[dict]]:
    places: dict[tuple[str, str], list[dict]] = {}
    for finding in output["findings"]:
        places.setdefault((finding["rule"], finding["path"]), []).append(finding)
    return places


def test_base_has_only_the_old_overdue_review(repo: Repo, capsys) -> None:
    status, output, _ = check(repo.path, capsys=capsys)
    blocking = [(f["rule"], f["path"]) for f in output["findings"] if f["severity"] == "error"]
    assert blocking == [OVERDUE]
    assert status == 1


def test_unrelated_old_error_becomes_a_warning_with_a_note(repo: Repo, capsys) -> None:
    repo.write(
        {
            "records/svc-b/reviews/rv-b-2026-05-2.md": _review(
                "rv-b-2026-05-2", "svc-b", "2026-05-20"
            ),
            "records/svc-b/minutes/mn-b-2026-05-2.md": _minutes(
                "mn-b-2026-05-2", "rv-b-2026-05-2", "2026-05-20"
            ),
        }
    )
    repo.commit("minutes of svc-b")
    status, output, err = check(repo.path, "--changed-since", "main", capsys=capsys)
    (overdue,) = by_place(output)[OVERDUE]
    assert overdue["severity"] == "warning"
    assert overdue["message"].endswith(changes.NOTE)
    assert status == 0
    assert "本次修改了 2 个记录文件" in err and "1 条既有问题降为警告" in err
    # The full check on main still fails on it.
    status, output, _ = check(repo.path, capsys=capsys)
    assert status == 1


def test_errors_in_touched_records_stay_errors(repo: Repo, capsys) -> None:
    minutes = "records/svc-b/minutes/mn-b-2026-05-2.md"
    repo.write(
        {
            "records/svc-b/reviews/rv-b-2026-05-2.md": _review(
                "rv-b-2026-05-2", "svc-b", "2026-05-20"
            ),
            minutes: _minutes("mn-b-2026-05-2", "rv-b-2026-05-2", "2026-05-20", customer=False),
        }
    )
    repo.commit("minutes without the customer")
    status, output, _ = check(repo.path, "--changed-since", "main", capsys=capsys)
    (parties,) = by_place(output)[("review-parties", minutes)]
    assert parties["severity"] == "error"
    assert not parties["message"].endswith(changes.NOTE)
    assert by_place(output)[OVERDUE][0]["severity"] == "warning"
    assert status == 1


def test_touching_the_file_of_an_old_error_makes_it_the_change_s_own(repo: Repo, capsys) -> None:
    repo.write({"records/svc-a/service.md": _service("svc-a", "2025-01-01") + "\n补充说明。\n"})
    repo.commit("edit svc-a")
    status, output, _ = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert by_place(output)[OVERDUE][0]["severity"] == "error"
    assert status == 1


def test_a_new_problem_in_an_untouched_file_stays_an_error(repo: Repo, capsys) -> None:
    # Deleting svc-b's minutes leaves its (untouched) review without minutes.
    repo.git("rm", "-q", "records/svc-b/minutes/mn-b-2026-05.md")
    repo.commit("remove minutes")
    status, output, _ = check(repo.path, "--changed-since", "main", capsys=capsys)
    (missing,) = by_place(output)[("review-minutes", "records/svc-b/reviews/rv-b-2026-05.md")]
    assert missing["severity"] == "error"
    assert by_place(output)[OVERDUE][0]["severity"] == "warning"
    assert status == 1


def test_a_policy_change_keeps_every_error(repo: Repo, capsys) -> None:
    repo.write({"policy.yml": _policy("# 调整\n")})
    repo.commit("policy")
    status, output, err = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert by_place(output)[OVERDUE][0]["severity"] == "error"
    assert status == 1
    assert "policy.yml" in err


def test_a_change_to_an_approval_is_announced(repo: Repo, capsys) -> None:
    waiver = (
        "---\nkind: waiver\nid: wv-a-1\nrule: review-frequency\nservice: svc-a\n"
        "reason: 合同续签中\napproved_by: 服务部经理\nexpires: 2026-12-31\n---\n\n# 豁免\n"
    )
    repo.write({"records/waivers/wv-a-1.md": waiver, "policy.yml": _policy("# 调整\n")})
    repo.commit("waiver")
    _, _, err = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert "须经服务部批准" in err and "policy.yml、records/waivers/wv-a-1.md" in err
    cli.main(["check", str(repo.path), "--format", "github", "--changed-since", "main"])
    out = capsys.readouterr().out.splitlines()
    notices = [line for line in out if "title=需要审批" in line]
    assert [n.split(",")[0] for n in notices] == [
        "::notice file=policy.yml",
        "::notice file=records/waivers/wv-a-1.md",
    ]
    # an ordinary record change is no approval
    repo.git("switch", "-q", "-c", "plain", "main")
    repo.write({"records/svc-b/service.md": _service("svc-b", "2026-01-01") + "\n改动\n"})
    _, _, err = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert "须经服务部批准" not in err


def test_uncommitted_and_untracked_changes_count(repo: Repo, capsys) -> None:
    untracked = "records/svc-b/minutes/mn-b-2026-05-9.md"
    repo.write(
        {untracked: _minutes("mn-b-2026-05-9", "rv-b-2026-05", "2026-05-10", customer=False)}
    )
    status, output, _ = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert by_place(output)[("review-parties", untracked)][0]["severity"] == "error"
    assert status == 1
    # An unstaged edit of svc-a's service file makes the old error the change's own.
    (repo.path / untracked).unlink()
    repo.write({"records/svc-a/service.md": _service("svc-a", "2025-01-01") + "\n改动\n"})
    status, output, _ = check(repo.path, "--changed-since", "HEAD", capsys=capsys)
    assert by_place(output)[OVERDUE][0]["severity"] == "error"


def test_changes_on_the_target_branch_after_branching_are_not_the_change_s(
    repo: Repo, capsys
) -> None:
    # main moves on (edits svc-a) after the branch was made: REV...HEAD leaves that out.
    repo.git("switch", "-q", "main")
    repo.write({"records/svc-a/service.md": _service("svc-a", "2025-01-01") + "\n主分支的改动\n"})
    repo.commit("on main")
    repo.git("switch", "-q", "pr")
    found = changes.changed_since(repo.path, "main")
    assert found.paths == frozenset()
    status, output, _ = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert by_place(output)[OVERDUE][0]["severity"] == "warning"
    assert status == 0


def test_changed_paths_relative_to_a_knowledge_base_in_a_subfolder(tmp_path: Path, capsys) -> None:
    repository = Repo(tmp_path / "repo")
    repository.write(
        {f"kb/{rel}": text for rel, text in BASE.items()} | {"kb/policy.yml": _policy()}
    )
    repository.write({"README.md": "x\n"})
    repository.commit("base")
    repository.git("switch", "-q", "-c", "pr")
    minutes = "records/svc-b/minutes/mn-b-2026-05-2.md"
    repository.write(
        {f"kb/{minutes}": _minutes("mn-b-2026-05-2", "rv-b-2026-05", "2026-05-10", False)}
    )
    repository.write({"README.md": "y\n"})  # outside the knowledge base: not watched
    repository.commit("change")
    found = changes.changed_since(repository.path / "kb", "main")
    assert found.paths == frozenset({minutes})
    status, output, _ = check(repository.path / "kb", "--changed-since", "main", capsys=capsys)
    assert by_place(output)[OVERDUE][0]["severity"] == "warning"
    assert by_place(output)[("review-parties", minutes)][0]["severity"] == "error"
    assert status == 1


def test_first_commit_everything_is_the_change_s(tmp_path: Path, capsys) -> None:
    repository = Repo(tmp_path / "new")
    repository.write({**BASE, "policy.yml": _policy()})
    status, output, _ = check(repository.path, "--changed-since", "HEAD", capsys=capsys)
    assert by_place(output)[OVERDUE][0]["severity"] == "error"
    assert status == 1
    status, _, err = check(repository.path, "--changed-since", "main", capsys=capsys)
    assert status == 2
    assert "还没有任何提交" in err


def test_unknown_revision_is_a_usage_error(repo: Repo, capsys) -> None:
    status, output, err = check(
        repo.path, "--changed-since", "origin/no-such-branch", capsys=capsys
    )
    assert status == 2
    assert output == {}
    assert "找不到版本“origin/no-such-branch”" in err
    assert "fetch-depth: 0" in err


def test_outside_a_repository_is_a_usage_error(tmp_path: Path, capsys) -> None:
    root = tmp_path / "plain"
    for rel, text in BASE.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    status, _, err = check(root, "--changed-since", "main", capsys=capsys)
    assert status == 2
    assert "不在 git 仓库" in err


def test_missing_git_is_a_usage_error(repo: Repo, capsys, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    status, _, err = check(repo.path, "--changed-since", "main", capsys=capsys)
    assert status == 2
    assert "找不到 git" in err


def test_other_formats_render_the_gated_report(repo: Repo, capsys) -> None:
    status = cli.main(
        ["check", str(repo.path), "--format", "github", "--as-of", AS_OF, "--changed-since", "main"]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert "::warning file=records/svc-a/service.md,line=" in out
    assert "::error" not in out


# --- the matching of findings to earlier ones, in isolation ---------------------------------


def _finding(
    message: str, severity: Severity = Severity.ERROR, path: str = "records/x.md"
) -> Finding:
    return Finding("review-frequency", "3.1.1", severity, path, 8, message, record="svc-x")


@pytest.fixture
def report(tmp_path: Path) -> engine.Report:
    (tmp_path / "records").mkdir()
    return engine.run(tmp_path, engine.date(2026, 6, 1))


def _gate(report: engine.Report, now: list[Finding], before: list[Finding]) -> list[Severity]:
    touched = changes.ChangeSet("main", "0" * 40, frozenset({"records/touched.md"}))
    gated = changes.gate(replace(report, findings=now), touched, before)
    return [f.severity for f in gated.report.findings]


def test_same_message_before_is_old(report: engine.Report) -> None:
    assert _gate(report, [_finding("逾期 3 天")], [_finding("逾期 3 天")]) == [Severity.WARNING]


def test_changed_message_at_the_same_place_is_still_old(report: engine.Report) -> None:
    assert _gate(report, [_finding("逾期 9 天")], [_finding("逾期 3 天")]) == [Severity.WARNING]


def test_more_problems_than_before_at_one_place_are_new(report: engine.Report) -> None:
    now = [_finding("缺少 2026-04 月报"), _finding("缺少 2026-05 月报")]
    before = [_finding("缺少 2026-04 月报")]
    assert _gate(report, now, before) == [Severity.WARNING, Severity.ERROR]


def test_an_error_that_was_only_a_notice_before_is_new(report: engine.Report) -> None:
    before = [_finding("还剩 3 天", Severity.INFO)]
    assert _gate(report, [_finding("逾期 1 天")], before) == [Severity.ERROR]


def test_waived_and_non_blocking_findings_are_left_alone(report: engine.Report) -> None:
    waived = _finding("逾期").with_waiver("wv-1")
    notice = _finding("还剩 3 天", Severity.INFO)
    assert _gate(report, [waived, notice], [waived, notice]) == [Severity.ERROR, Severity.INFO]


def test_touched_files_keep_their_errors_even_when_old(report: engine.Report) -> None:
    old = _finding("逾期", path="records/touched.md")
    assert _gate(report, [old], [old]) == [Severity.ERROR]


def test_restrict_for_other_front_ends(repo: Repo) -> None:
    report = engine.run(repo.path, engine.date(2026, 6, 1))
    assert changes.restrict(report, repo.path, None) is report
    assert changes.restrict(report, repo.path, "") is report
    gated = changes.restrict(report, repo.path, "main")
    assert not gated.blocking
    assert [f.severity for f in gated.findings if f.rule == "review-frequency"] == [
        Severity.WARNING
    ]
    with pytest.raises(changes.GitError):
        changes.restrict(report, repo.path, "no-such-branch")
    assert changes.ENVIRONMENT == "BRMKB_CHANGED_SINCE"
