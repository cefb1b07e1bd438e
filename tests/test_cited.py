"""Where a cited path leads: the one answer the input-path rule and the site share."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from brmkb.cited import Located, Place, Repository


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    (tmp_path / "records/svc-x/attachments").mkdir(parents=True)
    (tmp_path / "records/svc-x/reviews").mkdir()
    (tmp_path / "records/svc-x/attachments/合同.pdf").write_bytes(b"%PDF")
    (tmp_path / "records/svc-x/attachments/.草稿.pdf").write_bytes(b"%PDF")
    (tmp_path / "shared/legal").mkdir(parents=True)
    (tmp_path / "shared/legal/合同.docx").write_bytes(b"PK")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git/config").write_text("[core]\n")
    try:
        os.symlink("shared/legal", tmp_path / "contracts")
        os.symlink("loop", tmp_path / "loop")
    except (OSError, NotImplementedError) as error:
        pytest.skip(f"cannot create symbolic links here: {error}")
    return tmp_path


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("../attachments/合同.pdf", Located(Place.RECORDS)),
        # the site never lists hidden files: cited, but not published
        (
            "../attachments/.草稿.pdf",
            Located(Place.REPOSITORY, "records/svc-x/attachments/.草稿.pdf"),
        ),
        ("../../../contracts/合同.docx", Located(Place.REPOSITORY, "shared/legal/合同.docx")),
        (
            "../../../shared/legal/../legal/合同.docx",
            Located(Place.REPOSITORY, "shared/legal/合同.docx"),
        ),
        ("../../../contracts", Located(Place.FOLDER)),
        ("../attachments", Located(Place.FOLDER)),
        ("../../../contracts/无.pdf", Located(Place.MISSING)),
        ("../../../loop", Located(Place.MISSING)),
        ("../../../.git/config", Located(Place.GIT)),
        ("../../../../x.pdf", Located(Place.OUTSIDE)),
        ("/etc/passwd", Located(Place.ABSOLUTE)),
        ("~/x.pdf", Located(Place.ABSOLUTE)),
        ("a\0b.pdf", Located(Place.NUL)),
    ],
)
def test_locate(repo: Path, ref: str, expected: Located) -> None:
    assert Repository(repo).locate(repo / "records/svc-x/reviews", ref) == expected
