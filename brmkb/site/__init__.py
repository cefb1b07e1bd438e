"""The procedure site, generated from a check report: pages, attachments and the build gate.

``build(report)`` renders everything once per build; the MkDocs hooks in ``hooks/`` only hand
the result to MkDocs. Nothing here imports MkDocs, so every page can be tested on its own.

The renderers (``brmkb.site.builder``: ``Site``, ``build``, ``generate``, ``attachments``)
load on first use: the MkDocs process only takes the ``Published`` result from the process
that renders the pages, and spares itself their imports.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from brmkb.site.gate import gate_line as gate_line
from brmkb.site.html import unstash as unstash
from brmkb.site.published import NAV_SERVICES_MAX as NAV_SERVICES_MAX
from brmkb.site.published import SERVICES_SECTION as SERVICES_SECTION
from brmkb.site.published import Attachment as Attachment
from brmkb.site.published import GeneratedPage as GeneratedPage
from brmkb.site.published import Published as Published
from brmkb.site.published import policy_error_line as policy_error_line

#: What ``brmkb.site`` offers from ``brmkb.site.builder``, imported when first asked for.
_BUILDER = frozenset({"Site", "build", "generate", "attachments"})


def __getattr__(name: str) -> Any:
    if name in _BUILDER:
        return getattr(importlib.import_module("brmkb.site.builder"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def generate_deferred(*args: Any, **kwargs: Any) -> Iterator[Published | list[GeneratedPage]]:
    """``generate``, its modules imported by the process that runs it: the site hook runs it
    in a background process, so that MkDocs' own process never loads the check and the page
    renderers."""
    return importlib.import_module("brmkb.site.builder").generate(*args, **kwargs)


def root_of(config_file: str | None) -> Path:
    """The knowledge base root of a site: the folder of its mkdocs.yml (records/ and
    policy.yml live there), or the working directory for a configuration built in code."""
    return Path(config_file).resolve().parent if config_file else Path.cwd()
