"""The Content-Security-Policy every page carries, as a ``<meta>`` tag in its head.

A static site has no headers of its own, so the policy travels in the page. Scripts run only
from the site's files and the theme's own inline scripts, each allowed by the SHA-256 of its
text as this build wrote it; inline event handlers, plug-ins, frames, ``<base>`` and form
submissions are refused. Inline scripts inside a page's content are never hashed: on record
pages that content is the author's. ``frame-ancestors`` (who may frame the site) is ignored in a
meta tag; the web server sets it as a header (the site guide's trust page says how).

A site built for reading from disk (Material's ``offline`` plugin, as in the audit pack) runs its
search worker through the ``iframe-worker`` shim, which writes one inline script into a blank
frame; that frame inherits the page's policy, so an offline page also allows that one script by
its hash, for the worker address the page itself names. Nothing else is relaxed.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import re

from brmkb.pack import shim

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
_CONFIG = re.compile(r'<script id="__config"[^>]*>(.*?)</script\s*>', re.IGNORECASE | re.DOTALL)
_HEAD = re.compile(r"<head\b[^>]*>(?:\s*<meta charset=[^>]*>)?", re.IGNORECASE)

#: Directives besides ``script-src``. Styles may be inline (the theme and tables set style
#: attributes); record bodies keep no style at all (see ``brmkb.sanitize``).
DIRECTIVES = (
    "default-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "frame-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
)


def policy(scripts: list[str]) -> str:
    """The policy that allows these inline scripts (their exact text) and the site's files."""
    hashes = sorted({_hash(script) for script in scripts})
    return "; ".join(("script-src " + " ".join(["'self'", *hashes]), *DIRECTIVES))


def inline_scripts(html: str, start: int = 0, end: int | None = None) -> list[str]:
    """The text of every inline script in ``html[start:end]``."""
    found = _INLINE_SCRIPT.finditer(html, start, len(html) if end is None else end)
    return [m.group(2) for m in found if not _SRC.search(m.group(1))]


def protect(page: str, content: str = "", *, offline: bool = False) -> str:
    """The page with its policy first in its head; scripts in ``content`` get no hash.

    ``offline``: the site is read from disk, so the search worker's shim script is allowed.
    """
    start = page.find(content) if content else -1
    if start < 0:
        scripts = inline_scripts(page)
        template = page
    else:  # the scripts before and after the content, without copying the page
        end = start + len(content)
        scripts = inline_scripts(page, 0, start) + inline_scripts(page, end)
        template = page[:start] + page[end:] if offline else page
    if offline:
        scripts += _worker_shim(template)
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy(scripts)}">'
    head = _HEAD.search(page)
    return page if head is None else page[: head.end()] + meta + page[head.end() :]


def _worker_shim(template: str) -> list[str]:
    """The shim's script for the search worker the theme's configuration names, if any."""
    found = _CONFIG.search(template)
    try:
        worker = json.loads(found.group(1)).get("search") if found else None
    except (ValueError, AttributeError):
        return []
    return [shim.bootstrap(worker)] if isinstance(worker, str) else []


@functools.lru_cache(maxsize=256)
def _hash(script: str) -> str:
    """The policy's source for one inline script (remembered: the theme writes the same few
    scripts into every page)."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
