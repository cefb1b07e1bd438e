"""A real build of a knowledge base full of traps: nothing outside records/ and no unlisted
type reaches site/ (not even a file elsewhere in the repository that a review cites, which the
check accepts), and no record the check reports breaks the build."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from brmkb.limits import DEFAULT_ATTACHMENT_TYPES
from tests.site import kbs
from tests.site.conftest import REPO

SECRET = "ghs_token_that_must_never_be_published"
SVC = "records/svc-xss"
#: A file elsewhere in the repository, cited by a review: accepted, shown as a path, unpublished.
CONTRACT = "contracts/机密合同.pdf"
CITING = "rv-xss-cited"

TRAPS = {
    f"{SVC}/attachments/合同.pdf": "%PDF-1.4 a contract",
    f"{SVC}/attachments/report.html": "<script>alert(1)</script>",
    f"{SVC}/attachments/logo.svg": "<svg onload=alert(1)></svg>",
    f"{SVC}/attachments/app.js": "alert(1)",
    f"{SVC}/reviews/rv-xss-9999.md": """---
kind: review
id: rv-xss-9999
service: svc-xss
type: periodic
date: 9999-12-01
organizer: 张三
organizer_dept: 服务部
---
# 远期评审
""",
    f"{SVC}/reviews/rv-xss-deep.md": """---
kind: review
id: rv-xss-deep
service: svc-xss
type: periodic
date: 2026-09-01
organizer: 张三
organizer_dept: 服务部
---
"""
    + "<div markdown>\n" * 500,
    f"{SVC}/reviews/rv-xss-spaces.md": """---
kind: review
id: rv-xss-spaces
service: svc-xss
type: periodic
date: 2026-09-02
organizer: 张三
organizer_dept: 服务部
---
# a"""
    + " " * 60_000
    + "b\n",
    f"{SVC}/reviews/{CITING}.md": f"""---
kind: review
id: {CITING}
service: svc-xss
type: periodic
date: 2026-09-03
organizer: 张三
organizer_dept: 服务部
inputs:
  service_contract: ../../../{CONTRACT}
  project_plan: ../attachments/合同.pdf
---
# 引用仓库文件的评审
""",
    CONTRACT: f"%PDF-1.4 {SECRET}",
    ".git/config": f"[http]\n\textraheader = AUTHORIZATION: basic {SECRET}\n",
    "outside.txt": SECRET,
}


@pytest.fixture(scope="module")
def trapped(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, int]:
    base = tmp_path_factory.mktemp("trapped")
    root = kbs.write(base / "kb", {**kbs.FILES, **TRAPS})
    kbs.mkdocs_yml(REPO, root)
    attachments = root / SVC / "attachments"
    os.symlink("../../../.git/config", attachments / "config.txt")
    os.symlink("../../../outside.txt", attachments / "outside.txt")
    os.symlink("missing.pdf", attachments / "gone.pdf")
    os.symlink("loop.md", root / SVC / "loop.md")
    site = base / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(root / "mkdocs.yml")]
    done = subprocess.run(
        [*command, "-d", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return root, site, done.stdout + done.stderr, done.returncode


def test_the_build_completes_and_reports_every_trap(trapped) -> None:
    _, site, log, code = trapped
    assert code == 0, log
    assert "Traceback" not in log
    for rule in ("[symlink]", "[attachment-type]", "[date-format]", "[record-limits]"):
        assert rule in log, rule
    assert (site / SVC / "attachments/合同.pdf").is_file()


def test_nothing_outside_records_and_no_unlisted_type_is_published(trapped) -> None:
    _, site, _, _ = trapped
    published = [p for p in (site / "records").rglob("*") if p.is_file()]
    for path in published:
        kind = path.suffix.lower().lstrip(".")
        assert path.name == "index.html" or kind in DEFAULT_ATTACHMENT_TYPES, path
    for path in site.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".txt", ".json", ".xml", ".csv"):
            assert SECRET not in path.read_text(encoding="utf-8", errors="replace"), path
    names = {p.name for p in published}
    assert not names & {"report.html", "logo.svg", "app.js", "config.txt", "outside.txt"}


def test_a_cited_repository_file_is_shown_as_its_path_and_never_published(trapped) -> None:
    _, site, log, _ = trapped
    assert "[input-path]" not in log  # the check accepts the citation
    [page] = [p for p in site.rglob("*.html") if CITING in p.as_posix()]
    html = page.read_text(encoding="utf-8")
    shown = '<code class="brm-path">contracts/<wbr>机密合同.pdf</code><small>（仓库内文件，不随站点发布）</small>'
    assert shown in html
    assert "机密合同.pdf" not in "".join(re.findall(r'href="[^"]*"', html))
    assert 'download>合同.pdf</a>' in html  # a file under records/ stays linked
    assert not [p for p in site.rglob("机密合同.pdf")]
