"""The pack's browsable site: the project's own MkDocs build, limited to the scope, from disk.

MkDocs runs as a subprocess (the package never imports a site generator) on a generated
config that inherits the knowledge base's ``mkdocs.yml`` — same theme, hooks and renderers
as the published site — with four changes: Material's ``offline`` plugin (search index
inlined, a local shim for the search worker), file URLs instead of folder URLs (``file://``
has no index pages), the scope handed to the site hook through the environment, and no
calendar and CSV exports (the workbook carries the evidence tables).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from brmkb.pack import PackError, shim
from brmkb.pack.scope import ENVIRONMENT, Scope, to_environment

#: Config file of the site, at the knowledge base root.
CONFIG = "mkdocs.yml"
#: Files of a MkDocs build that mean nothing from disk.
UNUSED = ("sitemap.xml", "sitemap.xml.gz")


class SiteError(PackError):
    """The site could not be built (one line, in Chinese)."""


class _Tolerant(yaml.SafeLoader):
    """Reads mkdocs.yml's plain keys; its ``!!python/…`` and ``!ENV`` values become None."""


_Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)


def build(root: Path, scope: Scope, out: Path) -> None:
    """Build the scoped site of the knowledge base at ``root`` into ``out``."""
    config_file = root / CONFIG
    if not config_file.is_file():
        raise SiteError(f"{root} 下没有 {CONFIG}；审核包用知识库自己的站点配置生成")
    script = shim.content()
    try:
        base: dict[str, Any] = yaml.load(config_file.read_text(encoding="utf-8"), _Tolerant) or {}
    except yaml.YAMLError as error:
        raise SiteError(f"{config_file} 无法读取：{error}") from None
    plugins = [p for p in base.get("plugins") or [] if _name(p) != "offline"] + ["offline"]
    overrides = {
        "INHERIT": CONFIG,
        "site_dir": str(out.resolve()),
        "use_directory_urls": False,
        "strict": False,
        "plugins": plugins,
        "hooks": [h for h in base.get("hooks") or [] if Path(h).name != "exports.py"],
        "extra": {"polyfills": [shim.SITE_PATH]},
    }
    stamp = datetime(scope.as_of.year, scope.as_of.month, scope.as_of.day, tzinfo=UTC)
    env = {
        **os.environ,
        ENVIRONMENT: to_environment(scope),
        "NO_MKDOCS_2_WARNING": "1",
        # MkDocs stamps build dates (sitemap, gzip) from it: the check date, not the clock.
        "SOURCE_DATE_EPOCH": str(int(stamp.timestamp())),
    }
    # Next to mkdocs.yml, so that every relative path in it means what it always means.
    handle, name = tempfile.mkstemp(prefix=".brmkb-pack-", suffix=".yml", dir=root)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as generated:
            json.dump(overrides, generated, ensure_ascii=False)  # JSON is YAML
        done = subprocess.run(
            [sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", name],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError as error:
        raise SiteError(f"无法运行 MkDocs：{error}") from None
    finally:
        Path(name).unlink(missing_ok=True)
    if done.returncode != 0:
        raise SiteError("站点生成失败：" + _last_error(done.stderr))
    target = out / shim.SITE_PATH
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(script)
    for unused in UNUSED:
        (out / unused).unlink(missing_ok=True)


def _name(plugin: Any) -> str:
    name = next(iter(plugin)) if isinstance(plugin, dict) else str(plugin)
    return name.removeprefix("material/")


def _last_error(log: str) -> str:
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    errors = [line for line in lines if "ERROR" in line or "Error" in line]
    if "No module named mkdocs" in log:
        return "未安装站点组件；请安装 brmkb[pack]"
    return (errors or lines or ["MkDocs 没有输出说明"])[-1]
