"""Record bodies rendered as the site renders them, outside a build (tests and benchmarks).

The Markdown settings are the site's own: ``markdown_extensions`` of mkdocs.yml, read with
MkDocs' YAML loader, after the extensions MkDocs always adds. The core never renders Markdown
(it imports no site generator); this is what the hooks hand to ``brmkb.sanitize``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import markdown
from mkdocs.utils.yaml import yaml_load

#: Extensions MkDocs adds to every configuration (``markdown_extensions`` builtins).
BUILTINS = ("toc", "tables", "fenced_code")


def extensions(root: Path) -> tuple[list[str], dict[str, Any]]:
    """Extension names and configurations, as MkDocs reads ``markdown_extensions``."""
    with open(root / "mkdocs.yml", encoding="utf-8") as handle:
        configured = (yaml_load(handle) or {}).get("markdown_extensions") or []
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


def renderer(root: Path) -> Callable[[str], str]:
    """Markdown to HTML with the settings of the site at ``root``."""
    names, configs = extensions(root)

    def render(text: str) -> str:
        return markdown.Markdown(extensions=names, extension_configs=configs).convert(text)

    return render
