"""What the site will not publish of a record body, found at check time.

The site renders a body with Python-Markdown and then keeps only the allowlist of
``brmkb.sanitize`` (the hooks do that; the core never imports a Markdown library). The check
finds, without rendering, the three ways a body can carry something the allowlist drops:
raw HTML (passed to the sanitizer as written, outside code), attribute lists (``{: … }``) that
set attributes the allowlist does not keep, and link destinations with a scheme other than
http, https and mailto. A linear scan first skips the bodies that have none of them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from brmkb import formats, sanitize
from brmkb.findings import Finding
from brmkb.model import KnowledgeBase, Record

#: What a body needs before the sanitizer can remove anything from its HTML: raw HTML or an
#: autolink (``<``), an attribute list (``{``), or a link destination (after ``](`` or
#: ``]:``) that is not http, https or mailto and holds a scheme's colon or a character
#: reference. The scan of a destination is possessive and stops at the next ``]``: linear time.
_SUSPECT = re.compile(
    r"[<{]|\](?:\(|:)[ \t]*(?!(?:https?|mailto):)[^\s)>:&\]]*+[:&]", re.IGNORECASE
)

#: A tag (not an autolink, which Markdown makes a link of): a quoted attribute value may hold
#: ``<`` and ``>``, and a tag may go on over a line break, but not over a blank line. Each
#: alternative starts with a different character and none repeats another: linear time.
_TAG = re.compile(
    r"<(?!https?://|mailto:|[^\s<>@]+@[^\s<>@]+>|[a-z][a-z0-9+.-]{1,31}:[^\s<>]*+>)"
    r"(?:[^<>\"'\n]|\"[^\"\n]*+\"|'[^'\n]*+'|\n(?![ \t]*\n))*+>?",
    re.IGNORECASE,
)
#: What an attribute list may set: the attributes every element keeps, and the table of
#: contents' label (the toc extension takes it off the heading).
_LIST_KEEPS = frozenset({*sanitize.ATTRIBUTES["*"], "data-toc-label"})
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*+`")
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*+)\}")
_ATTRIBUTE = re.compile(r"([^\s=#.'\"]++)\s*=")
#: An attribute list's id (``#name``) or naming attribute (``id=name``, ``for="name"``).
_NAMED = re.compile(r"(?:(?<![^\s{:])#|\b(?:id|for|name)\s*=\s*[\"']?)([^\s\"'{}]++)")
_DESTINATION = re.compile(r"\](?:\(|:)[ \t]*<?([^\s)>\]]++)")
#: An address in angle brackets (``<file:///…>``, ``<ftp://…>``): a link in Markdown when its
#: scheme is http, https or ftp, else HTML the sanitizer drops; either way, with a scheme
#: the site does not link to, the address does not reach the page as written.
_AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*+)>", re.IGNORECASE)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):", re.IGNORECASE)
#: An HTML image whose address is on another site (``<img src="https://…">``): the pages'
#: content policy loads images from the site itself only, so it shows as broken. (A Markdown
#: image of that kind becomes a link on the page, and the site build says so.)
_EXTERNAL_IMAGE = re.compile(
    r"<img\b[^<>]*?\bsrc[ \t]*=[ \t]*[\"']?((?:https?:)?//[^\s\"'<>]++)", re.IGNORECASE
)
#: The most losses of one body that are reported (each with its line).
_MOST = 50
#: A backslash escape, which Markdown takes off a link destination (``javascript\\:``).
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
#: Characters browsers ignore inside a URL's scheme.
_IGNORED = re.compile(r"[\x00-\x20]")


def suspect(body: str) -> bool:
    """Whether the body's HTML may lose something to the sanitizer (never a false "no": the
    other bodies' HTML holds only what the sanitizer keeps). Most bodies have none of the
    text a match starts with (``<``, ``{``, ``](``, ``]:``), which ``in`` finds out faster."""
    if "<" not in body and "{" not in body and "](" not in body and "]:" not in body:
        return False
    return _SUSPECT.search(body) is not None


def check(kb: KnowledgeBase) -> Iterator[Finding]:
    """Warnings for bodies whose HTML the site will not publish in full, or whose images
    it will not show."""
    for record in kb.records:
        if suspect(record.body):
            yield from _check(record)
        if "//" in record.body and "<" in record.body:
            yield from _external(record)


def losses(body: str) -> Iterator[tuple[int, str]]:
    """(offset, what) for everything of the body that the site will not publish."""
    text = _without_code(body)
    tags = list(_TAG.finditer(text))
    if tags:  # the tags together, so that each is read in its context (a cell in its table)
        written = "".join(tag.group(0) for tag in tags)
        lost = sanitize.losses(written, sanitize.clean(written))[:_MOST]
        where = [{item.key for item in sanitize.inventory(tag.group(0))} for tag in tags]
        for loss in lost:
            if loss.attribute != "markdown":  # md_in_html's own, never written out
                at = next(
                    (t.start() for t, keys in zip(tags, where, strict=True) if loss.key in keys), 0
                )
                yield at, loss.describe()
    for attributes in _ATTR_LIST.finditer(text):
        for name in _ATTRIBUTE.findall(attributes.group(1)):
            if name.lower() not in _LIST_KEEPS:
                yield attributes.start(), f"属性列表中的 {name} 属性"
        for name in _NAMED.findall(attributes.group(1)):
            if sanitize.reserved(name):
                yield attributes.start(), f"属性列表中的名称 {name[:40]}{sanitize.RESERVED_NOTE}"
    for address in (*_DESTINATION.finditer(text), *_AUTOLINK.finditer(text)):
        target = _IGNORED.sub("", html.unescape(_ESCAPED.sub(r"\1", address.group(1))))
        scheme = _SCHEME.match(target)
        if scheme and scheme.group(1).lower() not in sanitize.URL_SCHEMES:
            yield (
                address.start(),
                (f"链接地址 {address.group(1)[:40]}（只允许 http、https、mailto 和相对地址）"),
            )


def external_images(body: str) -> Iterator[tuple[int, str]]:
    """(offset, address) of every HTML image of the body that is on another site."""
    if _EXTERNAL_IMAGE.search(body):
        for image in _EXTERNAL_IMAGE.finditer(_without_code(body)):
            yield image.start(), image.group(1)


def _without_code(body: str) -> str:
    """The body with fenced code and code spans blanked, every offset kept: what is in them
    is shown as text."""
    text = _FENCE.sub(lambda m: " " * len(m.group(0)), body)
    return _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), text)


def _external(record: Record) -> Iterator[Finding]:
    for offset, address in external_images(record.body):
        yield formats.BODY_HTML.finding(
            record.rel,
            record.body_line + record.body.count("\n", 0, offset),
            f"图片 {address[:60]} 在其他网站上，站点不会显示它（站点不从其他网站加载任何内容）；"
            "请把图片放进附件目录（如 attachments/）并用相对路径引用。",
            record=record.id,
        )


def _check(record: Record) -> Iterator[Finding]:
    by_line: dict[int, list[str]] = {}
    for offset, what in losses(record.body):
        line = record.body.count("\n", 0, offset)
        if what not in by_line.setdefault(line, []):
            by_line[line].append(what)
    for line, what in sorted(by_line.items()):
        yield formats.BODY_HTML.finding(
            record.rel,
            record.body_line + line,
            f"这段 HTML 不会发布：{'、'.join(what)}；站点只发布 Markdown 能写出的内容，"
            "请删除它们或改用 Markdown 写法。",
            record=record.id,
        )
