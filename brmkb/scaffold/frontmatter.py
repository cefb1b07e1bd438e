"""Front matter written the way people write it, not the way a YAML dumper does.

Short values and lists stay on the key's line, and a comment follows the value where the
author has work to do; whole commented-out lines offer what is optional or to be checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from brmkb.yamlio import flow

#: A front-matter line: key, value, and the comment after it (None: none).
Field = tuple[str, Any, str | None]


class FrontMatter:
    """Front-matter lines built key by key, with comments where the author has work to do."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    @classmethod
    def of(cls, fields: Iterable[Field]) -> FrontMatter:
        """One line per field, in order."""
        front = cls()
        for key, value, comment in fields:
            front.add(key, value, comment)
        return front

    def add(self, key: str, value: Any, comment: str | None = None, indent: int = 0) -> None:
        pad = " " * indent
        if isinstance(value, dict) and value:
            self.lines.append(f"{pad}{key}:" + (f"  # {comment}" if comment else ""))
            for sub, item in value.items():
                self.add(sub, item, indent=indent + 2)
            return
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            self.lines.append(f"{pad}{key}:" + (f"  # {comment}" if comment else ""))
            self.lines.extend(f"{pad}  - {flow(item)}" for item in value)
            return
        self.lines.append(f"{pad}{key}: {flow(value)}" + (f"  # {comment}" if comment else ""))

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(" " * indent + "# " + text)

    def text(self) -> str:
        return "---\n" + "\n".join(self.lines) + "\n---\n"
