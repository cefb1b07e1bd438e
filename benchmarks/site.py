"""Cost of building the site: Material without the project's hooks vs the hooked build.

Usage::

    python benchmarks/site.py [--sizes 1000,5000] [--runs 3] [--work bench-out]
                              [--variants bare,plain,remembered,shaped,hooked] [--instructions]

For each size the same generated knowledge base (WORK/kb-SIZE, see ``generate.py``) is
built in each of the chosen ways (``--variants``), each in a folder of its own under WORK/site-*:

plain
    the same site without the hooks: the project's mkdocs.yml (theme, plugins, nav) minus
    ``hooks:``, the project's docs/, and every record's Markdown body (front matter removed)
    as a page at the URL the project gives it (``services/<id>.md``, ``records/<id>.md``).
    Nav entries of pages that only the hooks generate stay in the nav as links. This is the
    baseline of the ≤ 15 % target: what the hooks add to Material building the same pages;
remembered
    the plain variant with one hook: jieba's segmentation of Chinese text remembered during
    the build (``brmkb.site.segmenting``), the one step of the hooks that makes Material's
    own work cheaper; hooked over remembered is what the rest of the hooks add;
shaped
    the plain variant with its record and service pages in the shape the hooks give their
    Markdown (front matter with title, tags and search boost; the title as a heading; links
    rewritten), but nothing the hooks add after Markdown, no generated pages and no hooks:
    how much of the overhead is the pages' shape alone;
bare
    the record bodies alone with a one-entry nav and no hand-written pages: the least a
    Material build of that many pages costs (the baseline of earlier measurements);
hooked
    the project's mkdocs.yml, docs/ and hooks/ next to a copy of the generated records/
    and policy.yml — what ``mkdocs build`` costs for real.

sanitizer
    not a build: the direct cost of the sanitizer (``brmkb.sanitize``) on the HTML of every
    record and service page (title and body rendered with the site's Markdown settings, as the
    hooks hand it over), best of three passes, and of the check's scan for bodies it must
    render (``brmkb.markup.check``); reported against the hooked build's median, since on a
    shared machine the build-to-build noise is larger than the sanitizer's share.

instructions (``--instructions``)
    not timed: each variant built once under valgrind's callgrind, which counts the
    instructions every process executes, MkDocs' own and the hooks' background process
    separately. On a shared machine wall and CPU times move by a third between two identical
    builds; these counts move by well under 1 %, so they settle what the timings cannot (they
    leave out the kernel's time and the cost of cache misses). Needs ``valgrind`` on PATH; a
    build takes about fifty times as long as usual.

Reports, per build: wall time (median of ``--runs``, each into an empty output folder;
the variants take turns, so that a slow moment of the machine hits all of them), CPU time
(user + system, child processes included), peak RSS, site size, number of HTML pages, average HTML size of a record page, search
index size; and the overhead of the hooked build over each baseline, as the median of the
per-round ratios.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from run import Child, fmt, knowledge_base, run_child, table, warm_cache  # noqa: E402
from variants import AS_OF, PREPARE  # noqa: E402

TARGET_OVERHEAD = 0.15
#: What the hooked build is compared with: the target's baseline first, then for reference
BASELINES = ("plain", "remembered", "bare")


@dataclass
class Build:
    """Repeated builds of one variant at one size."""

    variant: str
    records: int
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    site_bytes: int = 0
    html_pages: int = 0
    record_pages: int = 0
    record_html_bytes: int = 0
    search_index_bytes: int = 0
    failure: str | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def mkdocs_build(folder: Path) -> Child:
    """``mkdocs build`` in ``folder`` into an empty ``folder/site``."""
    site = folder / "site"
    if site.exists():
        shutil.rmtree(site)
    mkdocs = Path(sys.executable).with_name("mkdocs")
    argv = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return run_child([*argv, "build", "-q", "-d", str(site)], cwd=folder, env=env)


def measure_site(build: Build, folder: Path, pages: set[str]) -> None:
    """Sizes of the built site: total, HTML pages, record pages, search index."""
    site = folder / "site"
    for path in site.rglob("*"):
        if not path.is_file():
            continue
        size = path.stat().st_size
        build.site_bytes += size
        if path.suffix == ".html":
            build.html_pages += 1
            page = path.parent.relative_to(site).as_posix()
            if path.name == "index.html" and page in pages:
                build.record_pages += 1
                build.record_html_bytes += size
    build.search_index_bytes = search_index_bytes(site)


def search_index_bytes(site: Path) -> int:
    """What search downloads: Material's index, and the documents the site's worker fetches."""
    files = (site / "search" / name for name in ("search_index.json", "documents.json"))
    return sum(path.stat().st_size for path in files if path.exists())


def run_size(
    kb: Path,
    work: Path,
    variants: Sequence[str],
    runs: int,
    log: Callable[[str], None],
) -> list[Build]:
    """Prepare each variant, one untimed build each, then ``runs`` interleaved rounds."""
    records = sum(1 for _ in (kb / "records").rglob("*.md"))
    folders = {v: work / f"site-{v}-{kb.name.removeprefix('kb-')}" for v in variants}
    pages = {v: PREPARE[v](kb, folders[v]) for v in variants}
    builds = {v: Build(v, records) for v in variants}
    warm_cache(kb)
    for variant in variants:
        child = mkdocs_build(folders[variant])
        if child.status != 0:
            tail = child.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
            builds[variant].failure = f"exit {child.status}: " + " / ".join(tail)
            log(f"  {variant} build failed: {builds[variant].failure}")
    live = [v for v in variants if builds[v].failure is None]
    for number in range(runs):
        for variant in live:
            child = mkdocs_build(folders[variant])
            builds[variant].seconds.append(child.seconds)
            builds[variant].cpu.append(child.cpu)
            builds[variant].rss_kb.append(child.rss_kb)
            log(f"  {records} records, {variant}, run {number + 1}: {child.seconds:.1f} s")
    for variant in live:
        measure_site(builds[variant], folders[variant], pages[variant])
    return list(builds.values())


@dataclass
class Sanitizer:
    """The sanitizer's own cost at one size (see the module docstring)."""

    records: int
    pages: int
    html_bytes: int
    seconds: float
    cpu: float
    check_seconds: float


def sanitizer_cost(kb: Path, passes: int = 3) -> Sanitizer:
    """Time ``sanitize.clean`` over every record and service page's rendered title and body."""
    import time

    from brmkb import engine, markup, sanitize, site

    sys.path.insert(0, str(REPO))
    from tests.site.render import renderer

    report = engine.run(kb, as_of=AS_OF)
    built = site.build(report)
    render = renderer(REPO)
    pages = [
        render(page.content.partition("\n---\n")[2])
        for page in built.pages
        if page.src_uri in built.inserts
    ]
    best, cpu = float("inf"), float("inf")
    for _ in range(passes):
        start, start_cpu = time.perf_counter(), time.process_time()
        for html in pages:
            sanitize.clean(html)
        best = min(best, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    start = time.perf_counter()
    list(markup.check(report.kb))
    check = time.perf_counter() - start
    size = sum(len(h.encode()) for h in pages)
    return Sanitizer(len(report.kb.records), len(pages), size, best, cpu, check)


@dataclass
class Counted:
    """Instructions executed by one build (see ``--instructions``)."""

    variant: str
    records: int
    mkdocs: int
    background: int

    @property
    def total(self) -> int:
        return self.mkdocs + self.background


def counted_build(folder: Path, variant: str, records: int) -> Counted:
    """``mkdocs build`` in ``folder`` under callgrind: instructions per process."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind (apt install valgrind)")
    site = folder / "site"
    if site.exists():
        shutil.rmtree(site)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory() as scratch:
        argv = [valgrind, "--tool=callgrind", f"--callgrind-out-file={scratch}/%p.out"]
        argv += [sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(site)]
        process = subprocess.Popen(argv, cwd=folder, env=env, stderr=subprocess.PIPE)
        _, stderr = process.communicate()
        if process.returncode != 0:
            tail = stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
            raise SystemExit(f"{variant} build failed: " + " / ".join(tail))
        counts = {int(path.stem): _summary(path) for path in Path(scratch).glob("*.out")}
    mkdocs = counts.pop(process.pid)
    return Counted(variant, records, mkdocs, sum(counts.values()))


def _summary(path: Path) -> int:
    """The instruction count callgrind wrote in its output file's header."""
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            if line.startswith("summary:"):
                return int(line.split()[1])
    raise SystemExit(f"no instruction count in {path}")


def count_size(kb: Path, work: Path, variants: Sequence[str]) -> list[Counted]:
    """Each variant prepared and built once under callgrind."""
    records = sum(1 for _ in (kb / "records").rglob("*.md"))
    counted = []
    for variant in variants:
        folder = work / f"site-{variant}-{kb.name.removeprefix('kb-')}"
        PREPARE[variant](kb, folder)
        counted.append(counted_build(folder, variant, records))
    return counted


def count_report(results: list[list[Counted]]) -> str:
    """The instruction counts per build, and the hooks' share over each baseline."""
    rows = [
        [
            f"{c.records:,}",
            c.variant,
            f"{c.mkdocs / 1e9:.2f}",
            f"{c.background / 1e9:.2f}",
            f"{c.total / 1e9:.2f}",
        ]
        for counted in results
        for c in counted
    ]
    out = [
        table(
            rows,
            [
                "records",
                "build",
                "MkDocs' process (10⁹ instructions)",
                "background process",
                "together",
            ],
        ),
        "",
    ]
    for counted in results:
        done = {c.variant: c for c in counted}
        hooked = done.get("hooked")
        for baseline in BASELINES:
            if hooked and baseline in done:
                base = done[baseline]
                out.append(
                    f"- {base.records:,} records: hooks add {hooked.mkdocs / base.mkdocs - 1:.1%} "
                    f"to MkDocs' process over {baseline}, {hooked.total / base.total - 1:.1%} "
                    "with the background process"
                )
    return "\n".join(out)


def overhead(hooked: Build, baseline: Build) -> float:
    """Median over the rounds of hooked / baseline − 1 (rounds ran back to back)."""
    return (
        statistics.median(h / b for h, b in zip(hooked.seconds, baseline.seconds, strict=True)) - 1
    )


def report(results: list[list[Build]], runs: int, sanitizers: Sequence[Sanitizer] = ()) -> str:
    """The Markdown table, the overhead per size, and the sanitizer's share."""
    rows = []
    for builds in results:
        for b in builds:
            if b.failure:
                rows.append([f"{b.records:,}", b.variant, "failed", "", "", "", "", "", "", ""])
                continue
            rows.append(
                [
                    f"{b.records:,}",
                    b.variant,
                    fmt(b.median),
                    " / ".join(f"{s:.1f}" for s in b.seconds),
                    fmt(statistics.median(b.cpu)),
                    f"{max(b.rss_kb) / 1024:.0f} MB",
                    f"{b.site_bytes / 1e6:.0f} MB",
                    f"{b.html_pages:,} ({b.record_pages:,})",
                    f"{b.record_html_bytes / max(b.record_pages, 1) / 1024:.1f} KB",
                    f"{b.search_index_bytes / 1e6:.1f} MB",
                ]
            )
    out = [
        table(
            rows,
            [
                "records",
                "build",
                f"median of {runs}",
                "runs (s)",
                "CPU time (median)",
                "peak RSS",
                "site size",
                "HTML pages (record pages)",
                "HTML per record page",
                "search index",
            ],
        ),
        "",
    ]
    for builds in results:
        done = {b.variant: b for b in builds if not b.failure}
        for baseline in BASELINES:
            if baseline in done and "hooked" in done:
                extra = overhead(done["hooked"], done[baseline])
                verdict = "met" if extra <= TARGET_OVERHEAD else "MISSED"
                target = f"target ≤ {TARGET_OVERHEAD * 100:.0f} %: {verdict}"
                out.append(
                    f"- {done[baseline].records:,} records: hooks add {extra * 100:.0f} % "
                    f"over {baseline} ({target if baseline == 'plain' else 'for reference'})"
                )
        for b in builds:
            if b.failure:
                out.append(f"- {b.records:,} records, {b.variant}: {b.failure}")
    for cost, builds in zip(sanitizers, results, strict=False):
        hooked = next((b for b in builds if b.variant == "hooked" and not b.failure), None)
        share = (
            f" = {cost.seconds / hooked.median * 100:.1f} % of the hooked build's wall time, "
            f"{cost.cpu / statistics.median(hooked.cpu) * 100:.1f} % of its CPU time"
            if hooked
            else ""
        )
        out.append(
            f"- {cost.records:,} records: sanitizing {cost.pages:,} record and service pages "
            f"({cost.html_bytes / 1e6:.1f} MB of HTML) takes {cost.seconds:.2f} s "
            f"(CPU {cost.cpu:.2f} s){share} (target ≤ 5 %); "
            f"the check's scan of the bodies {cost.check_seconds:.3f} s"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,5000", help="record counts, comma-separated")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("bench-out"))
    parser.add_argument("--variants", default="bare,plain,hooked")
    parser.add_argument(
        "--instructions", action="store_true", help="count instructions under callgrind instead"
    )
    args = parser.parse_args(argv)

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    variants = [v for v in args.variants.split(",") if v]
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if "hooked" in variants and not re.search(r"^hooks:", config, re.MULTILINE):
        log("mkdocs.yml has no hooks: yet; building the plain variant only")
        variants = [v for v in variants if v != "hooked"]
    work = args.work.resolve()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    if args.instructions:
        kbs = [knowledge_base(work, size, args.seed, log) for size in sizes]
        print(count_report([count_size(kb, work, variants) for kb in kbs]))
        return 0
    results, sanitizers = [], []
    for size in sizes:
        kb = knowledge_base(work, size, args.seed, log)
        results.append(run_size(kb, work, variants, args.runs, log))
        sanitizers.append(sanitizer_cost(kb))
        log(f"  {size} records, sanitizer: {sanitizers[-1].seconds:.2f} s")
    print(report(results, args.runs, sanitizers))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
