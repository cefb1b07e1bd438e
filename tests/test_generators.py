"""The core never imports the site generator: hooks/ is the only code a new generator changes.

See docs-dev/GENERATORS.md. ``brmkb.site`` renders pages as plain Markdown and HTML; only the
files in hooks/ (shipped to every knowledge base under brmkb/templates/kb) speak to MkDocs.
"""

from __future__ import annotations

import ast
from pathlib import Path

import brmkb

PACKAGE = Path(brmkb.__file__).resolve().parent
GENERATOR_MODULES = {"mkdocs", "material", "properdocs", "zensical", "pymdownx", "markdown"}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.split(".")[0])
    return found


def test_the_package_never_imports_a_site_generator() -> None:
    modules = [p for p in PACKAGE.rglob("*.py") if "templates" not in p.relative_to(PACKAGE).parts]
    assert len(modules) > 30
    offenders = {
        p.relative_to(PACKAGE).as_posix(): sorted(_imports(p) & GENERATOR_MODULES)
        for p in modules
        if _imports(p) & GENERATOR_MODULES
    }
    assert offenders == {}


def test_the_hooks_are_where_the_generator_is_spoken_to() -> None:
    hooks = PACKAGE.parent / "hooks"
    assert all("mkdocs" in _imports(path) for path in hooks.glob("*.py"))
