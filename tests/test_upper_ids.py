"""Record numbers in capitals (CHG-2025-001, SR-2026-01, MIN-2025-01) pass like any others."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from brmkb import cli, engine, export, site
from brmkb.findings import Severity
from brmkb.site import urls
from tests import upper


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, engine.Report]:
    roots = {
        "upper": upper.write(tmp_path_factory.mktemp("upper")),
        "lower": upper.write(tmp_path_factory.mktemp("lower"), transform=False),
    }
    return {name: engine.run(root) for name, root in roots.items()}


def test_the_knowledge_base_is_numbered_in_capitals(reports) -> None:
    ids = {record.id for record in reports["upper"].kb.records}
    assert {"SVC-DESKTOP", "CHG-2025-001", "SR-2026-01", "MIN-2025-01"} <= ids
    assert "RV-DESKTOP-2025-06" in ids
    assert all(record_id == record_id.upper() for record_id in ids)


def test_it_passes_clean(reports) -> None:
    report = reports["upper"]
    assert report.exit_code == 0
    assert [f for f in report.findings if f.severity is not Severity.INFO] == []


def test_it_checks_exactly_as_the_same_records_in_lower_case(reports) -> None:
    def verdicts(report: engine.Report) -> list[tuple]:
        return sorted((f.rule, f.severity, f.line, f.path.lower()) for f in report.findings)

    assert verdicts(reports["upper"]) == verdicts(reports["lower"])
    assert len(reports["upper"].kb.records) == len(reports["lower"].kb.records)


def test_pages_are_lower_case_slugs_with_the_lower_case_urls(reports) -> None:
    built = {page.src_uri for page in site.build(reports["upper"]).pages}
    assert {"records/chg-2025-001.md", "records/rv-desktop-2025-06.md"} <= built
    assert "services/svc-desktop.md" in built
    lower = {page.src_uri for page in site.build(reports["lower"]).pages}
    assert built - lower == {
        "records/chg-2025-001.md",
        "records/sr-2026-01.md",
        "records/min-2025-01.md",
    }


@pytest.mark.parametrize(
    ("record_id", "page"),
    [
        ("CHG-2025-001", "records/chg-2025-001.md"),
        ("rv-desktop-2025-06", "records/rv-desktop-2025-06.md"),
        ("INDEX", "records/_index.md"),
        ("README", "records/readme.md"),
    ],
)
def test_page_of_an_id(record_id: str, page: str) -> None:
    record = type("R", (), {"kind": "review", "id": record_id})()
    assert urls.record_page(record) == page


def test_export_files_are_named_by_the_slug(reports) -> None:
    names = set(export.files(reports["upper"]))
    assert {"calendar-svc-desktop.ics", "calendar-svc-appmaint.ics"} <= names


def test_new_numbers_records_in_the_service_style(tmp_path, monkeypatch, capsys) -> None:
    root = upper.write(tmp_path)
    monkeypatch.setattr(cli, "today", lambda: date(2026, 11, 30))
    assert cli.main(["new", "review", str(root), "--service", "SVC-DESKTOP", "--minutes"]) == 0
    written = capsys.readouterr().out.split()
    assert [Path(p).name for p in written] == ["RV-DESKTOP-2026-11.md", "MN-DESKTOP-2026-11.md"]
    report = engine.run(root)
    assert not [f for f in report.findings if f.rule in ("schema", "duplicate-id", "reference")]
