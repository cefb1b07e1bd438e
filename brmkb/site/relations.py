"""Links between records, both ways: read once from the schema's ``x-ref`` declarations.

A minutes page links to its review and the review lists its minutes; a change lists the
reviews held for it; a survey or complaint lists the actions that address it, and so on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from brmkb.model import KnowledgeBase, Record
from brmkb.schema import INPUTS, KINDS, Schema

#: Review inputs that may name records by id (the others are documents).
_INPUT_KINDS = {"monthly_reports": "monthly-report"}


@dataclass(frozen=True, slots=True)
class Ref:
    """``source`` refers to ``target`` through the field ``path`` (labelled ``label``)."""

    source: Record
    target: Record
    path: tuple[str | int, ...]
    label: str


@dataclass(frozen=True, slots=True)
class Action:
    """One action item of a set of minutes, with the records it points to."""

    minutes: Record
    index: int
    data: dict[str, Any]

    @property
    def id(self) -> str:
        return self.data["id"]

    @property
    def open(self) -> bool:
        return self.data["status"] == "open"


class Relations:
    """Every resolved reference of the knowledge base, indexed by source and by target."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.outgoing: dict[str, list[Ref]] = defaultdict(list)
        self.incoming: dict[str, list[Ref]] = defaultdict(list)
        self.actions: list[Action] = []
        self.actions_for: dict[str, list[Action]] = defaultdict(list)
        self.actions_of: dict[str, list[Action]] = defaultdict(list)
        schemas = {name: kind.schema for name, kind in KINDS.items()}
        for record in kb.records:
            schema = schemas[record.kind]
            for path, value, label in _refs(schema, record.data, (), schema.get("title", "")):
                target = kb.by_id.get(value)
                if target is not None and target is not record:
                    ref = Ref(record, target, path, label)
                    self.outgoing[record.id].append(ref)
                    self.incoming[target.id].append(ref)
            for key, value in (record.get("inputs") or {}).items():
                for index, item in enumerate(value if isinstance(value, list) else [value]):
                    target = kb.by_id.get(item) if isinstance(item, str) else None
                    if target is not None and target.kind == _INPUT_KINDS.get(key):
                        ref = Ref(
                            record, target, ("inputs", key, index), f"评审输入：{INPUTS[key]}"
                        )
                        self.outgoing[record.id].append(ref)
                        self.incoming[target.id].append(ref)
            for index, action in enumerate(record.get("actions") or []):
                item = Action(record, index, action)
                self.actions.append(item)
                self.actions_of[record.id].append(item)
                if action.get("addresses"):
                    self.actions_for[action["addresses"]].append(item)
        self.actions.sort(key=lambda a: (a.data["due"], a.minutes.id, a.id))
        for group in self.actions_of.values():
            group.sort(key=lambda a: (a.data["due"], a.id))

    @cached_property
    def open_by_service(self) -> dict[str | None, list[Action]]:
        """Open actions per service, by due date."""
        index: dict[str | None, list[Action]] = defaultdict(list)
        for action in self.actions:
            if action.open:
                index[self.kb.service_of(action.minutes)].append(action)
        return index

    def service_name(self, service_id: str | None) -> str:
        service = self.kb.by_id.get(service_id or "")
        return str(service.get("name") or service.title) if service is not None else ""


def _refs(schema: Schema, value: Any, path: tuple, label: str) -> Iterator[tuple[tuple, str, str]]:
    if "x-ref" in schema and isinstance(value, str):
        yield path, value, schema.get("title", label)
    elif isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key in schema["properties"]:
                yield from _refs(schema["properties"][key], item, (*path, key), label)
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _refs(schema["items"], item, (*path, index), schema.get("title", label))
