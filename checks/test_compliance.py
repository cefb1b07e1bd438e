"""Each test is one line of the compliance checklist; a failure lists the findings to fix."""

import pytest

from brmkb.render.cases import Case


def test_compliance(case: Case, record_property) -> None:
    for finding in case.findings:
        record_property(finding.rule, f"{finding.path}:{finding.line}: {finding.message}")
    if case.blocking:
        pytest.fail(case.explain(), pytrace=False)
