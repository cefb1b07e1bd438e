"""A file elsewhere in the repository that a review cites: named in the pack, never in it."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.pack.conftest import REPO, needs
from tests.site import kbs

SECRET = "contract_text_that_stays_in_the_repository"
REVIEW = "records/svc-xss/reviews/rv-xss-cited.md"
CITING = """---
kind: review
id: rv-xss-cited
service: svc-xss
type: periodic
date: 2026-10-20
organizer: 张三
organizer_dept: 服务部
inputs:
  service_contract: ../../../contracts/合同.pdf
  project_plan: ../attachments/contract.pdf
---
# 引用仓库文件的评审

## 服务情况

本期服务运行平稳。
"""


def test_the_pack_names_a_cited_repository_file_but_never_carries_it(tmp_path: Path) -> None:
    from brmkb import cli

    needs("shim")
    files = {**kbs.FILES, REVIEW: CITING, "contracts/合同.pdf": f"%PDF-1.4 {SECRET}"}
    root = kbs.write(tmp_path / "kb", files)
    kbs.mkdocs_yml(REPO, root)
    out = tmp_path / "pack.zip"
    period = ["--from", "2026-08-01", "--to", kbs.AS_OF]
    assert cli.main(["pack", str(root), *period, "--out", str(out), "--no-pdf"]) == 0
    with zipfile.ZipFile(out) as pack:
        names = pack.namelist()
        page = pack.read("records/rv-xss-cited.html").decode("utf-8")
        contents = [pack.read(name) for name in names]
    assert "records/svc-xss/attachments/contract.pdf" in names
    assert not [name for name in names if name.endswith("合同.pdf")]
    assert not [data for data in contents if SECRET.encode() in data]
    assert "contracts/<wbr>合同.pdf</code><small>（仓库内文件，不随站点发布）</small>" in page
