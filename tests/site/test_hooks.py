"""The MkDocs hooks, called as plain functions with a real configuration and small fakes."""

from __future__ import annotations

import ast
import json
import logging
import subprocess
import sys
from pathlib import Path
from types import ModuleType, SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from brmkb.procedure import source as procedure_source

from tests.site import kbs
from tests.site.conftest import REPO, hook_module

HOOK = REPO / "hooks" / "brmkb_site.py"
LOGGER = "mkdocs.plugins.brmkb"


@pytest.fixture
def hook() -> ModuleType:
    return hook_module("brmkb_site")


def _config(root: Path, files: dict[str, str]) -> MkDocsConfig:
    kbs.write(root, files)
    config = load_config(config_file=str(kbs.mkdocs_yml(REPO, root)))
    config.plugins._current_plugin = "brmkb_site"  # set by MkDocs while it runs an event
    return config


@pytest.fixture
def seeded_config(tmp_path: Path) -> MkDocsConfig:
    return _config(tmp_path, kbs.FILES)


def _page(src_uri: str, meta: dict | None = None, abs_src_path: str | None = None):
    file = SimpleNamespace(src_uri=src_uri, generated_by=None, abs_src_path=abs_src_path)
    return SimpleNamespace(file=file, meta=meta or {})


def test_the_site_is_checked_once_and_services_join_the_nav(hook, seeded_config) -> None:
    config = hook.on_config(seeded_config)
    hook.on_files(Files([]), config=config)
    site = hook.current()
    assert "检查了 9 份记录" in site.summary and kbs.AS_OF in site.summary
    section = next(item["服务项目"] for item in config.nav if "服务项目" in item)
    assert section == [
        "services/index.md",
        {"全部记录": "records/index.md"},
        {"全部服务": ["services/svc-xss.md"]},
    ]
    # the nav stays small: no record is listed in it
    assert "records/mn-xss-2026-10.md" not in str(config.nav)
    # other hooks (the exports) reuse the report instead of checking the records again: the
    # files come with the last page, in time for hooks/exports.py after the pages
    hook.on_post_build(config=config)
    assert config[hook.EXPORTS_KEY] is site.exports and "calendar.ics" in site.exports
    assert hook.exports_folder(config) == "exports"


def test_on_config_resets_the_state_of_a_previous_build(hook, seeded_config, tmp_path) -> None:
    hook.on_config(seeded_config)
    first = hook.current()
    hook.on_config(_config(tmp_path / "again", kbs.BROKEN_FILES))
    assert hook.current() is not first and hook.current().gate_lines


def test_on_files_adds_generated_pages_and_attachments(hook, seeded_config) -> None:
    hook.on_config(seeded_config)
    files = hook.on_files(Files([]), config=seeded_config)
    uris = {f.src_uri for f in files}
    assert {
        "records/mn-xss-2026-10.md",
        "services/svc-xss.md",
        "services/index.md",
        "records/index.md",
        "dashboard.md",
        "guide/fields.md",
        "guide/rules.md",
        "guide/coverage.md",
    } <= uris
    attachment = files.get_file_from_path("records/svc-xss/attachments/contract.pdf")
    assert attachment is not None and not attachment.is_documentation_page()
    assert Path(attachment.abs_src_path).read_bytes().startswith(b"%PDF")
    page = files.get_file_from_path("records/mn-xss-2026-10.md")
    assert page.content_string.startswith('---\ntitle: "&lt;script&gt;')


def test_a_compliant_knowledge_base_logs_no_warning(hook, seeded_config, caplog) -> None:
    caplog.set_level(logging.INFO, logger=LOGGER)
    hook.on_config(seeded_config)
    hook.on_files(Files([]), config=seeded_config)
    mine = [r for r in caplog.records if r.name == LOGGER]
    assert [r.levelno for r in mine] == [logging.INFO]  # the summary only: the warning is not gated
    assert "警告 1" in mine[0].getMessage()


def test_unwaived_errors_are_warnings_with_file_and_line(hook, tmp_path, caplog) -> None:
    config = _config(tmp_path, kbs.BROKEN_FILES)
    caplog.set_level(logging.INFO, logger=LOGGER)
    hook.on_config(config)
    hook.on_files(Files([]), config=config)
    warnings = [
        r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "records/svc-xss/minutes/mn-xss-2026-10.md:2: [minutes-distribution] "
    )


def test_a_strict_build_stops_on_unwaived_errors_itself(hook, tmp_path, caplog) -> None:
    config = _config(tmp_path, kbs.BROKEN_FILES)
    config.strict = True
    caplog.set_level(logging.CRITICAL)  # the gate must not depend on warnings being counted
    hook.on_config(config)
    with pytest.raises(PluginError) as stopped:
        hook.on_files(Files([]), config=config)
    message = str(stopped.value)
    assert "知识库有 1 个未豁免的错误" in message
    assert "records/svc-xss/minutes/mn-xss-2026-10.md:2: [minutes-distribution] " in message


def test_a_lax_build_of_a_failing_knowledge_base_marks_every_page(hook, tmp_path) -> None:
    config = _config(tmp_path, kbs.BROKEN_FILES)
    hook.on_config(config)
    hook.on_files(Files([]), config=config)
    for src_uri, link in (("index.md", "dashboard.md"), ("records/a.md", "../dashboard.md")):
        page = _page(src_uri)
        markdown = hook.on_page_markdown("# 标题\n", page=page, config=config, files=Files([]))
        assert markdown.startswith(
            '<div markdown data-search-exclude>\n\n!!! failure "知识库未通过检查"'
        )
        assert f"[合规看板]({link})" in markdown


def test_broken_body_links_are_logged_at_the_configured_level(hook, tmp_path, caplog) -> None:
    files = dict(kbs.FILES)
    files["records/svc-xss/surveys/sv-xss-2026-10.md"] += "\n[附件](missing.pdf)\n"
    config = _config(tmp_path, files)
    caplog.set_level(logging.INFO, logger=LOGGER)
    hook.on_config(config)
    for file in hook.on_files(Files([]), config=config).documentation_pages():
        file.content_string  # noqa: B018 - MkDocs reads every page: the problems arrive with theirs
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith(
        "records/svc-xss/surveys/sv-xss-2026-10.md:"
    )
    assert "missing.pdf" in warnings[0]


def test_a_bad_policy_stops_the_build_with_one_line(hook, tmp_path) -> None:
    files = {**kbs.FILES, "policy.yml": "as_of: 2026/11/20\n"}
    config = _config(tmp_path, files)
    with pytest.raises(PluginError) as raised:
        hook.on_config(config)
    message = str(raised.value)
    assert "\n" not in message and message.startswith("policy.yml: ") and "第 1 行" in message


def test_records_linked_out_of_the_repository_stops_the_build_with_one_line(hook, tmp_path) -> None:
    outside = kbs.write(
        tmp_path / "elsewhere", {k: v for k, v in kbs.FILES.items() if k != "policy.yml"}
    )
    root = tmp_path / "kb"
    config = _config(root, {"policy.yml": kbs.FILES["policy.yml"]})
    (root / "records").symlink_to(outside / "records")
    with pytest.raises(PluginError) as raised:
        hook.on_config(config)
    message = str(raised.value)
    assert "\n" not in message and "仓库之外" in message


def test_on_page_markdown_adds_clause_badges_to_the_procedure(hook, seeded_config) -> None:
    hook.on_config(seeded_config)
    text = procedure_source()
    out = hook.on_page_markdown(
        text, page=_page("procedure.md", {"title": "x"}), config=seeded_config, files=Files([])
    )
    assert "行动项跟踪 · 警告 1" in out
    other = hook.on_page_markdown(
        "# 首页\n", page=_page("index.md", {"a": 1}), config=seeded_config, files=Files([])
    )
    assert other == "# 首页\n"


def test_unreadable_front_matter_of_a_page_is_reported(hook, seeded_config, caplog) -> None:
    hook.on_config(seeded_config)
    docs = Path(seeded_config.docs_dir)
    page = _page("broken.md", abs_src_path=str(docs / "broken.md"))
    hook.on_page_markdown(
        "---\ntitle: [未闭合\n---\n\n正文\n", page=page, config=seeded_config, files=Files([])
    )
    warnings = [
        r.getMessage() for r in caplog.records if r.name == LOGGER and r.levelno == logging.WARNING
    ]
    assert len(warnings) == 1 and "broken.md:1: " in warnings[0]


def test_jieba_dictionary_is_found_next_to_mkdocs_yml(tmp_path, monkeypatch) -> None:
    root = tmp_path / "kb"
    config = _config(root, kbs.FILES)
    (root / "docs" / "assets").mkdir(parents=True)
    (root / "docs" / "assets" / "jieba_userdict.txt").write_text("服务评审 0\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # not the folder of mkdocs.yml
    _search_hook().on_config(config)
    search = config.plugins["material/search"]
    assert search.config["jieba_dict_user"] == str(root / "docs" / "assets" / "jieba_userdict.txt")


def test_on_serve_watches_records_and_policy(hook, seeded_config) -> None:
    hook.on_config(seeded_config)
    watched = []
    server = SimpleNamespace(watch=watched.append)
    assert hook.on_serve(server, config=seeded_config, builder=None) is server
    root = Path(seeded_config.config_file_path).parent
    assert watched == [str(root / "records"), str(root / "policy.yml")]


def test_hooks_stay_thin() -> None:
    """The hook imports the core and the renderers, never a rule, and stays short."""
    tree = ast.parse(HOOK.read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert not any(name.startswith(("brmkb.rules", "brmkb.registry")) for name in imported)
    assert len(HOOK.read_text(encoding="utf-8").splitlines()) < 180


def _modules_loaded_by_hooks_and_policy(root: Path) -> set[str]:
    code = (
        "import importlib.util, sys\n"
        "for path in sys.argv[2:]:\n"
        "    spec = importlib.util.spec_from_file_location(path, path)\n"
        "    spec.loader.exec_module(importlib.util.module_from_spec(spec))\n"
        "from pathlib import Path\n"
        "from brmkb import policy\n"
        "policy.load(Path(sys.argv[1]))\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    hooks = sorted(str(path) for path in (REPO / "hooks").glob("*.py"))
    done = subprocess.run(
        [sys.executable, "-c", code, str(root), *hooks], capture_output=True, text=True, check=True
    )
    return set(done.stdout.split())


def test_mkdocs_process_loads_neither_the_check_nor_the_renderers(tmp_path) -> None:
    """The hooks and the policy load without the engine and the page renderers: the
    background process that checks the records and renders the pages imports them itself.
    The rules load only to check a policy's rule settings."""
    loaded = _modules_loaded_by_hooks_and_policy(REPO)
    assert "brmkb.site.published" in loaded and "brmkb.rules" in loaded  # policy.yml sets rules
    assert not loaded & {"brmkb.engine", "brmkb.loader", "brmkb.site.builder", "brmkb.site.records"}
    (tmp_path / "policy.yml").write_text("as_of: 2026-11-20\n", encoding="utf-8")
    assert not any(
        m.startswith("brmkb.rules") for m in _modules_loaded_by_hooks_and_policy(tmp_path)
    )


def test_a_dirty_serve_gives_generated_pages_a_source_file(hook, seeded_config) -> None:
    """make serve runs mkdocs serve --dirty: pages are rebuilt when their source is newer."""
    hook.on_startup(command="serve", dirty=True)
    try:
        hook.on_config(seeded_config)
        files = hook.on_files(Files([]), config=seeded_config)
        page = files.get_file_from_path("records/mn-xss-2026-10.md")
        assert Path(page.abs_src_path).is_file()
        assert page.content_string.startswith('---\ntitle: "&lt;script&gt;')
    finally:
        hook.on_shutdown()
    page = hook.on_files(Files([]), config=seeded_config).get_file_from_path(page.src_uri)
    assert page.abs_src_path is None  # a full build hands MkDocs the content, as before


def _search_hook() -> ModuleType:
    return hook_module("search")


@pytest.mark.parametrize(("names", "split"), [("theme", True), ("override", False)])
def test_the_index_is_split_only_when_every_page_starts_the_projects_worker(
    seeded_config, tmp_path, names, split
) -> None:
    """A theme override that names its own worker gets the whole index, as before."""
    search = _search_hook()
    config = search.on_config(seeded_config)
    config.site_dir = str(tmp_path / "site")
    worker = search._theme_worker
    assert worker is not None
    named = worker if names == "theme" else "custom.js"
    page = (
        '<body><script id="__config" type="application/json">'
        f'{{"search": "assets/javascripts/workers/{named}"}}</script></body>'
    )
    search.on_post_page(page, page=None, config=config)
    index = {
        "config": {"separator": "[\\s\\u200b]+"},
        "docs": [{"location": "", "title": "首页", "text": "正文"}],
    }
    folder = tmp_path / "site" / "search"
    folder.mkdir(parents=True)
    (folder / "search_index.json").write_text(json.dumps(index), encoding="utf-8")
    search.on_post_build(config)
    kept = json.loads((folder / "search_index.json").read_text(encoding="utf-8"))
    assert (folder / "documents.json").exists() is split
    assert len(kept["docs"]) == (0 if split else 1)
