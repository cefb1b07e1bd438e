"""Read ``records/`` into a knowledge base; every bad file becomes findings, never an exception."""

from __future__ import annotations

import difflib
import multiprocessing
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from brmkb import formats, tree, yamlio
from brmkb.dates import parse_iso_date
from brmkb.findings import Finding
from brmkb.limits import DEFAULT, NEVER_PUBLISHED, Limits, body_problems, file_type, publishable
from brmkb.model import Broken, KnowledgeBase, Record
from brmkb.registry import REGISTRY
from brmkb.schema import KINDS, id_key
from brmkb.tree import RECORDS_DIR, Entry, RecordsError
from brmkb.validate import coerce_dates, validate, warm_validators

__all__ = ["RECORDS_DIR", "LoadResult", "RecordsError", "load"]


@dataclass
class LoadResult:
    kb: KnowledgeBase
    findings: list[Finding] = field(default_factory=list)


#: Below this many files, starting worker processes costs more than it saves.
PARALLEL_MIN_FILES = 2000


def load(root: Path, limits: Limits = DEFAULT, jobs: int = 1) -> LoadResult:
    """Load every record under ``root``; broken files are reported and skipped, not fatal.

    Files that are not records are attachments: those of a type the policy does not publish
    are reported here. Raises RecordsError when records/ leads out of ``root``.

    With ``jobs`` > 1 and a large knowledge base, files are read and parsed in that many
    processes (parsing YAML is most of the cost); results are merged in file order, so the
    outcome is the same as with one process.
    """
    root = root.resolve()
    findings: list[Finding] = []
    records: list[Record] = []
    first: dict[str, Record | Broken] = {}
    entries = []
    for entry in tree.walk(root):
        if entry.problem is not None:
            rule = formats.FILE_ACCESS if entry.unreadable else formats.SYMLINK
            findings.append(rule.finding(entry.rel, None, entry.problem))
        elif entry.is_record:
            entries.append(entry)
        elif not publishable(entry.rel, limits.attachment_types):
            findings.append(formats.ATTACHMENT_TYPE.finding(entry.rel, None, _type_message(entry)))
    for record, problems in _read_all(entries, limits, jobs):
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
    broken = [record for record in first.values() if isinstance(record, Broken)]
    return LoadResult(KnowledgeBase(root, records, known, broken, len(entries)), findings)


_Read = tuple["Record | Broken | None", list[Finding]]


def _type_message(entry: Entry) -> str:
    kind = file_type(entry.rel)
    if kind == "md":  # "RV-1.MD": meant as a record, but only ".md" files are read as records
        suffix = entry.rel.rsplit(".", 1)[1]
        return (
            f"扩展名“.{suffix}”不是小写的 .md，此文件没有作为记录读取；"
            f"请改名为 {entry.rel[: -len(suffix)]}md。"
        )
    if kind in NEVER_PUBLISHED:
        why = f"“.{kind}”文件在浏览器中可以运行脚本，records/ 下的这类文件从不发布"
    else:
        why = f"策略的 attachment_types 不含“{kind or '无扩展名'}”，该文件不会发布"
    return f"{why}；请改存为 PDF 等允许的格式，或移出 records/。"


def _read_all(entries: list[Entry], limits: Limits, jobs: int) -> Iterator[_Read]:
    # Workers are forked so that they inherit the compiled validators; where there is no fork
    # (Windows), one process reads everything, with the same result.
    forkable = "fork" in multiprocessing.get_all_start_methods()
    if jobs < 2 or len(entries) < PARALLEL_MIN_FILES or not forkable:
        return (_read_record(entry, limits) for entry in entries)
    warm_validators()  # compiled once here, inherited by the forked workers
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(entries) // (jobs * 8))
    with context.Pool(jobs) as pool:
        return iter(pool.starmap(_read_record, ((e, limits) for e in entries), chunk))


def _read_record(entry: Entry, limits: Limits) -> _Read:
    findings: list[Finding] = []
    return _record(entry, limits, findings), findings


def _record(entry: Entry, limits: Limits, findings: list[Finding]) -> Record | Broken | None:
    rel = entry.rel
    text = _read_text(entry, limits.max_bytes, findings)
    if text is None:
        return None
    try:
        document = yamlio.split(text)
    except yamlio.FrontMatterError as error:
        findings.append(formats.FRONT_MATTER.finding(rel, error.line, str(error)))
        return None
    data = _parse(document, rel, findings)
    if data is None:  # unreadable as YAML: what its top-level lines still say
        return _broken(rel, _scan(document.yaml_text), document.yaml_text)
    too_much = list(body_problems(document.body, document.body_line, limits))
    if too_much:  # read no further: the site would not render it in reasonable time
        findings.extend(formats.RECORD_LIMITS.finding(rel, n, m) for n, m in too_much)
        return _broken(rel, data, document.yaml_text)
    return _validated(entry.path, rel, document, data, findings)


def _read_text(entry: Entry, max_bytes: int, findings: list[Finding]) -> str | None:
    rel = entry.rel
    try:
        fd = os.open(entry.path, _READ_FLAGS)
        try:
            raw = _read_capped(fd, max_bytes)
            size = os.fstat(fd).st_size if len(raw) > max_bytes else 0
        finally:
            os.close(fd)
    except OSError as error:
        findings.append(
            formats.FILE_ACCESS.finding(rel, None, f"无法读取文件：{error.strerror}；请修正权限。")
        )
        return None
    if len(raw) > max_bytes:
        findings.append(
            formats.FILE_SIZE.finding(
                rel,
                None,
                f"文件有 {size} 字节，超过上限 {max_bytes} 字节；请精简正文，大文件放在 attachments/ 作为附件引用。",
            )
        )
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


#: Files are read with ``os.read``: no buffered file object per record (binary on Windows too).
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_BINARY", 0)
#: What is asked for once the file has given what its size said: an end of file, nearly always.
_MORE = 1 << 14


def _read_capped(fd: int, max_bytes: int) -> bytes:
    """The file, or its first ``max_bytes`` + 1 bytes, read to its end or past the cap.

    The first read asks for the size the file has (+1): a buffer of ``max_bytes`` for every
    read costs two page faults per file, a second of system time at 50,000 records. A file
    longer than its size said is read on in small parts, up to the cap."""
    want = max_bytes + 1
    first = os.read(fd, min(os.fstat(fd).st_size + 1, want))
    parts, got = [first], len(first)
    while got < want:
        more = os.read(fd, min(want - got, _MORE))
        if not more:
            break
        parts.append(more)
        got += len(more)
    return first if len(parts) == 1 else b"".join(parts)


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
    path: str, rel: str, document: yamlio.Document, data: dict, findings: list[Finding]
) -> Record | Broken | None:
    def line_of(key: tuple) -> int | None:
        return yamlio.key_line(document.yaml_text, key, first_line=2) if key else 1

    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:  # a list or mapping is unhashable
        findings.append(formats.SCHEMA.finding(rel, line_of(("kind",)), _kind_message(kind)))
        return _broken(rel, data, document.yaml_text)
    problems = validate(kind, data)
    for problem in problems:
        findings.append(
            REGISTRY[problem.rule].finding(
                rel, line_of(problem.path), problem.message, record=_id(data)
            )
        )
    if problems:
        return _broken(rel, data, document.yaml_text)
    data = coerce_dates(kind, data)
    return Record(path, rel, data, document.yaml_text, document.body, document.body_line)


def _id(data: dict) -> str | None:
    value = data.get("id")
    return value if isinstance(value, str) and value else None


#: Top-level fields a record with format errors is still known by, where they can be read.
_KEPT = ("kind", "id", "service", "review", "change", "request", "type", "phase", "date", "month")


def _broken(rel: str, data: dict, yaml_text: str) -> Broken | None:
    """What a record with format errors is still known by; None without a readable id."""
    fields: dict = {}
    for key in _KEPT:
        value = data.get(key)
        if key == "date":
            value = parse_iso_date(str(value)) if value is not None else None
        elif not isinstance(value, str) or not value or (key == "kind" and value not in KINDS):
            value = None
        if value is not None:
            fields[key] = value
    record_id = _id(fields)
    if record_id is None:
        return None
    return Broken(record_id, rel, yamlio.key_line(yaml_text, ("id",), first_line=2), fields)


def _scan(yaml_text: str) -> dict[str, str]:
    """Top-level ``key: value`` lines of a front matter YAML could not read (first wins).

    Walked line by line with ``str`` methods: the text is untrusted, and a lazy regular
    expression over a line of many spaces would backtrack quadratically.
    """
    found: dict[str, str] = {}
    for line in yaml_text.split("\n"):
        key, colon, value = line.partition(":")
        key = key.rstrip(" \t")
        if not colon or key not in _KEPT or key in found:
            continue
        for mark in (" #", "\t#"):
            value = value.split(mark, 1)[0]
        found[key] = value.strip(" \t").strip("'\"")
    return found


def _kind_message(kind: object) -> str:
    kinds = list(KINDS)
    if kind is None:
        return f"缺少字段“kind”；请写明记录类型，可选：{'、'.join(kinds)}。"
    guess = difflib.get_close_matches(str(kind), kinds, n=1, cutoff=0.5)
    hint = f"是否想写“{guess[0]}”？" if guess else f"可选：{'、'.join(kinds)}。"
    return f"未知的记录类型 kind: {kind}；{hint}"


def _duplicates(first: Record | Broken, again: Record | Broken) -> Iterator[Finding]:
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
