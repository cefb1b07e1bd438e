"""An iCalendar (RFC 5545) feed of what falls due: reviews, surveys and open action items.

One all-day event per obligation from ``brmkb.schedule.upcoming``, so people can subscribe
in Outlook or any calendar. The output is deterministic: DTSTAMP is the as-of date, UIDs are
derived from the obligation, and the order is the schedule's. Lines end with CRLF and are
folded at 75 octets without splitting a UTF-8 character; TEXT values escape ``\\ ; ,`` and
line breaks.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from brmkb.model import KnowledgeBase
from brmkb.registry import get
from brmkb.schedule import Due, upcoming

if TYPE_CHECKING:
    from brmkb.engine import Report

PRODID = "-//brmkb//业务关系管理知识库//ZH"
LIMIT = 75  # octets per line, CRLF excluded (RFC 5545 3.1)

#: Calendar category of each obligation, by the rule that watches it.
CATEGORIES = {
    "review-frequency": "服务评审",
    "annual-review": "服务评审",
    "survey-cadence": "客户满意度调查",
    "action-tracking": "行动项",
    "agreed-revisions": "行动项",
}
_ACTIONS = {"action-tracking", "agreed-revisions"}


#: Control characters a TEXT value may not hold (RFC 5545 3.1: all but tab); a record can carry
#: them (YAML's ``"\\x1b"``), and a calendar program may refuse the whole feed for one.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")
    return _CONTROLS.sub("\ufffd", value)


def fold(line: str) -> str:
    """Fold a content line into lines of at most 75 octets, each continuation led by a space."""
    if len(line.encode("utf-8")) <= LIMIT:  # most lines: as they are
        return line
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LIMIT:
            parts.append(current)
            current, size = " ", 1
        current += char
        size += width
    parts.append(current)
    return "\r\n".join(parts)


def _day(value: date) -> str:
    return value.strftime("%Y%m%d")


def uid(item: Due) -> str:
    """Stable for the same obligation and due date, so a refresh updates rather than duplicates."""
    digest = hashlib.sha1(f"{item.what}\0{item.record or ''}".encode()).hexdigest()[:10]
    return f"{item.rule}.{item.service or 'kb'}.{_day(item.due)}.{digest}@brmkb"


def _service_name(kb: KnowledgeBase, service: str) -> str:
    record = kb.by_id.get(service)
    return str(record.get("name") or record.title) if record is not None else service


def _event(report: Report, item: Due) -> list[str]:
    name = _service_name(report.kb, item.service) if item.service else "（未归属服务项目）"
    status = f"已逾期 {-item.days_left} 天" if item.overdue else f"还剩 {item.days_left} 天"
    try:
        clause = get(item.rule).clause
    except KeyError:
        clause = None
    clause = f"（条款 {clause}）" if clause else ""
    description = [
        f"服务项目：{name}（{item.service}）" if item.service else f"服务项目：{name}",
        f"事项：{item.what}",
        f"截止日期：{item.due.isoformat()}",
        f"截至 {report.as_of.isoformat()}：{status}",
        f"规则：{item.rule}{clause}",
    ]
    if item.planned:
        description.append(f"已安排：{item.planned.isoformat()}（计划中，召开后才算完成）")
    if item.record:
        description.append(f"记录：{item.record}")
    what = item.what if item.rule in _ACTIONS else f"{item.what}截止 · {name}"
    summary = ("【已逾期】" if item.overdue else "") + what
    category = CATEGORIES.get(item.rule, "到期事项")
    return [
        "BEGIN:VEVENT",
        f"UID:{uid(item)}",
        f"DTSTAMP:{_day(report.as_of)}T000000Z",
        f"DTSTART;VALUE=DATE:{_day(item.due)}",
        f"DTEND;VALUE=DATE:{_day(item.due + timedelta(days=1))}",
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"CATEGORIES:{escape_text('业务关系管理')},{escape_text(category)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar(report: Report, service: str | None = None) -> bytes:
    """The feed of every service, or of one service; UTF-8 bytes with CRLF line ends."""
    items = upcoming(report.kb, report.policy, report.as_of, service)
    if service is not None:
        name = f"业务关系管理到期事项 · {_service_name(report.kb, service)}"
    else:
        name = "业务关系管理到期事项"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for item in items:
        lines.extend(_event(report, item))
    lines.append("END:VCALENDAR")
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
