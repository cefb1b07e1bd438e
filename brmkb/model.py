"""The loaded knowledge base: records, their sections, and the indexes rules look things up in."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any

from brmkb import yamlio
from brmkb.schema import id_key

_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NUMBERING = re.compile(r"^[\d.、一二三四五六七八九十（）()\s]+")


@dataclass(frozen=True, slots=True)
class Section:
    """A Markdown heading and the text under it, its subsections included (up to the next
    heading of the same or a higher level)."""

    title: str
    level: int
    line: int
    content: str

    @property
    def key(self) -> str:
        return normalize_heading(self.title)

    @property
    def has_content(self) -> bool:
        """True when text other than blanks, HTML comments and subheadings stands under it."""
        return bool(_HEADING.sub("", _COMMENT.sub("", self.content)).strip())


def normalize_heading(title: str) -> str:
    """Heading text without numbering, spaces and trailing punctuation, for matching."""
    text = _NUMBERING.sub("", title.strip())
    return re.sub(r"[\s：:。]", "", text)


@dataclass(eq=False)
class Record:
    """One valid record file; ``data`` has dates as ``date`` objects."""

    path: Path
    rel: str
    data: dict[str, Any]
    yaml_text: str
    body: str
    body_line: int
    _lines: dict[tuple, int | None] = field(default_factory=dict, repr=False)

    @property
    def kind(self) -> str:
        return self.data["kind"]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def service_id(self) -> str | None:
        return self.id if self.kind == "service" else self.data.get("service")

    @property
    def date(self) -> date | None:
        return self.data.get("date")

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @cached_property
    def title(self) -> str:
        if title := self.data.get("title"):
            return str(title)
        for section in self.sections:
            if section.level == 1:
                return section.title
        return self.id

    @cached_property
    def sections(self) -> list[Section]:
        body = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), self.body)
        heads = list(_HEADING.finditer(body))
        sections = []
        for index, head in enumerate(heads):
            level = len(head[1])
            end = next((h.start() for h in heads[index + 1 :] if len(h[1]) <= level), len(body))
            line = self.body_line + body.count("\n", 0, head.start())
            sections.append(Section(head[2], level, line, body[head.end() : end]))
        return sections

    def line_of(self, path: Sequence[str | int] = ()) -> int | None:
        """The file line of a front-matter key path; 1 (the record's start) for the record itself."""
        key = tuple(path)
        if not key:
            return 1
        if key not in self._lines:
            self._lines[key] = yamlio.key_line(self.yaml_text, key, first_line=2)
        return self._lines[key]


class KnowledgeBase:
    """All valid records, indexed once so that every rule runs in linear time."""

    def __init__(self, root: Path, records: Iterable[Record], known_ids: dict[str, str]) -> None:
        self.root = root
        self.records = list(records)
        #: Every id seen, valid or not, with its path: references to a broken record still resolve.
        self.known_ids = known_ids
        self.by_id = {record.id: record for record in self.records}
        self._by_service: dict[tuple[str | None, str], list[Record]] = defaultdict(list)
        for record in self.records:
            self._by_service[(self.service_of(record), record.kind)].append(record)
        for group in self._by_service.values():
            group.sort(key=_chronological)

    def same_but_case(self, value: str) -> str | None:
        """The known id that ``value`` matches only if case is ignored: references are matched
        exactly as written, so ``chg-2025-001`` does not find ``CHG-2025-001``, but can say so."""
        return self._by_key.get(id_key(value))

    @cached_property
    def _by_key(self) -> dict[str, str]:
        return {id_key(record_id): record_id for record_id in self.known_ids}

    @cached_property
    def services(self) -> list[Record]:
        return sorted(self.of_kind("service"), key=lambda r: r.id)

    def of_kind(self, kind: str) -> list[Record]:
        """Records of ``kind`` in path order."""
        return self._by_kind.get(kind, [])

    @cached_property
    def _by_kind(self) -> dict[str, list[Record]]:
        index: dict[str, list[Record]] = defaultdict(list)
        for record in sorted(self.records, key=lambda r: r.rel):
            index[record.kind].append(record)
        return dict(index)

    def of(self, service: str, kind: str) -> list[Record]:
        """Records of ``kind`` belonging to ``service``, oldest first."""
        return self._by_service.get((service, kind), [])

    @cached_property
    def minutes_by_review(self) -> dict[str, list[Record]]:
        index: dict[str, list[Record]] = defaultdict(list)
        for record in self.of_kind("minutes"):
            index[record["review"]].append(record)
        return dict(index)

    def service_of(self, record: Record) -> str | None:
        """The service a record belongs to, following minutes to their review."""
        if record.kind == "minutes":
            review = self.by_id.get(record["review"])
            return review.service_id if review else None
        return record.service_id


def _chronological(record: Record) -> tuple:
    when = (
        record.get("date") or record.get("received") or record.get("month") or record.get("start")
    )
    return (str(when or ""), record.id)
