"""How ``site.py`` lays out each variant of the site it builds (see its docstring)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from generate import AS_OF

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.DOTALL)


def top_level(text: str, key: str, replacement: str | None) -> str:
    """``text`` (a YAML file) with the top-level ``key:`` block replaced or removed."""
    out: list[str] = []
    skipping = False
    for line in text.splitlines(keepends=True):
        if line[:1] not in ("", " ", "\t", "\n", "#"):
            skipping = line.startswith(f"{key}:")
            if skipping and replacement:
                out.append(replacement)
        if not skipping:
            out.append(line)
    return "".join(out)


def page_for(path: Path) -> str:
    """Where the project's site publishes a record file: the same URL for the plain build."""
    stem = path.stem
    if path.name == "service.md":
        return f"services/{path.parent.name}.md"
    return f"records/{'_index' if stem == 'index' else stem}.md"


def record_pages(kb: Path, docs: Path) -> set[str]:
    """Every record's Markdown body (front matter removed) as a page at the project's URL."""
    pages: set[str] = set()
    for path in sorted((kb / "records").rglob("*.md")):
        target = page_for(path.relative_to(kb / "records"))
        text = path.read_text(encoding="utf-8")
        (docs / target).parent.mkdir(parents=True, exist_ok=True)
        (docs / target).write_text(_FRONT_MATTER.sub("", text, count=1), encoding="utf-8")
        pages.add(target[:-3])
    return pages


def prepare_plain(kb: Path, folder: Path) -> set[str]:
    """The project's docs/ and mkdocs.yml (nav included) without hooks, record bodies as pages."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(REPO / "docs", folder / "docs")
    pages = record_pages(kb, folder / "docs")
    config = top_level((REPO / "mkdocs.yml").read_text(encoding="utf-8"), "hooks", None)
    # nav entries of the pages the hooks generate (dashboard, guides…) stay, as links
    config = top_level(config, "validation", None) + (
        "validation:\n  nav:\n    not_found: ignore\n    omitted_files: ignore\n"
    )
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return pages


#: The one hook of the ``remembered`` variant: jieba's segmentation remembered, as the
#: project's hooks/search.py does, and nothing else.
REMEMBER_HOOK = """\
from brmkb.site import segmenting


def on_pre_build(config):
    segmenting.remember()


def on_post_build(config):
    segmenting.forget()
"""


def prepare_remembered(kb: Path, folder: Path) -> set[str]:
    """The plain variant with jieba's segmentation remembered during the build: what Material
    costs once the hooks make its segmentation cheaper, without anything else of the hooks."""
    pages = prepare_plain(kb, folder)
    (folder / "remember.py").write_text(REMEMBER_HOOK, encoding="utf-8")
    with (folder / "mkdocs.yml").open("a", encoding="utf-8") as config:
        config.write("hooks:\n  - remember.py\n")
    return pages


def prepare_bare(kb: Path, folder: Path) -> set[str]:
    """Record bodies as pages, the project's theme config, no hooks, a one-entry nav."""
    if folder.exists():
        shutil.rmtree(folder)
    docs = folder / "docs"
    shutil.copytree(REPO / "docs" / "assets", docs / "assets")
    pages = record_pages(kb, docs)
    (docs / "index.md").write_text(
        f"# 业务关系管理知识库\n\n共 {len(pages)} 份记录，可通过搜索查找。\n", encoding="utf-8"
    )
    config = top_level((REPO / "mkdocs.yml").read_text(encoding="utf-8"), "hooks", None)
    config = top_level(config, "nav", "nav:\n  - 首页: index.md\n")
    (folder / "mkdocs.yml").write_text(config, encoding="utf-8")
    return pages


def prepare_hooked(kb: Path, folder: Path) -> set[str]:
    """The project's mkdocs.yml, docs/ and hooks/ next to a copy of the KB; → record pages."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    shutil.copy2(REPO / "mkdocs.yml", folder / "mkdocs.yml")
    for name in ("docs", "hooks"):
        if (REPO / name).is_dir():
            shutil.copytree(
                REPO / name, folder / name, ignore=shutil.ignore_patterns("__pycache__")
            )
    shutil.copytree(kb / "records", folder / "records")
    if (kb / "policy.yml").is_file():
        shutil.copy2(kb / "policy.yml", folder / "policy.yml")
    return {page_for(p.relative_to(kb / "records"))[:-3] for p in (kb / "records").rglob("*.md")}


def prepare_shaped(kb: Path, folder: Path) -> set[str]:
    """The plain variant with its record and service pages as the hooks hand them to Markdown
    (front matter with title, tags and search boost; the title as heading; links rewritten),
    without what the hooks add after Markdown or elsewhere: what the pages' shape costs."""
    from brmkb import engine, site

    pages = prepare_plain(kb, folder)
    built = site.build(engine.run(kb, as_of=AS_OF))
    for page in built.pages:
        if page.inserts is not None:
            (folder / "docs" / page.src_uri).write_text(page.content, encoding="utf-8")
    return pages


PREPARE: dict[str, Callable[[Path, Path], set[str]]] = {
    "bare": prepare_bare,
    "plain": prepare_plain,
    "remembered": prepare_remembered,
    "shaped": prepare_shaped,
    "hooked": prepare_hooked,
}
