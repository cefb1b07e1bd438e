"""The one diagnostic type that every front end renders."""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from enum import StrEnum


class Severity(StrEnum):
    """How much a finding matters; only unwaived errors fail the gate."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def rank(self) -> int:
        return _RANKS[self]


_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
_RANKS = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem at a place: the contract that CI scripts and outside tools parse."""

    rule: str
    clause: str | None
    severity: Severity
    path: str
    line: int | None
    message: str
    waived: str | None = None
    service: str | None = None
    record: str | None = None

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR and self.waived is None

    def sort_key(self) -> tuple:
        return (self.path, self.line or 0, self.severity.rank, self.rule, self.message)

    def with_waiver(self, waiver_id: str) -> Finding:
        return replace(self, waived=waiver_id)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data
