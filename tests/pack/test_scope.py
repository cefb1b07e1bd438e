"""Which records and findings an audit pack's scope keeps."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from brmkb import engine
from brmkb.pack.scope import Scope, ScopeError
from tests.conftest import monthly, record, service

H1 = Scope(date(2026, 1, 1), date(2026, 6, 30), (), date(2026, 6, 30))


def _complaint(id: str, received: str, closed: str | None) -> str:
    status = {"status": "closed", "closed": closed, "resolution": "已处理"} if closed else {}
    return record("complaint", id, service="svc-x", received=received, severity="low",
                  **{"status": "open", **status})  # fmt: skip


def _waiver(id: str, expires: str, **target: str) -> str:
    return record("waiver", id, rule="review-frequency", reason="理由", approved_by="质量管理部",
                  expires=expires, **target)  # fmt: skip


@pytest.fixture
def kept(kb: Callable[[dict], Path]) -> set[str]:
    root = kb(
        {
            "records/svc-x/service.md": service(),
            "records/svc-y/service.md": service("svc-y"),
            "records/svc-x/m1.md": monthly("mr-2025-12", "2025-12"),
            "records/svc-x/m2.md": monthly("mr-2026-06", "2026-06"),
            "records/svc-x/m3.md": monthly("mr-2026-07", "2026-07"),
            "records/svc-y/m4.md": monthly("mr-y-2026-03", "2026-03", service="svc-y"),
            "records/svc-x/c1.md": _complaint("cp-open-since-2025", "2025-11-03", None),
            "records/svc-x/c2.md": _complaint("cp-closed-2025", "2025-11-03", "2025-11-20"),
            "records/svc-x/c3.md": _complaint("cp-closed-in-2026", "2025-12-20", "2026-01-05"),
            "records/w/w1.md": _waiver("wv-live", "2026-12-31", service="svc-x"),
            "records/w/w2.md": _waiver("wv-expired", "2026-03-31", service="svc-x"),
            "records/w/w3.md": _waiver("wv-other", "2026-12-31", service="svc-y"),
        }
    )
    scope = Scope(H1.start, H1.end, ("svc-x",), H1.as_of)
    report = scope.restrict(engine.run(root, H1.as_of))
    assert {f.path for f in report.findings} <= {r.rel for r in report.kb.records}
    return {r.id for r in report.kb.records}


def test_keeps_the_period_of_the_chosen_services(kept: set[str]) -> None:
    assert kept == {"svc-x", "mr-2026-06", "cp-open-since-2025", "cp-closed-in-2026", "wv-live"}


def test_from_after_to() -> None:
    with pytest.raises(ScopeError, match="晚于"):
        Scope(date(2026, 7, 1), date(2026, 6, 30), (), date(2026, 6, 30))


def test_unknown_service_names_the_known_ones(kb: Callable[[dict], Path]) -> None:
    root = kb({"records/svc-x/service.md": service()})
    with pytest.raises(ScopeError, match=r"svc-nope.*svc-x"):
        Scope(H1.start, H1.end, ("svc-nope",), H1.as_of).restrict(engine.run(root, H1.as_of))


def test_a_service_named_in_another_case_says_how_it_is_written(kb: Callable[[dict], Path]) -> None:
    root = kb({"records/SVC-X/service.md": service("SVC-X")})
    with pytest.raises(ScopeError, match="编号大小写不一致（svc-x 应写作 SVC-X）"):
        Scope(H1.start, H1.end, ("svc-x",), H1.as_of).restrict(engine.run(root, H1.as_of))
