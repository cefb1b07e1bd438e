"""Terminal output: ``path:line: 严重性 [rule] message``, grouped by file."""

from __future__ import annotations

from brmkb.engine import Report
from brmkb.findings import Finding, Severity


def location(finding: Finding) -> str:
    return f"{finding.path}:{finding.line}" if finding.line else finding.path


def line(finding: Finding) -> str:
    clause = f"（{finding.clause}）" if finding.clause else ""
    waived = f" 〔已豁免：{finding.waived}〕" if finding.waived else ""
    return f"{location(finding)}: {finding.severity.label} [{finding.rule}]{clause} {finding.message}{waived}"


def summary(report: Report) -> str:
    parts = [f"{s.label} {report.count(s)}" for s in Severity]
    waived = sum(report.count(s, waived=True) for s in Severity)
    verdict = "不通过" if report.blocking else "通过"
    pinned = f"{report.pinned}，到期天数按此日计算。" if report.pinned else ""
    # Passing with nothing to check is no evidence of compliance: say so.
    empty = (
        ""
        if report.kb.services
        else "知识库里还没有服务项目档案，没有可检查的义务；请先用 brmkb new service 建立服务项目。"
    )
    return (
        f"{verdict}：{report.files_text()}（截至 {report.as_of}），"
        f"{'，'.join(parts)}，已豁免 {waived}。{pinned}{empty}"
    )


def render(report: Report) -> str:
    out: list[str] = []
    current = None
    for finding in report.findings:
        if finding.path != current:
            if current is not None:
                out.append("")
            current = finding.path
        out.append(line(finding))
    if out:
        out.append("")
    out.append(summary(report))
    return "\n".join(out) + "\n"
