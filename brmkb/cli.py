"""The ``brmkb`` command line: check, new, export, pack, schema, rules, policy, explain, init."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

from brmkb import __version__, engine, loader, policy, registry, schema, tree
from brmkb.cliformat import ArgumentParser, columns
from brmkb.dates import MAX_YEAR, MIN_YEAR, iso_hint, parse_iso_date
from brmkb.policy import PolicyError
from brmkb.registry import explanation
from brmkb.render import text as text_format

#: Output formats of ``brmkb check``: each a module of brmkb.render with ``render(report)``,
#: imported only when chosen (start-up time counts on every commit hook and CI step).
FORMATS = ("text", "json", "github", "junit", "markdown")


def render(report: engine.Report, name: str) -> str:
    module: Any = import_module(f"brmkb.render.{name}")
    return module.render(report)


#: The clock, read only here (for a default date), so that tests can fix it.
today: Callable[[], date] = date.today


class UsageError(Exception):
    """The command could not run (exit status 2)."""


def as_of_date(value: str) -> date:
    parsed = parse_iso_date(value)
    if parsed is None:
        hint = iso_hint(value)
        raise argparse.ArgumentTypeError(
            f"“{value}”不是 {MIN_YEAR}–{MAX_YEAR} 年间的 YYYY-MM-DD 日期"
            + (f"，应写作 {hint}" if hint else "，例如 2026-06-30")
        )
    return parsed


def build_parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="brmkb", description="业务关系管理知识库的合规检查工具。")
    parser.add_argument(
        "--version", action="version", version=f"brmkb {__version__}", help="显示版本号并退出"
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="命令")

    check = commands.add_parser("check", help="检查知识库是否符合业务关系管理程序")
    check.add_argument(
        "dir", nargs="?", default=".", type=Path, help="知识库根目录（含 records/），默认当前目录"
    )
    check.add_argument(
        "--as-of", type=as_of_date, help="检查日 YYYY-MM-DD，默认取策略文件中的 as_of，否则为今天"
    )
    check.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="输出格式：text 终端；json 供脚本；github 合并请求中的行内标注；"
        "junit 供 CI 测试报告；markdown 供作业摘要或合并请求评论",
    )
    check.add_argument(
        "--changed-since",
        metavar="REV",
        help="只对本次变更把关：相对 REV（如 origin/main）修改过的记录中的问题和本次新引起的问题"
        "仍为错误，其余既有问题降为警告",
    )
    check.set_defaults(handler=_check)

    new = commands.add_parser(
        "new", help="按模板新建一份记录（放在正确的目录、用下一个空闲编号），并输出文件路径"
    )
    new.add_argument("kind", metavar="KIND", help=f"记录类型：{'、'.join(schema.KINDS)}")
    new.add_argument(  # None: not given where argparse looks for it (see parse)
        "dir", nargs="?", type=Path, help="知识库根目录（含 records/），默认当前目录"
    )
    new.add_argument(
        "--service", required=True, help="服务项目编号，如 svc-hosting（新建服务项目时为新编号）"
    )
    new.add_argument(
        "--type",
        dest="review_type",
        default="periodic",
        choices=list(schema.REVIEW_TYPES),
        help="评审类型（默认 periodic）",
    )
    new.add_argument(
        "--date",
        type=as_of_date,
        help="记录日期 YYYY-MM-DD，默认今天（不取策略文件中固定的检查日 as_of）",
    )
    new.add_argument("--minutes", action="store_true", help="新建评审时同时新建其会议纪要")
    new.add_argument(
        "--review", help="会议纪要所属的评审编号（默认：该服务最近一份还没有纪要的评审）"
    )
    new.add_argument("--change", help="追加评审针对的合同变更编号（默认：该服务最近的重大变更）")
    new.add_argument(
        "--phase",
        choices=["before", "after"],
        help="追加评审阶段（默认按评审日期与变更生效日推断）",
    )
    new.add_argument("--request", help="临时性评审响应的客户请求编号（默认：该服务最近的请求）")
    new.add_argument("--month", help="服务月报的月份 YYYY-MM（默认：记录日期的上一个月）")
    new.add_argument(
        "--set",
        dest="values",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="填写头信息字段，可重复，如 --set summary=机柜扩容 --set major=true",
    )
    new.set_defaults(handler=_new)

    exports = commands.add_parser(
        "export", help="导出到期事项日历（.ics）和检查结果、日历的 CSV（供 Excel）"
    )
    exports.add_argument(
        "dir", nargs="?", default=".", type=Path, help="知识库根目录（含 records/），默认当前目录"
    )
    exports.add_argument("--out", required=True, type=Path, help="输出目录（不存在时新建）")
    exports.add_argument(
        "--as-of", type=as_of_date, help="检查日 YYYY-MM-DD，默认取策略文件中的 as_of，否则为今天"
    )
    exports.set_defaults(handler=_export)

    pack = commands.add_parser(
        "pack", help="生成审核包（zip）：期间内的离线站点、证据工作簿、PDF、附件和校验和"
    )
    pack.add_argument(
        "dir", nargs="?", default=".", type=Path, help="知识库根目录（含 records/），默认当前目录"
    )
    pack.add_argument("--from", dest="start", required=True, type=as_of_date, help="期间起始日")
    pack.add_argument("--to", dest="end", required=True, type=as_of_date, help="期间截止日")
    pack.add_argument(
        "--service",
        dest="services",
        action="append",
        default=[],
        help="只包含这个服务项目，可重复；默认期间内所有服务项目",
    )
    pack.add_argument("--out", required=True, type=Path, help="输出的 zip 文件（不能已存在）")
    pack.add_argument("--as-of", type=as_of_date, help="检查日 YYYY-MM-DD，默认为 --to")
    pack.add_argument("--no-pdf", action="store_true", help="不打印 PDF（无需 Chromium）")
    pack.set_defaults(handler=_pack)

    export = commands.add_parser(
        "schema", help="输出记录格式的 JSON Schema（供编辑器和其他工具使用）"
    )
    export.add_argument(
        "--policy", action="store_true", help="输出策略文件 policy.yml 的 JSON Schema"
    )
    export.add_argument("--out", type=Path, help="写入该文件（UTF-8），而不是输出到终端")
    export.set_defaults(handler=_schema)

    rules = commands.add_parser("rules", help="列出所有规则：编号、名称、条款、严重性、检查内容")
    rules.set_defaults(handler=_rules)

    defaults = commands.add_parser(
        "policy", help="输出一份包含全部默认值和说明的策略文件 policy.yml"
    )
    defaults.set_defaults(handler=_policy)

    explain = commands.add_parser(
        "explain", help="显示一条规则的说明和可配置选项，或一个条款的原文和检查它的规则"
    )
    explain.add_argument(
        "rule", metavar="RULE|CLAUSE", help="规则编号（如 review-frequency）或条款号（如 3.1.1）"
    )
    explain.set_defaults(handler=_explain)

    init = commands.add_parser(
        "init", help="新建一个知识库仓库：站点、检查、CI 和编辑器配置齐全，记录为空"
    )
    init.add_argument("dir", type=Path, help="新知识库的目录（不存在或为空）")
    init.add_argument("--org", required=True, help="组织名称，如 示例科技有限公司")
    init.add_argument(
        "--service-dept",
        default=policy.DEFAULTS["service_department"],
        help="拟制输出记录的部门（程序第 4 章），默认“%(default)s”",
    )
    init.add_argument(
        "--sales-dept",
        default=policy.DEFAULTS["sales_department"],
        help="组织重大变更前追加评审的部门（3.1.6），默认“%(default)s”",
    )
    init.add_argument(
        "--code-owner", help="合并请求的默认评审人，写入 .github/CODEOWNERS，如 @org/team"
    )
    init.set_defaults(handler=_init)
    return parser


def parse(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, as the usage lines show it.

    argparse gives a command's positionals their values at the first of them, so in
    ``brmkb new review --service svc-x DIR`` the directory after the options would be left
    over as unrecognized; ``new`` takes it here (``KIND [dir]``, options anywhere).
    """
    parser = build_parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "new" and args.dir is None:
        late = rest[:1] if rest and not rest[0].startswith("-") else []
        args.dir = Path(late[0]) if late else Path(".")
        rest = rest[len(late) :]
    if rest:
        parser.error(f"unrecognized arguments: {' '.join(rest)}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    try:
        return args.handler(args)
    except UsageError as error:
        print(f"brmkb: {error}", file=sys.stderr)
    except OSError as error:  # the file system refused: say which file and why, in one line
        where = f"{error.filename}：" if error.filename else ""
        print(f"brmkb: {where}{error.strerror or error}", file=sys.stderr)
    except Exception as error:  # a bug: one line to report, never a traceback on any input
        detail = f"{type(error).__name__}: {error}"[:300]
        print(f"brmkb: 内部错误（{detail}）；请把此消息报告给维护者。", file=sys.stderr)
    return 2


def _knowledge_base(root: Path) -> Path:
    if not root.exists():
        raise UsageError(f"目录 {root} 不存在")
    if not root.is_dir():
        raise UsageError(f"{root} 不是目录；请指定知识库的根目录（含 {loader.RECORDS_DIR}/）")
    try:
        found = tree.records_folder(root)
    except tree.RecordsError as error:
        raise UsageError(str(error)) from None
    if found is None:
        raise UsageError(f"{root} 下没有 {loader.RECORDS_DIR}/ 目录；请指定知识库的根目录")
    return root


def _policy_error(error: PolicyError) -> UsageError:
    lines = [
        f"{error.path}:{line or 1}: 错误 [policy] {message}" for line, message in error.problems
    ]
    return UsageError("策略文件有误，无法检查：\n" + "\n".join(lines))


def _run(root: Path, as_of: date | None) -> engine.Report:
    try:
        return engine.run(root, as_of, today(), jobs=os.cpu_count() or 1)
    except PolicyError as error:
        raise _policy_error(error) from None


def _check(args: argparse.Namespace) -> int:
    root = _knowledge_base(args.dir)
    report = _run(root, args.as_of)
    if args.changed_since is not None:
        from brmkb import changes  # git, only for this option

        try:
            changed = changes.changed_since(root, args.changed_since)
            before = changes.base_findings(root, changed, report.as_of)
        except changes.GitError as error:
            raise UsageError(f"--changed-since：{error}") from None
        gated = changes.gate(report, changed, before)
        report = gated.report
        print(changes.describe(changed, gated), file=sys.stderr)
        github = args.format == "github"
        for line in changes.approval_lines(changes.approvals(changed, report), github):
            print(line, file=sys.stdout if github else sys.stderr)
    sys.stdout.write(render(report, args.format))
    return report.exit_code


def _new(args: argparse.Namespace) -> int:
    from brmkb import scaffold

    root = _knowledge_base(args.dir)
    try:
        policy.load(root)  # a policy that cannot be used is a usage error, before any planning
    except PolicyError as error:
        raise _policy_error(error) from None
    day = args.date or today()  # a new record is dated when it is written, never at as_of
    values: dict[str, str] = {}
    for item in args.values:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise UsageError(f"--set 应写成 KEY=VALUE，例如 --set summary=机柜扩容；这里是“{item}”")
        values[key.strip()] = value
    options = scaffold.Options(
        kind=args.kind,
        service=args.service,
        day=day,
        review_type=args.review_type,
        phase=args.phase,
        change=args.change,
        request=args.request,
        review=args.review,
        month=args.month,
        minutes=args.minutes,
        values=values,
    )
    try:
        drafts = scaffold.plan(root, options)
        scaffold.write(root, drafts)
    except scaffold.ScaffoldError as error:
        raise UsageError(str(error)) from None
    for draft in drafts:
        print((args.dir / draft.rel).as_posix())
    for draft in drafts:
        if draft.note:
            print(f"brmkb: 注意：{draft.note}", file=sys.stderr)
    _todo(root, day, {draft.rel for draft in drafts})
    return 0


def _todo(root: Path, day: date, paths: set[str]) -> None:
    """What the checks still say about the new files: the author's to-do list, on stderr."""
    try:
        report = engine.run(root, day)
    except PolicyError:
        return
    todo = [f for f in report.findings if f.path in paths]
    if todo:
        print(
            "已新建。检查对新文件的提示（内容填写完整之前，出现这些问题是正常的）：",
            file=sys.stderr,
        )
        for finding in todo:
            print("  " + text_format.line(finding), file=sys.stderr)


def _export(args: argparse.Namespace) -> int:
    from brmkb import export

    root = _knowledge_base(args.dir)
    report = _run(root, args.as_of)
    try:
        written = export.write(report, args.out)
    except OSError as error:
        raise UsageError(f"无法写入 {args.out}：{error.strerror or error}") from None
    for path in written:
        print(path.as_posix())
    return 0


def _pack(args: argparse.Namespace) -> int:
    from brmkb.pack import PackError
    from brmkb.pack.build import Options, make

    options = Options(
        root=_knowledge_base(args.dir),
        start=args.start,
        end=args.end,
        services=tuple(args.services),
        out=args.out,
        as_of=args.as_of,
        pdf=not args.no_pdf,
    )
    try:
        made = make(options)
    except PackError as error:
        raise UsageError(str(error)) from None
    print(f"{made.out.as_posix()}：{made.records} 份记录，{made.files} 个文件")
    return 0


def _schema(args: argparse.Namespace) -> int:
    if args.policy:
        from brmkb import policy_schema

        exported = policy_schema.export()
    else:
        exported = schema.export()
    text = json.dumps(exported, ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as error:
        raise UsageError(f"无法写入 {args.out}：{error.strerror or error}") from None
    return 0


def _rules(args: argparse.Namespace) -> int:
    rows = [["规则", "名称", "条款", "严重性", "检查内容"]]
    for rule in registry.all_rules():
        clause = rule.clause or ("格式" if rule.is_format else "—")
        rows.append([rule.id, rule.title, clause, rule.severity.label, rule.summary])
    print("\n".join(columns(rows)))
    return 0


def _policy(args: argparse.Namespace) -> int:
    sys.stdout.write(policy.template())
    return 0


def _explain(args: argparse.Namespace) -> int:
    import difflib

    from brmkb import coverage

    if _CLAUSE.fullmatch(args.rule):
        text = coverage.clause_explanation(args.rule)
        if text is None:
            known = list(coverage.clause_numbers())
            guess = difflib.get_close_matches(args.rule, known, n=1, cutoff=0.5)
            raise UsageError(
                f"程序中没有条款“{args.rule}”"
                + (f"；是否想写“{guess[0]}”？" if guess else "；条款号形如 3.1.1")
            )
        print(text, end="")
        return 0
    rules = {rule.id: rule for rule in registry.all_rules()}
    if args.rule not in rules:
        guess = difflib.get_close_matches(args.rule, list(rules), n=1)
        raise UsageError(
            f"没有规则“{args.rule}”"
            + (f"；是否想写“{guess[0]}”？" if guess else "；用 brmkb rules 查看全部规则")
        )
    print(explanation(rules[args.rule]), end="")
    return 0


#: A clause number as ``brmkb explain`` takes it: ``3.1.1``, ``4``.
_CLAUSE = re.compile(r"\d+(?:\.\d+)*")


def _init(args: argparse.Namespace) -> int:
    from brmkb import init

    org = init.Organization(args.org, args.service_dept, args.sales_dept, args.code_owner)
    try:
        init.write(args.dir, org)
    except init.InitError as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        raise UsageError(f"无法写入 {args.dir}：{error.strerror or error}") from None
    print(init.next_steps(args.dir), end="")
    return 0
