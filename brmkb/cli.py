"""The ``brmkb`` command line: check, schema, rules, explain."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from brmkb import __version__, engine, loader, policy, registry, schema
from brmkb.dates import iso_hint, parse_iso_date
from brmkb.policy import PolicyError
from brmkb.render import json as json_format
from brmkb.render import text as text_format

FORMATS: dict[str, Callable[[engine.Report], str]] = {
    "text": text_format.render,
    "json": json_format.render,
}


class UsageError(Exception):
    """The command could not run (exit status 2)."""


def as_of_date(value: str) -> date:
    parsed = parse_iso_date(value)
    if parsed is None:
        hint = iso_hint(value)
        raise argparse.ArgumentTypeError(
            f"“{value}”不是 YYYY-MM-DD 日期" + (f"，应写作 {hint}" if hint else "，例如 2026-06-30")
        )
    return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="brmkb", description="业务关系管理知识库的合规检查工具。")
    parser.add_argument("--version", action="version", version=f"brmkb {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    check = commands.add_parser("check", help="检查知识库是否符合业务关系管理程序")
    check.add_argument(
        "dir", nargs="?", default=".", type=Path, help="知识库根目录（含 records/），默认当前目录"
    )
    check.add_argument(
        "--as-of", type=as_of_date, help="检查日 YYYY-MM-DD，默认取策略文件中的 as_of，否则为今天"
    )
    check.add_argument("--format", choices=sorted(FORMATS), default="text", help="输出格式")
    check.set_defaults(handler=_check)

    export = commands.add_parser(
        "schema", help="输出记录格式的 JSON Schema（供编辑器和其他工具使用）"
    )
    export.set_defaults(handler=_schema)

    rules = commands.add_parser("rules", help="列出所有规则：编号、条款、严重性、说明")
    rules.set_defaults(handler=_rules)

    defaults = commands.add_parser(
        "policy", help="输出一份包含全部默认值和说明的策略文件 policy.yml"
    )
    defaults.set_defaults(handler=_policy)

    explain = commands.add_parser("explain", help="显示一条规则的说明和可配置选项")
    explain.add_argument("rule", help="规则编号，例如 review-frequency")
    explain.set_defaults(handler=_explain)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"brmkb: {error}", file=sys.stderr)
        return 2


def _check(args: argparse.Namespace) -> int:
    root: Path = args.dir
    if not root.is_dir():
        raise UsageError(f"目录 {root} 不存在")
    if not (root / loader.RECORDS_DIR).is_dir():
        raise UsageError(f"{root} 下没有 {loader.RECORDS_DIR}/ 目录；请指定知识库的根目录")
    try:
        report = engine.run(root, args.as_of)
    except PolicyError as error:
        lines = [
            f"{error.path}:{line or 1}: 错误 [policy] {message}" for line, message in error.problems
        ]
        raise UsageError("策略文件有误，无法检查：\n" + "\n".join(lines)) from None
    sys.stdout.write(FORMATS[args.format](report))
    return report.exit_code


def _schema(args: argparse.Namespace) -> int:
    print(json.dumps(schema.export(), ensure_ascii=False, indent=2))
    return 0


def _rules(args: argparse.Namespace) -> int:
    for rule in registry.all_rules():
        clause = rule.clause or ("格式" if rule.is_format else "—")
        print(f"{rule.id:<28} {clause:<6} {rule.severity.value:<8} {rule.summary}")
    return 0


def _policy(args: argparse.Namespace) -> int:
    sys.stdout.write(policy.template())
    return 0


def _explain(args: argparse.Namespace) -> int:
    rules = {rule.id: rule for rule in registry.all_rules()}
    if args.rule not in rules:
        import difflib

        guess = difflib.get_close_matches(args.rule, list(rules), n=1)
        raise UsageError(
            f"没有规则“{args.rule}”"
            + (f"；是否想写“{guess[0]}”？" if guess else "；用 brmkb rules 查看全部规则")
        )
    print(explanation(rules[args.rule]), end="")
    return 0


def explanation(rule: registry.Rule) -> str:
    """A rule's documentation as Markdown; the site renders the same text."""
    head = f"# {rule.id}\n\n条款：{rule.clause or '（记录格式）'}　默认严重性：{rule.severity.label}\n\n"
    body = _dedent_doc(rule.doc)
    options = ""
    if rule.options:
        rows = "\n".join(
            f"| `{key}` | `{json.dumps(value, ensure_ascii=False)}` |"
            for key, value in rule.options.items()
        )
        options = f"\n\n## 策略选项\n\n在 policy.yml 的 `rules: {{{rule.id}: …}}` 下设置：\n\n| 选项 | 默认值 |\n|---|---|\n{rows}"
    return head + body + options + "\n"


def _dedent_doc(doc: str) -> str:
    import inspect

    return inspect.cleandoc(doc)
