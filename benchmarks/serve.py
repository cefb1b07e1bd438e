"""Edit loop under ``mkdocs serve``: seconds from saving a record to its page showing the change.

Usage::

    python benchmarks/serve.py [--sizes 1000,5000] [--edits 3] [--work bench-out]
                               [--serve-args=--dirty] [--timeout 600]

For each size, the project (mkdocs.yml, docs/, hooks/) is copied next to the generated
knowledge base (WORK/kb-SIZE, as ``site.py`` does), ``mkdocs serve`` is started on
127.0.0.1 on a free port, and once the first build is served, one minutes record is edited
``--edits`` times. Each edit appends a line with a fresh marker to the record's body and
reopens one of its actions whose due date has passed, which the check reports on the
record's page (``action-tracking``): the time is taken from saving the file until the page
shows both the marker and the changed findings. Every wait is bounded by ``--timeout``; the
record is restored after each edit and the server stopped at the end (loopback only).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from run import fmt, knowledge_base, table  # noqa: E402

# benchmarks/site.py, by path: "site" is also a standard module, imported at start-up
_spec = importlib.util.spec_from_file_location("site_benchmark", HERE / "site.py")
assert _spec and _spec.loader
site_benchmark = sys.modules[_spec.name] = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(site_benchmark)

#: The title of a record page's findings box: "检查结果（截至 …）：counts".
_FINDINGS = re.compile(r'<p class="admonition-title">检查结果[^<]*</p>')
#: A finished action that was due before the generated knowledge base's as-of date.
_DONE_ACTION = re.compile(
    r"(    due: 20(?:2[0-5]|26-0\d)-\d\d-\d\d\n    status: )done\n    done: \S+\n"
)


def free_port() -> int:
    """A TCP port nobody listens on, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    """The page's HTML, or None while the server is not answering with it."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError):
        return None


def wait_for(url: str, test: object, timeout: float, server: subprocess.Popen) -> float | None:
    """Seconds until ``test(html)`` holds for the page at ``url``; None on timeout."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if server.poll() is not None:
            raise SystemExit(f"mkdocs serve stopped (exit {server.returncode})")
        html = fetch(url)
        if html is not None and test(html):  # type: ignore[operator]
            return time.perf_counter() - started
        time.sleep(0.2)
    return None


def findings(html: str) -> list[str]:
    return _FINDINGS.findall(html)


def edited(text: str, marker: str) -> str:
    """The record with a marker line at the end of its body and an overdue action reopened
    (a finding of the check), so both the page and its findings must change."""
    return _DONE_ACTION.sub(r"\1open\n", text, count=1).rstrip() + f"\n\n{marker}\n"


def minutes_record(folder: Path) -> Path:
    """The first minutes record (in path order) with a finished action due long ago."""
    for path in sorted((folder / "records").rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if "\nkind: minutes\n" in text and _DONE_ACTION.search(text):
            return path
    raise SystemExit(f"no minutes record with a finished action under {folder / 'records'}")


def measure(folder: Path, edits: int, serve_args: list[str], timeout: float) -> dict:
    """Start ``mkdocs serve`` in ``folder``, time the first build and every edit."""
    port = free_port()
    record = minutes_record(folder)
    page = site_benchmark.page_for(record.relative_to(folder / "records"))
    url = f"http://127.0.0.1:{port}/{page[:-3]}/"
    original = record.read_text(encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    argv = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
    log = (folder / "serve.log").open("wb")
    server = subprocess.Popen(
        [*argv, *serve_args], cwd=folder, env=env, stdout=log, stderr=log, start_new_session=True
    )
    found: dict = {"url": url, "record": record.name, "first": None, "edits": []}
    try:
        found["first"] = wait_for(url, lambda html: True, timeout, server)
        before = fetch(url) or ""
        for number in range(edits):
            marker = f"测速标记{number}x{time.time_ns()}"
            time.sleep(1.5)  # past the file watcher's settle time of the previous edit
            record.write_text(edited(original, marker), encoding="utf-8")
            old = findings(before)
            seconds = wait_for(
                url,
                lambda html, m=marker, old=old: m in html and findings(html) != old,
                timeout,
                server,
            )
            found["edits"].append(seconds)
            record.write_text(original, encoding="utf-8")
            wait_for(url, lambda html, m=marker: m not in html, timeout, server)
            before = fetch(url) or ""
    finally:
        record.write_text(original, encoding="utf-8")
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("bench-out"))
    parser.add_argument("--serve-args", default="", help="extra mkdocs serve arguments")
    parser.add_argument("--timeout", type=float, default=600.0, help="longest wait, seconds")
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    rows = []
    for size in sorted(int(s) for s in args.sizes.split(",")):
        kb = knowledge_base(args.work, size, args.seed, log)
        flags = "".join(arg.strip("-") for arg in args.serve_args.split())
        folder = args.work / f"serve-{size}{'-' + flags if flags else ''}"
        site_benchmark.prepare_hooked(kb, folder)
        found = measure(folder.resolve(), args.edits, args.serve_args.split(), args.timeout)
        log(f"{size}: {found}")
        times = [t for t in found["edits"] if t is not None]
        rows.append(
            [
                f"{size:,}",
                fmt(found["first"]) if found["first"] is not None else "timeout",
                fmt(statistics.median(times)) if times else "timeout",
                " / ".join(f"{t:.1f}" if t is not None else "timeout" for t in found["edits"]),
            ]
        )
    print(
        table(
            rows,
            [
                "records",
                "first build served",
                f"edit → page updated (median of {args.edits})",
                "edits (s)",
            ],
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
