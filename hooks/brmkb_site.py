"""MkDocs hooks of the procedure site: check the records once per build, publish the result.

Thin on purpose: ``brmkb.engine`` decides what is wrong, ``brmkb.site`` renders the pages;
these functions only hand both to MkDocs. Unwaived errors are logged as warnings, and a
strict build stops on them itself (whatever the log level); a lax one shows a banner.
"""

from __future__ import annotations

import gc
import logging
import os
import re
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink

from brmkb import policy, site, tree
from brmkb.background import Background
from brmkb.policy import PolicyError

log = logging.getLogger("mkdocs.plugins.brmkb")

#: The site of the current build; reset by every on_config (mkdocs serve rebuilds).
_state: dict[str, Any] = {}

#: Config key under which the export files made with the site are handed to hooks/exports.py,
#: so that the records are loaded and checked once per build.
EXPORTS_KEY = "brmkb_exports"

_FRONT_MATTER = re.compile(
    r"\A\ufeff?---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*$", re.DOTALL | re.MULTILINE
)


def current() -> site.Published:
    """The site of this build; waits for the check started in the background by
    ``on_config`` (its pages follow as MkDocs reads them)."""
    if "site" not in _state:
        if "pending" not in _state:
            raise PluginError(
                "brmkb：站点尚未生成；请确认 mkdocs.yml 的 hooks 列出了 hooks/brmkb_site.py。"
            )
        coming = iter(_state.pop("pending"))
        _state["site"] = built = next(coming)
        built.follow(coming)
    return _state["site"]


class _Arriving(File):
    """A generated page whose Markdown may still be on its way from the background process:
    MkDocs reads it when it comes to the page (the build reads the pages in order while the
    next ones are made)."""

    @property
    def content_string(self) -> str:
        return current().content(self.src_uri)

    @property
    def content_bytes(self) -> bytes:
        return self.content_string.encode("utf-8")


#: make serve (mkdocs serve --dirty): a saved record rebuilds only the pages it changes
on_startup, on_shutdown = site.incremental.start, site.incremental.stop


@event_priority(100)  # before the search plugin loads its jieba dictionaries
def on_config(config: MkDocsConfig) -> MkDocsConfig:
    _state.clear()
    gc.unfreeze()  # mkdocs serve: the previous build's model may go now
    _state["root"] = root = site.root_of(config.config_file_path)
    try:
        chosen = policy.load(root)  # a bad policy stops the build here, with one line
        tree.records_folder(root)  # and so does a records/ that leads out of the repository
    except PolicyError as error:
        raise PluginError(site.policy_error_line(error)) from None
    except tree.RecordsError as error:
        raise PluginError(f"brmkb：{error}") from None
    # Checked and rendered in another process while MkDocs and its plugins start up.
    _state["pending"] = Background(
        site.generate_deferred,
        root,
        chosen,
        use_directory_urls=config.use_directory_urls,
        exports=exports_folder(config),
        jobs=max(1, (os.cpu_count() or 1) - 1),  # a core stays with MkDocs meanwhile
    )
    return config


def on_files(files: Files, /, *, config: MkDocsConfig) -> Files:
    built = current()
    gc.freeze()  # the site model lives as long as the build: spare the collector walking it
    config.nav = built.nav(config.nav)  # read by MkDocs only after on_files
    for line in built.gate_lines:
        log.warning(line)
    if config.strict and built.abort_message:
        raise PluginError(built.abort_message)
    level = config.validation.links.not_found
    built.report_problems(lambda p: log.log(level, f"{p.path}:{p.line}: {p.message}"))
    for src_uri, source in built.sources():
        if source is None:
            _replace(files, _Arriving.generated(config, src_uri, content=""))
        else:
            _replace(files, File.generated(config, src_uri, **source))
    log.info(f"brmkb: {built.summary}")
    return files


def on_page_markdown(
    markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
) -> str | None:
    if not page.file.generated_by and not page.meta and _FRONT_MATTER.match(markdown):
        # MkDocs drops a front matter it cannot parse without a word: say so.
        log.warning(
            f"{_source(page)}:1: 页面开头的 YAML 头信息无法解析，已被当作正文显示；"
            "请检查缩进、冒号和引号。"
        )
    markdown, _state.setdefault("raw", {})[page.file.src_uri] = current().prepare(
        page, markdown, log.info
    )
    return markdown


def on_page_content(html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    inserts = current().inserts(page.file.src_uri)
    if inserts is None:
        return html
    inserts.extend_toc(page.toc.items, AnchorLink)
    return inserts.place(html, _state.setdefault("raw", {}).setdefault(page.file.src_uri, []))


def on_post_page(output: str, /, *, page: Page, config: MkDocsConfig) -> str:
    return site.unstash(output, _state.get("raw", {}).pop(page.file.src_uri, []))


@event_priority(50)  # before hooks/exports.py publishes the export files
def on_post_build(*, config: MkDocsConfig) -> None:
    config[EXPORTS_KEY] = current().finish()


def on_serve(server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
    root = _state.get("root") or site.root_of(config.config_file_path)
    for path in (root / "records", root / "policy.yml"):
        if path.exists():
            server.watch(str(path))
    return server


def exports_folder(config: MkDocsConfig) -> str | None:
    """Where hooks/exports.py publishes the calendar and CSV files, if it is configured."""
    for name, module in (config.hooks or {}).items():
        if Path(name).name == "exports.py":
            return getattr(module, "FOLDER", None)
    return None


def _source(page: Page) -> str:
    """A page's file relative to the knowledge base root (as the findings name files)."""
    path = Path(page.file.abs_src_path or page.file.src_uri).resolve()
    root = _state.get("root")
    return path.relative_to(root).as_posix() if root and path.is_relative_to(root) else str(path)


def _replace(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        log.warning(
            f"{file.src_uri}: 与站点生成的页面同名，已忽略文档目录中的同名文件；请改名或删除。"
        )
        files.remove(existing)
    files.append(file)
