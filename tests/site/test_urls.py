"""Relative links computed like MkDocs computes them (raw HTML is not rewritten by MkDocs)."""

from __future__ import annotations

import pytest

from brmkb.site import urls

DIRECTORY = [
    ("procedure.md", "dashboard.md", "", "../dashboard/"),
    ("procedure.md", "dashboard.md", "findings-x", "../dashboard/#findings-x"),
    ("records/rv-1.md", "services/svc-a.md", "", "../../services/svc-a/"),
    ("records/rv-1.md", "records/rv-2.md", "", "../rv-2/"),
    (
        "records/rv-1.md",
        "records/svc-a/attachments/合同.pdf",
        "",
        "../svc-a/attachments/%E5%90%88%E5%90%8C.pdf",
    ),
    ("services/index.md", "services/svc-a.md", "", "svc-a/"),
    ("services/svc-a.md", "services/index.md", "", "../"),
    ("index.md", "records/index.md", "", "records/"),
    ("records/index.md", "index.md", "", "../"),
    ("dashboard.md", "dashboard.md", "x", "#x"),
    ("dashboard.md", "dashboard.md", "", "./"),
]
FILES = [
    ("procedure.md", "dashboard.md", "", "dashboard.html"),
    ("records/rv-1.md", "services/svc-a.md", "", "../services/svc-a.html"),
    ("services/index.md", "services/svc-a.md", "", "svc-a.html"),
    ("index.md", "records/index.md", "", "records/index.html"),
    ("records/index.md", "index.md", "a", "../index.html#a"),
]


@pytest.mark.parametrize(("here", "there", "anchor", "expected"), DIRECTORY)
def test_directory_urls(here: str, there: str, anchor: str, expected: str) -> None:
    assert urls.Urls(True).rel(here, there, anchor) == expected


@pytest.mark.parametrize(("here", "there", "anchor", "expected"), FILES)
def test_file_urls(here: str, there: str, anchor: str, expected: str) -> None:
    assert urls.Urls(False).rel(here, there, anchor) == expected


def test_page_of_a_record(seeded_report) -> None:
    kb = seeded_report.kb
    assert urls.record_page(kb.by_id["svc-xss"]) == "services/svc-xss.md"
    assert urls.record_page(kb.by_id["mn-xss-2026-10"]) == "records/mn-xss-2026-10.md"


def test_an_id_named_index_does_not_replace_the_index_page() -> None:
    assert urls.service_page("index") == "services/_index.md"


@pytest.mark.parametrize(
    ("record_id", "page"),
    [
        ("index", "_index"),
        ("INDEX.html", "_index.html"),
        ("cp-1.pdf", "cp-1.pdf_"),
        ("cp-1.pdf_", "cp-1.pdf__"),
        ("SR-2025.01", "sr-2025.01"),
        ("a..b", "a..b_"),
        ("v1.2x", "v1.2x_"),
    ],
)
def test_no_page_takes_the_place_of_a_file(record_id: str, page: str) -> None:
    """A page is a folder: its name is never that of the list page or of a file name."""
    assert urls.service_page(record_id) == f"services/{page}.md"


def test_ids_named_as_files_get_pages_of_their_own(hostile_site) -> None:
    from tests.site import xss

    for record_id, folder in xss.FILE_NAMED_IDS.items():
        assert record_id in (hostile_site.site / folder / "index.html").read_text("utf-8")
    assert (hostile_site.site / "records/cp-xss-2.pdf").read_bytes().startswith(b"%PDF")
    assert "brm-" in (hostile_site.site / "records/index.html").read_text("utf-8")


def test_anchors() -> None:
    assert urls.clause_anchor("3.1.5") == "clause-3-1-5"
    assert urls.service_anchor("svc.a") == "svc-svc_a"
