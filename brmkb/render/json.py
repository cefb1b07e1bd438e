"""Machine-readable output, as the record contract specifies."""

from __future__ import annotations

import json

from brmkb import __version__
from brmkb.engine import Report
from brmkb.findings import Severity


def render(report: Report) -> str:
    document = {
        "version": 1,
        "tool": f"brmkb {__version__}",
        "as_of": report.as_of.isoformat(),
        "records": report.files,
        "broken_records": report.broken_files,
        "summary": {
            **{s.value: report.count(s) for s in Severity},
            "waived": sum(report.count(s, waived=True) for s in Severity),
            "passed": not report.blocking,
        },
        "findings": [finding.to_dict() for finding in report.findings],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
