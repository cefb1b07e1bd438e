"""Small HTML helpers: every value that came from a record passes through :func:`esc`.

Structured parts of the generated pages (cards, tables, charts) are HTML that neither Markdown
nor the theme parses, so escaping each value once with ``html.escape`` is enough. They join a
page in one of two ways, both through ``keep``/``unstash`` placeholders filled in the finished
page: raw blocks in the page's Markdown (``block``/``stash``, where they interleave with
generated Markdown text), or ``Inserts`` around the Markdown of a record or service page (whose
Markdown is only the author's title and body).
"""

from __future__ import annotations

import functools
import html
import json
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from brmkb import markdown_scan, sanitize

#: Badge classes of docs/assets/stylesheets/brmkb.css, by status.
PASS, FAIL, WARN, INFO, NEUTRAL = "pass", "fail", "warn", "info", "neutral"


_SPECIAL = re.compile(r"[&<>\"']")


def esc(value: Any) -> str:
    """Text for HTML content or a quoted attribute value."""
    text = value if type(value) is str else "" if value is None else str(value)
    return html.escape(text, quote=True) if _SPECIAL.search(text) else text


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def esc_code(value: str) -> str:
    """Text for HTML content, with its `code spans` (as rule summaries write commands and
    field names) shown as code."""
    return _CODE_SPAN.sub(r"<code>\1</code>", esc(value))


def wrap_path(value: str) -> str:
    """A file path that may wrap after each ``/`` (and, as any text, after a hyphen), never
    inside a name: narrow table columns stay readable."""
    return "/<wbr>".join(esc(part) for part in value.split("/"))


def day(value: Any) -> str:
    """A date (or month) that never wraps at its hyphens."""
    if value is None or value == "":
        return ""
    return f'<time datetime="{esc(value)}">{esc(value)}</time>'


_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")


def md_text(value: Any) -> str:
    """Text for a Markdown context (a heading): HTML-escaped, and Markdown syntax escaped so
    that no emphasis, link or ``{: attribute }`` list can come out of it."""
    return _MARKDOWN.sub(r"\\\1", esc(value).replace("\n", " "))


def attrs(**values: Any) -> str:
    """`` key="value"`` pairs (``class_`` for class, ``data_x`` for data-x); None drops a key."""
    out = []
    for key, value in values.items():
        if value is None or value is False:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(out)


def link(href: str | None, text: str, **extra: Any) -> str:
    """``<a>`` with escaped text; plain text when there is nowhere to link to."""
    if not href:
        return esc(text)
    return f"<a{attrs(href=href, **extra)}>{esc(text)}</a>"


def badge(
    text: str, status: str = NEUTRAL, href: str | None = None, title: str | None = None
) -> str:
    cls = f"brm-badge brm-{status}"
    if href:
        return f"<a{attrs(class_=cls, href=href, title=title)}>{esc(text)}</a>"
    return f"<span{attrs(class_=cls, title=title)}>{esc(text)}</span>"


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str | None = None,
    row_ids: Sequence[str | None] | None = None,
) -> str:
    """A table of already escaped cells (head cells are escaped here); empty without rows.

    The table itself stays without a class so that Material styles it (and wraps it for
    scrolling); the wrapping ``div.brm-table`` carries ``cls``.
    """
    body = []
    for index, row in enumerate(rows):
        row_id = row_ids[index] if row_ids else None
        body.append(f"<tr{attrs(id=row_id)}>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>")
    if not body:
        return ""
    header = "".join(f"<th>{esc(h)}</th>" for h in head)
    markup = f"<table><thead><tr>{header}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    return f'<div class="{esc(join(["brm-table", cls or ""], " "))}">{markup}</div>'


#: Marks the raw HTML blocks the site generates, so the build can keep them away from Markdown.
RAW = "<!--brm-raw-->"
_RAW_BLOCK = re.compile(rf"^{re.escape(RAW)}[^\n]*(?:\n[^\n]+)*", re.MULTILINE)
#: Placeholders carry a token drawn anew by every build process, so that no record can write
#: one: they are filled in after the record bodies are sanitized, and never published.
_TOKEN = secrets.token_hex(16)
_PLACEHOLDERS = re.compile(rf"<!--brm-{_TOKEN}-(\d+)-->")


def block(content: str) -> str:
    """A raw HTML block for Markdown: no blank line inside, blank lines around it."""
    return "\n" + RAW + content.replace("\n\n", "\n") + "\n\n"


def keep(blocks: list[str], html: str) -> str:
    """A placeholder for ``html``, which ``unstash`` puts back into the finished page."""
    blocks.append(html)
    return f"<!--brm-{_TOKEN}-{len(blocks) - 1}-->"


def stash(markdown: str) -> tuple[str, list[str]]:
    """Markdown with each generated HTML block replaced by a placeholder comment.

    The blocks (cards, tables, charts) are put back into the finished page by ``unstash``, so
    that neither Python-Markdown, the theme nor the search plugin parses them again: on
    thousands of pages that parsing costs more than the rest of the build added together.
    Titles, tags and record bodies stay searchable.
    """
    blocks: list[str] = []
    return _RAW_BLOCK.sub(lambda m: keep(blocks, m.group(0)[len(RAW) :]), markdown), blocks


#: The title of a heading's permalink, as mkdocs.yml sets it for the toc extension
#: (``permalink_title``), so that generated headings look like the others.
PERMALINK_TITLE = "本节链接"


@dataclass(frozen=True, slots=True)
class Section:
    """A generated section: a heading (in the page's table of contents), its HTML, and its
    subsections."""

    id: str
    title: str
    html: str
    cls: str | None = None
    level: int = 2
    children: tuple[Section, ...] = ()

    def render(self) -> str:
        tag = f"h{self.level}"
        link = f'<a class="headerlink" href="#{esc(self.id)}" title="{PERMALINK_TITLE}">¶</a>'
        heading = f"<{tag}{attrs(id=self.id, class_=self.cls)}>{esc(self.title)}{link}</{tag}>"
        return heading + self.html + "".join(child.render() for child in self.children)

    def entry(self, make: Callable[[str, str, int], Any]) -> Any:
        """Its table-of-contents entry, made by ``make`` (title HTML, id, level)."""
        item = make(esc(self.title), self.id, self.level)
        item.children.extend(child.entry(make) for child in self.children)
        return item


@dataclass(frozen=True, slots=True)
class Inserts:
    """The generated parts of a page that join it after Markdown, not through it.

    ``lead`` (findings, the card) and the ``head`` sections follow the page's H1; the
    ``tail`` sections follow its body. These are placeholders until the page is finished
    (see ``stash``). ``indexed`` is HTML that search must read, so it is in the page before
    the search plugin runs; it closes the body, after the text that result snippets show.
    """

    lead: str = ""
    head: tuple[Section, ...] = ()
    tail: tuple[Section, ...] = ()
    indexed: str = ""

    def extend_toc(self, items: list[Any], make: Callable[[str, str, int], Any]) -> None:
        """Add the sections to a page's table of contents, in page order. ``make`` makes an
        entry from its title (HTML), id and level: MkDocs' ``AnchorLink``."""
        if items and items[0].level == 1:  # the H1 holds the page's sections
            items = items[0].children
        head = [section.entry(make) for section in self.head]
        if head:  # deeper headings that open the body belong to the last head section
            deeper = 0
            while deeper < len(items) and items[deeper].level > head[-1].level:
                deeper += 1
            head[-1].children.extend(items[:deeper])
            items[:deeper] = head
        items += [section.entry(make) for section in self.tail]

    def place(self, html: str, blocks: list[str]) -> str:
        """The HTML of the page's Markdown (the author's title and body: sanitized here) with
        the inserts (or their placeholders) in place."""
        html = sanitize.clean(html)
        cut = html.find("</h1>")
        cut = 0 if cut < 0 else cut + len("</h1>")
        head = keep(blocks, self.lead + "".join(s.render() for s in self.head))
        tail = keep(blocks, "".join(s.render() for s in self.tail)) if self.tail else ""
        return html[:cut] + head + html[cut:] + self.indexed + tail


def unstash(html: str, blocks: list[str]) -> str:
    """Rendered HTML with the stashed blocks back in place of their placeholders."""
    if not blocks:
        return html
    return _PLACEHOLDERS.sub(lambda m: blocks[int(m.group(1))], html)


def front_matter(title: str, tags: Sequence[str] = (), **extra: Any) -> str:
    """The YAML front matter of a generated page.

    Material writes ``title`` and tag names into the HTML unescaped, so both are escaped here;
    only keys we mean for Material are written (never a record's own keys).
    """
    lines = [f"title: {_yaml_string(esc(title))}"]
    if tags:
        lines.append("tags:")
        lines.extend(f"  - {_yaml_string(esc(tag))}" for tag in dict.fromkeys(tags) if tag)
    if extra:
        lines.append(_yaml_block(json.dumps(extra, ensure_ascii=False)))
    return "---\n" + "\n".join(lines) + "\n---\n\n"


@functools.lru_cache(maxsize=64)
def _yaml_block(extra: str) -> str:
    """The YAML of the extra keys (given as JSON, so that they can be a cache key): the few
    kinds of page have a few such blocks, and PyYAML's emitter took a third of the time it
    takes to render the record pages."""
    return yaml.safe_dump(json.loads(extra), allow_unicode=True, sort_keys=False).rstrip("\n")


def _yaml_string(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it); far faster than
    ``yaml.safe_dump`` for the thousands of pages of a large knowledge base."""
    quoted = json.dumps(text, ensure_ascii=False)
    if _NOT_YAML.search(quoted):  # line breaks to YAML, not to JSON; characters YAML refuses
        quoted = _NOT_YAML.sub(lambda m: f"\\u{ord(m.group(0)):04x}", quoted)
    return quoted


#: Characters JSON writes as they are but a YAML stream must escape (C1 controls, DEL,
#: non-characters) or reads as line breaks.
_NOT_YAML = re.compile("[\u007f-\u009f\u2028\u2029\ufffe\uffff]")


def h1(title: str) -> str:
    """The page heading as Markdown (escaped: no Markdown or attribute syntax in a title
    applies), so that the table of contents and search take it as the page's title."""
    return f"# {md_text(title)}\n\n"


def join(parts: Iterable[str], sep: str = "、") -> str:
    return sep.join(p for p in parts if p)


def demote(markdown: str) -> str:
    """Markdown with every heading one level down (code blocks untouched)."""
    return markdown_scan.outside_code(markdown, _demote)


def _demote(text: str, _offset: int) -> str:
    out, last = [], 0
    for found in markdown_scan.headings(text, max_level=5):
        out.append(text[last : found.start])
        out.append(markdown_scan.demoted(text, found))
        last = found.end
    out.append(text[last:])
    return "".join(out)


def as_text(markdown: str) -> str:
    """A record page's Markdown (its H1 line, then the body) with the body as preformatted
    text: what the page shows when Python-Markdown cannot render the body."""
    heading, _, body = markdown.partition("\n")
    return heading + "\n\n" + "".join("    " + line for line in body.splitlines(True)) + "\n"


def as_text_on_failure(page: Any, render: Callable[..., None], note: Callable[[str], None]) -> Any:
    """``page.render`` that, when Python-Markdown fails on the body (nesting too deep for its
    recursion, for one), renders the body as preformatted text instead: no record may stop the
    build. ``page`` is MkDocs' page (its ``markdown`` is the title line and the body)."""

    def run(*args: Any) -> None:
        try:
            render(*args)
        except Exception as error:  # noqa: BLE001
            note(
                f"{page.file.src_uri}: 正文无法按 Markdown 显示（{type(error).__name__}），"
                "已作为纯文本发布。"
            )
            page.markdown = as_text(page.markdown or "")
            render(*args)

    return run
