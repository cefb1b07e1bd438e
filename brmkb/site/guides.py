"""Guides generated from the code, so they never drift from it: what every field means (the
schema), what every rule checks (the rule registry) and which clause each rule enforces."""

from __future__ import annotations

import re
from typing import Any

from brmkb import fieldnotes
from brmkb.coverage import coverage
from brmkb.dates import MONTHS_RULE
from brmkb.policy import DEFAULTS, SETTING_DOCS
from brmkb.registry import Rule, documentation
from brmkb.schema import ID_MAX, ID_PATTERN, KINDS, Kind, Schema
from brmkb.site import urls
from brmkb.site.context import Context
from brmkb.site.html import FAIL, NEUTRAL, PASS, badge, block, demote, esc, esc_code, front_matter, h1, table

# --- fields ----------------------------------------------------------------------------------

#: The guides name every kind of record and rule id many times: they rank below the records
#: and the procedure for those words (a page's search boost is 1 unless it says otherwise).
GUIDE_SEARCH = {"boost": 0.5}


def fields_page(ctx: Context) -> str:
    here = urls.FIELDS
    parts = [
        front_matter("字段说明", search=GUIDE_SEARCH),
        h1("字段说明"),
        "每份记录是一个 Markdown 文件：开头是 `---` 包围的 YAML 头信息（下表中的字段），"
        "其后是正文。本页由记录格式的声明自动生成，与检查工具使用的是同一份定义。\n\n"
        "- 键名用英文小写加下划线；枚举值用英文（下表给出中文含义）；姓名、标题和正文用中文。\n"
        "- 日期一律写作 `YYYY-MM-DD`，月份写作 `YYYY-MM`；`2026/3/5`、`2026年3月5日` 都会报错。\n"
        "- 每份记录都有 `kind`（记录类型）和 `id`（编号）。编号由英文字母（大小写均可）、数字、"
        f"`.`、`_`、`-` 组成，以字母或数字开头，不超过 {ID_MAX} 个字符，如 `CHG-2025-001`、"
        "`rv-hosting-2026-06`。编号全库唯一且**不区分大小写**：`CHG-1` 和 `chg-1` 算重复"
        "（它们在不区分大小写的文件系统上是同一个页面）；记录页面的网址用编号的小写形式。\n"
        "- “引用”类字段写另一份记录的 `id`，按原样匹配，大小写须一致（只差大小写时检查会提示"
        "“编号大小写不一致”）；被引用的记录须存在、类型相符、属于同一服务项目。\n"
        f"- {MONTHS_RULE}“每 N 个月”的期限，到期日当天完成也算按时。\n\n",
        block(_kinds_overview(ctx, here)),
    ]
    for kind in KINDS.values():
        parts.append(_kind_section(ctx, here, kind))
    return "".join(parts)


def _kinds_overview(ctx: Context, here: str) -> str:
    rows = [
        [
            f'<a href="#kind-{esc(k.name)}">{esc(k.label)}</a>',
            f"<code>{esc(k.name)}</code>",
            "、".join(ctx.clause_link(here, c) for c in k.clauses) or "—",
            esc(len(ctx.kb.of_kind(k.name))),
        ]
        for k in KINDS.values()
    ]
    return table(["记录类型", "kind", "对应条款", "本库数量"], rows)


def _kind_section(ctx: Context, here: str, kind: Kind) -> str:
    schema = kind.schema
    required = set(schema["required"])
    out = [f"\n## {kind.label} `{kind.name}` {{#kind-{kind.name}}}\n\n"]
    notes = [f"对应条款：{'、'.join(ctx.clause_link(here, c) for c in kind.clauses) or '—'}。"]
    sample = ctx.kb.of_kind(kind.name)
    if sample:
        notes.append(f"本库中的示例：{ctx.record_link(here, sample[-1])}。")
    notes.extend(esc(n) for n in _conditions(schema))
    out.append(block("<p>" + " ".join(notes) + "</p>"))
    out.append(block(_field_table(schema["properties"], required)))
    for key, prop in schema["properties"].items():
        nested = _nested(prop)
        if nested is not None:
            title = prop.get("title", key)
            out.append(
                block(
                    f'<p class="brm-caption"><code>{esc(key)}</code>（{esc(title)}）的每一项：</p>'
                )
            )
            out.append(block(_field_table(nested["properties"], set(nested.get("required", [])))))
    out.append(fieldnotes.markdown(kind.name))
    return "".join(out)


def _nested(prop: Schema) -> Schema | None:
    if prop.get("type") == "array" and "properties" in prop.get("items", {}):
        return prop["items"]
    if prop.get("type") == "object" and "properties" in prop:
        return prop
    return None


def _field_table(properties: dict[str, Schema], required: set[str]) -> str:
    rows = [
        [
            f"<code>{esc(key)}</code>",
            esc(prop.get("title", "")),
            "必填" if key in required else "可选",
            describe(prop),
            esc(prop.get("description", "")),
        ]
        for key, prop in properties.items()
    ]
    return table(["字段", "名称", "必填", "格式", "说明"], rows, cls="brm-fields")


def describe(schema: Schema) -> str:
    """What a value looks like, in words (HTML)."""
    if "const" in schema:
        return f"固定为 <code>{esc(schema['const'])}</code>"
    if "x-labels" in schema:
        return "取值：" + "；".join(
            f"<code>{esc(value)}</code> {esc(label)}" for value, label in schema["x-labels"].items()
        )
    if "x-ref" in schema:
        return "记录编号，引用" + _kinds(schema["x-ref"])
    if "anyOf" in schema:
        return "、".join(dict.fromkeys(describe(s) for s in schema["anyOf"]))
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items", {})
        if "x-ref" in items:
            return "记录编号列表，引用" + _kinds(items["x-ref"])
        if "properties" in items:
            return "列表，每项的字段见下表"
        return "列表：" + describe(items)
    if kind == "object":
        if "properties" in schema and "external" in schema["properties"]:
            return "<code>{external: 文件编号, version: 版本}</code>"
        if "properties" in schema:
            return "键值映射，键见下表"
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return "键值映射：编号 → " + describe(extra)
        return "键值映射"
    if schema.get("format") == "date":
        return "日期 <code>YYYY-MM-DD</code>"
    if schema.get("format") == "month":
        return "月份 <code>YYYY-MM</code>"
    if schema.get("pattern") == ID_PATTERN:
        return (
            "编号（英文字母、数字、<code>.</code> <code>_</code> <code>-</code>，"
            f"不超过 {ID_MAX} 个字符）"
        )
    if isinstance(kind, list):
        return "文本或数字"
    return {
        "string": "文本",
        "number": "数字",
        "integer": "整数",
        "boolean": "<code>true</code> / <code>false</code>",
    }.get(kind or "", "文本或列表")


def _kinds(names: list[str]) -> str:
    if not names:
        return "任意记录"
    return "（" + "或".join(esc(KINDS[n].label) for n in names if n in KINDS) + "）"


def _conditions(schema: Schema) -> list[str]:
    notes = []
    for rule in schema.get("allOf", []):
        condition = rule.get("if", {}).get("properties", {})
        then = rule.get("then", {}).get("required", [])
        for key, test in condition.items():
            if "const" in test and then:
                notes.append(f"{key} 为 {test['const']} 时，还须填写 {'、'.join(then)}。")
    any_of = [r.get("required", []) for r in schema.get("anyOf", [])]
    if any_of and all(any_of):
        notes.append(f"{' 和 '.join(k for r in any_of for k in r)} 至少填写一项。")
    return notes


_SUBHEADING = re.compile(r"^#{3,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)


# --- rules -----------------------------------------------------------------------------------


def rules_page(ctx: Context) -> str:
    here = urls.RULES
    rules = ctx.rules
    parts = [
        front_matter("规则说明", search=GUIDE_SEARCH),
        h1("规则说明"),
        f"本库共有 {len(rules)} 条检查规则。规则的编号是稳定的，出现在检查结果、看板和豁免记录中；"
        "本页由规则的声明自动生成，命令 `brmkb explain <规则编号>` 显示同样的内容。\n\n"
        "- **错误**使检查失败（站点构建、CI）；**警告**和**提示**只显示，不阻止合并。\n"
        "- 每条规则的严重性和选项可在 `policy.yml` 的 `rules:` 下调整，也可以 `enabled: false` 关闭。\n"
        "- 确有正当理由的不符合项，以经批准、有期限的豁免记录（`kind: waiver`）说明；"
        "被豁免的问题仍然显示。\n\n",
        block(_rules_table(ctx, here)),
        _settings_section(ctx),
    ]
    for rule in rules:
        parts.append(_rule_section(ctx, here, rule))
    return "".join(parts)


def _settings_section(ctx: Context) -> str:
    """The shared settings of ``policy.yml`` (limits, attachment types, departments)."""
    rows = [
        [
            f"<code>{esc(key)}</code>",
            esc(SETTING_DOCS[key]),
            f"<code>{esc(_setting_text(default))}</code>",
            f"<code>{esc(_setting_text(ctx.report.policy.settings.get(key)))}</code>",
        ]
        for key, default in DEFAULTS.items()
    ]
    return (
        "\n## 共用设置 {#settings}\n\n"
        "`policy.yml` 顶层的设置项，适用于所有规则；`brmkb policy` 输出带说明的完整模板。\n\n"
        + block(table(["设置项", "含义", "默认值", "本库取值"], rows))
        + "\n\n"
    )


def _setting_text(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "—" if value is None else str(value)


def _rule_status(ctx: Context, here: str, rule: Rule) -> str:
    state = ctx.index.rule(rule.id, ctx.enabled(rule))
    href = ctx.href(here, urls.DASHBOARD, urls.findings_anchor(rule.id)) if state.open else None
    return badge(state.text, state.css, href=href)


def _rules_table(ctx: Context, here: str) -> str:
    rows = []
    for rule in ctx.rules:
        severity = ctx.report.policy.severity(rule)
        configured = esc(severity.label) if ctx.enabled(rule) else "未启用"
        rows.append(
            [
                ctx.rule_link(here, rule.id),
                "、".join(ctx.clause_link(here, c) for c in rule.clauses)
                or ("记录格式" if rule.is_format else "—"),
                configured,
                _rule_status(ctx, here, rule),
                esc_code(rule.summary),
            ]
        )
    return table(
        ["规则", "条款", "本库严重性", "当前状态", "检查内容"], rows, cls="brm-rules-table"
    )


def _rule_section(ctx: Context, here: str, rule: Rule) -> str:
    heading = f"\n## {rule.label} {{#{urls.rule_anchor(rule.id)}}}\n"
    clauses = "、".join(ctx.clause_link(here, c) for c in rule.clauses)
    changed = _policy_changes(ctx, rule)
    status_line = (
        f'<p class="brm-rule-status">当前状态：{_rule_status(ctx, here, rule)}'
        + (f"　条款：{clauses}" if clauses else "　记录格式问题" if rule.is_format else "")
        + f"　默认严重性：{rule.severity.label}"
        + (f"　本库策略：{esc(changed)}" if changed else "")
        + "</p>"
    )
    # subheadings of a rule's text (策略选项) stay out of the page's table of contents
    text = _SUBHEADING.sub(r"**\1**", demote(documentation(rule))).strip()
    return heading + block(status_line) + text + "\n\n"


def _policy_changes(ctx: Context, rule: Rule) -> str:
    policy = ctx.report.policy
    changes = []
    if not policy.enabled(rule):
        changes.append("已关闭")
    if policy.severity(rule) is not rule.severity:
        changes.append(f"严重性为{policy.severity(rule).label}")
    options = policy.options(rule).values
    for key, default in rule.options.items():
        if options.get(key) != default:
            changes.append(f"{key} = {_plain(options.get(key))}")
    return "；".join(changes)


def _plain(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


# --- clause coverage -------------------------------------------------------------------------


def coverage_page(ctx: Context) -> str:
    here = urls.COVERAGE
    rows = coverage()
    checked = sum(1 for r in rows if r.rules)
    explained = sum(1 for r in rows if not r.rules and r.reason)
    missing = len(rows) - checked - explained
    cells = []
    for row in rows:
        if row.rules:
            enforcing = " ".join(
                badge(
                    f"{rule.title} · {ctx.index.rule(rule.id, ctx.enabled(rule)).label}",
                    ctx.index.rule(rule.id, ctx.enabled(rule)).css,
                    href=ctx.href(here, urls.RULES, urls.rule_anchor(rule.id)),
                )
                for rule in row.rules
            )
        else:
            enforcing = badge("不检查", NEUTRAL) if row.reason else badge("未覆盖", FAIL)
        cells.append(
            [
                ctx.clause_link(here, row.clause),
                esc(row.title),
                enforcing,
                esc(row.reason or ""),
            ]
        )
    summary = (
        f"程序共有 {len(rows)} 个编号条款：{checked} 个由规则检查，{explained} 个无法由记录检查（已说明原因）"
        + (f"，{missing} 个尚未覆盖" if missing else "")
        + "。规则的徽章显示它在本库中的当前状态。"
    )
    verdict = badge("全部条款已覆盖或说明", PASS) if not missing else badge("有条款未覆盖", FAIL)
    return (
        front_matter("条款覆盖", search=GUIDE_SEARCH)
        + h1("条款覆盖")
        + block(f"<p>{verdict} {esc(summary)}</p>")
        + block(table(["条款", "内容", "检查规则", "不检查的原因"], cells, cls="brm-coverage"))
    )
