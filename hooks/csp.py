"""MkDocs hook: every page carries the site's Content-Security-Policy (``brmkb.site.csp``).

``mkdocs serve`` writes its live-reload script into each page inline, which the policy would
refuse, so pages served for editing go without it; ``mkdocs build`` always adds it. With
Material's ``offline`` plugin (the audit pack) the pages are read from disk and their policy
allows the search worker's shim.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.pages import Page

from brmkb.site import csp, searchworker

_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    global _serving
    _serving = command == "serve"


# Before brmkb_site.py fills in the generated blocks, while ``page.content`` is still found
# verbatim in the page: its inline scripts (none survive the sanitizer) get no hash.
@event_priority(50)
def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    if _serving:
        return output
    return csp.protect(output, page.content or "", offline=searchworker.from_disk(config.plugins))


def on_post_template(output: str, /, *, template_name: str, config: MkDocsConfig) -> str:
    if _serving or not template_name.endswith(".html"):
        return output
    return csp.protect(output, offline=searchworker.from_disk(config.plugins))
