"""Checksums GNU sha256sum accepts, and zips that do not depend on the clock."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest

from brmkb.pack import archive

FILES = {"a.html": b"a", "records/x/附件 1.pdf": b"pdf", "odd\\name.txt": b"odd"}


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="needs GNU coreutils")
def test_sha256sum_accepts_the_sums(tmp_path: Path) -> None:
    for name, data in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    (tmp_path / archive.SUMS).write_bytes(archive.checksums(FILES))
    subprocess.run(["sha256sum", "-c", "--quiet", archive.SUMS], cwd=tmp_path, check=True)
    (tmp_path / "a.html").write_bytes(b"changed")
    checked = subprocess.run(["sha256sum", "-c", "--quiet", archive.SUMS], cwd=tmp_path)
    assert checked.returncode != 0


def test_zip_is_stamped_with_the_date_not_the_clock() -> None:
    import io
    import zipfile

    data = archive.zip_bytes(FILES, date(2026, 6, 30))
    with zipfile.ZipFile(io.BytesIO(data)) as opened:
        infos = opened.infolist()
    assert [i.filename for i in infos] == sorted(FILES)
    assert {i.date_time for i in infos} == {(2026, 6, 30, 0, 0, 0)}
    assert archive.normalize_zip(data, date(2026, 6, 30)) == data
