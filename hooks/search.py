"""MkDocs hook: the search plugin's side of the build, kept quiet.

jieba (the search plugin's Chinese word segmenter) prints its dictionary loading
("Building prefix dict…", "Loading model cost…") to stderr on every build and every
``mkdocs serve`` start. Those lines are not the project's: they go to MkDocs' debug log
(``mkdocs build -v`` shows them). The user dictionary still loads as before.
"""

from __future__ import annotations

import logging

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
