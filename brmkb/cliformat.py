"""The command line in Chinese: argparse's headings, help wrapped at words, aligned columns.

argparse's own words (headings, ``-h``, error messages) are English; this module replaces
them without touching argparse: a parser class with its own ``-h`` and section titles, a help
formatter that measures display width (a Han character takes two terminal cells) and breaks
lines between Han characters or at spaces, never inside an ASCII word such as ``complaint``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import NoReturn

from wcwidth import width

#: A line may break before any token: an ASCII word (kept whole), a run of spaces, or one
#: other character. Opening brackets stay with what follows, closing punctuation with
#: what precedes, so that no line starts with “，” or ends with “（”.
_OPENING = re.escape("（《「『“‘")
_CLOSING = re.escape("，。、；：！？）》」』”’")
_TOKEN = re.compile(rf"[{_OPENING}]*(?:[!-~]+|\s+|.)[{_CLOSING}]*", re.S)

#: argparse's error messages (Python 3.11 wording) and their Chinese; others stay as they are.
_ERRORS = (
    (re.compile(r"invalid choice: (.*) \(choose from (.*)\)"), r"无效的取值 \1（可选：\2）"),
    (re.compile(r"invalid (\S+) value: (.*)"), r"无效的取值 \2"),
    (re.compile(r"the following arguments are required: "), "缺少必需的参数："),
    (re.compile(r"unrecognized arguments: "), "无法识别的参数："),
    (re.compile(r"expected one argument"), "需要一个值"),
    (re.compile(r"ambiguous option: (.*) could match (.*)"), r"有歧义的选项 \1，可能是 \2"),
    (re.compile(r"^argument (\S+): "), r"参数 \1："),
)


def wrap(text: str, columns: int) -> list[str]:
    """``text`` in lines of at most ``columns`` terminal cells, broken only between words."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and width(line + token) > columns:
            lines.append(line.rstrip())
            line = token.lstrip()
        else:
            line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


def columns(rows: Sequence[Sequence[str]], gap: str = "  ") -> list[str]:
    """Rows of cells padded to a common display width per column (the last is not padded)."""
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]) - 1)] if rows else []
    return [
        gap.join(
            [
                *(cell + " " * (w - width(cell)) for cell, w in zip(row, widths, strict=False)),
                row[-1],
            ]
        )
        for row in rows
    ]


class HelpFormatter(argparse.HelpFormatter):
    """argparse's layout with a Chinese usage prefix and width-aware wrapping."""

    def add_usage(self, usage, actions, groups, prefix=None):  # type: ignore[no-untyped-def]
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, width - len(indent)))


class ArgumentParser(argparse.ArgumentParser):
    """A parser whose headings, ``-h`` and error messages are in Chinese (subcommands too)."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        kwargs.setdefault("formatter_class", HelpFormatter)
        add_help = kwargs.pop("add_help", True)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument(
                "-h", "--help", action="help", default=argparse.SUPPRESS, help="显示本帮助并退出"
            )

    def error(self, message: str) -> NoReturn:
        for english, chinese in _ERRORS:
            message = english.sub(chinese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")
