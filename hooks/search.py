"""MkDocs hook: the search plugin's side of the build, kept quiet and its index small.

jieba (the search plugin's Chinese word segmenter) prints its dictionary loading
("Building prefix dict…", "Loading model cost…") to stderr on every build and every
``mkdocs serve`` start. Those lines are not the project's: they go to MkDocs' debug log
(``mkdocs build -v`` shows them). The user dictionary still loads as before.

The search plugin writes its index with every Chinese character and every word separator
(U+200B) as a six-byte ``\\uXXXX`` escape, and a page's tags on every section of the page.
It also puts a U+200B around every run of Chinese words, also where the next character
separates words anyway (a comma, a space). Written as UTF-8, with the tags on the page's own
entry only and no separator next to a separator, it is about half the size: the reader's
browser downloads and parses it before the first result. (A tag still finds its page;
sections no longer each repeat the match. The words are the same.) A page's first heading,
when it is the page's title and nothing else, is left out: the page's own entry is that match.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority

log = logging.getLogger("mkdocs.plugins.brmkb.search")


class _DebugLog(logging.Handler):
    """Hands another library's log records to MkDocs' debug log."""

    def emit(self, record: logging.LogRecord) -> None:
        log.debug("%s: %s", record.name, record.getMessage())


@event_priority(100)  # before the search plugin loads its jieba dictionaries
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    jieba_log = logging.getLogger("jieba")
    jieba_log.handlers = [_DebugLog()]
    jieba_log.propagate = False
    return config


@event_priority(-100)  # after the search plugin has written its index
def on_post_build(config: MkDocsConfig) -> None:
    index = Path(config.site_dir) / "search" / "search_index.json"
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
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        index.write_text(text, encoding="utf-8")


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
