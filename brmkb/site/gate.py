"""The build gate: unwaived errors stop a strict build, and mark every page of a lax one.

A strict build (``mkdocs build --strict``) must fail on unwaived errors however the build
logs (``-q`` drops the warnings before MkDocs counts them), so the hook aborts it with
``abort_message``. A build that is not strict still publishes, and ``banner`` tells every
page's reader that the knowledge base does not pass.
"""

from __future__ import annotations

import posixpath

from brmkb.findings import Finding
from brmkb.site import urls

#: How many findings the abort message lists (the log, or ``brmkb check``, has them all).
SHOWN = 5


def gate_line(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return f"{where}: [{finding.rule}] {finding.message}"


def abort_message(lines: list[str]) -> str:
    """Why a strict build stops: the count and the first findings."""
    shown = "\n".join(f"  {line}" for line in lines[:SHOWN])
    more = f"\n  ……另有 {len(lines) - SHOWN} 个，运行 brmkb check 查看全部。" if len(lines) > SHOWN else ""
    return (
        f"brmkb：知识库有 {len(lines)} 个未豁免的错误，严格模式（--strict）下停止构建：\n"
        f"{shown}{more}"
    )


def banner(src_uri: str, errors: int, pinned: str | None = None) -> str:
    """Markdown put before every page of a site built from a knowledge base that fails;
    ``pinned`` says when the check date is fixed by the policy rather than today.

    Left out of the search index (Material's ``data-search-exclude``): the same sentence on
    every page finds nothing, and it made the index of a large knowledge base a tenth bigger.
    """
    dashboard = posixpath.relpath(urls.DASHBOARD, posixpath.dirname(src_uri) or ".")
    when = f"{pinned}，逾期按此日计算。" if pinned else ""
    return (
        "<div markdown data-search-exclude>\n\n"
        '!!! failure "知识库未通过检查"\n\n'
        f"    有 {errors} 个未豁免的错误，本站内容尚不能作为合规依据。"
        f"详见[合规看板]({dashboard})。{when}\n\n"
        "</div>\n\n"
    )
