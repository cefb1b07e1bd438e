"""pytest front end: the knowledge base's compliance as a checklist, one test per rule and service.

pytest checks                       # the repository's knowledge base, as of its policy date
pytest checks --kb-root DIR --as-of 2026-06-30
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brmkb import changes, engine
from brmkb.cli import as_of_date
from brmkb.policy import PolicyError
from brmkb.render.cases import cases
from brmkb.tree import RecordsError

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("brmkb", "业务关系管理合规检查")
    group.addoption("--kb-root", type=Path, default=ROOT, help="知识库根目录（含 records/）")
    group.addoption("--as-of", type=as_of_date, default=None, help="检查日 YYYY-MM-DD")


REPORT = pytest.StashKey[engine.Report]()


def pytest_configure(config: pytest.Config) -> None:
    """Check the knowledge base once, before collection, so that a bad policy is a clean error."""
    root, as_of = config.getoption("kb_root"), config.getoption("as_of")
    try:
        report = engine.run(root, as_of)
        # In a pull request, CI sets BRMKB_CHANGED_SINCE: old, unrelated findings become warnings.
        config.stash[REPORT] = changes.restrict(report, root, os.environ.get(changes.ENVIRONMENT))
    except changes.GitError as error:
        raise pytest.UsageError(f"{changes.ENVIRONMENT}：{error}") from None
    except RecordsError as error:
        raise pytest.UsageError(str(error)) from None
    except PolicyError as error:
        lines = "\n".join(
            f"{error.path}:{line or 1}: {message}" for line, message in error.problems
        )
        raise pytest.UsageError(f"策略文件有误：\n{lines}") from None


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "case" in metafunc.fixturenames:
        found = cases(metafunc.config.stash[REPORT])
        metafunc.parametrize("case", found, ids=[case.id for case in found])
