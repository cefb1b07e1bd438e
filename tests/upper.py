"""A knowledge base numbered the way IT service organizations number records: in capitals.

It is the bundled sample's two services without seeded errors (svc-desktop, svc-appmaint),
with every record id written in upper case (``RV-DESKTOP-2025-06``) and a few in the shapes
organizations use (``CHG-2025-001``, ``SR-2026-01``, ``MIN-2025-01``); file names follow the
ids. References are rewritten the same way, so it must check exactly as the sample does.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SERVICES = ("svc-desktop", "svc-appmaint")

#: Ids given an organization's own number rather than the upper-cased sample id.
RENAMED = {
    "ch-desktop-2025-01": "CHG-2025-001",
    "rq-appmaint-2026-01": "SR-2026-01",
    "mn-desktop-2025-06": "MIN-2025-01",
}

_ID = re.compile(r"\b(?:svc|rv|mn|mr|sv|cp|ch|rq|ac)-(?:desktop|appmaint)(?:[-.][a-z0-9]+)*")


def upper(text: str) -> str:
    """``text`` with every record id of the two services in its upper-case form."""
    return _ID.sub(lambda m: RENAMED.get(m[0], m[0].upper()), text)


def write(root: Path, *, transform: bool = True) -> Path:
    """The two services under ``root`` (ids in capitals unless ``transform`` is false)."""
    change = upper if transform else str
    shutil.copyfile(REPO / "policy.yml", root / "policy.yml")
    for service in SERVICES:
        for source in sorted((REPO / "records" / service).rglob("*")):
            if not source.is_file():
                continue
            rel = source.relative_to(REPO)
            target = root / (change(rel.with_suffix("").as_posix()) + rel.suffix)
            target.parent.mkdir(parents=True, exist_ok=True)
            if source.suffix == ".md":
                text = source.read_text(encoding="utf-8")
                target.write_text(change(text), encoding="utf-8", newline="\n")
            else:
                shutil.copyfile(source, target)
    return root
