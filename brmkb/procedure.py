"""The procedure's text, shipped with the package: the site's 程序文件 page and the source of
each clause's words in ``brmkb explain 3.1.1``.

Clauses are marked in the Markdown by their anchors: ``{#clause-3-1}`` on a heading, or
``{: #clause-3-1-1 }`` on the line under a clause's paragraph.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

#: A clause anchor: ``{: #clause-3-1-1 }`` under a paragraph, or ``{#clause-3-1}`` on a heading.
ANCHOR = re.compile(
    r"^(?:#{1,6}[ \t].*?)?\{:?[ \t]*#clause-(?P<number>\d+(?:-\d+)*)(?:[ \t][^}\n]*)?\}[ \t]*$",
    re.MULTILINE,
)
_HEADING = re.compile(r"#{1,6}[ \t]")
_ATTRIBUTES = re.compile(r"[ \t]*\{[^}\n]*\}[ \t]*$")


@cache
def source() -> str:
    """The procedure page's Markdown, as packaged."""
    return resources.files("brmkb").joinpath("procedure.md").read_text(encoding="utf-8")


@cache
def clause_texts() -> dict[str, str]:
    """Every anchored clause (``3.1.1``, ``3.1.5.2``, ``4``) with its words, in order: a
    heading's clause is its heading and what follows up to the next heading; a paragraph's
    clause is its paragraph, followed by those of its subclauses."""
    lines = source().splitlines()
    texts: dict[str, str] = {}
    paragraphs: list[str] = []
    for index, line in enumerate(lines):
        found = ANCHOR.match(line)
        if not found:
            continue
        number = found["number"].replace("-", ".")
        if _HEADING.match(line):
            heading = _ATTRIBUTES.sub("", line).lstrip("# ")
            texts[number] = _plain([heading, *_section(lines, index)])
        else:
            texts[number] = _plain(_paragraph(lines, index))
            paragraphs.append(number)
    for number in paragraphs:
        subclauses = [texts[n] for n in paragraphs if n.startswith(number + ".")]
        texts[number] = "\n\n".join([texts[number], *subclauses])
    return texts


def clause_text(number: str) -> str | None:
    return clause_texts().get(number)


def _section(lines: list[str], heading: int) -> list[str]:
    out = []
    for line in lines[heading + 1 :]:
        if _HEADING.match(line) or line.startswith("!!!"):
            break
        out.append(line)
    return out


def _paragraph(lines: list[str], anchor: int) -> list[str]:
    start = anchor
    while start > 0 and lines[start - 1].strip():
        start -= 1
    return lines[start:anchor]


def _plain(lines: list[str]) -> str:
    """Markdown lines as text to read in a terminal: no bold markers or blank runs."""
    text = "\n".join(line.rstrip() for line in lines).replace("**", "")
    return re.sub(r"\n{3,}", "\n\n", text).strip()
