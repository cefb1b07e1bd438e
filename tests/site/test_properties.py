"""Property: whatever hostile text the check accepts in a record, the site renders it, every
page parses, and nothing on a page can run script.

Records are the seeded knowledge base with generated text in place of its hostile values (in
titles, names, organizations, decisions, actions, distribution) and in every body. The pages
go through the same steps as in the build (brmkb.site, the site's Markdown settings, the
sanitizer, the placeholders), in process and without MkDocs, so each example stays quick.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from brmkb import engine
from brmkb.site import build as build_site
from brmkb.site.html import as_text, stash, unstash
from tests.site import kbs, xss
from tests.site.conftest import REPO
from tests.site.render import renderer

render = renderer(REPO)

#: Pieces that mean something to YAML, Markdown, HTML, the theme or the site's own machinery.
_PIECES = [
    *xss.VECTORS,
    "<!--BRMRAW000000-->",
    "<!--brm-raw-->",
    "{{ page.title }}",
    "{% raw %}",
    "---",
    "# ",
    "\n",
    "`",
    "*",
    "[x]: #",
    "&amp;",
    "\u2028",
    "\ufeff",
    "{: #__search }",
]

hostile = st.lists(
    st.one_of(st.sampled_from(_PIECES), st.text(max_size=12)), min_size=1, max_size=4
).map("".join)


def _inner(text: str) -> str:
    """Text for inside a YAML double-quoted scalar (JSON's escapes are YAML's too)."""
    return json.dumps(text)[1:-1]


def _files(value: str, other: str, bodies: list[str]) -> dict[str, str]:
    files = {}
    for index, (rel, text) in enumerate(kbs.FILES.items()):
        if rel.endswith(".md"):
            text = text.replace(kbs.XSS_SCRIPT, _inner(value))
            text = text.replace(kbs.XSS_IMG.replace('"', '\\"'), _inner(other))
            text += "\n" + bodies[index % len(bodies)] + "\n"
        files[rel] = text
    return files


def _pages(site) -> dict[str, str]:
    """Every generated page as HTML, made the way the build makes it."""
    out = {}
    for page in site.pages:
        head, _, markdown = page.content.partition("\n---\n")
        meta = yaml.safe_load(head.removeprefix("---\n"))
        assert "<" not in str(meta.get("title", "")), page.src_uri
        inserts = site.inserts.get(page.src_uri)
        if inserts is None:
            markdown, blocks = stash(markdown)
        try:
            html = render(markdown)
        except Exception:
            html = render(as_text(markdown.lstrip("\n")))
        if inserts is not None:
            blocks = []
            html = inserts.place(html, blocks)
        out[page.src_uri] = unstash(html, blocks)
    return out


@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(value=hostile, other=hostile, bodies=st.lists(hostile, min_size=1, max_size=3))
def test_what_the_check_accepts_renders_and_runs_nothing(
    value: str, other: str, bodies: list[str]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = kbs.write(Path(folder), _files(value, other, bodies))
        report = engine.run(root, date.fromisoformat(kbs.AS_OF))
        assume(report.exit_code == 0)
        site = build_site(report)
    for src_uri, html in _pages(site).items():
        assert xss.Runs(html).found == [], src_uri  # parses, and nothing in it runs
        assert "<!--brm-" not in html, src_uri  # every placeholder filled in
