"""The context a scaffold is made in: the knowledge base, the policy and what was asked.

It also keeps the ids and paths this run has taken, so that the drafts of one run (a review
and its minutes) never collide with each other or with the knowledge base, and it knows the
conventions every kind's ids and folders follow (``<prefix>-<service without "svc-">-…``).
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from brmkb import policy
from brmkb.model import KnowledgeBase, Record
from brmkb.schema import id_key

#: Sub-folder of a service's folder for each kind (the layout RECORDS.md suggests).
FOLDERS = {
    "review": "reviews",
    "minutes": "minutes",
    "change": "changes",
    "request": "requests",
    "survey": "surveys",
    "complaint": "complaints",
    "monthly-report": "monthly",
}
#: Id prefix of each kind.
PREFIXES = {
    "review": "rv",
    "minutes": "mn",
    "change": "ch",
    "request": "rq",
    "survey": "sv",
    "complaint": "cp",
    "monthly-report": "mr",
    "waiver": "wv",
}


class ScaffoldError(Exception):
    """The record cannot be scaffolded as asked (exit status 2); nothing was written."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A record about to be written: its kind, id, path relative to the root, and text."""

    kind: str
    id: str
    rel: str
    text: str
    #: Something the author should know about this record (printed after it is written)
    note: str = ""


@dataclass(frozen=True)
class Options:
    """What ``brmkb new`` was asked for."""

    kind: str
    service: str
    day: date
    review_type: str = "periodic"
    phase: str | None = None
    change: str | None = None
    request: str | None = None
    review: str | None = None
    month: str | None = None
    minutes: bool = False
    values: dict[str, str] = field(default_factory=dict)


@dataclass
class Context:
    """What a scaffold is made from, and what this run has claimed so far."""

    root: Path
    kb: KnowledgeBase
    policy: policy.Policy
    options: Options
    taken: set[str]  #: ids already used (by ``id_key``), including this run's drafts
    planned: set[str]  #: paths (relative) of drafts planned in this run

    @property
    def service(self) -> Record:
        return self.kb.by_id[self.options.service]

    @property
    def short(self) -> str:
        return short_name(self.options.service)

    @property
    def name(self) -> str:
        """The service's name, which the titles of its records start with."""
        service = self.service
        return str(service.get("name") or service.title)

    def styled(self, record_id: str) -> str:
        """A derived id in the service's style: upper case when its id is (``SVC-HOSTING`` →
        ``RV-HOSTING-2026-11``), as organizations that number records in capitals expect."""
        return record_id.upper() if self.options.service.isupper() else record_id

    def used(self, record_id: str) -> bool:
        """Whether ``record_id`` is taken, whatever its case (ids are unique ignoring case)."""
        return id_key(record_id) in self.taken

    def user(self, record_id: str) -> str:
        """Where a taken id is used."""
        known = self.kb.same_but_case(record_id)
        return self.kb.known_ids[known] if known else "本次新建的另一份记录"

    def folder(self, kind: str) -> str:
        """Where the service keeps records of ``kind``: beside its existing ones, else by convention."""
        existing = self.kb.of(self.options.service, kind)
        if existing:
            return Path(existing[-1].rel).parent.as_posix()
        return (Path(self.service.rel).parent / FOLDERS[kind]).as_posix()

    def free_id(self, base: str, folder: str) -> str:
        """``base``, or ``base-2``, ``base-3`` … whichever is neither an id nor a file yet."""
        base = self.styled(base)
        candidate, number = base, 1
        while self.used(candidate) or self._occupied(f"{folder}/{candidate}.md"):
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def _occupied(self, rel: str) -> bool:
        if rel in self.planned:
            return True
        try:
            os.lstat(self.root / rel)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise ScaffoldError(f"无法在 {rel} 新建文件：{error.strerror}。") from None
        return True

    def sequence_id(self, prefix: str, width: int) -> str:
        """``prefix-NN``: one more than the highest number already used with that prefix."""
        prefix = self.styled(prefix)
        pattern = re.compile(rf"{re.escape(id_key(prefix))}-(\d+)")
        numbers = [int(m[1]) for m in map(pattern.fullmatch, self.taken) if m]
        return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"

    def claim(self, kind: str, record_id: str, rel: str, text: str) -> Draft:
        if self._occupied(rel):
            raise ScaffoldError(
                f"文件 {rel} 已存在，不会覆盖；请核对，或用 --set id=… 指定新的编号。"
            )
        self.taken.add(id_key(record_id))
        self.planned.add(rel)
        return Draft(kind, record_id, rel, text)


def short_name(service_id: str) -> str:
    """The service id without its ``svc-`` prefix (in either case), as used inside other ids."""
    has_prefix = id_key(service_id).startswith("svc-") and len(service_id) > 4
    return service_id[4:] if has_prefix else service_id


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def unknown(what: str, name: str, known: Sequence[str]) -> str:
    """The message for a name that is not there: the likely one meant, else every one known."""
    guess = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    if guess:
        return f"没有{what}“{name}”；是否想写“{guess[0]}”？"
    listed = "、".join(known) if known else "（知识库中还没有）"
    return f"没有{what}“{name}”；可用的有：{listed}。"
