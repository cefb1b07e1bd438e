"""Hostile record bodies: filter-evasion shapes of script injection, and bodies that crashed the
build. ``FILES`` is the seeded knowledge base with these in its bodies; its pages must show no
dialog, run no script and report no Content-Security-Policy violation."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tests.site import kbs

#: Every vector sets off ``alert`` if it runs. Those that open an element they never close
#: come last in a body (they may take what follows as their text).
VECTORS: list[str] = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.invalid/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#49;&#41;>",
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG """><SCRIPT>alert(1)</SCRIPT>">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">x</text></a></svg>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "<details open ontoggle=alert(1)><summary>x</summary>y</details>",
    "<body onload=alert(1)>",
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    "<button formaction=javascript:alert(1)>x</button>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<div style="width: expression(alert(1))">x</div>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    "<audio src=x onerror=alert(1)>",
    "<marquee onstart=alert(1)>x</marquee>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<a href="#" onclick="alert(1)">x</a>',
    '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    '<a href="  javascript:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    "<x onclick=alert(1)>x</x>",
    '<div markdown="1" onclick="alert(1)">x</div>',
    "[a](javascript:alert(1))",
    "[a](JaVaScRiPt:alert(1))",
    "[a](vbscript:msgbox(1))",
    "[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[a](&#106;avascript:alert(1))",
    "[a](&#x6A;avascript&#58;alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a][evil]\n\n[evil]: javascript:alert(1)",
    '## 标题 {: onclick="alert(1)" }',
    "## <img src=x onerror=alert(1)>标题",
    "## &lt;img src=x onerror=alert(1)&gt;标题",
    '## 标签 {: data-toc-label="<img src=x onerror=alert(1)>" }',
    '一段文字\n{: onmouseover="alert(1)" }',
    '[链接](https://xss.invalid/){: onclick="alert(1)" }',
    '![图](attachments/a.png){: onerror="alert(1)" }',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<textarea><script>alert(1)</script></textarea>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<img src=x onerror\n=alert(1)>",
    "<img src=x\n  onerror=alert(1)>",
    "[a](javascript\\:alert(1))",
    "[a](javascript&#x3A;alert(1))",
]

#: Bodies that name an element as the theme names its own: Material reads its settings from
#: the first ``#__config`` of the page, which comes after the content (``search`` would be the
#: worker it starts). Each must lose the name and be reported.
CLOBBERING: list[str] = [
    '<p id="__config">{"search": "attachments/evil.txt", "features": []}</p>',
    '<div id="__search">x</div>',
    "<input name=__drawer type=checkbox>",
    '<label for="__palette_0">x</label>',
    "## 标题 {#__config}",
    "一段文字\n{: #__config .note }",
    '## 标题 {: id="__config" }',
]
CLOBBERING_RECORD = "records/svc-xss/monthly/mr-xss-2026-10.md"

#: Record text that crashed the build: the site's old placeholder and raw-block marker; and
#: raw HTML nested deeper than Python-Markdown's recursion allows (the check refuses such a
#: record, so it is no part of FILES; the renderer must survive it all the same).
PLACEHOLDER_BODY = "<!--BRMRAW999999-->\n\n<!--brm-raw--><script>alert(1)</script>\n\n正文。\n"
NESTED_BODY = '<div markdown="1">\n' * 500 + "深处\n" + "</div>\n" * 500

#: Bodies that get the vectors, in order; the placeholder case gets its own.
_BODIES = [
    "records/svc-xss/service.md",
    "records/svc-xss/reviews/rv-xss-2026-10.md",
    "records/svc-xss/minutes/mn-xss-2026-10.md",
    "records/svc-xss/surveys/sv-xss-2026-10.md",
    "records/svc-xss/complaints/cp-xss-001.md",
    "records/waivers/wv-xss-001.md",
    "records/svc-xss/monthly/mr-xss-2026-08.md",
]
PLACEHOLDER_RECORD = "records/svc-xss/monthly/mr-xss-2026-09.md"


def _chunks() -> list[list[str]]:
    size = -(-len(VECTORS) // len(_BODIES))
    return [VECTORS[i : i + size] for i in range(0, len(VECTORS), size)]


FILES: dict[str, str] = dict(kbs.FILES)
for _rel, _chunk in zip(_BODIES, _chunks(), strict=True):
    FILES[_rel] = FILES[_rel] + "\n" + "\n\n".join(_chunk) + "\n"
FILES[PLACEHOLDER_RECORD] += "\n" + PLACEHOLDER_BODY
FILES[CLOBBERING_RECORD] += "\n" + "\n\n".join(CLOBBERING) + "\n"

#: Ids whose pages would take the place of a published file: the records list
#: (``records/index.html``) and an attachment directly in records/ named as the id.
#: Each crashed the build.
FILE_NAMED_IDS = {"index.html": "records/_index.html/", "cp-xss-2.pdf": "records/cp-xss-2.pdf_/"}
FILES["records/cp-xss-2.pdf"] = "%PDF-1.4\n% an attachment named as a record\n"
for _number, _id in enumerate(FILE_NAMED_IDS):
    FILES[f"records/svc-xss/complaints/named-{_number}.md"] = f"""---
kind: complaint
id: {_id}
service: svc-xss
received: 2026-11-18
severity: low
status: open
---

# 投诉 {_id}
"""

#: The pages that show a hostile body (the service page shows the service's body).
PAGES = [
    "services/svc-xss/",
    "records/rv-xss-2026-10/",
    "records/mn-xss-2026-10/",
    "records/sv-xss-2026-10/",
    "records/cp-xss-001/",
    "records/wv-xss-001/",
    "records/mr-xss-2026-08/",
    "records/mr-xss-2026-09/",
    "records/mr-xss-2026-10/",
]


_RUNS = {
    "script",
    "style",
    "iframe",
    "frame",
    "object",
    "embed",
    "form",
    "base",
    "meta",
    "link",
    "textarea",
    "math",
}
_SCHEMES = re.compile(r"^[\x00-\x20]*(javascript|vbscript|data):", re.IGNORECASE)


class Runs(HTMLParser):
    """Elements and attributes of an HTML fragment that could run script or leave the page."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.found: list[str] = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _RUNS:
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style" and "text-align" not in (value or ""):
                self.found.append(f"{tag} {name}")
            elif _SCHEMES.match(value or ""):
                self.found.append(f"{tag} {name}={value}")
