"""Read ``records/`` into a knowledge base; every bad file becomes findings, never an exception."""

from __future__ import annotations

import difflib
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from brmkb import formats, yamlio
from brmkb.findings import Finding
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import REGISTRY
from brmkb.schema import KINDS, id_key
from brmkb.validate import coerce_dates, validate, warm_validators

RECORDS_DIR = "records"


@dataclass
class LoadResult:
    kb: KnowledgeBase
    findings: list[Finding] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Entry:
    """A Markdown file (or a linked folder, which is refused) under ``records/``."""

    path: str
    rel: str
    linked_folder: bool = False
    link: bool = False


def record_files(root: Path) -> list[Entry]:
    """Markdown files and linked folders under ``root/records``, in a stable order.

    Linked folders are listed, not entered, so that the loader can refuse them out loud.
    ``os.scandir`` answers "is it a link, a folder" from the directory listing itself.
    """
    found: list[Entry] = []
    prefix = len(str(root)) + 1

    def walk(folder: str) -> None:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path)
            elif entry.is_symlink() and entry.is_dir():
                found.append(Entry(entry.path, entry.path[prefix:].replace(os.sep, "/"), True))
            elif entry.name.endswith(".md"):
                rel = entry.path[prefix:].replace(os.sep, "/")
                found.append(Entry(entry.path, rel, link=entry.is_symlink()))

    base = root / RECORDS_DIR
    if base.is_dir():
        walk(str(base))
    return found


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 2000


def load(root: Path, max_bytes: int = 1_048_576, jobs: int = 1) -> LoadResult:
    """Load every record under ``root``; broken files are reported and skipped, not fatal.

    With ``jobs`` > 1 and a large knowledge base, files are read and parsed in that many
    processes (parsing YAML is most of the cost); results are merged in file order, so the
    outcome is the same as with one process.
    """
    root = root.resolve()
    findings: list[Finding] = []
    records: list[Record] = []
    first: dict[str, Record | _Invalid] = {}
    for record, problems in _read_all(root, record_files(root), max_bytes, jobs):
        findings.extend(problems)
        if record is None:
            continue
        key = id_key(record.id)
        if key in first:
            findings.extend(_duplicates(first[key], record))
            continue
        first[key] = record
        if isinstance(record, Record):
            records.append(record)
    known = {record.id: record.rel for record in first.values()}
    return LoadResult(KnowledgeBase(root, records, known), findings)


_Read = tuple["Record | _Invalid | None", list[Finding]]


def _read_all(root: Path, entries: list[Entry], max_bytes: int, jobs: int) -> Iterator[_Read]:
    # Workers are forked so that they inherit the compiled validators; where there is no fork
    # (Windows), one process reads everything, with the same result.
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or len(entries) < PARALLEL_MIN_FILES or not forkable:
        return (_read_entry(root, entry, max_bytes) for entry in entries)
    warm_validators()  # compiled once here, inherited by the forked workers
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(entries) // (jobs * 8))
    with context.Pool(jobs) as pool:
        return iter(pool.starmap(_read_entry, ((root, e, max_bytes) for e in entries), chunk))


def _read_entry(root: Path, entry: Entry, max_bytes: int) -> _Read:
    findings: list[Finding] = []
    if entry.linked_folder:
        return None, [formats.SYMLINK.finding(entry.rel, None, _LINKED_FOLDER)]
    return _read_record(root, entry, max_bytes, findings), findings


_LINKED_FOLDER = (
    "这是一个符号链接目录，不会被读取；请把其中的记录文件直接放进 records/ 下的普通目录。"
)


@dataclass
class _Invalid:
    """A record whose id is known but whose contents failed validation."""

    id: str
    rel: str
    line: int | None


def _read_record(
    root: Path, entry: Entry, max_bytes: int, findings: list[Finding]
) -> Record | _Invalid | None:
    rel = entry.rel
    text = _read_text(root, entry, max_bytes, findings)
    if text is None:
        return None
    try:
        document = yamlio.split(text)
    except yamlio.FrontMatterError as error:
        findings.append(formats.FRONT_MATTER.finding(rel, error.line, str(error)))
        return None
    data = _parse(document, rel, findings)
    if data is None:
        return None
    return _validated(Path(entry.path), rel, document, data, findings)


def _read_text(root: Path, entry: Entry, max_bytes: int, findings: list[Finding]) -> str | None:
    rel = entry.rel
    if entry.link and not Path(entry.path).resolve().is_relative_to(root):
        findings.append(
            formats.SYMLINK.finding(
                rel, None, "该文件是指向仓库之外的符号链接，已拒绝读取；请把记录文件本身放进仓库。"
            )
        )
        return None
    try:
        with open(entry.path, "rb") as handle:
            raw = handle.read(max_bytes + 1)
            if len(raw) > max_bytes:
                size = os.fstat(handle.fileno()).st_size
                findings.append(
                    formats.FILE_SIZE.finding(
                        rel,
                        None,
                        f"文件有 {size} 字节，超过上限 {max_bytes} 字节；请精简正文，大文件放在 attachments/ 作为附件引用。",
                    )
                )
                return None
    except OSError as error:
        findings.append(formats.ENCODING.finding(rel, None, f"无法读取文件：{error.strerror}。"))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        findings.append(
            formats.ENCODING.finding(
                rel, raw.count(b"\n", 0, error.start) + 1, _encoding_message(raw)
            )
        )
        return None
    return text.replace("\r\n", "\n")


def _encoding_message(raw: bytes) -> str:
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return "文件不是 UTF-8 编码；请在编辑器中以 UTF-8 重新保存。"
    return "文件不是 UTF-8 编码，看起来是 GBK/GB18030（中文 Windows 的常见默认编码）；请在编辑器中选择“以 UTF-8 保存”。"


def _parse(document: yamlio.Document, rel: str, findings: list[Finding]) -> dict | None:
    offset = 1  # the YAML text starts on line 2, after the opening ---
    tab_line = yamlio.tab_indent_line(document.yaml_text) if "\t" in document.yaml_text else None
    if tab_line is not None:
        findings.append(
            formats.YAML_SYNTAX.finding(
                rel,
                tab_line + offset,
                "缩进里有制表符（Tab）；YAML 只允许用空格缩进，请把 Tab 换成空格。",
            )
        )
        return None
    repeated = yamlio.repeated_top_level_key(document.yaml_text)
    if repeated is not None:
        key, first, again = repeated
        findings.append(
            formats.YAML_SYNTAX.finding(
                rel,
                again + offset,
                f"字段“{key}”写了两次（第 {first + offset} 行和第 {again + offset} 行），"
                "YAML 只会保留后一个；请删除或合并重复的那一行。",
            )
        )
        return None
    try:
        data = yamlio.parse(document.yaml_text)
    except yamlio.FrontMatterError as error:
        line = error.line + offset if error.line else None
        findings.append(formats.YAML_SYNTAX.finding(rel, line, str(error)))
        return None
    if not isinstance(data, dict):
        findings.append(
            formats.SCHEMA.finding(
                rel, 2, "YAML 头信息应是“字段: 值”的映射（如 kind: review），而不是列表或单个值。"
            )
        )
        return None
    if "*" in document.yaml_text and yamlio.too_large(data):  # only aliases can blow up
        findings.append(
            formats.YAML_SYNTAX.finding(
                rel,
                2,
                f"YAML 头信息展开后超过 {yamlio.MAX_NODES} 个节点（可能是别名 * 反复引用）；请直接写出字段值，不要用锚点和别名。",
            )
        )
        return None
    return data


def _validated(
    path: Path, rel: str, document: yamlio.Document, data: dict, findings: list[Finding]
) -> Record | _Invalid | None:
    def line_of(key: tuple) -> int | None:
        return yamlio.key_line(document.yaml_text, key, first_line=2) if key else 1

    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # a list or mapping is unhashable
        findings.append(formats.SCHEMA.finding(rel, line_of(("kind",)), _kind_message(kind)))
        return None
    problems = validate(kind, data)
    for problem in problems:
        findings.append(
            REGISTRY[problem.rule].finding(
                rel, line_of(problem.path), problem.message, record=_id(data)
            )
        )
    if problems:
        record_id = _id(data)
        return _Invalid(record_id, rel, line_of(("id",))) if record_id else None
    data = coerce_dates(kind, data)
    return Record(path, rel, data, document.yaml_text, document.body, document.body_line)


def _id(data: dict) -> str | None:
    value = data.get("id")
    return value if isinstance(value, str) and value else None


def _kind_message(kind: object) -> str:
    kinds = list(KINDS)
    if kind is None:
        return f"缺少字段“kind”；请写明记录类型，可选：{'、'.join(kinds)}。"
    guess = difflib.get_close_matches(str(kind), kinds, n=1, cutoff=0.5)
    hint = f"是否想写“{guess[0]}”？" if guess else f"可选：{'、'.join(kinds)}。"
    return f"未知的记录类型 kind: {kind}；{hint}"


def _duplicates(first: Record | _Invalid, again: Record | _Invalid) -> Iterator[Finding]:
    """Both places of a duplicate id, each naming the other."""
    for here, there in ((again, first), (first, again)):
        line = here.line_of(("id",)) if isinstance(here, Record) else here.line
        case = (
            f"的“{there.id}”重复（编号不区分大小写，两者会成为同一个页面）"
            if there.id != here.id
            else "重复"
        )
        yield formats.DUPLICATE_ID.finding(
            here.rel,
            line,
            f"记录编号“{here.id}”与 {there.rel} {case}；请为其中一个改用新的编号。",
            record=here.id,
        )
