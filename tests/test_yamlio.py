"""The front-matter parser's fast path gives exactly what PyYAML's own constructor gives."""

from __future__ import annotations

import pytest
import yaml

from brmkb import yamlio

CASES = [
    "kind: review\nid: rv-1\ndate: 2026-06-05\ninputs: [a, 1, 2.5, true, null, ~, '', x]\n",
    "a:\n  - b: [c, {d: [e]}]\n  - 0x1F\n  - 1_000\n  - .inf\n  - 0o17\n  - 1e3\n",
    "2025: x\n1.5: y\ntrue: z\nnull: w\n",
    "<<: {a: 1}\nb: 2\n",
    "=: 1\n",
    "? [a]\n: 1\n",
    "a: !!str 1\nb: !!int '3'\nc: !!binary aGVsbG8=\nd: !!set {a, b}\ne: !!omap [a: 1]\n",
    "a: !!timestamp 2026-01-01\n",
    "a: !!str [x]\n",
    "a: !custom x\n",
    "a: !!python/name:os.system x\n",
    "a: 1\na: 2\n",
    "- a\n- b\n",
    "just text",
    "",
]


def _outcome(text: str, loader: type) -> object:
    try:
        return ("value", repr(yaml.load(text, Loader=loader)))
    except yaml.YAMLError as error:
        return ("error", type(error).__name__, str(error))
    except yamlio._Repeated as error:
        return ("repeated", error.key, error.line)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("a: 1\na: 2\n", 2),
        ("a:\n  - b: 1\n    c: 2\n    b: 3\n", 4),
        ("a: {b: 1, b: 2}\n", 1),
        ("x: &x 1\na:\n  b: *x\n  b: 2\n", 4),  # with an alias: PyYAML's own constructor
    ],
)
def test_a_key_written_twice_at_any_depth_is_an_error(text: str, line: int) -> None:
    with pytest.raises(yamlio.FrontMatterError, match="写了两次") as raised:
        yamlio.parse(text)
    assert raised.value.line == line


def test_a_merge_may_bring_a_key_written_again() -> None:
    assert yamlio.parse("b: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n")["c"] == {"x": 3, "y": 2}


@pytest.mark.parametrize("text", CASES)
def test_plain_loader_matches_pyyaml(text: str) -> None:
    assert _outcome(text, yamlio._PlainLoader) == _outcome(text, yamlio.RecordLoader)


def test_dates_stay_text() -> None:
    assert yamlio.parse("date: 2026-06-05\n") == {"date": "2026-06-05"}


def test_aliases_still_share_one_value() -> None:
    data = yamlio.parse("a: &x [1, 2]\nb: *x\n")
    assert data == {"a": [1, 2], "b": [1, 2]} and data["a"] is data["b"]
