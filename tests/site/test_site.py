"""brmkb.site.build as a whole: the pages, the gate lines, the nav, the published files."""

from __future__ import annotations

from pathlib import Path

from brmkb.findings import Finding, Severity
from brmkb.policy import PolicyError
from brmkb.site import attachments, gate_line, policy_error_line


def test_gate_line_names_file_line_and_rule() -> None:
    finding = Finding(
        "review-minutes", "3.1.9", Severity.ERROR, "records/a.md", 7, "缺少会议纪要。"
    )
    assert gate_line(finding) == "records/a.md:7: [review-minutes] 缺少会议纪要。"
    assert gate_line(Finding("encoding", None, Severity.ERROR, "records/b.md", None, "x")) == (
        "records/b.md: [encoding] x"
    )


def test_policy_error_is_one_line() -> None:
    error = PolicyError("policy.yml", [(3, "as_of 不是日期。"), (None, "未知设置。")])
    assert policy_error_line(error) == (
        "policy.yml: 策略文件有误，无法生成站点：第 3 行：as_of 不是日期；未知设置。"
    )


def test_only_gate_errors_are_blocking(seeded) -> None:
    assert seeded.blocking == [] and seeded.publish().gate_lines == []
    assert "警告 1" in seeded.publish().summary


def test_nav_gets_a_section_of_service_pages(seeded) -> None:
    nav = [
        {"首页": "index.md"},
        {"服务项目": ["services/index.md", {"全部记录": "records/index.md"}]},
        {"指南": ["guide/fields.md"]},
    ]
    assert seeded.publish().nav(nav)[1] == {
        "服务项目": [
            "services/index.md",
            {"全部记录": "records/index.md"},
            {"全部服务": ["services/svc-xss.md"]},
        ]
    }
    assert seeded.publish().nav([{"服务项目": "services/index.md"}]) == [
        {"服务项目": ["services/index.md", {"全部服务": ["services/svc-xss.md"]}]}
    ]
    assert seeded.publish().nav(None) is None  # no nav configured: left to MkDocs
    # more services than a nav list should hold: the services overview lists them instead
    assert seeded.publish().nav(nav, limit=0)[1] == {
        "服务项目": ["services/index.md", {"全部记录": "records/index.md"}]
    }


def test_attachments_skip_markdown_and_hidden_files(tmp_path: Path) -> None:
    for rel in (
        "records/s/attachments/合同.pdf",
        "records/s/attachments/.~lock.xlsx#",
        "records/s/.git/x",
        "records/s/review.md",
    ):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x", encoding="utf-8")
    outside = tmp_path.parent / f"{tmp_path.name}-outside.pdf"
    outside.write_text("x", encoding="utf-8")
    (tmp_path / "records" / "s" / "link.pdf").symlink_to(outside)
    assert [a.src_uri for a in attachments(tmp_path)] == ["records/s/attachments/合同.pdf"]


def test_the_abort_message_counts_and_shows_the_first_findings() -> None:
    from brmkb.site import gate

    lines = [f"records/r{n}.md:2: [schema] 问题 {n}" for n in range(7)]
    message = gate.abort_message(lines)
    assert message.startswith("brmkb：知识库有 7 个未豁免的错误，严格模式（--strict）下停止构建")
    assert "问题 4" in message and "问题 5" not in message
    assert "另有 2 个，运行 brmkb check 查看全部" in message
