"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request.

``::error file=PATH,line=N,title=[rule] clause::message`` (``::warning`` and ``::notice``
likewise) puts the finding inline on the pull request's diff. Waived findings are notices.
Escaping follows GitHub's workflow-command rules: ``%``, CR and LF in the message;
additionally ``:`` and ``,`` in property values.
"""

from __future__ import annotations

from brmkb.engine import Report
from brmkb.findings import Finding, Severity
from brmkb.render.text import summary

_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
_ORDER = {"error": 0, "warning": 1, "notice": 2}


def escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def title(finding: Finding) -> str:
    return f"[{finding.rule}] {finding.clause}" if finding.clause else f"[{finding.rule}]"


def command(finding: Finding) -> str:
    """One workflow command for one finding."""
    name = "notice" if finding.waived else _COMMANDS[finding.severity]
    properties = [f"file={escape_property(finding.path)}"]
    if finding.line:
        properties.append(f"line={finding.line}")
    properties.append(f"title={escape_property(title(finding))}")
    message = finding.message
    if finding.waived:
        message += f"〔{finding.severity.label}，已豁免：{finding.waived}〕"
    return f"::{name} {','.join(properties)}::{escape_data(message)}"


def render(report: Report) -> str:
    """Errors first (GitHub shows a limited number of annotations of each kind), then the rest."""
    commands = sorted(
        (command(f) for f in report.findings), key=lambda c: _ORDER[c[2 : c.index(" ")]]
    )
    return "\n".join([*commands, summary(report)]) + "\n"
