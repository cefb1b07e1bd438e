"""The pack's manifest, checksums and zip file, byte for byte the same for the same input.

Every entry gets the check date as its time stamp and fixed permissions, entries are
sorted, and ``SHA256SUMS`` is in the format of GNU ``sha256sum`` so that an auditor can run
``sha256sum -c SHA256SUMS`` in the unpacked folder.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from datetime import date
from pathlib import Path

SUMS = "SHA256SUMS"
MANIFEST = "pack.json"


def collect(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its POSIX path relative to it."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def manifest(data: Mapping[str, object]) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def checksums(files: Mapping[str, bytes]) -> bytes:
    """``sha256sum`` lines for every file but the sums themselves, by path."""
    lines = []
    for name in sorted(files):
        if name == SUMS:
            continue
        digest = hashlib.sha256(files[name]).hexdigest()
        if "\\" in name or "\n" in name:  # GNU escapes these and marks the line with "\"
            escaped = name.replace("\\", "\\\\").replace("\n", "\\n")
            lines.append(f"\\{digest}  {escaped}\n")
        else:
            lines.append(f"{digest}  {name}\n")
    return "".join(lines).encode()


def zip_bytes(files: Mapping[str, bytes], when: date) -> bytes:
    """A zip of ``files`` in path order, every entry stamped ``when`` (midnight)."""
    stamp = (max(when.year, 1980), when.month, when.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, so that the permissions below are read
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name], compresslevel=9)
    return out.getvalue()


def normalize_zip(data: bytes, when: date) -> bytes:
    """The same zip (an .xlsx) rewritten with fixed time stamps and order."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return zip_bytes(files, when)
