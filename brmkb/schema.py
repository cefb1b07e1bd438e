"""The record contract, declared once as JSON Schema.

The same declaration validates records (compiled by fastjsonschema for the common, valid
case; jsonschema explains the rare invalid one in full), is exported for editors by
``brmkb schema``, and documents every field on the site. ``x-labels`` gives enum values
their Chinese names; ``x-ref`` names the record kinds a reference may point to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

#: A record id: ASCII letters in either case, digits, ``.``, ``_`` and ``-``, starting with a
#: letter or digit, at most ``ID_MAX`` characters. ``\Z`` (not ``$``, which also matches before
#: a final newline) so that ``"ch-nl\n"`` is refused; ``export`` writes it as ``$`` for ECMA-262.
ID_MAX = 100
ID_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{ID_MAX - 1}}}\Z"
_ID = re.compile(ID_PATTERN)
#: The rule in words, for messages: "编号{ID_RULE}".
ID_RULE = (
    f"只能包含英文字母（大小写均可）、数字、点、下划线和连字符，以字母或数字开头，"
    f"不超过 {ID_MAX} 个字符，不能含空格或换行"
)
SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"

Schema = dict[str, Any]


def is_id(value: object) -> bool:
    """Whether ``value`` is a well-formed record id (the whole string, no trailing newline)."""
    return isinstance(value, str) and _ID.match(value) is not None


def id_key(record_id: str) -> str:
    """What makes two ids the same: ids differing only in case would collide as page and file
    names on case-insensitive file systems, so they are one id (``CHG-1`` is ``chg-1``). It is
    also the lower-case slug of the record's page and files."""
    return record_id.lower()


def text(title: str, description: str = "") -> Schema:
    return _doc({"type": "string", "minLength": 1}, title, description)


def texts(title: str, description: str = "") -> Schema:
    return _doc({"type": "array", "items": {"type": "string", "minLength": 1}}, title, description)


def day(title: str, description: str = "") -> Schema:
    return _doc({"type": "string", "format": "date"}, title, description or "ISO 日期 YYYY-MM-DD")


def month(title: str, description: str = "") -> Schema:
    return _doc({"type": "string", "format": "month"}, title, description or "月份 YYYY-MM")


def choice(title: str, labels: dict[str, str], description: str = "") -> Schema:
    return _doc({"enum": list(labels), "x-labels": labels}, title, description)


def ref(title: str, kinds: Iterable[str], description: str = "") -> Schema:
    schema = {"type": "string", "pattern": ID_PATTERN, "x-ref": list(kinds)}
    return _doc(schema, title, description)


def refs(title: str, kinds: Iterable[str], description: str = "") -> Schema:
    item = {"type": "string", "pattern": ID_PATTERN, "x-ref": list(kinds)}
    return _doc({"type": "array", "items": item}, title, description)


def obj(properties: dict[str, Schema], required: Iterable[str] = (), **extra: Any) -> Schema:
    return {
        "type": "object",
        "properties": properties,
        "required": list(required),
        "additionalProperties": False,
        **extra,
    }


def _doc(schema: Schema, title: str, description: str = "") -> Schema:
    schema["title"] = title
    if description:
        schema["description"] = description
    return schema


PARTIES = {
    "internal": "内部部门",
    "customer": "客户",
    "supplier": "供应商",
    "external": "其他外部组织",
}
REVIEW_TYPES = {
    "periodic": "定期服务评审",
    "annual": "年度服务评审",
    "additional": "追加评审",
    "adhoc": "临时性评审",
}
INPUTS = {
    "service_contract": "服务合同",
    "project_plan": "项目策划书",
    "project_schedule": "项目计划表",
    "project_summary": "项目总结报告",
    "monthly_reports": "服务月报",
}
REVISES = {"service_contract": "服务合同", "project_plan": "项目策划书"}

_EXTERNAL_DOC = obj(
    {
        "external": text("外部文件编号", "文件控制系统中的文件编号"),
        "version": _doc({"type": ["string", "number"]}, "版本", '建议加引号，如 "1.0"'),
    },
    required=["external"],
)
_INPUT_REF = {
    "anyOf": [
        _doc(
            {"type": "string", "minLength": 1},
            "文件路径或记录 id",
            "相对于本记录文件的路径（须在仓库内且存在），或服务月报等记录的 id",
        ),
        _EXTERNAL_DOC,
    ]
}
_INPUT = {"anyOf": [_INPUT_REF, {"type": "array", "minItems": 1, "items": _INPUT_REF}]}

_PREPARED_BY = text("拟制部门", "输出记录的拟制部门；不写时为策略中的拟制部门（服务部）")
_COMMON = {
    "id": _doc(
        {"type": "string", "pattern": ID_PATTERN},
        "记录编号",
        f"全库唯一（不区分大小写）；英文字母（大小写均可）、数字、.、_、-，以字母或数字开头，"
        f"不超过 {ID_MAX} 个字符，如 CHG-2025-001",
    ),
    "title": text("标题", "页面显示的标题；不写时取正文第一个一级标题"),
}


@dataclass(frozen=True, slots=True)
class Kind:
    """One record kind: its name, Chinese label, the clauses it serves and its fields."""

    name: str
    label: str
    clauses: tuple[str, ...]
    properties: dict[str, Schema]
    required: tuple[str, ...]
    extra: tuple[tuple[str, Any], ...] = ()

    @property
    def schema(self) -> Schema:
        return _kind_schema(self.name)

    def build_schema(self) -> Schema:
        properties = {
            "kind": _doc({"const": self.name}, "记录类型", self.label),
            **_COMMON,
            **self.properties,
        }
        schema = obj(properties, ("kind", "id", *self.required), **dict(self.extra))
        schema["title"] = self.label
        schema["x-clauses"] = list(self.clauses)
        return schema


_ATTENDEE = obj(
    {
        "name": text("姓名"),
        "org": text("单位", "所在组织；供应商和外部组织须与服务档案中的名称一致"),
        "dept": text("部门"),
        "party": choice("参与方类别", PARTIES),
    },
    required=["name", "org", "party"],
)
_ACTION = obj(
    {
        "id": text("行动项编号"),
        "text": text("内容"),
        "owner": text("责任人"),
        "due": day("计划完成日期"),
        "status": choice("状态", {"open": "未完成", "done": "已完成"}),
        "done": day("实际完成日期", "状态为 done 时必填"),
        "revises": choice("修订对象", REVISES, "与客户达成一致、需要修订的文件（3.1.8）"),
        "addresses": ref(
            "针对的调查或投诉", ["survey", "complaint"], "改进措施所针对的记录（3.2.3）"
        ),
    },
    required=["id", "text", "owner", "due", "status"],
)
_INDICATOR = obj(
    {
        "id": _doc({"type": "string", "pattern": ID_PATTERN}, "指标编号"),
        "name": text("指标名称"),
        "target": _doc({"type": "number"}, "目标值"),
        "scale": _doc({"type": "integer", "minimum": 1}, "满分", "默认 5"),
        "higher_is_better": _doc({"type": "boolean"}, "越高越好", "默认 true"),
        "from": day(
            "生效日期",
            "此定义从这一天起生效（含当天）；不写则自服务开始起生效。修订目标时，"
            "同一指标编号可再写一项，用 from/until 划分不重叠的时段（3.1.8）",
        ),
        "until": day("失效日期", "此定义生效到这一天为止（含当天）；不写则一直有效"),
    },
    required=["id", "name", "target"],
)

KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind(
            "service",
            "服务项目档案",
            ("1.2", "2", "3.2.2"),
            {
                "name": text("服务名称"),
                "customer": text("客户", "客户单位名称"),
                "project_manager": text("项目经理"),
                "start": day("服务开始日期"),
                "end": day("服务结束日期", "结束后不再有评审等义务"),
                "departments": texts("参与的内部部门", "如 服务部、销售部门"),
                "suppliers": texts("供应商", "须参加服务评审的供应商"),
                "external": texts("其他外部组织", "须参加服务评审的其他外部组织"),
                "satisfaction": _doc(
                    {"type": "array", "items": _INDICATOR},
                    "客户满意度指标",
                    "来自《项目策划书》的指标及目标（3.2.2）",
                ),
            },
            ("name", "customer", "project_manager", "start"),
        ),
        Kind(
            "review",
            "服务评审报告",
            ("3.1.1", "3.1.2", "3.1.3", "3.1.4", "3.1.5", "3.1.6", "3.1.7", "3.1.8", "4"),
            {
                "service": ref("服务项目", ["service"]),
                "type": choice("评审类型", REVIEW_TYPES),
                "date": day("评审日期"),
                "organizer": text("组织者"),
                "organizer_dept": text("组织部门"),
                "prepared_by": _PREPARED_BY,
                "change": ref("合同变更", ["change"], "追加评审所针对的合同变更"),
                "phase": choice("追加评审阶段", {"before": "变更前", "after": "变更后"}),
                "request": ref("客户请求", ["request"], "临时性评审所响应的客户请求"),
                "inputs": _doc(
                    {
                        "type": "object",
                        "properties": {
                            key: _doc(dict(_INPUT), label) for key, label in INPUTS.items()
                        },
                        "additionalProperties": False,
                    },
                    "评审输入",
                    "3.1.5 要求的输入记录：文件路径、记录 id 或 {external: 编号, version: 版本}",
                ),
                "covers": _doc(
                    {
                        "type": ["integer", "string"],
                        "minimum": 1000,
                        "maximum": 9999,
                        "pattern": "^[0-9]{4}$",
                        "x-form": "四位数的年份（YYYY），例如 2025",
                    },
                    "覆盖年度",
                    "年度评审所针对的年度（YYYY）；不写则为评审日期所在的年度。"
                    "次年年初宽限期内补开上一年度的年度评审时必须写（3.1.5）",
                ),
                "discusses": refs(
                    "讨论的记录",
                    ["survey", "complaint", "change"],
                    "本次评审讨论的调查、投诉或变更（3.2.4）",
                ),
            },
            ("service", "type", "date", "organizer", "organizer_dept"),
            (
                (
                    "allOf",
                    [
                        {
                            "if": {
                                "properties": {"type": {"const": "additional"}},
                                "required": ["type"],
                            },
                            "then": {"required": ["change", "phase"]},
                        },
                        {
                            "if": {
                                "properties": {"type": {"const": "adhoc"}},
                                "required": ["type"],
                            },
                            "then": {"required": ["request"]},
                        },
                    ],
                ),
            ),
        ),
        Kind(
            "minutes",
            "会议纪要",
            ("3.1.2", "3.1.8", "3.1.9", "4"),
            {
                "review": ref("评审", ["review"]),
                "date": day("会议日期"),
                "attendees": _doc({"type": "array", "items": _ATTENDEE}, "参会人员"),
                "distribution": texts("发放部门", "纪要发放到的部门（3.1.9）"),
                "decisions": texts("决议"),
                "actions": _doc({"type": "array", "items": _ACTION}, "行动项"),
                "prepared_by": _PREPARED_BY,
            },
            ("review", "date", "attendees"),
        ),
        Kind(
            "change",
            "合同变更",
            ("3.1.3", "3.1.6"),
            {
                "service": ref("服务项目", ["service"]),
                "date": day("生效日期"),
                "major": _doc(
                    {"type": "boolean"}, "重大变更", "true 表示重大合同变更，需前后追加评审"
                ),
                "summary": text("变更摘要"),
            },
            ("service", "date", "major", "summary"),
        ),
        Kind(
            "request",
            "客户临时评审请求",
            ("3.1.4", "3.1.7"),
            {
                "service": ref("服务项目", ["service"]),
                "date": day("收到日期"),
                "requested_by": text("请求人"),
                "subject": text("事由"),
            },
            ("service", "date", "requested_by", "subject"),
        ),
        Kind(
            "survey",
            "客户满意度调查结果",
            ("3.2",),
            {
                "service": ref("服务项目", ["service"]),
                "date": day("调查日期"),
                "period": text("调查周期", "如 2026-H1"),
                "responses": _doc({"type": "integer", "minimum": 0}, "有效答卷数"),
                "scores": _doc(
                    {
                        "type": "object",
                        "propertyNames": {"type": "string"},
                        "additionalProperties": {"type": "number"},
                    },
                    "得分",
                    "指标编号 → 得分",
                ),
            },
            ("service", "date", "responses", "scores"),
        ),
        Kind(
            "complaint",
            "客户投诉",
            ("3.3",),
            {
                "service": ref("服务项目", ["service"]),
                "received": day("收到日期"),
                "severity": choice("严重程度", {"low": "一般", "medium": "较重", "high": "严重"}),
                "status": choice("状态", {"open": "处理中", "closed": "已关闭"}),
                "closed": day("关闭日期", "状态为 closed 时必填"),
                "resolution": text("处理结果", "状态为 closed 时必填"),
            },
            ("service", "received", "severity", "status"),
        ),
        Kind(
            "monthly-report",
            "服务月报",
            ("3.1.5", "3.2.4", "4"),
            {
                "service": ref("服务项目", ["service"]),
                "month": month("月份"),
                "deviations": refs(
                    "记录的满意度偏差", ["survey"], "本月报记录其偏差的调查（3.2.4）"
                ),
                "prepared_by": _PREPARED_BY,
            },
            ("service", "month"),
        ),
        Kind(
            "waiver",
            "合规豁免",
            (),
            {
                "rule": _doc(
                    {"type": ["string", "number"], "minLength": 1},
                    "规则或条款",
                    "规则编号（如 review-frequency）或条款号（如 3.1.1；写 3.2 或 4 时可不加引号）",
                ),
                "service": ref("服务项目", ["service"]),
                "record": ref("记录", []),
                "reason": text("理由"),
                "approved_by": text("批准人"),
                "expires": day("失效日期"),
            },
            ("rule", "reason", "approved_by", "expires"),
            (("anyOf", [{"required": ["service"]}, {"required": ["record"]}]),),
        ),
    )
}


def export() -> Schema:
    """One JSON Schema for every record file, for editors and outside tools (their patterns in
    ECMA-262, where ``$`` without the multiline flag is the end of the string)."""
    return _ecma(
        {
            "$schema": SCHEMA_URI,
            "$id": "https://brmkb.invalid/schema/record.json",
            "title": "brmkb 记录",
            "type": "object",
            "required": ["kind", "id"],
            "properties": {"kind": choice("记录类型", {k.name: k.label for k in KINDS.values()})},
            "allOf": [
                {
                    "if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
                    "then": {"$ref": f"#/$defs/{kind.name}"},
                }
                for kind in KINDS.values()
            ],
            "$defs": {kind.name: kind.schema for kind in KINDS.values()},
        }
    )


def _ecma(schema: Any) -> Any:
    if isinstance(schema, dict):
        return {
            key: value.replace("\\Z", "$")
            if key == "pattern" and isinstance(value, str)
            else _ecma(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_ecma(item) for item in schema]
    return schema


@cache
def _kind_schema(name: str) -> Schema:
    """Each kind's schema is built once: validation and the rules consult it per record."""
    return KINDS[name].build_schema()


#: A place in a record: keys, and None for "every item of this list".
Pattern = tuple[str | None, ...]


@cache
def fields_with(kind: str, keyword: str, value: Any = None) -> tuple[tuple[Pattern, Schema], ...]:
    """Where the fields whose schema has ``keyword`` (equal to ``value``, if given) sit in a
    record of ``kind``: computed once per kind instead of walking the schema per record."""
    found: list[tuple[Pattern, Schema]] = []

    def visit(schema: Schema, pattern: Pattern) -> None:
        if keyword in schema and (value is None or schema[keyword] == value):
            found.append((pattern, schema))
            return
        for key, sub in schema.get("properties", {}).items():
            visit(sub, (*pattern, key))
        if isinstance(schema.get("items"), dict):
            visit(schema["items"], (*pattern, None))

    visit(_kind_schema(kind), ())
    return tuple(found)


def values_at(data: Any, pattern: Pattern) -> list[tuple[tuple[str | int, ...], Any]]:
    """The (key path, value) pairs of ``data`` that ``pattern`` names (a list: a check asks
    for every reference field of every record, mostly top-level ones)."""
    if len(pattern) == 1 and pattern[0] is not None:  # a top-level field, the common case
        if isinstance(data, dict) and pattern[0] in data:
            return [(pattern, data[pattern[0]])]
        return []
    found: list[tuple[tuple[str | int, ...], Any]] = []
    _walk(data, pattern, (), found)
    return found


def _walk(value: Any, rest: Pattern, path: tuple, found: list) -> None:
    """``values_at`` below ``path``. A module function: a nested one that calls itself would
    be a reference cycle, left for the collector, for every record asked."""
    if not rest:
        found.append((path, value))
        return
    step, tail = rest[0], rest[1:]
    if step is None:
        if isinstance(value, list):
            for index, item in enumerate(value):
                _walk(item, tail, (*path, index), found)
    elif isinstance(value, dict) and step in value:
        _walk(value[step], tail, (*path, step), found)
