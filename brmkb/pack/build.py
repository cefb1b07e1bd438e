"""Make an audit pack: check, restrict to the scope, then site, workbook, PDFs, manifest, zip."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from brmkb import __version__, engine, provenance
from brmkb.findings import Severity
from brmkb.pack import PackError, archive, pages, pdf, workbook
from brmkb.pack.scope import Scope, evidence
from brmkb.policy import PolicyError
from brmkb.site import urls

WORKBOOK = "evidence.xlsx"
PDF_FOLDER = "pdf"
DASHBOARD_PDF = f"{PDF_FOLDER}/dashboard.pdf"
#: Records printed as PDFs.
PRINTED_KINDS = ("review", "minutes")


@dataclass(frozen=True, slots=True)
class Options:
    root: Path
    start: date
    end: date
    services: tuple[str, ...]
    out: Path
    as_of: date | None = None
    pdf: bool = True


@dataclass(frozen=True, slots=True)
class Made:
    out: Path
    records: int
    files: int


def make(options: Options) -> Made:
    """Write the pack to ``options.out``, which must not exist (a pack is never replaced)."""
    out = options.out
    if out.exists():
        raise PackError(f"{out} 已存在；审核包不会覆盖已有文件，请换一个文件名或先移走它")
    if not out.parent.is_dir():
        raise PackError(f"{out.parent} 目录不存在")
    scope = Scope(options.start, options.end, options.services, options.as_of or options.end)
    try:
        full = engine.run(options.root, scope.as_of, jobs=os.cpu_count() or 1)
    except PolicyError as error:
        raise PackError(f"{error.path}: 策略文件有误，无法生成审核包") from None
    scoped = scope.restrict(full)
    counted = evidence(scoped.kb.records)
    if not counted:
        raise PackError(
            f"{scope.start} 至 {scope.end} 没有所选服务项目的记录；请检查期间和 --service"
        )
    if options.pdf:
        pdf.browser()  # no browser: say so before the long part
    with tempfile.TemporaryDirectory(prefix="brmkb-pack-") as work:
        site = pdf.site_folder(Path(work))
        pages.build(options.root, scope, site)
        files = archive.collect(site)
        files[WORKBOOK] = archive.normalize_zip(workbook.workbook(scoped, full, scope), scope.as_of)
        if options.pdf:
            printed = Path(work, PDF_FOLDER)
            pdf.print_pages(_printed(scoped, site, printed), site, scope.as_of)
            files.update({f"{PDF_FOLDER}/{k}": v for k, v in archive.collect(printed).items()})
        files[archive.MANIFEST] = archive.manifest(_manifest(options, scope, scoped, len(counted)))
        files[archive.SUMS] = archive.checksums(files)
        data = archive.zip_bytes(files, scope.as_of)
    try:
        with out.open("xb") as handle:  # exclusive: never overwrite
            handle.write(data)
    except FileExistsError:
        raise PackError(f"{out} 已存在；审核包不会覆盖已有文件") from None
    except OSError as error:
        raise PackError(f"无法写入 {out}：{error.strerror or error}") from None
    return Made(out, len(counted), len(files))


def _printed(report: engine.Report, site: Path, folder: Path) -> list[tuple[Path, Path]]:
    scheme = urls.Urls(use_directory_urls=False)
    jobs = [(site / scheme.url(urls.DASHBOARD), folder / "dashboard.pdf")]
    for kind in PRINTED_KINDS:
        for record in report.kb.of_kind(kind):
            jobs.append((site / scheme.url(urls.record_page(record)), folder / f"{record.id}.pdf"))
    return jobs


def _manifest(
    options: Options, scope: Scope, report: engine.Report, records: int
) -> dict[str, object]:
    state = provenance.commit(options.root)
    severities = Counter(f.severity.value for f in report.findings if f.waived is None)
    return {
        "check_date": scope.as_of.isoformat(),
        "period": {"from": scope.start.isoformat(), "to": scope.end.isoformat()},
        "services": [s.id for s in report.kb.services],
        "git": {"commit": state.sha, "dirty": state.dirty},
        "brmkb": __version__,
        "records": records,
        "records_by_kind": dict(Counter(r.kind for r in evidence(report.kb.records))),
        "waivers": len(report.kb.of_kind("waiver")),
        "findings": {
            **{s.value: severities.get(s.value, 0) for s in Severity},
            "waived": sum(1 for f in report.findings if f.waived is not None),
        },
        "pdf": options.pdf,
    }
