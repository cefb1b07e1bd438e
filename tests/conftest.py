"""Shared helpers: a knowledge base written into tmp_path, record builders, and assertions.

A test states only what it varies::

    root = kb({"records/svc-x/service.md": service(start="2025-01-01")})
    assert_findings(run(root, "2026-11-26", "review-frequency"), [
        ("review-frequency", "records/svc-x/service.md", line_of(service(), "start")),
    ])
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from brmkb import engine
from brmkb.cli import main
from brmkb.findings import Finding
from brmkb.registry import get
from brmkb.yamlio import flow

#: The as-of date most tests use; always fixed, never the clock.
AS_OF = "2026-11-26"

SERVICE = "records/svc-x/service.md"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "browser: end-to-end tests in headless Chromium")


# --- writing a knowledge base -------------------------------------------------------------


def write_kb(root: Path, files: dict[str, str | bytes]) -> Path:
    """Write ``{relative path: text or bytes}`` under ``root`` (with a records/ folder)."""
    (root / "records").mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8", newline="\n")
    return root


@pytest.fixture
def kb(tmp_path: Path) -> Callable[[dict[str, str | bytes]], Path]:
    """Write ``{relative path: text or bytes}`` under a fresh root and return the root."""
    return lambda files: write_kb(tmp_path, files)


# --- building records ---------------------------------------------------------------------


def record(kind: str, id: str, body: str = "", **fields: Any) -> str:
    """A record file: front matter (keys in the given order; ``None`` drops a key) and a body.

    Each key is on its own line; lists of plain values are written inline (``[a, b]``), lists
    of mappings one item per line (``- {name: 张三, party: internal}``), mappings as blocks
    (nested mappings of plain values inline: ``service_contract: {external: DOC-1}``).
    """
    front = {"kind": kind, "id": id, **{k: v for k, v in fields.items() if v is not None}}
    return f"---\n{_block(front, 0)}---\n\n{body}"


def _block(mapping: dict[str, Any], indent: int) -> str:
    pad = " " * indent
    out = ""
    for key, value in mapping.items():
        if isinstance(value, dict) and value and (indent == 0 or not _flat(value)):
            out += f"{pad}{key}:\n{_block(value, indent + 2)}"
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            out += f"{pad}{key}:\n" + "".join(f"{pad}  - {flow(v)}\n" for v in value)
        else:
            out += f"{pad}{key}: {flow(value)}\n"
    return out


def _flat(mapping: dict[str, Any]) -> bool:
    return not any(isinstance(v, dict | list) for v in mapping.values())


def service(id: str = "svc-x", start: str = "2025-01-01", **fields: Any) -> str:
    defaults = {
        "name": "测试服务",
        "customer": "甲方公司",
        "project_manager": "张三",
        "start": start,
    }
    return record("service", id, f"# {id}\n", **{**defaults, **fields})


def attendee(name: str, org: str, party: str, dept: str | None = None) -> dict[str, str]:
    person = {"name": name, "org": org, "party": party}
    if dept:
        person["dept"] = dept
    return person


#: The parties every review needs by default (3.1.2): an internal department and the customer.
STAFF = attendee("张三", "乙方公司", "internal", "服务部")
CUSTOMER = attendee("李四", "甲方公司", "customer")

#: Body sections each review type requires by default: the review-sections rule's own default.
SECTIONS: dict[str, list[str]] = get("review-sections").options["required"]


def external(number: str = "DOC-1", version: str = "1.0") -> dict[str, str]:
    return {"external": number, "version": version}


#: The five inputs of an annual review (3.1.5), all kept in an outside document system.
ALL_INPUTS = {
    key: external(f"DOC-{n}")
    for n, key in enumerate(
        ["service_contract", "project_plan", "project_schedule", "project_summary"], 1
    )
} | {"monthly_reports": [external("MR-2026")]}


def sections(*titles: str, text: str = "已讨论。") -> str:
    return "".join(f"## {title}\n\n{text}\n\n" for title in titles)


def review(
    id: str = "rv-x-1",
    date: str = "2025-06-01",
    type: str = "periodic",
    service: str = "svc-x",
    body: str | None = None,
    **fields: Any,
) -> str:
    """A review that passes every rule for its type unless a field says otherwise."""
    extra: dict[str, Any] = {}
    if type == "annual":
        extra["inputs"] = ALL_INPUTS
    elif type == "additional":
        extra.update(change="ch-x-1", phase="before")
    elif type == "adhoc":
        extra["request"] = "rq-x-1"
    fields = {
        "service": service,
        "type": type,
        "date": date,
        "organizer": "张三",
        "organizer_dept": "服务部",
        **extra,
        **fields,
    }
    if body is None:
        phase = fields.get("phase")
        titles = SECTIONS.get(type, []) + SECTIONS.get(f"{type}:{phase}", [])
        body = f"# {id}\n\n" + (sections(*titles) if titles else "评审情况良好。\n")
    return record("review", id, body, **fields)


def minutes(
    id: str = "mn-x-1",
    review: str = "rv-x-1",
    date: str = "2025-06-01",
    attendees: list[dict[str, str]] | None = None,
    **fields: Any,
) -> str:
    defaults: dict[str, Any] = {
        "review": review,
        "date": date,
        "attendees": attendees if attendees is not None else [STAFF, CUSTOMER],
        "distribution": ["服务部"],
    }
    return record("minutes", id, f"# {id}\n\n各方通报了服务情况。\n", **{**defaults, **fields})


def change(id: str = "ch-x-1", date: str = "2026-03-01", **fields: Any) -> str:
    """A major contract change of svc-x."""
    defaults = {"service": "svc-x", "date": date, "major": True, "summary": "扩容"}
    return record("change", id, "# 变更\n", **{**defaults, **fields})


def monthly(id: str, month: str, service: str = "svc-x", **fields: Any) -> str:
    body = f"# {id}\n\n本月服务运行正常。\n"
    return record("monthly-report", id, body, service=service, month=month, **fields)


# --- running and asserting ----------------------------------------------------------------


def as_date(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def run(root: Path, as_of: str | date = AS_OF, rules: str | Iterable[str] | None = None) -> list:
    """Findings of ``brmkb.engine.run``, optionally only those of the given rule id(s)."""
    findings = engine.run(root, as_date(as_of)).findings
    if rules is None:
        return findings
    wanted = {rules} if isinstance(rules, str) else set(rules)
    return [f for f in findings if f.rule in wanted]


def assert_findings(
    findings: list[Finding], expected: Iterable[tuple[str, str, int | None]]
) -> list[Finding]:
    """Findings are exactly the expected ``(rule, path, line)`` triples (in any order).

    Returns the findings in the expected order, so a test can go on to check messages.
    """
    expected = list(expected)
    got = [(f.rule, f.path, f.line) for f in findings]
    assert sorted(got, key=str) == sorted(expected, key=str), "\n".join(
        f"{f.path}:{f.line}: {f.severity} [{f.rule}] {f.message}" for f in findings
    )
    remaining = list(findings)
    ordered = []
    for triple in expected:
        match = next(f for f in remaining if (f.rule, f.path, f.line) == triple)
        remaining.remove(match)
        ordered.append(match)
    return ordered


def end_of(text: str) -> int:
    """1-based line of the last written line of a record text (where a missing section goes)."""
    return len(text.rstrip().splitlines())


def heading_line(text: str, heading: str) -> int:
    """1-based line of the Markdown heading line ``heading`` (e.g. ``## 进展``) in a text."""
    return text.splitlines().index(heading) + 1


def line_of(text: str, key: str, nth: int = 1) -> int:
    """1-based line of the ``nth`` line that starts with ``key:`` (or ``- key:``) in a text."""
    pattern = re.compile(rf"^\s*(?:-\s+)?{re.escape(key)}:", re.MULTILINE)
    starts = [m.start() for m in pattern.finditer(text)]
    assert len(starts) >= nth, f"{key}: not found in\n{text}"
    return text.count("\n", 0, starts[nth - 1]) + 1


def format_rules() -> set[str]:
    """Ids of the rules that report a file's form (found while loading)."""
    from brmkb.registry import all_rules

    return {rule.id for rule in all_rules() if rule.is_format}


def only(*rule_ids: str, **options: dict[str, Any]) -> str:
    """A policy.yml that disables every procedure rule except ``rule_ids`` (format rules stay).

    Keeps a test about some rules independent of the rules other people add later;
    ``options`` are per-rule settings, e.g. ``only("review-frequency", **{"review-frequency":
    {"interval_months": 3}})``.
    """
    from brmkb.registry import all_rules

    rules = {}
    for rule in all_rules():
        if rule.is_format:
            continue
        rules[rule.id] = options.get(rule.id, {}) if rule.id in rule_ids else {"enabled": False}
    return yaml.safe_dump({"rules": rules}, allow_unicode=True, sort_keys=False)


def cli(*args: str) -> int:
    """``brmkb`` with ``args``: its exit code, argparse's own usage errors included."""
    try:
        return main(list(args))
    except SystemExit as exit:
        return int(exit.code or 0)
