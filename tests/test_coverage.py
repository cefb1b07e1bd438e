"""Every numbered clause of the procedure is enforced by a rule or has a stated reason."""

from __future__ import annotations

import re

from brmkb.coverage import CLAUSES, NOT_CHECKABLE, coverage
from brmkb.procedure import source


def test_every_clause_is_covered_or_explained() -> None:
    for row in coverage():
        assert bool(row.rules) != bool(row.reason), row.clause


def test_clause_list_matches_the_procedure_page() -> None:
    anchors = set(re.findall(r"#clause-([\d-]+)", source()))
    numbered = {a.replace("-", ".") for a in anchors}
    # 3.1.5.x and 3.1.6.x are items of their parent clause, which is what rules cite
    items = {c for c in numbered if c.count(".") == 3}
    parents = {c.rsplit(".", 1)[0] for c in items}
    leaf = {c for c in numbered - items if not any(o.startswith(c + ".") for o in numbered - items)}
    assert leaf | parents == set(CLAUSES)


def test_reasons_only_for_known_clauses() -> None:
    assert set(NOT_CHECKABLE) <= set(CLAUSES)
