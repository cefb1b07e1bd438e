"""pytest front end: the knowledge base's compliance as a checklist, one test per rule and service.

pytest checks                       # the repository's knowledge base, as of its policy date
pytest checks --kb-root DIR --as-of 2026-06-30
"""

from __future__ import annotations

from datetime import date
from functools import cache
from pathlib import Path

import pytest

from brmkb import engine
from brmkb.cli import as_of_date
from brmkb.policy import PolicyError
from brmkb.render.cases import cases

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("brmkb", "业务关系管理合规检查")
    group.addoption("--kb-root", type=Path, default=ROOT, help="知识库根目录（含 records/）")
    group.addoption("--as-of", type=as_of_date, default=None, help="检查日 YYYY-MM-DD")


@cache
def _report(root: Path, as_of: date | None) -> engine.Report:
    try:
        return engine.run(root, as_of)
    except PolicyError as error:
        lines = "\n".join(
            f"{error.path}:{line or 1}: {message}" for line, message in error.problems
        )
        raise pytest.UsageError(f"策略文件有误：\n{lines}") from None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        report = _report(metafunc.config.getoption("kb_root"), metafunc.config.getoption("as_of"))
        found = cases(report)
        metafunc.parametrize("case", found, ids=[case.id for case in found])
