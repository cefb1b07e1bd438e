"""A record's fields: what the knowledge base tells, overridden by ``--set key=value``.

Facts the knowledge base cannot tell (a change's summary, a complaint's severity …) come only
from ``--set``; without them the scaffold stops with what is missing instead of inventing them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from brmkb import yamlio
from brmkb.scaffold.context import Context, ScaffoldError, unknown
from brmkb.scaffold.frontmatter import Field
from brmkb.schema import ID_RULE, KINDS, is_id


def _values(context: Context, kind: str) -> dict[str, Any]:
    """``--set`` values, typed by the schema: text stays text, other values are read as YAML."""
    properties = KINDS[kind].schema["properties"]
    values: dict[str, Any] = {}
    for key, raw in context.options.values.items():
        if key == "kind" or key not in properties:
            allowed = [k for k in properties if k != "kind"]
            raise ScaffoldError(
                unknown(f"{KINDS[kind].label}字段", key, allowed).replace(
                    "没有", "--set 了未知的", 1
                )
            )
        schema = properties[key]
        if schema.get("type") == "string" or "x-ref" in schema or "format" in schema:
            values[key] = raw
        else:
            try:
                values[key] = yamlio.parse(raw)
            except yamlio.FrontMatterError as error:
                raise ScaffoldError(f"--set {key}=… 的值无法解析：{error}") from None
    return values


def missing_values(kind: str, needed: Iterable[str], examples: dict[str, str]) -> ScaffoldError:
    """The error that lists the ``--set key=value`` options still needed, with examples."""
    properties = KINDS[kind].schema["properties"]
    lines = []
    for key in needed:
        schema = properties[key]
        note = str(schema.get("title", key))
        if "x-labels" in schema:
            note += "，可选 " + "、".join(f"{k}（{v}）" for k, v in schema["x-labels"].items())
        elif "description" in schema:
            note += "：" + str(schema["description"])
        lines.append(f"  --set {key}={examples.get(key, '…')}    # {note}")
    return ScaffoldError(
        f"新建{KINDS[kind].label}还需要以下内容（无法从知识库推断，不会替你编造）：\n"
        + "\n".join(lines)
    )


def fill(
    context: Context,
    kind: str,
    derived: list[Field],
    needed: Sequence[str] = (),
    examples: dict[str, str] | None = None,
    *,
    own: bool = True,
) -> list[Field]:
    """Derived fields overridden by ``--set`` (when ``own``), plus the needed ones, in order.

    A derived value of None is a slot for ``--set`` only: it is dropped when not set.
    """
    values = _values(context, kind) if own else {}
    missing = [key for key in needed if key not in values]
    if missing:
        raise missing_values(kind, missing, examples or {})
    fields = []
    for key, value, comment in derived:
        if key in values:
            fields.append((key, values.pop(key), None))
        elif value is not None:
            fields.append((key, value, comment))
    fields += [(key, value, None) for key, value in values.items()]
    return fields


def title_value(fields: list[Field]) -> str | None:
    """The title in ``fields`` (one from ``--set title=…`` replaces the derived one)."""
    return next((str(v) for k, v, _ in fields if k == "title" and v), None)


def claim_id(context: Context, fields: list[Field], derived: str) -> str:
    """The id in ``fields``; one given with ``--set id=…`` must be well formed and free."""
    record_id = next(v for k, v, _ in fields if k == "id")
    if record_id == derived:
        return record_id
    if not is_id(record_id):
        raise ScaffoldError(
            f"--set id=… 的编号“{repr(str(record_id))[1:-1]}”不可用：编号{ID_RULE}。"
        )
    if context.used(record_id):
        raise ScaffoldError(f"编号“{record_id}”已被 {context.user(record_id)} 使用；请换一个编号。")
    return record_id
