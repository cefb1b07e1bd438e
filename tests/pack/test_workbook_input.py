"""evidence.xlsx holds what records say as text: never a formula, and never a character the
file format refuses (which stopped the whole pack)."""

from __future__ import annotations

import io
from datetime import date

import pytest

from brmkb import engine
from brmkb.pack import workbook
from brmkb.pack.scope import Scope
from tests.conftest import SERVICE, record, service

COMPLAINT = "records/svc-x/complaints/cp-x-1.md"


def complaint(title: str) -> str:
    text = record(
        "complaint",
        "cp-x-1",
        "# 投诉\n",
        title="TITLE",
        service="svc-x",
        received="2026-03-01",
        severity="low",
        status="open",
    )
    return text.replace("TITLE", title)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        (
            '\'=HYPERLINK("http://example.org/","点击")\'',
            '=HYPERLINK("http://example.org/","点击")',
        ),
        ("'=1+1'", "=1+1"),
        ('"\\x1b[31m红\\x07\\x00"', "\ufffd[31m红\ufffd\ufffd"),
        ("\"=cmd|' /C calc'!A0\\x0b\"", "=cmd|' /C calc'!A0\ufffd"),
    ],
)
def test_record_text_is_stored_as_text(kb, written, shown):
    from openpyxl import load_workbook

    root = kb({SERVICE: service(), COMPLAINT: complaint(written)})
    report = engine.run(root, date(2026, 6, 30))
    scope = Scope(date(2026, 1, 1), date(2026, 6, 30), (), date(2026, 6, 30))
    book = load_workbook(io.BytesIO(workbook.workbook(scope.restrict(report), report, scope)))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    assert [c.value for c in cells if c.data_type == "f"] == []
    assert shown in [c.value for c in cells]
