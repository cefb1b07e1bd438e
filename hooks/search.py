"""MkDocs hook: the search plugin's side of the build: quiet, a small index, a fast worker.

jieba (the search plugin's Chinese word segmenter) prints its dictionary loading
("Building prefix dict…", "Loading model cost…") to stderr on every build and every
``mkdocs serve`` start. Those lines are not the project's: they go to MkDocs' debug log
(``mkdocs build -v`` shows them). The user dictionary still loads as before.

The search plugin writes its index with every Chinese character and every word separator
(U+200B) as a six-byte ``\\uXXXX`` escape, and a page's tags and search boost on every section
of the page. It also puts a U+200B around every run of Chinese words, also where the next
character separates words anyway (a comma, a space). Written as UTF-8, with the tags and the
boost on the page's own entry only and no separator next to a separator, it is about half the
size: the reader's browser downloads and parses it before the first result. (A tag still finds
its page; sections no longer each repeat the match; the worker gives sections their page's
boost. The words are the same.) A page's first heading, when it is the page's title and
nothing else, is left out: the page's own entry is that match.

Pages name the project's search worker instead of the theme's (``brmkb.site.searchworker``):
the same index and results, ready in a tenth of the time. On a served site the index's
documents go to ``search/documents.json``, which the worker fetches itself; if any page still
names another worker (a theme override), the whole index stays in ``search_index.json``.

jieba's dictionaries (``search.jieba_dict``, ``jieba_dict_user``) may be given relative to
mkdocs.yml, as well as to the working directory. While the pages are built, jieba remembers
how it cut each run of Chinese text (``brmkb.site.segmenting``): the same index, a tenth
of the build's time less.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from brmkb import site
from brmkb.site import searchworker, segmenting

log = logging.getLogger("mkdocs.plugins.brmkb.search")


class _DebugLog(logging.Handler):
    """Hands another library's log records to MkDocs' debug log."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("%s: %s", record.name, record.getMessage())


_WORKER = searchworker.worker()
#: The theme's worker file that pages name, while the search plugin is on
_theme_worker: str | None = None
#: Pages are read from disk (Material's offline plugin: the audit pack)
_from_disk = False
#: Every page of this build names the project's worker (or none)
_all_pointed = True


@event_priority(100)  # before the search plugin loads its jieba dictionaries
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _theme_worker, _from_disk, _all_pointed
    jieba_log = logging.getLogger("jieba")
    jieba_log.handlers = [_DebugLog()]
    jieba_log.propagate = False
    searching = any(name in config.plugins for name in ("search", "material/search"))
    _theme_worker = searchworker.theme_worker(list(config.theme.dirs)) if searching else None
    _from_disk = searchworker.from_disk(config.plugins)
    _all_pointed = True
    resolve_search_dictionaries(config, site.root_of(config.config_file_path))
    if searching and _theme_worker is None:
        log.warning(
            "主题中没有找到搜索 worker（assets/javascripts/workers/search.*.min.js）："
            "搜索仍用主题自带的方式，大型知识库中第一次搜索会较慢；请检查 theme 的设置"
        )
    return config


def resolve_search_dictionaries(config: MkDocsConfig, root: Path) -> None:
    """Let ``search.jieba_dict_user`` be relative to mkdocs.yml, not only to the working
    directory, so that ``mkdocs build -f path/to/mkdocs.yml`` works from anywhere."""
    search = config.plugins.get("material/search") or config.plugins.get("search")
    if search is None:
        return
    for key in ("jieba_dict", "jieba_dict_user"):
        value = search.config.get(key)
        if value and not os.path.isabs(value) and not os.path.isfile(value):
            candidate = root / value
            if candidate.is_file():
                search.config[key] = str(candidate)


def on_pre_build(config: MkDocsConfig) -> None:
    segmenting.remember()  # after every plugin's on_config: the dictionaries are loaded


def on_build_error(error: Exception) -> None:
    segmenting.forget()


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    if _theme_worker is not None:
        files.append(File.generated(config, _WORKER.path, content=_WORKER.content))
    return files


# Before hooks/csp.py: an offline page's policy allows the shim script for the worker it names.
@event_priority(60)
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return _point(output)


@event_priority(60)
def on_post_template(output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    return _point(output) if template_name.endswith(".html") else output


def _point(output: str) -> str:
    global _all_pointed
    if _theme_worker is None:
        return output
    output, pointed = searchworker.point_at(output, _theme_worker, _WORKER)
    _all_pointed = _all_pointed and pointed
    return output


# After the search plugin has written its index, before Material's offline plugin (-100)
# turns it into search_index.js for pages read from disk.
@event_priority(-50)
def on_post_build(config: MkDocsConfig) -> None:
    segmenting.forget()
    folder = Path(config.site_dir) / "search"
    index = folder / searchworker.INDEX
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        # the other separators of the index's own pattern, e.g. "[\\s\\u200b\\u3000、。，]+"
        others = data["config"]["separator"].rstrip("+").replace("\\u200b", "")
        # one literal first, so that the pattern is only tried where a U+200B is
        redundant = re.compile(f"\u200b(?:(?={others})|(?<={others}\u200b))")
        for entry in data["docs"]:
            if "#" in entry["location"]:
                entry.pop("tags", None)
            for key in ("title", "text"):
                entry[key] = redundant.sub("", entry[key]).strip("\u200b")
        data["docs"] = _without_bare_titles(data["docs"])
        _boost_on_pages_only(data["docs"])
        for name, part in searchworker.split(
            data, served=_theme_worker is not None and _all_pointed and not _from_disk
        ):
            (folder / name).write_text(
                json.dumps(part, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
            )


def _boost_on_pages_only(docs: list[dict]) -> None:
    """Drops a section's ``boost`` where it repeats its page's: the worker takes the page's."""
    boosts = {doc["location"]: doc.get("boost") for doc in docs if "#" not in doc["location"]}
    for doc in docs:
        page, anchor, _ = doc["location"].partition("#")
        if anchor and "boost" in doc and boosts.get(page) == doc["boost"]:
            del doc["boost"]


def _without_bare_titles(docs: list[dict]) -> list[dict]:
    """Drops a page's first-heading entry when it holds nothing but the page's own title.

    The page's entry carries the same title (and the tags), so the heading finds nothing
    more; at 5,000 records these entries are a fifth of all entries.
    """
    titles = {doc["location"]: doc["title"] for doc in docs if "#" not in doc["location"]}
    return [
        doc
        for doc in docs
        if "#" not in doc["location"]
        or doc["text"]
        or titles.get(doc["location"].split("#", 1)[0]) != doc["title"]
    ]
