"""The pack's browsable site: the project's own MkDocs build, limited to the scope, from disk.

Same config, hooks and renderers as the published site, with four changes: Material's
``offline`` plugin (search index inlined, shim for the worker), file URLs instead of folder
URLs (``file://`` has no index pages), the scope handed to the site hook, and no calendar
and CSV exports (the workbook carries the evidence tables).
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from brmkb.pack import PackError, shim
from brmkb.pack.scope import Scope

#: Config file of the site, at the knowledge base root.
CONFIG = "mkdocs.yml"
#: Config key under which hooks/brmkb_site.py reads the scope: the site then shows only the
#: records of that period and those services, checked as of the scope's date.
SCOPE_KEY = "brmkb_scope"
#: Files of a MkDocs build that mean nothing from disk.
UNUSED = ("sitemap.xml", "sitemap.xml.gz")


class SiteError(PackError):
    """The site could not be built (one line, in Chinese)."""


def build(root: Path, scope: Scope, out: Path) -> None:
    """Build the scoped site of the knowledge base at ``root`` into ``out``."""
    try:
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException
        from mkdocs.utils.yaml import yaml_load
    except ImportError:
        raise SiteError("生成审核包需要站点组件；请安装 brmkb[site]（make site）") from None
    config_file = root / CONFIG
    if not config_file.is_file():
        raise SiteError(f"{root} 下没有 {CONFIG}；审核包用知识库自己的站点配置生成")
    script = shim.content()
    with config_file.open("rb") as handle:
        base: dict[str, Any] = yaml_load(handle) or {}
    plugins = [p for p in base.get("plugins", []) if _name(p) != "offline"] + ["offline"]
    hooks = [h for h in base.get("hooks", []) if Path(h).name != "exports.py"]
    extra = {**(base.get("extra") or {}), "polyfills": [shim.SITE_PATH]}
    with _quiet(), _build_date(scope):
        try:
            config = load_config(
                str(config_file),
                site_dir=str(out),
                use_directory_urls=False,
                strict=False,
                plugins=plugins,
                hooks=hooks,
                extra=extra,
            )
            config[SCOPE_KEY] = scope
            mkdocs_build(config)
        except MkDocsException as error:
            raise SiteError(f"站点生成失败：{error}") from None
    target = out / shim.SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(script)
    for name in UNUSED:
        (out / name).unlink(missing_ok=True)


def _name(plugin: Any) -> str:
    name = next(iter(plugin)) if isinstance(plugin, dict) else str(plugin)
    return name.removeprefix("material/")


@contextmanager
def _build_date(scope: Scope):
    """MkDocs stamps build dates (sitemap, gzip) from SOURCE_DATE_EPOCH: the check date."""
    stamp = datetime(scope.as_of.year, scope.as_of.month, scope.as_of.day, tzinfo=UTC)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def _quiet():
    """MkDocs and jieba log to the terminal; the pack reports findings in its own files."""
    with suppress(ImportError):
        import jieba  # noqa: F401  (sets its logger's level when first imported)
    loggers = [logging.getLogger(name) for name in ("mkdocs", "jieba")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)
