"""Validate front matter against the declared schema and explain failures in Chinese."""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import fastjsonschema

from brmkb.dates import MAX_YEAR, MIN_YEAR, is_iso_date, is_iso_month, iso_hint, looks_iso
from brmkb.schema import ID_MAX, ID_PATTERN, ID_RULE, KINDS, Pattern, Schema, fields_with

_FORMATS = {"date": is_iso_date, "month": is_iso_month}
_TYPE_NAMES = {
    "string": "文本",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "array": "列表（每项以 - 开头）",
    "object": "键值映射（下一行缩进书写 键: 值）",
    "null": "空值",
}


@dataclass(frozen=True, slots=True)
class Problem:
    """A schema violation at a key path, before it is placed on a file line."""

    path: tuple[str | int, ...]
    message: str
    rule: str = "schema"


@cache
def _fast(kind: str) -> Any:
    return fastjsonschema.compile(KINDS[kind].schema, formats=_FORMATS)


def warm_validators() -> None:
    """Compile every kind's validator now (before forking workers that would each compile)."""
    for kind in KINDS:
        _fast(kind)


@cache
def _explainer(kind: str) -> Any:
    import jsonschema  # only needed when a record is invalid

    checker = jsonschema.FormatChecker(formats=())
    for name, test in _FORMATS.items():
        checker.checks(name)(lambda value, test=test: not isinstance(value, str) or test(value))
    return jsonschema.Draft202012Validator(KINDS[kind].schema, format_checker=checker)


def validate(kind: str, data: dict) -> list[Problem]:
    """Problems of ``data`` as a record of ``kind``; empty when valid (the fast path)."""
    try:
        _fast(kind)(data)
    except fastjsonschema.JsonSchemaValueException:
        pass
    else:
        return [*_span(data), *_periods(data)] if kind == "service" else []
    problems = {p: None for e in _explainer(kind).iter_errors(data) for p in _explain(e)}
    return sorted(problems, key=lambda p: [str(s) for s in p.path])


def _span(service: dict) -> Iterator[Problem]:
    """A service that ends before it starts would owe nothing at all: a silent pass. Dates are
    still ISO strings here, which sort as dates."""
    if service.get("end") is not None and service["end"] < service["start"]:
        yield Problem(
            ("end",),
            f"服务结束日期 {service['end']} 早于开始日期 {service['start']}；"
            "这样的服务没有任何义务可查，请核对 start 和 end。",
        )


def _periods(service: dict) -> Iterator[Problem]:
    """Periods of one satisfaction indicator that overlap or run backwards: which definition
    judges a survey would be ambiguous. Dates are still ISO strings here, which sort as dates."""
    seen: dict[str, list[tuple[str, str, int]]] = {}
    for index, item in enumerate(service.get("satisfaction", [])):
        first, last = item.get("from", ""), item.get("until", "9999-12-31")
        shown = f"{first or '不限'} 至 {item.get('until', '不限')}"
        if first > last:
            yield Problem(
                ("satisfaction", index, "until"),
                f"指标“{item['id']}”的 until {last} 早于 from {first}；请核对时段。",
            )
            continue
        for other_first, other_last, other in seen.get(item["id"], []):
            if first <= other_last and other_first <= last:
                yield Problem(
                    ("satisfaction", index, "from" if "from" in item else "id"),
                    f"指标“{item['id']}”的时段（{shown}）与第 {other + 1} 项同一指标的时段重叠；"
                    "同一指标的各时段不能重叠：请给旧定义写 until、给新定义写 from（如 until: 2026-06-30、"
                    "from: 2026-07-01）。",
                )
                break
        seen.setdefault(item["id"], []).append((first, last, index))


def _explain(error: Any) -> Iterator[Problem]:
    path = tuple(error.absolute_path)
    handler = _HANDLERS.get(error.validator, _generic)
    yield from handler(error, path)


def field_name(path: Sequence[str | int]) -> str:
    text = ""
    for step in path:
        text += f"[{step + 1}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text or "头信息"


def _required(error: Any, path: tuple) -> Iterator[Problem]:
    name = error.message.split("'")[1]
    title = _title(error.schema, name)
    # Placed at the missing key: its parent's line, or the front matter's first line.
    yield Problem((*path, name), f"缺少必填字段“{field_name((*path, name))}”（{title}）；请补上。")


def _additional(error: Any, path: tuple) -> Iterator[Problem]:
    allowed = list(error.schema.get("properties", {}))
    for key in error.instance:
        if key in allowed:
            continue
        guess = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
        hint = f"是否想写“{guess[0]}”？" if guess else f"可用字段：{'、'.join(allowed)}。"
        step = str(key)  # a key like 2025 is an int: name it, do not treat it as a list index
        yield Problem((*path, step), f"未知字段“{field_name((*path, step))}”；{hint}")


def _type(error: Any, path: tuple) -> Iterator[Problem]:
    if error.schema.get("format") in _FORMATS and isinstance(error.instance, int | float):
        # 20260605 or 2026.10: YAML read a number where a date was meant
        example = (
            '并加引号，例如 "2026-10"' if error.schema["format"] == "month" else "，例如 2026-06-05"
        )
        yield Problem(
            path,
            f"字段“{field_name(path)}”的值 {error.instance!r} 被读成了数字；请写成 ISO 日期{example}。",
            "date-format",
        )
        return
    if "propertyNames" in error.relative_schema_path:
        yield Problem(
            path,
            f"字段“{field_name(path)}”的键 {error.instance!r} 应为文本；"
            f'请加引号（如 "{error.instance}"），并与服务档案中定义的编号一致。',
        )
        return
    expected = error.validator_value
    names = [expected] if isinstance(expected, str) else expected
    wanted = "或".join(_TYPE_NAMES.get(n, n) for n in names)
    yield Problem(path, f"字段“{field_name(path)}”应为{wanted}，这里写的是 {error.instance!r}。")


def _format(error: Any, path: tuple) -> Iterator[Problem]:
    is_month = error.validator_value == "month"
    form, example = ("YYYY-MM", "2026-06") if is_month else ("YYYY-MM-DD", "2026-06-05")
    hint = iso_hint(error.instance, month=is_month)
    other = iso_hint(error.instance, month=not is_month)
    if hint:
        fix = f"应写作 {hint}"
    elif other and is_month:  # a whole date where a month is asked for
        fix = f"这里要写月份，不写日：应写作 {other[:7]}"
    elif other:  # a month where a day is asked for
        fix = f"只写了月份 {other}，缺少日：请写成具体日期，例如 {other}-01"
    elif looks_iso(error.instance):
        fix = f"日历上没有这一天（或这个月），或年份不在 {MIN_YEAR}–{MAX_YEAR} 之间，请核对"
    else:
        fix = f"应写成 ISO 格式 {form}，例如 {example}"
    yield Problem(
        path,
        f"字段“{field_name(path)}”的值“{error.instance}”不是有效的 {form} 日期；{fix}。",
        "date-format",
    )


def _enum(error: Any, path: tuple) -> Iterator[Problem]:
    labels = error.schema.get("x-labels", {})
    options = "、".join(
        f"{v}（{labels.get(v, '')}）" if labels else str(v) for v in error.validator_value
    )
    guess = difflib.get_close_matches(
        str(error.instance), [str(v) for v in error.validator_value], 1
    )
    hint = f"是否想写“{guess[0]}”？" if guess else ""
    yield Problem(
        path, f"字段“{field_name(path)}”的值“{error.instance}”不在可选范围内：{options}。{hint}"
    )


def _pattern(error: Any, path: tuple) -> Iterator[Problem]:
    value = error.instance
    shown = value if len(value) <= ID_MAX else f"{value[:40]}…（共 {len(value)} 个字符）"
    if error.validator_value != ID_PATTERN:
        yield Problem(path, f"字段“{field_name(path)}”的值“{shown}”格式不对{_form(error)}。")
        return
    yield Problem(
        path,
        f"字段“{field_name(path)}”的值“{shown}”不是有效的编号；编号{ID_RULE}，"
        "例如 CHG-2025-001、rv-desktop-2026-06。",
    )


def _bound(error: Any, path: tuple) -> Iterator[Problem]:
    least = error.validator == "minimum"
    yield Problem(
        path,
        f"字段“{field_name(path)}”的值 {error.instance!r} {'小于最小值' if least else '大于最大值'} "
        f"{error.validator_value}{_form(error)}。",
    )


def _form(error: Any) -> str:
    """What the field should look like, when its schema says (``x-form``)."""
    form = error.schema.get("x-form")
    return f"；应为{form}" if form else ""


def _empty(error: Any, path: tuple) -> Iterator[Problem]:
    yield Problem(path, f"字段“{field_name(path)}”不能为空；请填写内容或删除该字段。")


def _any_of(error: Any, path: tuple) -> Iterator[Problem]:
    if not error.context:
        yield from _generic(error, path)
        return
    if all(sub.validator == "required" for sub in error.context):
        names = "”或“".join(sub.message.split("'")[1] for sub in error.context)
        yield Problem(path, f"须填写“{names}”中的至少一个字段。")
        return
    # The branch that got furthest explains best; at equal depth, a branch that failed on more
    # than its type (an unknown key, an empty list) is the one the author meant.
    deepest = max(_leaves(error), key=lambda sub: (len(sub.absolute_path), sub.validator != "type"))
    yield from _explain(deepest)


def _leaves(error: Any) -> Iterator[Any]:
    for sub in error.context:
        if sub.validator == "anyOf" and sub.context:
            yield from _leaves(sub)
        else:
            yield sub


def _generic(error: Any, path: tuple) -> Iterator[Problem]:
    yield Problem(path, f"字段“{field_name(path)}”不符合要求：{error.message}。")


def _title(schema: Schema, name: str) -> str:
    return schema.get("properties", {}).get(name, {}).get("title", name)


_HANDLERS = {
    "required": _required,
    "additionalProperties": _additional,
    "type": _type,
    "format": _format,
    "enum": _enum,
    "pattern": _pattern,
    "minimum": _bound,
    "maximum": _bound,
    "minLength": _empty,
    "minItems": _empty,
    "anyOf": _any_of,
}


def coerce_dates(kind: str, data: dict) -> dict:
    """Turn the validated ``format: date`` strings of a record into ``date`` objects, in place."""
    for pattern, _ in fields_with(kind, "format", "date"):
        _coerce(data, pattern)
    return data


def _coerce(value: Any, pattern: Pattern) -> Any:
    if not pattern:
        return date.fromisoformat(value) if isinstance(value, str) else value
    step, rest = pattern[0], pattern[1:]
    if step is None:
        return [_coerce(item, rest) for item in value] if isinstance(value, list) else value
    if isinstance(value, dict) and step in value:
        value[step] = _coerce(value[step], rest)
    return value
