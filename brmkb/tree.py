"""The files under ``records/``: walked once, each contained in records/ or refused with a reason.

Records and attachments are untrusted: a symbolic link may point anywhere (the repository's
``.git/config``, a file of the build machine), at itself, or nowhere. Whatever does not
resolve inside the knowledge base's own records/ folder is refused here, so that the loader
reports it and the site never reads or publishes it. (Files that reviews cite by path are
located by ``brmkb.cited``, with ``Inside``.)
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

RECORDS_DIR = "records"


class RecordsError(Exception):
    """records/ itself cannot be used (it leads out of the repository): the check cannot run."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A file (or a refused link or folder) under records/."""

    path: str
    rel: str  #: POSIX path relative to the knowledge base root
    problem: str | None = None  #: why it is neither read nor published
    unreadable: bool = False  #: the problem is access, not a link

    @property
    def is_record(self) -> bool:
        return self.rel.endswith(".md")


def records_folder(root: Path) -> Path | None:
    """The real path of ``root/records`` (None when there is none).

    Raises RecordsError when records/ is a link that leads out of ``root``.
    """
    base = root / RECORDS_DIR
    try:
        real = Path(os.path.realpath(base))
        if not real.is_dir():
            return None
    except OSError:
        return None
    if not real.is_relative_to(Path(os.path.realpath(root))):
        raise RecordsError(
            f"{base} 是指向仓库之外（{real}）的链接，已拒绝；请把记录目录 records/ 直接放进知识库。"
        )
    return real


def inside(path: str | Path, folder: Path) -> bool:
    """Whether ``path``, with every link followed, lies inside the real ``folder``."""
    return Path(os.path.realpath(path)).is_relative_to(folder)


class Inside:
    """``inside`` for many paths in few folders (the inputs of every review name files in a
    handful of attachment folders): each folder's real path is looked up once, and only a
    file that is itself a link is followed from the start. The same answers as ``inside``,
    because ``os.path.realpath`` resolves a path one component after the other (and appending
    a plain name commutes with the normalization it ends with)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._under = os.path.join(folder, "")  # real paths are normalized: compared as text
        self._real: dict[str, str] = {}

    def __call__(self, path: str) -> bool:
        head, name = os.path.split(path)
        if name in ("", os.curdir, os.pardir):
            return inside(path, self.folder)
        real = self._real.get(head)
        if real is None:
            real = self._real[head] = os.path.realpath(head)
        found = os.path.join(real, name)
        if os.path.islink(found):  # rare: followed exactly as ``inside`` does
            return inside(path, self.folder)
        return (found + os.sep).startswith(self._under)


_LINKED_FOLDER = (
    "这是一个符号链接目录，不会被读取；请把其中的记录文件直接放进 records/ 下的普通目录。"
)
_OUTSIDE = "这是指向 records/ 之外的符号链接，已拒绝读取和发布；请把文件本身放进 records/。"
_LOOP = "这是循环的符号链接（最终指向自己），无法读取；请删除它，或改为文件本身。"
_SPECIAL = "这不是普通文件（设备、管道或套接字），无法读取；请删除它。"
_DANGLING = "这是失效的符号链接（指向的文件不存在），无法读取；请删除它，或改为文件本身。"


def walk(root: Path) -> list[Entry]:
    """Every file under records/, in a stable order; links and unreadable folders carry a
    problem. Hidden attachments (``.gitkeep``) are left out; hidden records are not."""
    base = records_folder(root)
    if base is None:
        return []
    prefix = len(str(root)) + 1
    found: list[Entry] = []

    def add(path: str, problem: str | None = None, unreadable: bool = False) -> None:
        found.append(Entry(path, path[prefix:].replace(os.sep, "/"), problem, unreadable))

    _visit(str(root / RECORDS_DIR), False, base, add)
    return found


def _visit(folder: str, hidden: bool, base: Path, add: Callable[..., None]) -> None:
    """``walk`` in ``folder``. A module function: a nested one that calls itself would be a
    reference cycle, which keeps the whole listing alive until the collector's next full
    pass."""
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        problem = f"无法读取该目录（{error.strerror}），其中的记录都没有被检查；请修正权限。"
        add(folder, problem, unreadable=True)
        return
    for entry in entries:
        secret = hidden or entry.name.startswith(".")
        if entry.is_dir(follow_symlinks=False):
            _visit(entry.path, secret, base, add)
        elif entry.is_symlink():
            problem = _link_problem(entry.path, base)
            if problem is not None or entry.name.endswith(".md") or not secret:
                add(entry.path, problem)
        elif entry.name.endswith(".md") or not secret:
            problem = _file_problem(entry)
            add(entry.path, problem, unreadable=problem is not None)


def _file_problem(entry: os.DirEntry) -> str | None:
    if not entry.is_file(follow_symlinks=False):
        return _SPECIAL
    if not os.access(entry.path, os.R_OK):  # the site build would fail copying it
        return "无法读取该文件（权限不足），不会被检查或发布；请修正权限。"
    return None


def _link_problem(path: str, base: Path) -> str | None:
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        return _LOOP if error.errno == errno.ELOOP else _DANGLING
    if stat.S_ISDIR(mode):
        return _LINKED_FOLDER
    if not inside(path, base):
        return _OUTSIDE
    return None if stat.S_ISREG(mode) else _SPECIAL
