"""The loaded knowledge base: records, their sections, and the indexes rules look things up in."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

from brmkb import markdown_scan, yamlio
from brmkb.prompts import PLACEHOLDERS, is_blank
from brmkb.schema import id_key

_T = TypeVar("_T")
_NUMBERING = re.compile(r"^[\d.、一二三四五六七八九十（）()\s]+")
_SPACES_AND_STOPS = re.compile(r"[\s：:。]")


class Section(NamedTuple):
    """A Markdown heading and the text under it, its subsections included (up to the next
    heading of the same or a higher level). A tuple: a check builds tens of thousands."""

    title: str
    level: int
    line: int
    content: str
    #: Whether subheadings stand under it (a section with subsections is not empty).
    nested: bool = False

    @property
    def key(self) -> str:
        return normalize_heading(self.title)

    def has_text(self, placeholders: Collection[str] = PLACEHOLDERS) -> bool:
        """True when text other than blanks, HTML comments, subheadings and placeholder words
        stands under it (in it or in its subsections)."""
        return not is_blank(self.content, placeholders)


def _extents(heads: Sequence[markdown_scan.Heading], size: int) -> list[tuple[int, bool]]:
    """For each heading, where its section ends (the next heading of the same or a higher
    level, else ``size``) and whether subheadings stand inside it; one pass with a stack."""
    extents: list[tuple[int, bool]] = [(size, False)] * len(heads)
    open_: list[int] = []
    for index, head in enumerate(heads):
        while open_ and heads[open_[-1]].level >= head.level:
            closed = open_.pop()
            extents[closed] = (head.start, index > closed + 1)
        open_.append(index)
    for closed in open_:
        extents[closed] = (size, closed + 1 < len(heads))
    return extents


def _sections(body: str, first_line: int) -> list[Section]:
    """The sections of a body that starts on file line ``first_line``. Code blocks are blanked
    out (offsets kept) so that a "# comment" in one is no heading; lines are counted
    incrementally, linear in the body. A section's content holds its setext subheadings as
    ``#`` lines, which count as no text, as ATX subheadings do."""
    heads = markdown_scan.headings(markdown_scan.blank_code(body))
    text = markdown_scan.without_setext(body, heads)
    sections = []
    line, counted = first_line, 0
    for head, (end, nested) in zip(heads, _extents(heads, len(body)), strict=True):
        line += body.count("\n", counted, head.start)
        counted = head.start
        # tuple.__new__ skips the Python-level __new__ of a NamedTuple: tens of thousands here
        sections.append(
            _tuple(Section, (head.title, head.level, line, text[head.end : end], nested))
        )
    return sections


_tuple = tuple.__new__


def normalize_heading(title: str) -> str:
    """Heading text without numbering, spaces and trailing punctuation, for matching."""
    text = _NUMBERING.sub("", title.strip())
    return _SPACES_AND_STOPS.sub("", text)


class Record:
    """One valid record file; ``data`` has dates as ``date`` objects.

    A class with slots, its kind, id, service and date plain attributes read from ``data``
    once: the rules read them hundreds of thousands of times in a check, where a property
    costs a call each time. The sections are found when a rule first asks.
    """

    __slots__ = (
        "_lines",
        "_path",
        "_sections",
        "_title",
        "body",
        "body_line",
        "data",
        "date",
        "file",
        "id",
        "kind",
        "rel",
        "service_id",
        "yaml_text",
    )

    def __init__(
        self,
        file: str | Path,
        rel: str,
        data: dict[str, Any],
        yaml_text: str,
        body: str,
        body_line: int,
    ) -> None:
        #: Where the file is: a ``Path`` is made only when a rule asks (few do, for few records).
        self.file = file
        self.rel = rel
        self.data = data
        self.yaml_text = yaml_text
        self.body = body
        self.body_line = body_line
        self.kind: str = data["kind"]
        self.id: str = data["id"]
        self.service_id: str | None = self.id if self.kind == "service" else data.get("service")
        self.date: date | None = data.get("date")
        self._lines: dict[tuple, int | None] = {}
        self._sections: list[Section] | None = None
        self._title: str | None = None
        self._path: Path | None = None

    def __repr__(self) -> str:
        return f"Record({self.rel!r}, kind={self.kind!r}, id={self.id!r})"

    @property
    def path(self) -> Path:
        if self._path is None:
            self._path = Path(self.file)
        return self._path

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def title(self) -> str:
        if self._title is None:
            self._title = self._find_title()
        return self._title

    def _find_title(self) -> str:
        if title := self.data.get("title"):
            return str(title)
        for section in self.sections:
            if section.level == 1:
                return section.title
        return self.id

    @property
    def sections(self) -> list[Section]:
        if self._sections is None:
            self._sections = _sections(self.body, self.body_line)
        return self._sections

    @property
    def end_line(self) -> int:
        """The file line of the body's last written line, where a missing section would go
        (the front matter's closing ``---`` when the body is empty)."""
        written = self.body.rstrip()
        if not written.strip():
            return self.body_line - 1
        return self.body_line + written.count("\n")

    @property
    def title_line(self) -> int:
        """The file line of the body's first heading (the body's end when it has none)."""
        return self.sections[0].line if self.sections else self.end_line

    def line_of(self, path: Sequence[str | int] = ()) -> int | None:
        """The file line of a front-matter key path; 1 (the record's start) for the record itself."""
        key = tuple(path)
        if not key:
            return 1
        if key not in self._lines:
            self._lines[key] = yamlio.key_line(self.yaml_text, key, first_line=2)
        return self._lines[key]


@dataclass(frozen=True, slots=True)
class Broken:
    """A record with format errors (reported as findings), as far as it could still be read.

    ``fields`` holds the top-level values that were readable: its kind, service, date and
    the ids it refers to. Rules that only ask whether a record exists (the minutes of a
    review, the reviews of a change) see it, and say "it has format errors, fix it first"
    where they would need what could not be read.
    """

    id: str
    rel: str
    line: int | None
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str | None:
        return self.fields.get("kind")

    @property
    def date(self) -> date | None:
        return self.fields.get("date")

    def get(self, key: str) -> Any:
        return self.fields.get(key)

    @property
    def broken_note(self) -> str:
        """The words findings use for it."""
        return f"{self.id}（{self.rel}）有格式错误，请先修正"


class KnowledgeBase:
    """All valid records, indexed once so that every rule runs in linear time."""

    def __init__(
        self,
        root: Path,
        records: Iterable[Record],
        known_ids: dict[str, str],
        broken: Iterable[Broken] = (),
        files: int | None = None,
    ) -> None:
        self.root = root
        self.records = list(records)
        #: Every id seen, valid or not, with its path: references to a broken record still resolve.
        self.known_ids = known_ids
        #: Records with format errors whose id could be read, by id.
        self.broken = {record.id: record for record in broken}
        #: How many record files were read (valid, broken, or unreadable).
        self.files = len(self.records) + len(self.broken) if files is None else files
        self.by_id = {record.id: record for record in self.records}
        self._by_service: dict[tuple[str | None, str], list[Record]] = defaultdict(list)
        for record in self.records:
            self._by_service[(self.service_of(record), record.kind)].append(record)
        for group in self._by_service.values():
            group.sort(key=_chronological)
        self._derived: dict[Hashable, Any] = {}

    def derived(self, key: Hashable, compute: Callable[[], _T]) -> _T:
        """``compute()``, once per knowledge base and ``key``: what several rules derive from
        the same records (the result is shared, never changed)."""
        if key not in self._derived:
            self._derived[key] = compute()
        return self._derived[key]

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
        """The service a record belongs to, following minutes to their review (even one
        with format errors, when its service could be read)."""
        if record.kind == "minutes":
            review = self.by_id.get(record["review"])
            if review is not None:
                return review.service_id
            broken = self.broken.get(record["review"])
            return broken.get("service") if broken else None
        return record.service_id

    def meeting_day(self, minutes: Record) -> date:
        """The day a meeting recorded in ``minutes`` was held: that of its review (minutes may
        be written a few days later), or the minutes' own date when the review cannot be read."""
        review = self.by_id.get(minutes["review"])
        return review.date if review is not None and review.date is not None else minutes.date

    def broken_note(self, service: str, kind: str, after: date, until: date) -> str:
        """A note for a finding that something is missing between ``after`` and ``until``,
        when a broken record of ``kind`` of the service may be it (its date is in that
        span, or unreadable): fix it first, rather than write it again."""
        found = [
            record
            for record in self.broken_referring(kind, "service", service)
            if record.date is None or after < record.date <= until
        ]
        return f"（{found[0].broken_note}，可能就是它；修正后再核对）" if found else ""

    def broken_referring(self, kind: str, key: str, target: str) -> list[Broken]:
        """Broken records of ``kind`` (or of unreadable kind) whose ``key`` names ``target``."""
        found = self._broken_refs.get((key, target), [])
        return [record for record in found if record.kind in (kind, None)]

    @cached_property
    def _broken_refs(self) -> dict[tuple[str, str], list[Broken]]:
        index: dict[tuple[str, str], list[Broken]] = defaultdict(list)
        for record in self.broken.values():
            for key, value in record.fields.items():
                if isinstance(value, str):
                    index[(key, value)].append(record)
        return dict(index)


def _chronological(record: Record) -> tuple:
    data = record.data
    when = data.get("date") or data.get("received") or data.get("month") or data.get("start")
    return (str(when or ""), record.id)
