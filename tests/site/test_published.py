"""A published site takes its pages as they arrive: only the ones asked for, in order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from brmkb.site.html import Inserts
from brmkb.site.published import GeneratedPage, Problem, Published


def _head(order: list[str]) -> Published:
    return Published(
        order=order,
        attachments=[],
        service_pages=[],
        gate_lines=[],
        summary="",
        clause_lines={},
        exports={},
    )


def _stream(taken: list[str]) -> Iterator[list[GeneratedPage] | dict[str, bytes]]:
    for batch in (["a.md", "b.md"], ["c.md"]):
        taken.append(batch[0])
        yield [
            GeneratedPage(
                uri,
                f"# {uri}\n",
                Inserts(lead=uri),
                (Problem(f"records/{uri}", 3, "坏链接"),) if uri == "c.md" else (),
            )
            for uri in batch
        ]
    taken.append("exports")
    yield {"calendar.ics": b"BEGIN:VCALENDAR"}


def test_pages_are_taken_only_when_asked_for_and_in_batches() -> None:
    taken: list[str] = []
    site = _head(["a.md", "b.md", "c.md"])
    site.follow(_stream(taken))
    assert site.inserts("index.md") is None and taken == []  # not generated: no wait
    assert site.content("b.md") == "# b.md\n" and taken == ["a.md"]
    assert site.inserts("a.md") == Inserts(lead="a.md") and taken == ["a.md"]
    assert site.content("c.md") == "# c.md\n" and taken == ["a.md", "c.md"]
    assert site.finish() == {"calendar.ics": b"BEGIN:VCALENDAR"} and taken[-1] == "exports"
    assert site.finish() == {"calendar.ics": b"BEGIN:VCALENDAR"}  # once is enough


def test_problems_are_reported_as_their_pages_arrive() -> None:
    site = _head(["a.md", "b.md", "c.md"])
    site.follow(_stream([]))
    reported: list[Problem] = []
    site.report_problems(reported.append)
    site.content("a.md")
    assert reported == []
    site.content("c.md")
    assert reported == [Problem("records/c.md", 3, "坏链接")]


def test_a_page_that_never_arrives_is_an_error_not_a_blank_page() -> None:
    site = _head(["a.md", "missing.md"])
    site.follow(_stream([]))
    with pytest.raises(RuntimeError, match=r"missing\.md"):
        site.content("missing.md")
    with pytest.raises(KeyError):
        site.content("elsewhere.md")
