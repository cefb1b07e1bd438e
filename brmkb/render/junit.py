"""JUnit XML for CI dashboards: one test case per rule and service, as in the pytest checklist.

A case fails when it has a blocking finding (an unwaived error); warnings, notices and waived
findings of a case are listed in its ``system-out``. GitLab shows this report on the merge
request, Jenkins and most dashboards read it as they read any test run.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from brmkb import __version__
from brmkb.engine import Report
from brmkb.render.cases import Case, cases
from brmkb.render.text import line

SUITE = "brmkb"

#: Characters XML 1.0 cannot carry at all.
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def render(report: Report) -> str:
    found = cases(report)
    failures = sum(1 for case in found if case.blocking)
    counts = {"tests": str(len(found)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": SUITE, **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "time": "0"})
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("tool", f"brmkb {__version__}"),
        ("as_of", report.as_of.isoformat()),
        ("records", str(len(report.kb.records))),
    ):
        ET.SubElement(properties, "property", {"name": name, "value": value})
    for case in found:
        _case(suite, case)
    ET.indent(root)
    # ElementTree escapes CR in attributes only; a raw CR in text would be read back as LF.
    body = ET.tostring(root, encoding="unicode").replace("\r", "&#13;")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n"


def _case(suite: ET.Element, case: Case) -> None:
    attributes = {"classname": f"{SUITE}.{case.rule}", "name": case.scope, "time": "0"}
    if case.findings:
        attributes["file"] = case.findings[0].path
    element = ET.SubElement(suite, "testcase", attributes)
    blocking = case.blocking
    if blocking:
        failure = ET.SubElement(
            element, "failure", {"message": _clean(blocking[0].message), "type": case.rule}
        )
        failure.text = _clean("\n".join(line(f) for f in blocking))
    rest = [f for f in case.findings if not f.blocking]
    if rest:
        ET.SubElement(element, "system-out").text = _clean("\n".join(line(f) for f in rest))
