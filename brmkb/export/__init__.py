"""Files for people outside the knowledge base: a calendar feed (.ics) and CSV for Excel.

``files(report)`` names every file and its bytes; ``write(report, folder)`` writes them
(each atomically). ``brmkb export`` and the site's ``hooks/exports.py`` both call ``write``.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from brmkb.export import csv, ics
from brmkb.schema import id_key

if TYPE_CHECKING:
    from brmkb.engine import Report

CALENDAR = "calendar.ics"
FINDINGS_CSV = "findings.csv"
CALENDAR_CSV = "calendar.csv"


def service_calendar(service: str) -> str:
    """File name of one service's calendar feed (lower case, like the service's page)."""
    return f"calendar-{id_key(service)}.ics"


def files(report: Report) -> dict[str, bytes]:
    """Every export file: the whole calendar, one per service, and the two CSV tables."""
    out = {CALENDAR: ics.calendar(report)}
    for service in report.kb.services:
        out[service_calendar(service.id)] = ics.calendar(report, service.id)
    out[FINDINGS_CSV] = csv.findings(report)
    out[CALENDAR_CSV] = csv.calendar(report)
    return out


def write(report: Report, folder: Path) -> list[Path]:
    """Write every export file into ``folder`` (created if needed); returns the paths."""
    return save(files(report), folder)


def save(contents: dict[str, bytes], folder: Path) -> list[Path]:
    """Write ``contents`` (file name → bytes) into ``folder``, each file replaced at once."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in contents.items():
        target = folder / name
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=folder)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        written.append(target)
    return written
