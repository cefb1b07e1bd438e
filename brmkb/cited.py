"""Where a file cited by a relative path lies: one answer for the rule, the site and the pack.

A review's input may name any file of the repository (the record contract), but only the
files under records/ are ever published: a file elsewhere in the repository is cited as a
path and never copied into the site, the exports or an audit pack. Paths are untrusted: the
answer follows every symbolic link, so a link cannot lead out of the repository, and Git's own
folder (``.git/``, where credentials may live) is not a file of the repository.
"""

from __future__ import annotations

import enum
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from brmkb import tree

GIT_DIR = ".git"


class Place(enum.Enum):
    """Where a cited path leads; only ``RECORDS`` and ``REPOSITORY`` are files one may cite."""

    RECORDS = "records"  #: an existing file under records/: published when its type is allowed
    #: an existing file elsewhere in the repository, or a hidden one under records/ (a name
    #: starting with ``.``, which the site never lists): never published
    REPOSITORY = "repository"
    NUL = "nul"  #: the path holds a NUL character
    ABSOLUTE = "absolute"  #: an absolute path, or one starting with ``~``
    OUTSIDE = "outside"  #: leaves the repository (by ``..`` or through a link)
    GIT = "git"  #: inside ``.git/``
    MISSING = "missing"  #: nothing there (or a link that leads nowhere)
    FOLDER = "folder"  #: a folder, or anything else that is not a regular file


@dataclass(frozen=True, slots=True)
class Located:
    place: Place
    #: For ``REPOSITORY``: the file's real path relative to the repository root (POSIX), which
    #: the site shows as text (a file under records/ is linked where it is published).
    rel: str = ""


class Repository:
    """Locates cited paths inside one knowledge base's repository; real folders are looked up
    once for all the paths in them (``tree.Inside``).

    Raises ``tree.RecordsError`` when records/ leads out of the repository (the loader has
    reported it already).
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(os.path.realpath(root))
        records = tree.records_folder(self.root) or self.root / tree.RECORDS_DIR
        self._in_records = tree.Inside(records)
        self._in_root = tree.Inside(self.root)
        self._git = self.root / GIT_DIR
        self._records = str(self.root / tree.RECORDS_DIR)

    def locate(self, base: Path, ref: str) -> Located:
        """Where ``ref``, relative to the folder ``base``, leads."""
        if "\0" in ref:
            return Located(Place.NUL)
        if os.path.isabs(ref) or ref.startswith("~"):
            return Located(Place.ABSOLUTE)
        path = str(base / ref)
        place, rel = Place.RECORDS, ""
        if not self._in_records(path):  # the common case needs no real path of its own
            if not self._in_root(path):
                return Located(Place.OUTSIDE)
            real = Path(os.path.realpath(path))
            if real.is_relative_to(self._git):
                return Located(Place.GIT)
            place, rel = Place.REPOSITORY, real.relative_to(self.root).as_posix()
        elif self._hidden(path):
            real = Path(os.path.realpath(path))
            place, rel = Place.REPOSITORY, real.relative_to(self.root).as_posix()
        try:
            mode = os.stat(path).st_mode
        except (OSError, ValueError):  # missing, a loop, a name too long
            return Located(Place.MISSING)
        if not stat.S_ISREG(mode):
            return Located(Place.FOLDER)
        return Located(place, rel)

    def _hidden(self, path: str) -> bool:
        """Whether the path, as written, passes through a hidden name under records/: the
        site's listing of records/ (``tree.walk``) leaves those files out."""
        under = os.path.relpath(os.path.normpath(path), self._records)
        return not under.startswith("..") and any(
            part.startswith(".") for part in under.split(os.sep)
        )
