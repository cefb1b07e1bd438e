"""The Content-Security-Policy every page carries, as a ``<meta>`` tag in its head.

A static site has no headers of its own, so the policy travels in the page. Scripts run only
from the site's files and the theme's own inline scripts, each allowed by the SHA-256 of its
text as this build wrote it; inline event handlers, plug-ins, frames, ``<base>`` and form
submissions are refused. Inline scripts inside a page's content are never hashed: on record
pages that content is the author's. ``frame-ancestors`` (who may frame the site) is ignored in a
meta tag; the web server sets it as a header (the site guide's trust page says how).
"""

from __future__ import annotations

import base64
import hashlib
import re

_INLINE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\ssrc\s*=", re.IGNORECASE)
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


def inline_scripts(html: str) -> list[str]:
    return [m.group(2) for m in _INLINE_SCRIPT.finditer(html) if not _SRC.search(m.group(1))]


def protect(page: str, content: str = "") -> str:
    """The page with its policy first in its head; scripts in ``content`` get no hash."""
    template = page.replace(content, "", 1) if content else page
    meta = (
        '<meta http-equiv="Content-Security-Policy" '
        f'content="{policy(inline_scripts(template))}">'
    )
    return _HEAD.sub(lambda m: m.group(0) + meta, page, count=1)


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"
