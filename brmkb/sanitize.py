"""The allowlist that record bodies pass through after Markdown, and what it took away.

Record bodies come from anyone who can open a pull request, and the site is read by customers
and auditors from one origin, so the HTML of a body keeps only what Markdown and the site's
extensions (mkdocs.yml) produce: no scripts, styles, frames, objects, forms, meta or base
elements, no event-handler attributes, no URL scheme but http, https, mailto and relative
links. The sanitizer is nh3 (the Ammonia binding); ``losses`` says what it removed, so that the
check can tell the author before the page silently differs from the Markdown.
"""

from __future__ import annotations

import html.parser
import re
from collections import Counter
from dataclasses import dataclass

import nh3

#: Elements Markdown and the configured extensions write (admonitions and details are divs,
#: details and summary; task lists and tabs are labelled inputs; icons are inline SVG).
TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "caption",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "samp",
        "small",
        "span",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "u",
        "ul",
        "var",
        "wbr",
        "svg",
        "path",
    ]
)

#: Attributes by element ("*": on every element). ``style`` stays on table cells for column
#: alignment, filtered down to ``text-align``.
ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"align", "colspan", "rowspan", "style"},
    "th": {"align", "colspan", "rowspan", "scope", "style"},
    "ol": {"start", "type"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "input": {"checked", "disabled", "name"},
    "label": {"for"},
    # data-search-exclude: the build gate's banner, put before the record's own HTML, stays
    # out of the search index (Material's attribute; a body using it only hides its own text)
    "div": {"data-tabs", "data-search-exclude"},
    "svg": {"xmlns", "viewBox", "width", "height", "aria-hidden", "focusable"},
    "path": {"d", "fill-rule", "clip-rule"},
}

#: Attributes whose values are chosen from a list (an ``input`` is a task-list tick or a tab).
VALUES = {"input": {"type": {"checkbox", "radio"}}}

URL_SCHEMES = frozenset({"http", "https", "mailto"})

#: Dropped with their content, not only their tags.
DROPPED_WHOLE = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "noscript",
        "noembed",
        "noframes",
        "template",
        "textarea",
        "select",
        "xmp",
        "math",
    ]
)

#: Attributes that name an element for the page's scripts and form controls.
NAMING = frozenset({"id", "for", "name"})
#: The names pymdownx.tabbed gives a tab set's inputs and labels: the only ones starting with
#: ``__`` that a body's HTML may carry.
_TABBED = re.compile(r"__tabbed_\d+(?:_\d+)?")


def reserved(name: str) -> bool:
    """Whether an id (or ``for``, ``name``) belongs to the theme: Material names its own
    elements ``__config``, ``__search``, ``__drawer``, ``__palette_0``…, and finds the first
    element of that id in the page. The settings (``__config``) come after the content, so a
    body's ``<p id="__config">`` would be read as the site's settings instead."""
    return name.startswith("__") and _TABBED.fullmatch(name) is None


#: Why a reserved name is not published, after the name.
RESERVED_NOTE = "（以 __ 开头的名称留给站点自身使用）"


def _unreserved(tag: str, attribute: str, value: str) -> str | None:
    return None if attribute in NAMING and reserved(value) else value


_SETTINGS = {
    "tags": set(TAGS),
    "clean_content_tags": set(DROPPED_WHOLE),
    "attributes": {tag: set(names) for tag, names in ATTRIBUTES.items()},
    "tag_attribute_values": {tag: dict(values) for tag, values in VALUES.items()},
    "url_schemes": set(URL_SCHEMES),
    "filter_style_properties": {"text-align"},
    "strip_comments": True,
    "link_rel": None,  # links open in place (no target is kept): nothing to add
}
_CLEANER = nh3.Cleaner(**_SETTINGS)  # type: ignore[arg-type]
#: The same, calling back for every attribute: used only on HTML that holds a ``__``.
_NAMING_CLEANER = nh3.Cleaner(**_SETTINGS, attribute_filter=_unreserved)  # type: ignore[arg-type]


def clean(html: str) -> str:
    """The HTML with only the allowlist left, and no element named as one of the theme's."""
    return (_NAMING_CLEANER if "__" in html else _CLEANER).clean(html)


@dataclass(frozen=True, slots=True)
class Loss:
    """Something the sanitizer removed: an element, or an attribute of an element."""

    tag: str
    attribute: str | None = None
    value: str = ""

    @property
    def key(self) -> tuple[str, str | None, str]:
        return (self.tag, self.attribute, self.value)

    def describe(self) -> str:
        if self.attribute is None:
            return f"<{self.tag}> 元素"
        if self.attribute in _URL_ATTRIBUTES:
            return f"<{self.tag}> 的 {self.attribute}={_short(self.value)}（只允许 http、https、mailto 和相对地址）"
        if self.attribute == "style":
            return f"<{self.tag}> 的样式 {self.value}"
        if self.attribute in NAMING and self.value:
            return f"<{self.tag}> 的 {self.attribute}={_short(self.value)}{RESERVED_NOTE}"
        return f"<{self.tag}> 的 {self.attribute} 属性"

    @property
    def needle(self) -> str:
        """What to look for in the Markdown to find the line this came from."""
        if self.attribute is None:
            return f"<{self.tag}"
        if self.attribute in _URL_ATTRIBUTES and ":" in self.value:
            return self.value.split(":", 1)[0].strip().lower() + ":"
        return self.attribute


_URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href", "srcset"})


def _short(value: str, limit: int = 40) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def inventory(fragment: str) -> list[Loss]:
    """Every element and attribute of an HTML fragment, in document order."""
    return _Inventory.of(fragment).items


def losses(before: str, after: str) -> list[Loss]:
    """What is in ``before`` but not in ``after`` (its sanitized form), in document order."""
    kept = _Inventory.of(after)
    lost: list[Loss] = []
    for item in _Inventory.of(before).items:
        if kept.counts[item.key] > 0:
            kept.counts[item.key] -= 1
        elif item not in lost:
            lost.append(item)
    return lost


class _Inventory(html.parser.HTMLParser):
    """The elements and attributes of an HTML fragment (values only for URLs and styles:
    the sanitizer may rewrite the others' quoting and entities)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[Loss] = []
        self.counts: Counter[tuple[str, str | None, str]] = Counter()

    @classmethod
    def of(cls, fragment: str) -> _Inventory:
        inventory = cls()
        inventory.feed(fragment)
        inventory.close()
        return inventory

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._add(Loss(tag))
        for name, value in attrs:
            if name == "style":  # only its text-align survives
                for prop in (value or "").split(";"):
                    if prop.strip():
                        self._add(Loss(tag, "style", prop.split(":", 1)[0].strip().lower()))
            elif name in _URL_ATTRIBUTES:
                self._add(Loss(tag, name, (value or "").strip()))
            elif name in NAMING and reserved(value or ""):
                self._add(Loss(tag, name, value or ""))
            else:
                self._add(Loss(tag, name))

    handle_startendtag = handle_starttag

    def _add(self, item: Loss) -> None:
        self.items.append(item)
        self.counts[item.key] += 1
