"""The examples of the field guide (字段说明) do what the page says: each note's passing
example passes and its failing example fails, copied as printed into a knowledge base that
holds what the example's comments describe (the review it follows, the change it prepares,
the check date)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from brmkb import fieldnotes
from brmkb.findings import Finding, Severity
from tests.conftest import (
    AS_OF,
    CUSTOMER,
    STAFF,
    change,
    record,
    review,
    run,
    service,
    write_kb,
)

STAFFED = {"organizer": "张三", "organizer_dept": "服务部"}
ATTENDED = {"attendees": [STAFF, CUSTOMER], "distribution": ["服务部"]}


@dataclass(frozen=True)
class Scene:
    """Where a note's example goes: the record it completes (the example's keys replace
    these ``fields``), what else the knowledge base holds, the check date unless the example
    names one (``# 检查日 …``), and the rules whose verdict the note describes."""

    path: str
    fields: dict[str, Any]
    rules: tuple[str, ...]
    files: dict[str, str] = field(default_factory=dict)
    as_of: str = AS_OF


SCENES: dict[str, Scene] = {
    "indicator-history": Scene(
        "records/svc-x/service.md",
        {
            "name": "测试服务",
            "customer": "甲方公司",
            "project_manager": "张三",
            "start": "2025-01-01",
        },
        ("schema", "satisfaction-indicators"),
    ),
    "annual-covers": Scene(
        "records/svc-x/reviews/rv-x-annual.md",
        {"service": "svc-x", **STAFFED},
        ("annual-review",),
        {"records/svc-x/service.md": service(start="2024-01-01")},
        as_of="2025-03-01",
    ),
    "planned": Scene(
        "records/svc-x/reviews/rv-x-next.md",
        {"service": "svc-x", **STAFFED},
        ("review-frequency",),
        {
            "records/svc-x/service.md": service(start="2026-01-01"),
            "records/svc-x/reviews/rv-x-1.md": review(date="2026-06-18"),
        },
    ),
    "additional-window": Scene(
        "records/svc-x/reviews/rv-x-before.md",
        {"service": "svc-x", "change": "ch-x-1", "organizer": "张三", "organizer_dept": "销售部门"},
        ("additional-review", "change-review-organizer"),
        {
            "records/svc-x/service.md": service(),
            "records/svc-x/changes/ch-x-1.md": change(date="2026-07-01"),
        },
        as_of="2026-07-05",  # the window after the change is still open
    ),
    "minutes-date": Scene(
        "records/svc-x/minutes/mn-x-2026-06.md",
        ATTENDED,
        ("review-minutes",),
        {
            "records/svc-x/service.md": service(),
            "records/svc-x/reviews/rv-x-2026-06.md": review("rv-x-2026-06", "2026-06-09"),
        },
    ),
    "report-month": Scene(
        "records/svc-x/monthly/mr-x.md",
        {"service": "svc-x"},
        ("deviation-report",),
        {
            "records/svc-x/service.md": service(
                satisfaction=[{"id": "q", "name": "质量", "target": 4.0}]
            ),
            "records/svc-x/surveys/sv-x-2026h1.md": record(
                "survey",
                "sv-x-2026h1",
                "# 调查\n",
                service="svc-x",
                date="2026-06-09",
                responses=10,
                scores={"q": 3.5},
            ),
        },
    ),
    "received-future": Scene(
        "records/svc-x/complaints/cp-x-1.md",
        {"service": "svc-x", "severity": "low", "status": "open"},
        ("complaint-closure",),
        {"records/svc-x/service.md": service()},
    ),
    "waiver-clause": Scene(
        "records/waivers/wv-x-1.md",
        {},
        ("waiver", "review-sections"),
        {
            "records/svc-x/service.md": service(),
            "records/svc-x/requests/rq-x-1.md": record(
                "request",
                "rq-x-1",
                "# 请求\n",
                service="svc-x",
                date="2026-06-01",
                requested_by="李四",
                subject="进展",
            ),
            "records/svc-x/reviews/rv-x-adhoc.md": review(
                "rv-x-adhoc", "2026-06-05", "adhoc", body="# 临时评审\n\n## 进展\n\n顺利。\n"
            ),
        },
    ),
}


def _examples() -> list[Any]:
    return [
        pytest.param(note.name, example, passes, id=f"{note.name}-{'pass' if passes else 'fail'}")
        for notes in fieldnotes.NOTES.values()
        for note in notes
        for example, passes in ((note.passing, True), (note.failing, False))
    ]


def _kind(name: str) -> str:
    return next(kind for kind, notes in fieldnotes.NOTES.items() if name in {n.name for n in notes})


def test_every_note_has_a_scene() -> None:
    names = {note.name for notes in fieldnotes.NOTES.values() for note in notes}
    assert names == set(SCENES)


@pytest.mark.parametrize(("name", "example", "passes"), _examples())
def test_field_guide_example(tmp_path: Path, name: str, example: str, passes: bool) -> None:
    """The example text goes into the front matter verbatim, as a user would paste it."""
    assert f"```yaml\n{example}\n```" in fieldnotes.markdown(_kind(name))
    scene = SCENES[name]
    named = re.search(r"检查日 (\d{4}-\d{2}-\d{2})", example)
    given = yaml.safe_load(example)
    rest = {key: value for key, value in scene.fields.items() if key not in given}
    record_id = (
        Path(scene.path).parent.name
        if scene.path.endswith("/service.md")
        else Path(scene.path).stem
    )
    written = record(_kind(name), record_id, f"# {record_id}\n\n已讨论。\n", **rest)
    head, _, body = written.removeprefix("---\n").partition("---\n")
    root = write_kb(tmp_path, {**scene.files, scene.path: f"---\n{head}{example}\n---\n{body}"})
    findings = run(root, named.group(1) if named else scene.as_of, scene.rules)
    failed = [f for f in findings if f.severity is not Severity.INFO and f.waived is None]
    assert bool(failed) is not passes, _listing(findings)


def _listing(findings: list[Finding]) -> str:
    return "\n".join(f"{f.path}:{f.line}: {f.severity} [{f.rule}] {f.message}" for f in findings)
