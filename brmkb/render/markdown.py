"""A Markdown summary for ``$GITHUB_STEP_SUMMARY`` or a merge-request comment.

A verdict, a table of counts, then the findings grouped by severity in tables (errors open,
the rest folded). Table cells escape ``|``, line breaks and HTML, so no record text can break
the table or inject markup. Long lists are cut at ``MAX_ROWS`` rows per group.
"""

from __future__ import annotations

from brmkb.engine import Report
from brmkb.findings import Finding, Severity

MAX_ROWS = 100

_GROUPS = (
    ("errors", "❌ 错误（须修改后才能合并）", False),
    ("warnings", "⚠️ 警告", True),
    ("infos", "ℹ️ 提示", True),
    ("waived", "已豁免", True),
)


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return text.replace("|", "\\|")


def _row(finding: Finding, waived: bool) -> str:
    cells = [finding.path, finding.line, finding.rule, finding.clause or "—", finding.message]
    if waived:
        cells.insert(4, finding.waived)
    return "| " + " | ".join(cell(c) for c in cells) + " |"


def _table(findings: list[Finding], waived: bool) -> list[str]:
    head = ["文件", "行", "规则", "条款", *(["豁免"] if waived else []), "说明"]
    out = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    out += [_row(f, waived) for f in findings[:MAX_ROWS]]
    if len(findings) > MAX_ROWS:
        out += [
            "",
            f"另有 {len(findings) - MAX_ROWS} 条未列出；完整结果见检查日志（brmkb check）。",
        ]
    return out


def render(report: Report) -> str:
    groups: dict[str, list[Finding]] = {"errors": [], "warnings": [], "infos": [], "waived": []}
    for finding in report.findings:
        if finding.waived:
            groups["waived"].append(finding)
        else:
            key = {Severity.ERROR: "errors", Severity.WARNING: "warnings"}.get(
                finding.severity, "infos"
            )
            groups[key].append(finding)
    verdict = "❌ 不通过" if report.blocking else "✅ 通过"
    out = [
        f"## brmkb 合规检查：{verdict}",
        "",
        f"截至 {report.as_of}，{report.files_text()}。",
        "",
        "| 错误 | 警告 | 提示 | 已豁免 |",
        "|---:|---:|---:|---:|",
        f"| {len(groups['errors'])} | {len(groups['warnings'])} | {len(groups['infos'])} "
        f"| {len(groups['waived'])} |",
    ]
    for key, heading, folded in _GROUPS:
        findings = groups[key]
        if not findings:
            continue
        table = _table(findings, waived=key == "waived")
        if folded:
            out += [
                "",
                "<details>",
                f"<summary>{heading}：{len(findings)} 条</summary>",
                "",
                *table,
            ]
            out += ["", "</details>"]
        else:
            out += ["", f"### {heading}：{len(findings)} 条", "", *table]
    return "\n".join(out) + "\n"
