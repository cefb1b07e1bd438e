"""Provenance from git history: who last changed each record and when; none without git."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from brmkb.provenance import Provenance, history
from tests.gitrepo import Repo


@pytest.fixture
def repo(tmp_path: Path) -> Repo:
    repository = Repo(tmp_path / "kb")
    repository.write(
        {
            "records/svc-a/service.md": "服务\n",
            "records/svc-a/reviews/rv-a-2026-01.md": "评审\n",
            "docs/index.md": "首页\n",
        }
    )
    repository.commit("建立知识库", author="张三", when="2026-01-05T09:00:00+08:00")
    repository.write(
        {"records/svc-a/reviews/rv-a-2026-01.md": "评审（修订）\n", "docs/index.md": "改\n"}
    )
    repository.commit("修订评审报告", author="李四", when="2026-03-07T16:30:00+08:00")
    return repository


def test_last_change_of_each_record(repo: Repo) -> None:
    found = history(repo.path)
    assert set(found) == {"records/svc-a/service.md", "records/svc-a/reviews/rv-a-2026-01.md"}
    service = found["records/svc-a/service.md"]
    assert (service.author, service.date, service.subject) == (
        "张三",
        date(2026, 1, 5),
        "建立知识库",
    )
    review = found["records/svc-a/reviews/rv-a-2026-01.md"]
    assert isinstance(review, Provenance)
    assert (review.author, review.date, review.subject) == (
        "李四",
        date(2026, 3, 7),
        "修订评审报告",
    )
    assert review.commit == repo.git("rev-parse", "HEAD").strip()


def test_uncommitted_files_have_no_provenance(repo: Repo) -> None:
    repo.write({"records/svc-a/minutes/mn-a-2026-01.md": "纪要\n"})
    assert "records/svc-a/minutes/mn-a-2026-01.md" not in history(repo.path)


def test_non_ascii_file_names_are_not_quoted(repo: Repo) -> None:
    repo.write({"records/svc-a/attachments/服务合同-HT2024-058.pdf": "%PDF\n"})
    repo.commit("附件", author="王五", when="2026-04-01T10:00:00+08:00")
    assert history(repo.path)["records/svc-a/attachments/服务合同-HT2024-058.pdf"].author == "王五"


def test_a_renamed_record_is_credited_to_the_rename(repo: Repo) -> None:
    repo.git("mv", "records/svc-a/service.md", "records/svc-a/档案.md")
    repo.commit("改名", author="赵六", when="2026-05-01T10:00:00+08:00")
    found = history(repo.path)
    assert found["records/svc-a/档案.md"].author == "赵六"
    assert (
        "records/svc-a/service.md" not in found
        or found["records/svc-a/service.md"].author == "赵六"
    )


def test_knowledge_base_in_a_subfolder_of_the_repository(tmp_path: Path) -> None:
    repository = Repo(tmp_path / "repo")
    repository.write({"kb/records/svc-a/service.md": "服务\n", "records/elsewhere.md": "别处\n"})
    repository.commit("建立", author="张三", when="2026-01-05T09:00:00+08:00")
    found = history(repository.path / "kb")
    assert set(found) == {"records/svc-a/service.md"}  # relative to the knowledge base root


def test_outside_git_there_is_no_provenance(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "records" / "a.md").write_text("x\n", encoding="utf-8")
    assert history(tmp_path) == {}


def test_without_the_git_program_there_is_no_provenance(
    repo: Repo, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    assert history(repo.path) == {}


def test_a_repository_without_commits_has_no_provenance(tmp_path: Path) -> None:
    repository = Repo(tmp_path / "empty")
    repository.write({"records/a.md": "x\n"})
    assert history(repository.path) == {}


def test_a_record_page_labels_its_provenance_in_chinese() -> None:
    from brmkb.site.records import provenance

    stamp = Provenance("王五", date(2026, 11, 26), "e67cee40" + "0" * 32, "Every clause as a rule")
    html = provenance(stamp)
    assert html.startswith("2026-11-26 · 提交人 王五 · 提交 <code")
    assert '<code title="提交说明：Every clause as a rule">e67cee4</code>' in html
