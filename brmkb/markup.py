"""Record bodies as the site renders them, so that the check can say what will not be published.

The Markdown settings are the site's own: ``markdown_extensions`` of the knowledge base's
mkdocs.yml, read with MkDocs' YAML loader and completed with the extensions MkDocs always adds.
Rendering is the slow part, so only bodies that a linear scan finds something in to remove
(raw HTML, an attribute list, an entity, a URL scheme) are rendered and sanitized.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

from brmkb import formats, sanitize
from brmkb.findings import Finding
from brmkb.model import KnowledgeBase, Record

#: Extensions MkDocs adds to every configuration (``markdown_extensions`` builtins).
BUILTINS = ("toc", "tables", "fenced_code")

#: What a body needs before the sanitizer can remove anything from its HTML: raw HTML or an
#: autolink (``<``), an attribute list (``{``), or a link destination (after ``](`` or
#: ``]:``) that is not http, https or mailto and holds a scheme's colon or a character
#: reference. The scan of a destination is possessive and stops at the next ``]``: linear time.
_SUSPECT = re.compile(
    r"[<{]|\](?:\(|:)[ \t]*(?!(?:https?|mailto):)[^\s)>:&\]]*+[:&]", re.IGNORECASE
)


def suspect(body: str) -> bool:
    """Whether the body's HTML may lose something to the sanitizer (never a false "no": the
    other bodies' HTML holds only what the sanitizer keeps)."""
    return _SUSPECT.search(body) is not None


Render = Callable[[str], str]


@cache
def renderer(root: Path) -> Render | None:
    """Markdown to HTML as the site at ``root`` renders it, or None when the site's Markdown
    stack is not installed or mkdocs.yml cannot be read (the build reports that itself)."""
    try:
        import markdown
        from mkdocs.utils.yaml import yaml_load

        names, configs = extensions(root, yaml_load)
        markdown.Markdown(extensions=names, extension_configs=configs)
    except Exception:
        return None

    def render(text: str) -> str:
        return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)

    return render


def extensions(root: Path, load: Callable[[Any], Any]) -> tuple[list[str], dict[str, Any]]:
    """Extension names and their configurations, as MkDocs reads ``markdown_extensions``
    from mkdocs.yml (a list of names and one-key mappings, or one mapping)."""
    path = root / "mkdocs.yml"
    configured: Any = []
    if path.is_file():
        with open(path, encoding="utf-8") as handle:
            configured = (load(handle) or {}).get("markdown_extensions") or []
    if isinstance(configured, dict):
        configured = [{name: config} for name, config in configured.items()]
    names, configs = list(BUILTINS), {}
    for item in configured:
        name, config = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name not in names:
            names.append(name)
        if config:
            configs[name] = config
    return names, configs


def check(kb: KnowledgeBase) -> Iterator[Finding]:
    """Warnings for bodies whose HTML the site will not publish in full. Without the site's
    Markdown stack the body's own text is sanitized (raw HTML is still found)."""
    render: Render | None = None
    for record in kb.records:
        if not suspect(record.body):
            continue
        render = render or renderer(kb.root.resolve()) or str
        yield from _check(record, render)


def _check(record: Record, render: Render) -> Iterator[Finding]:
    rule = formats.BODY_HTML
    try:
        html = render(record.body)
    except Exception as error:
        yield rule.finding(
            record.rel,
            record.body_line,
            f"正文无法按 Markdown 显示（{type(error).__name__}），站点将把它原样作为纯文本发布；"
            "请减少嵌套层次，或把大段内容拆开。",
            record=record.id,
        )
        return
    lost = sanitize.losses(html, sanitize.clean(html))
    by_line: dict[int, list[str]] = {}
    lines = record.body.lower().split("\n")
    for loss in lost:
        by_line.setdefault(_line_of(lines, loss.needle), []).append(loss.describe())
    for offset, what in sorted(by_line.items()):
        yield rule.finding(
            record.rel,
            record.body_line + offset,
            f"这段 HTML 不会发布：{'、'.join(what)}；站点只发布 Markdown 能写出的内容，"
            "请删除它们或改用 Markdown 写法。",
            record=record.id,
        )


def _line_of(lines: list[str], needle: str) -> int:
    """The first line (0-based, within the body) that holds ``needle``, else the first that
    holds anything suspect."""
    needle = needle.lower()
    for number, line in enumerate(lines):
        if needle in line:
            return number
    for number, line in enumerate(lines):
        if suspect(line):
            return number
    return 0
