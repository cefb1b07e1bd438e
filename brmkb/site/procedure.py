"""Next to each clause of the procedure: the rules that enforce it and their current status."""

from __future__ import annotations

import re

from brmkb.coverage import NOT_CHECKABLE
from brmkb.procedure import ANCHOR
from brmkb.site import urls
from brmkb.site.context import Context
from brmkb.site.html import badge, esc

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
    """``markdown`` with its clause's line (see ``clause_lines``) after every clause anchor."""

    def add(match: re.Match[str]) -> str:
        line = lines.get(match["number"].replace("-", "."))
        return f"{match.group(0)}\n\n{line}\n" if line else match.group(0)

    return ANCHOR.sub(add, markdown)


def _badge(ctx: Context, here: str, rule) -> str:
    state = ctx.index.rule(rule.id, ctx.enabled(rule))
    if state.open:
        href = ctx.href(here, urls.DASHBOARD, urls.findings_anchor(rule.id))
    else:
        href = ctx.href(here, urls.RULES, urls.rule_anchor(rule.id))
    title = f"{rule.summary}（{state.text}）"
    return badge(f"{rule.id} · {state.text}", state.css, href=href, title=title)
