"""Next to each clause of the procedure: the rules that enforce it and their current status."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from brmkb.coverage import NOT_CHECKABLE
from brmkb.procedure import ANCHOR
from brmkb.site import urls
from brmkb.site.html import badge, esc

if TYPE_CHECKING:  # the MkDocs process decorates the page without the renderers
    from brmkb.site.context import Context

#: A numbered clause written as a paragraph: ``**3.1.1** text`` then ``{: #clause-3-1-1 }``.
_CLAUSE = re.compile(
    r"^\*\*(?P<number>\d+(?:\.\d+)+)\*\*(?P<text>[^\n]*)\n"
    r"\{:[ \t]*(?P<id>#clause-[\d-]+)(?P<rest>[^}\n]*)\}[ \t]*$",
    re.MULTILINE,
)


def clause_headings(markdown: str) -> str:
    """Each numbered clause as a heading one level below its parent (3.1.1 under 3.1), styled
    as a paragraph: search then finds it as an entry of its own, titled with its number and
    text, and it gets a permalink. (mkdocs.yml keeps these levels out of the page's contents.)"""

    def heading(match: re.Match[str]) -> str:
        level = min(match["number"].count(".") + 2, 6)
        rest = match["rest"].strip()
        return (
            f"{'#' * level} **{match['number']}**{match['text']} "
            f"{{: {match['id']} .brm-clause{' ' + rest if rest else ''} }}"
        )

    return _CLAUSE.sub(heading, markdown)


def clause_lines(ctx: Context, here: str = urls.PROCEDURE) -> dict[str, str]:
    """Per numbered clause (``3.1.1``), the line that goes under it: its rules with their
    status, or why no record can show it."""
    by_clause: dict[str, list] = {}
    for rule in ctx.rules:
        for clause in rule.clauses:
            by_clause.setdefault(clause, []).append(rule)
    lines = {
        clause: '<p class="brm-rules"><span class="brm-rules__label">检查规则</span> '
        + " ".join(_badge(ctx, here, rule) for rule in rules)
        + "</p>"
        for clause, rules in by_clause.items()
    }
    for clause, reason in NOT_CHECKABLE.items():
        lines.setdefault(
            clause,
            '<p class="brm-rules brm-rules--none"><span class="brm-rules__label">不由记录检查</span> '
            f"{esc(reason)}</p>",
        )
    return lines


def decorate(lines: dict[str, str], markdown: str) -> str:
    """``markdown`` with its clauses as headings and each clause's line (see ``clause_lines``)
    after its anchor."""

    def add(match: re.Match[str]) -> str:
        line = lines.get(match["number"].replace("-", "."))
        return f"{match.group(0)}\n\n{line}\n" if line else match.group(0)

    return ANCHOR.sub(add, clause_headings(markdown))


def _badge(ctx: Context, here: str, rule) -> str:
    state = ctx.index.rule(rule.id, ctx.enabled(rule))
    if state.open:
        href = ctx.href(here, urls.DASHBOARD, urls.findings_anchor(rule.id))
    else:
        href = ctx.href(here, urls.RULES, urls.rule_anchor(rule.id))
    title = f"{rule.id}：{rule.summary}（{state.text}）"
    return badge(f"{rule.title} · {state.text}", state.css, href=href, title=title)
