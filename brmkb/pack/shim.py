"""The Web Worker shim that lets Material's search run from disk (``file://``).

Chromium refuses ``new Worker()`` for a page opened from a file, so Material's ``offline``
plugin loads the ``iframe-worker`` shim — from a CDN unless the site carries its own copy.
The copy is not part of this repository: ``make site`` (or ``python -m brmkb.pack.shim``)
fetches the pinned npm package once and keeps only its ``shim/index.js`` in the virtual
environment; every pack copies it from there, after checking its hash.
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from brmkb.pack import PackError

PACKAGE = "iframe-worker"
VERSION = "1.0.4"
SHA256 = "e8e412dbcfea9b7e31b5ffa288d7b6035915e714c542f4176a0cdbe262fc9609"
#: Where the site references it: the name must contain "iframe-worker" so that the offline
#: plugin does not add the CDN copy.
SITE_PATH = f"assets/javascripts/{PACKAGE}-{VERSION}.js"
#: The inline script the shim writes into the frame it runs a worker in, around the worker's
#: address as the page gives it: exact text of this VERSION, so that a page's policy can allow
#: it by its hash instead of allowing inline scripts (``brmkb.site.csp``).
_BOOTSTRAP = (
    'postMessage=function c(s,n){parent.postMessage(s,n||"*")};importScripts=function d(...s)'
    '{return s.reduce((n,e)=>n.then(()=>new Promise(r=>{let t=document.createElement("script");'
    "t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())};"
    'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",'
    '{filename:"',
    '",error}))})',
)


class ShimError(PackError):
    """The shim is missing or not the pinned one (one line, in Chinese)."""


def location() -> Path:
    return Path(sys.prefix) / "share" / "brmkb" / f"{PACKAGE}-{VERSION}.js"


def bootstrap(worker: str) -> str:
    """The shim's inline script for the worker at this address (as the page passes it)."""
    return worker.join(_BOOTSTRAP)


def content() -> bytes:
    """The pinned shim, checked; ShimError says how to install it."""
    path = location()
    if not path.is_file():
        raise ShimError(
            f"缺少离线搜索所需的 {PACKAGE} {VERSION}；请运行 "
            f"{Path(sys.executable).name} -m brmkb.pack.shim 安装（需要 npm 并能访问 npm 仓库）"
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != SHA256:
        raise ShimError(f"{path} 不是 {PACKAGE} {VERSION}（校验和不符）；请删除后重新安装")
    return data


def fetch() -> Path:
    """Fetch the pinned package with npm and keep its shim in the virtual environment."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["npm", "pack", "--silent", f"{PACKAGE}@{VERSION}", "--pack-destination", folder],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        archive = Path(folder, f"{PACKAGE}-{VERSION}.tgz").read_bytes()
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        member = tar.extractfile("package/shim/index.js")
        data = member.read() if member else b""
    if hashlib.sha256(data).hexdigest() != SHA256:
        raise ShimError(f"npm 上的 {PACKAGE} {VERSION} 与固定的校验和不符，未安装")
    path = location()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


if __name__ == "__main__":
    if not location().is_file():
        print(fetch())
