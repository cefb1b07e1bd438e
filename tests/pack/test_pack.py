"""The sample's audit pack: complete, verifiable, limited to its scope, and reproducible."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from brmkb.findings import Severity
from brmkb.pack import pdf
from tests.pack.conftest import REPO, Pack, make, needs, unpack

#: Words found only in records of 2025 (a complaint, and the review and minutes about it).
OUT_OF_PERIOD = ("定影组件", "cp-desktop-2025-001", "rv-hosting-2025-09")
#: An attachment cited only by a review of 2025.
OUT_OF_PERIOD_ATTACHMENT = "records/svc-hosting/attachments/项目总结报告-2025.pdf"


def test_checksums_cover_every_other_file(pack: Pack) -> None:
    sums = (pack.folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    listed = {}
    for line in sums:
        digest, name = line.split("  ", 1)
        listed[name] = digest
    files = {p.relative_to(pack.folder).as_posix() for p in pack.folder.rglob("*") if p.is_file()}
    assert set(listed) == files - {"SHA256SUMS"}
    for name, digest in listed.items():
        assert hashlib.sha256((pack.folder / name).read_bytes()).hexdigest() == digest, name
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "-c", "--quiet", "SHA256SUMS"], cwd=pack.folder, check=True)


def test_contents(pack: Pack) -> None:
    for name in ("index.html", "dashboard.html", "evidence.xlsx", "pack.json", "guide/auditor.html",
                 "search/search_index.js", "pdf/dashboard.pdf", "pdf/rv-hosting-2026-06.pdf",
                 "pdf/mn-hosting-2026-06.pdf",
                 "records/svc-hosting/attachments/服务合同-HT2024-058.pdf"):  # fmt: skip
        assert (pack.folder / name).is_file(), name
    printed = {p.stem for p in (pack.folder / "pdf").glob("*.pdf")}
    expected = {r.id for r in pack.scoped.kb.records if r.kind in ("review", "minutes")}
    assert printed == expected | {"dashboard"}


def test_manifest(pack: Pack) -> None:
    manifest = json.loads((pack.folder / "pack.json").read_text(encoding="utf-8"))
    assert manifest["check_date"] == "2026-06-30"
    assert manifest["period"] == {"from": "2026-01-01", "to": "2026-06-30"}
    assert manifest["services"] == ["svc-appmaint", "svc-desktop", "svc-hosting"]
    assert re.fullmatch(r"[0-9a-f]{40}", manifest["git"]["commit"])
    assert isinstance(manifest["git"]["dirty"], bool)
    unwaived = [f for f in pack.scoped.findings if f.waived is None]
    for severity in Severity:
        assert manifest["findings"][severity.value] == sum(
            1 for f in unwaived if f.severity is severity
        )
    assert manifest["records_by_kind"]["review"] == 5


def _texts(folder: Path) -> dict[str, str]:
    """Every file's text: pages and scripts as they are, the workbook's cells, the PDFs' text."""
    from openpyxl import load_workbook

    texts = {}
    for path in folder.rglob("*"):
        name = path.relative_to(folder).as_posix()
        if path.suffix in (".html", ".js", ".json", ".xml", ".txt") or path.name == "SHA256SUMS":
            texts[name] = path.read_text(encoding="utf-8", errors="replace")
        elif path.suffix == ".xlsx":
            book = load_workbook(path)
            texts[name] = "\n".join(
                str(c.value) + " " + (c.hyperlink.target if c.hyperlink else "")
                for sheet in book for row in sheet.iter_rows() for c in row
            )  # fmt: skip
        elif path.suffix == ".pdf" and name.startswith("pdf/"):
            texts[name] = _pdf_text(path)
    return texts


def _pdf_text(path: Path) -> str:
    """A PDF's text; NFKC, since the CJK fonts map some characters to Kangxi radicals."""
    from pypdf import PdfReader

    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return unicodedata.normalize("NFKC", text)


def test_nothing_outside_the_period(pack: Pack) -> None:
    for name, text in _texts(pack.folder).items():
        for words in OUT_OF_PERIOD:
            assert words not in text, f"{words} in {name}"
    assert not (pack.folder / OUT_OF_PERIOD_ATTACHMENT).exists()


def test_pdf_carries_title_and_check_date(pack: Pack) -> None:
    from pypdf import PdfReader

    record = pack.scoped.kb.by_id["rv-hosting-2026-06"]
    reader = PdfReader(pack.folder / "pdf" / f"{record.id}.pdf")
    text = _pdf_text(pack.folder / "pdf" / f"{record.id}.pdf")
    assert record.title in text.replace("\n", "")
    assert reader.metadata["/CreationDate"].startswith("D:20260630000000")
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points


def test_pdf_links_point_into_the_pack(pack: Pack) -> None:
    data = (pack.folder / "pdf" / "rv-hosting-2026-06.pdf").read_bytes()
    assert b"file://" not in data
    targets = re.findall(rb"/URI \(\.\./((?:\./)*)([^)#]+)", data)
    assert targets
    for _, target in targets:
        assert (pack.folder / target.decode()).is_file(), target


def test_pages_link_to_the_auditor_guide(pack: Pack) -> None:
    for page in ("dashboard.html", "services/svc-hosting.html"):
        html = (pack.folder / page).read_text(encoding="utf-8")
        assert "auditor.html" in html, page


def test_same_input_same_bytes(tmp_path: Path) -> None:
    needs("shim")
    first, second = tmp_path / "1.zip", tmp_path / "2.zip"
    for out in (first, second):
        assert make(out, "--no-pdf", "--service", "svc-desktop") == 0
    assert first.read_bytes() == second.read_bytes()
    folder = unpack(first, tmp_path / "unpacked")
    assert not (folder / "pdf").exists()
    for name, text in _texts(folder).items():  # another service's records stay out
        assert "mn-hosting-2026-03" not in text and "云栖" not in text, name


def test_pdfs_are_reproducible(pack: Pack, tmp_path: Path) -> None:
    site = pdf.site_folder(tmp_path)
    shutil.copytree(pack.folder, site)
    html = site / "records" / "mn-hosting-2026-06.html"
    outs = [tmp_path / "a.pdf", tmp_path / "b.pdf"]
    pdf.print_pages([(html, out) for out in outs], site, pack.scope.as_of)
    assert outs[0].read_bytes() == outs[1].read_bytes()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--from", "2026-07-01", "--to", "2026-06-30"], "晚于"),
        (["--service", "svc-nope"], "svc-nope"),
        (["--from", "2030-01-01", "--to", "2030-06-30"], "没有所选服务项目的记录"),
    ],
)
def test_bad_input_one_line_exit_2(
    args: list[str], words: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from brmkb import cli

    out = tmp_path / "pack.zip"
    period = [] if "--from" in args else ["--from", "2026-01-01", "--to", "2026-06-30"]
    code = cli.main(["pack", str(REPO), *period, *args, "--out", str(out), "--no-pdf"])
    error = capsys.readouterr().err
    assert code == 2
    assert words in error and error.count("\n") == 1
    assert not out.exists()


def test_existing_output_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "pack.zip"
    out.write_bytes(b"keep")
    assert make(out, "--no-pdf") == 2
    assert "已存在" in capsys.readouterr().err
    assert out.read_bytes() == b"keep"


def test_without_chromium_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(pdf.PdfError, match=r"apt-get install chromium.*--no-pdf"):
        pdf.browser()


def test_workbook(pack: Pack) -> None:
    from openpyxl import load_workbook

    from brmkb.pack.workbook import SHEETS, display_width

    book = load_workbook(pack.folder / "evidence.xlsx")
    assert book.sheetnames == list(SHEETS)
    for sheet in book:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert all(isinstance(c.value, str) and c.value for c in sheet[1]), sheet.title
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(w >= display_width(c.value) for w, c in zip(widths, sheet[1], strict=True))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.hyperlink:  # relative, into the pack
                    assert (pack.folder / cell.hyperlink.target).is_file(), cell.hyperlink.target

    def rows(title: str) -> list[dict]:
        sheet = book[title]
        head = [c.value for c in sheet[1]]
        return [dict(zip(head, (c.value for c in r), strict=True)) for r in sheet.iter_rows(2)]

    found = [(r["规则"], r["文件"], r["行"] or None, r["说明"]) for r in rows("发现")]
    assert found == [(f.rule, f.path, f.line, f.message) for f in pack.scoped.findings]

    held = [r["评审编号"] for r in rows("评审计划与实际") if r["评审编号"]]
    reviews = [
        r for r in pack.full.kb.of_kind("review") if pack.scope.start <= r.date <= pack.scope.end
    ]
    assert sorted(held) == sorted(r.id for r in reviews)
    plan = {r["评审编号"]: r for r in rows("评审计划与实际") if r["评审编号"]}
    # The first periodic review of 2026 counts from the annual one of 2025-12-16.
    assert plan["rv-hosting-2026-06"]["应召开日期"].date().isoformat() == "2026-06-16"

    clauses = rows("条款证据")
    assert {r["条款"] for r in clauses} >= {"3.1.1", "3.2.3", "3.3.1", "4"}
    minutes = [r for r in clauses if r["条款"] == "3.1.9" and r["证据记录"] == "mn-hosting-2026-06"]
    assert minutes and minutes[0]["服务项目"] == "江南银行数据中心托管服务"
    complaints = rows("客户投诉")
    assert [r["投诉编号"] for r in complaints] == ["cp-appmaint-2026-001"]
    assert {r["调查"] for r in rows("满意度")} == {
        "sv-appmaint-2026h1", "sv-desktop-2026h1", "sv-hosting-2026h1"
    }  # fmt: skip


def test_as_of_sets_the_check_date(tmp_path: Path) -> None:
    needs("shim")
    out = tmp_path / "pack.zip"
    assert make(out, "--no-pdf", "--service", "svc-appmaint", "--as-of", "2026-11-20") == 0
    folder = unpack(out, tmp_path / "unpacked")
    manifest = json.loads((folder / "pack.json").read_text(encoding="utf-8"))
    assert manifest["check_date"] == "2026-11-20"
    assert manifest["services"] == ["svc-appmaint"]
    assert "检查日 <strong>2026-11-20</strong>" in (folder / "dashboard.html").read_text("utf-8")


def test_without_the_shim_says_how_to_fetch_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from brmkb.pack import shim

    monkeypatch.setattr(shim, "location", lambda: tmp_path / "missing.js")
    out = tmp_path / "pack.zip"
    assert make(out, "--no-pdf") == 2
    error = capsys.readouterr().err
    assert "brmkb.pack.shim" in error and error.count("\n") == 1
    assert not out.exists()


def test_the_policy_allows_the_pinned_shims_frame_script(pack: Pack) -> None:
    from brmkb.pack import shim
    from brmkb.site import csp

    source = shim.content().decode("utf-8")
    functions = dict(re.findall(r"function (\w)(\(.*?\)\{.*?\})(?=function|var )", source))
    written = re.search(r"<script>(postMessage=.*?)<\\/script>", source)
    assert written and set(functions) == {"c", "d"}
    page = (pack.folder / "records" / "index.html").read_text(encoding="utf-8")
    worker = json.loads(re.search(r'id="__config"[^>]*>(.*?)</script>', page).group(1))["search"]
    text = written.group(1).replace("${e}", worker)
    for name, body in functions.items():
        text = text.replace("${" + name + "}", f"function {name}{body}")
    assert text == shim.bootstrap(worker)
    assert csp.policy([text]).split("; ")[0].split()[-1] in page
