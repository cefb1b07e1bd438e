"""The site of a knowledge base numbered in capitals: built strict, pages at lower-case URLs."""

from __future__ import annotations


def test_the_site_builds_strict_with_lower_case_urls(builds) -> None:
    built = builds["upper"]
    assert built.returncode == 0, built.log
    assert (built.site / "records/chg-2025-001/index.html").is_file()
    assert (built.site / "services/svc-desktop/index.html").is_file()
    page = (built.site / "records/min-2025-01/index.html").read_text(encoding="utf-8")
    assert "MIN-2025-01" in page and 'href="../rv-desktop-2025-06/"' in page
