"""Time ``brmkb check`` against the floor of reading and parsing the same record files.

Usage::

    python benchmarks/run.py [--sizes 1000,10000] [--runs 5] [--work bench-out] [--seed 1]
                             [--methods floor,engine,engine_fresh] [--steady 10]
                             [--breakdown] [--profile]

For each size, a compliant knowledge base is generated once into WORK/kb-SIZE (by
``benchmarks/generate.py``; reused while the generator, size and seed are unchanged). After
a warm-up read of every file (so the page cache is the same for everyone), one untimed
round and then ``--runs`` interleaved rounds time, on the same files:

(a) the floor: every ``records/**/*.md`` read and its front matter parsed with
    ``yaml.CSafeLoader``, in this process, and the same as a fresh interpreter;
(b) what a user would script: ``frontmatter.load`` from python-frontmatter, in this process;
(c) ``brmkb check DIR --format json`` as a subprocess (start-up included), with its peak RSS;
(d) ``brmkb.engine.run`` in this process (after the other methods and sizes: the situation
    of a long-lived ``mkdocs serve``);
(e) ``brmkb.engine.run`` in a fresh interpreter, timed around the call alone.

Prints Markdown tables (medians) and the ratios against the targets, on CPU time (the machine
is shared: wall time is noisy); ``--json FILE`` keeps the raw timings. ``--methods`` runs
only some of them (``--sizes 5000,50000 --runs 1 --methods floor,engine,engine_fresh`` for
the large scaling run). ``--steady N`` runs ``engine.run`` N times in one fresh process on
the largest size and reports each run's CPU time, collector time and resident memory.
``--breakdown`` times the stages of a check one by one (largest size); ``--profile`` prints
the functions that take the most time under cProfile.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import glob
import hashlib
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

TARGET_RATIO = 1.3  # engine.run (parallel reading off) against the floor, CPU time
TARGET_RSS_MB = 150
TARGET_LINEAR = 11.0


# --------------------------------------------------------------------------- the methods


def record_paths(root: Path) -> list[str]:
    """Every record file, as a user's script would find them."""
    return sorted(glob.glob(os.path.join(root, "records", "**", "*.md"), recursive=True))


def floor(root: Path) -> int:
    """Read every record and parse its front matter with libyaml: nothing else."""
    count = 0
    for name in record_paths(root):
        with open(name, encoding="utf-8") as handle:
            text = handle.read()
        front, _, _ = text[4:].partition("\n---\n")
        yaml.load(front, Loader=yaml.CSafeLoader)
        count += 1
    return count


def with_frontmatter(root: Path) -> int:
    """The same with python-frontmatter, as a user would script it."""
    import frontmatter

    count = 0
    for name in record_paths(root):
        frontmatter.load(name)
        count += 1
    return count


def engine_run(root: Path) -> object:
    """The whole check, in this process, without rendering; returns the report."""
    from brmkb import engine

    return engine.run(root)


def engine_worker(root: Path) -> None:
    """In a fresh interpreter: time one ``engine.run`` alone (imports excluded), as JSON."""
    from brmkb import engine

    started, cpu = time.perf_counter(), time.process_time()
    engine.run(root)
    print(json.dumps({"seconds": time.perf_counter() - started, "cpu": time.process_time() - cpu}))


def steady_worker(root: Path, runs: int) -> None:
    """In a fresh interpreter: ``engine.run`` ``runs`` times in a row, one JSON line per run."""
    from brmkb import engine

    collecting = [0.0, 0.0]  # collector CPU time in total, and when the current pass started

    def on_collect(phase: str, info: dict) -> None:
        if phase == "start":
            collecting[1] = time.process_time()
        else:
            collecting[0] += time.process_time() - collecting[1]

    gc.callbacks.append(on_collect)
    page = os.sysconf("SC_PAGE_SIZE")
    for _ in range(runs):
        before_gc = collecting[0]
        started, cpu = time.perf_counter(), time.process_time()
        kept = engine.run(root)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        del kept
        with open("/proc/self/statm") as statm:
            rss = int(statm.read().split()[1]) * page
        print(
            json.dumps(
                {
                    "seconds": seconds,
                    "cpu": cpu,
                    "gc": collecting[0] - before_gc,
                    "rss_mb": rss / 2**20,
                    "objects": len(gc.get_objects()),
                }
            ),
            flush=True,
        )


def warm_cache(root: Path) -> int:
    """Read every file under ``root`` once so that all methods see a warm page cache."""
    total = 0
    for folder, _, files in os.walk(root):
        for name in files:
            with open(os.path.join(folder, name), "rb") as handle:
                total += len(handle.read())
    return total


@dataclass
class Child:
    """A finished subprocess: wall time, peak RSS, exit status and its output."""

    seconds: float
    rss_kb: int
    status: int
    stdout: bytes
    stderr: bytes = b""
    cpu: float = 0.0


TIME = "/usr/bin/time"


def run_child(
    argv: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> Child:
    """Run ``argv``; wall time from here, peak RSS of the command alone.

    The child is started by GNU time when it exists: a process forked from this (large)
    interpreter would count this interpreter's memory in its own peak RSS until ``exec``.
    Without it, ``wait4`` gives the figure, which is then an upper bound.
    """
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r") as usage_file,
    ):
        timed = os.access(TIME, os.X_OK)
        wrapped = [TIME, "-q", "-f", "%M %U %S", "-o", usage_file.name, *argv] if timed else argv
        started = time.perf_counter()
        process = subprocess.Popen(wrapped, stdout=out, stderr=err, cwd=cwd, env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        rss_kb, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
        if timed and len(measured := usage_file.read().split()) >= 3:
            rss_kb, cpu = int(measured[-3]), float(measured[-2]) + float(measured[-1])
        out.seek(0)
        err.seek(0)
        return Child(seconds, rss_kb, process.returncode, out.read(), err.read(), cpu)


def brmkb_argv() -> list[str]:
    """The installed ``brmkb`` script next to this interpreter, else ``python -m brmkb``."""
    script = Path(sys.executable).with_name("brmkb")
    return [str(script)] if script.exists() else [sys.executable, "-m", "brmkb"]


# --------------------------------------------------------------------------- measuring


@dataclass
class Series:
    """Repeated timings of one method on one knowledge base."""

    label: str
    seconds: list[float] = field(default_factory=list)
    rss_kb: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def best(self) -> float:
        return min(self.seconds)

    @property
    def rss_mb(self) -> float | None:
        return max(self.rss_kb) / 1024 if self.rss_kb else None


@dataclass
class Result:
    """All series for one knowledge base."""

    size: int
    records: int
    root: Path
    summary: dict[str, Any]
    series: dict[str, Series]


def in_process(work: Callable[[Path], object]) -> Callable[[Path, Series], None]:
    """A timer for a function run in this process (after a full collection).

    What the function returns is freed after the clock stops, as a process exit would.
    """

    def timed(root: Path, series: Series) -> None:
        gc.collect()
        started, cpu = time.perf_counter(), time.process_time()
        kept = work(root)
        series.seconds.append(time.perf_counter() - started)
        series.cpu.append(time.process_time() - cpu)
        del kept

    return timed


def timed_child(argv: Callable[[Path], list[str]]) -> Callable[[Path, Series], None]:
    """A timer for a subprocess that times its own work and prints it as JSON."""

    def timed(root: Path, series: Series) -> None:
        child = run_child(argv(root))
        measured = json.loads(child.stdout)
        series.seconds.append(measured["seconds"])
        series.cpu.append(measured["cpu"])
        series.rss_kb.append(child.rss_kb)

    return timed


def as_child(argv: Callable[[Path], list[str]]) -> Callable[[Path, Series], None]:
    """A timer for a subprocess; also keeps its peak RSS."""

    def timed(root: Path, series: Series) -> None:
        child = run_child(argv(root))
        series.seconds.append(child.seconds)
        series.rss_kb.append(child.rss_kb)
        series.cpu.append(child.cpu)

    return timed


def methods(has_frontmatter: bool) -> dict[str, tuple[str, Callable[[Path, Series], None]]]:
    """Key → (table label, timer), in the order they are run in every round."""
    found = {
        "floor": ("(a) floor: read + CSafeLoader, in-process", in_process(floor)),
        "floor_child": (
            "(a') floor as a fresh interpreter",
            as_child(lambda root: [sys.executable, __file__, "--floor-worker", str(root)]),
        ),
        "frontmatter": (
            "(b) python-frontmatter, in-process",
            in_process(with_frontmatter),
        ),
        "check": (
            "(c) brmkb check --format json (subprocess)",
            as_child(lambda root: [*brmkb_argv(), "check", str(root), "--format", "json"]),
        ),
        "engine": ("(d) engine.run, in-process", in_process(engine_run)),
        "engine_fresh": (
            "(e) engine.run in a fresh interpreter (the call alone)",
            timed_child(lambda root: [sys.executable, __file__, "--engine-worker", str(root)]),
        ),
    }
    if not has_frontmatter:
        del found["frontmatter"]
    return found


def measure(
    root: Path, size: int, runs: int, log: Callable[[str], None], only: Sequence[str] = ()
) -> Result:
    """Warm the cache, check that the KB passes, then time every method ``runs`` times."""
    warm_cache(root)
    first = run_child([*brmkb_argv(), "check", str(root), "--format", "json"])
    report = json.loads(first.stdout)
    if first.status != 0:
        raise SystemExit(f"brmkb check {root} exited {first.status}: the generated KB must pass")
    chosen = methods(_has_frontmatter())
    if only:
        chosen = {key: chosen[key] for key in only if key in chosen}
    series = {key: Series(label) for key, (label, _) in chosen.items()}
    for _, timer in chosen.values():  # untimed round: imports, caches, compiled schemas
        timer(root, Series("warm-up"))
    for round_number in range(runs):
        for key, (_, timer) in chosen.items():
            timer(root, series[key])
        log(
            f"  {size}: round {round_number + 1}/{runs}: "
            + ", ".join(f"{k} {s.seconds[-1]:.2f}s" for k, s in series.items())
        )
    return Result(size, report["records"], root, report["summary"], series)


def startup(runs: int) -> dict[str, Series]:
    """Interpreter start-up alone, and start-up plus every brmkb import (``brmkb rules``)."""
    found = {
        "python": Series("python -c pass"),
        "imports": Series("brmkb rules (start-up + all imports)"),
    }
    for _ in range(runs):
        for key, argv in (
            ("python", [sys.executable, "-c", "pass"]),
            ("imports", [*brmkb_argv(), "rules"]),
        ):
            child = run_child(argv)
            found[key].seconds.append(child.seconds)
            found[key].rss_kb.append(child.rss_kb)
            found[key].cpu.append(child.cpu)
    return found


def _has_frontmatter() -> bool:
    try:
        import frontmatter  # noqa: F401
    except ImportError:
        return False
    return True


# --------------------------------------------------------------------------- knowledge bases


def knowledge_base(work: Path, size: int, seed: int, log: Callable[[str], None]) -> Path:
    """WORK/kb-SIZE, generated unless an identical one (same generator, size, seed) exists."""
    root = work / f"kb-{size}"
    stamp = {
        "size": size,
        "seed": seed,
        "generator": hashlib.sha256((HERE / "generate.py").read_bytes()).hexdigest(),
    }
    marker = root / ".generated.json"
    if marker.is_file():
        old = json.loads(marker.read_text())
        if all(old.get(key) == value for key, value in stamp.items()):
            return root
    log(f"generating {root} ({size} records, seed {seed})")
    root.mkdir(parents=True, exist_ok=True)
    counts = generate.generate(root, records=size, seed=seed)
    marker.write_text(json.dumps({**stamp, **counts}, indent=2) + "\n")
    return root


# --------------------------------------------------------------------------- reporting


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    import brmkb

    return {
        "cpus": str(os.cpu_count()),
        "python": platform.python_version(),
        "pyyaml": f"{yaml.__version__} (libyaml {'yes' if yaml.__with_libyaml__ else 'no'})",
        "brmkb": brmkb.__version__,
        "platform": platform.platform(),
    }


def fmt(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds >= 0.095 else f"{seconds * 1000:.0f} ms"


def table(rows: list[list[str]], head: list[str]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(results: list[Result], boot: dict[str, Series], runs: int) -> str:
    """The Markdown tables and the verdicts against the targets."""
    out = []
    rows = []
    for result in results:
        for item in result.series.values():
            per = item.median / result.records * 1000
            rows.append(
                [
                    f"{result.records:,}",
                    item.label,
                    fmt(item.median),
                    fmt(item.best),
                    " / ".join(f"{s:.2f}" for s in item.seconds),
                    fmt(item.cpu_median),
                    f"{per * 1000:.0f} µs",
                    f"{item.rss_mb:.0f} MB" if item.rss_mb else "—",
                ]
            )
    out.append(
        table(
            rows,
            [
                "records",
                "method",
                f"median of {runs}",
                "best",
                "runs (s)",
                "CPU time (median)",
                "per record",
                "peak RSS",
            ],
        )
    )
    out.append("")
    if boot:
        out.append(startup_table(boot, runs))
        out.append("")
    verdicts = []
    for result in results:
        s = result.series
        verdicts.append(
            [
                f"{result.records:,}",
                ratio(s, "check", "floor"),
                ratio(s, "check", "floor", cpu=True),
                ratio(s, "check", "floor_child"),
                ratio(s, "engine", "floor", cpu=True),
                ratio(s, "frontmatter", "floor"),
                f"{s['check'].rss_mb:.0f} MB" if "check" in s else "—",
                f"{result.summary['error']} / {result.summary['warning']} / {result.summary['info']}",
            ]
        )
    out.append(
        table(
            verdicts,
            [
                "records",
                "check / floor",
                "same, CPU time",
                "check / floor as a process",
                "engine.run / floor, CPU time",
                "frontmatter / floor",
                "check peak RSS",
                "errors / warnings / info",
            ],
        )
    )
    out.append("")
    if len(results) >= 2:
        small, large = results[0], results[-1]
        scale = large.records / small.records
        rows = []
        for key, item in large.series.items():
            growth = item.median / small.series[key].median
            cpu_growth = item.cpu_median / small.series[key].cpu_median
            rows.append([item.label, f"{growth:.2f}×", f"{cpu_growth:.2f}×"])
        out.append(
            table(
                rows,
                [
                    f"{large.records:,} vs {small.records:,} records ({scale:.2f}× the records)",
                    "time ratio",
                    "CPU time ratio",
                ],
            )
        )
        out.append("")
    out.append(verdict_lines(results))
    return "\n".join(out)


def startup_table(boot: dict[str, Series], runs: int) -> str:
    """Interpreter start-up alone and with every brmkb import."""
    return table(
        [
            [
                s.label,
                fmt(s.median),
                " / ".join(f"{x:.2f}" for x in s.seconds),
                f"{s.rss_mb:.0f} MB",
            ]
            for s in boot.values()
        ],
        ["start-up", f"median of {runs}", "runs (s)", "peak RSS"],
    )


def ratio(series: dict[str, Series], top: str, bottom: str, *, cpu: bool = False) -> str:
    """``top`` over ``bottom`` (medians), or a dash when either was not measured."""
    if top not in series or bottom not in series:
        return "—"
    if cpu:
        return f"{series[top].cpu_median / series[bottom].cpu_median:.2f}×"
    return f"{series[top].median / series[bottom].median:.2f}×"


def verdict_lines(results: list[Result]) -> str:
    """One line per target: met or missed, and by how much (CPU time: the machine is shared)."""
    lines = []
    largest = results[-1]
    s = largest.series
    if "engine" in s and "floor" in s:
        found = s["engine"].cpu_median / s["floor"].cpu_median
        lines.append(
            f"- engine.run ≤ {TARGET_RATIO}× floor on CPU time at {largest.records:,} records "
            "(one process, parallel reading off): "
            + ("met" if found <= TARGET_RATIO else "MISSED")
            + f" ({found:.2f}×)"
        )
    if "check" in s:
        rss = s["check"].rss_mb or 0.0
        lines.append(
            f"- peak RSS < {TARGET_RSS_MB} MB at {largest.records:,} records: "
            + ("met" if rss < TARGET_RSS_MB else "MISSED")
            + f" ({rss:.0f} MB)"
        )
    if len(results) >= 2:
        small = results[0]
        for key in ("check", "engine", "engine_fresh"):
            if key not in s:
                continue
            growth = s[key].cpu_median / small.series[key].cpu_median
            lines.append(
                f"- {s[key].label}: CPU time {largest.records:,} vs {small.records:,} records "
                f"≤ {TARGET_LINEAR:g}×: "
                + ("met" if growth <= TARGET_LINEAR else "MISSED")
                + f" ({growth:.2f}×)"
            )
    return "\n".join(lines)


def steady(root: Path, runs: int) -> str:
    """``engine.run`` ``runs`` times in one fresh process: a table, one row per run."""
    child = run_child([sys.executable, __file__, "--steady-worker", str(root), str(runs)])
    rows = [json.loads(line) for line in child.stdout.decode().splitlines()]
    body = [
        [
            str(number),
            fmt(row["seconds"]),
            fmt(row["cpu"]),
            fmt(row["gc"]),
            f"{row['rss_mb']:.0f} MB",
            f"{row['objects']:,}",
        ]
        for number, row in enumerate(rows, start=1)
    ]
    cpu = [row["cpu"] for row in rows]
    summary = (
        f"last / first CPU time {cpu[-1] / cpu[0]:.2f}×, slowest / fastest {max(cpu) / min(cpu):.2f}×; "
        f"resident memory after run 2 {rows[1]['rss_mb']:.0f} MB, after run {len(rows)} "
        f"{rows[-1]['rss_mb']:.0f} MB"
    )
    head = ["run", "wall", "CPU time", "of which collector", "resident after", "tracked objects"]
    return table(body, head) + "\n\n" + summary


# --------------------------------------------------------------------------- breakdown


def breakdown(root: Path, runs: int) -> str:
    """CPU time of each stage of a check, one after the other, with the functions the loader
    and engine use (the collector paused, as ``engine.run`` pauses it)."""
    from brmkb import (
        engine,
        limits,
        loader,
        markup,
        model,
        policy,
        registry,
        tree,
        validate,
        waivers,
        yamlio,
    )
    from brmkb.render import json as json_format

    stages: dict[str, list[float]] = {}

    def clock(name: str, started: float) -> float:
        now = time.process_time()
        stages.setdefault(name, []).append(now - started)
        return now

    for _ in range(runs + 1):
        gc.collect()
        gc.disable()
        t0 = t = time.process_time()
        chosen = policy.load(root)
        when = chosen.as_of
        t = clock("policy.load", t)
        base = root.resolve()
        entries = [entry for entry in tree.walk(base) if entry.is_record]
        t = clock("list files (tree.walk)", t)
        texts = [loader._read_text(entry, chosen.limits.max_bytes, []) for entry in entries]
        t = clock("read + decode (loader._read_text)", t)
        docs = [yamlio.split(text) for text in texts]
        t = clock("split front matter (yamlio.split)", t)
        for doc in docs:
            yamlio.repeated_top_level_key(doc.yaml_text)
        t = clock("repeated keys (yamlio.repeated_top_level_key)", t)
        data = [yamlio.parse(doc.yaml_text) for doc in docs]
        t = clock("YAML parse (yamlio.parse)", t)
        for doc in docs:
            list(limits.body_problems(doc.body, doc.body_line, chosen.limits))
        t = clock("body limits (limits.body_problems)", t)
        for item in data:
            validate.validate(item["kind"], item)
        t = clock("schema (validate.validate)", t)
        for item in data:
            validate.coerce_dates(item["kind"], item)
        t = clock("dates (validate.coerce_dates)", t)
        records = [
            model.Record(e.path, e.rel, item, d.yaml_text, d.body, d.body_line)
            for e, d, item in zip(entries, docs, data, strict=True)
        ]
        kb = model.KnowledgeBase(base, records, {r.id: r.rel for r in records})
        t = clock("records + index (model)", t)
        list(markup.check(kb))
        t = clock("markup (markup.check)", t)
        findings = []
        for rule in registry.all_rules():
            if rule.check is not None and chosen.enabled(rule):
                findings.extend(engine._run_rule(rule, kb, chosen, when))
                t = clock(f"rule {rule.id}", t)
        findings = waivers.apply(findings, kb, when)
        findings.sort(key=lambda f: f.sort_key())
        t = clock("waivers + sort", t)
        json_format.render(engine.Report(kb, chosen, when, findings))
        t = clock("render JSON", t)
        stages.setdefault("total", []).append(t - t0)
        gc.enable()
    for values in stages.values():
        del values[0]  # the first round warms caches
    total = statistics.median(stages["total"])
    rows = [
        [name, fmt(statistics.median(v)), f"{statistics.median(v) / total * 100:.1f} %"]
        for name, v in stages.items()
    ]
    floor_times = []
    for _ in range(runs):
        gc.collect()
        started = time.process_time()
        floor(root)
        floor_times.append(time.process_time() - started)
    rows.append(["(for comparison) floor", fmt(statistics.median(floor_times)), ""])
    return table(rows, ["stage", f"CPU time, median of {runs}", "share"])


def profile(root: Path, top: int = 30) -> str:
    """cProfile of one ``engine.run`` (after a warm-up run), by own time."""
    from brmkb import engine

    engine.run(root)
    profiler = cProfile.Profile()
    profiler.enable()
    engine.run(root)
    profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return buffer.getvalue()


# --------------------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    """Command line; see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000", help="record counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=Path("bench-out"), help="where KBs go")
    parser.add_argument("--json", type=Path, help="also write the raw timings here")
    parser.add_argument("--breakdown", action="store_true", help="time each stage (largest size)")
    parser.add_argument("--profile", action="store_true", help="cProfile engine.run (largest)")
    parser.add_argument(
        "--methods", default="", help="only these, comma-separated: " + ", ".join(methods(True))
    )
    parser.add_argument("--steady", type=int, default=0, help="N engine.run in one process")
    parser.add_argument("--floor-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--engine-worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--steady-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.floor_worker:
        floor(args.floor_worker)
        return 0
    if args.engine_worker:
        engine_worker(args.engine_worker)
        return 0
    if args.steady_worker:
        steady_worker(Path(args.steady_worker[0]), int(args.steady_worker[1]))
        return 0

    def log(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    sizes = sorted(int(s) for s in args.sizes.split(","))
    roots = {size: knowledge_base(args.work, size, args.seed, log) for size in sizes}
    if not _has_frontmatter():
        log("python-frontmatter is not installed: (b) is skipped")
    only = [m for m in args.methods.split(",") if m]
    results = [measure(roots[size], size, args.runs, log, only) for size in sizes]
    boot = startup(args.runs) if not only or "check" in only else {}
    info = machine()
    print("Machine: " + ", ".join(f"{k} {v}" for k, v in info.items()))
    print()
    print(report(results, boot, args.runs))
    if args.steady:
        print()
        print(f"engine.run {args.steady} times in one process, {results[-1].records:,} records:")
        print()
        print(steady(roots[sizes[-1]], args.steady))
    if args.breakdown:
        print()
        print(f"Stages of one check, {results[-1].records:,} records, in-process:")
        print()
        print(breakdown(roots[sizes[-1]], args.runs))
    if args.profile:
        print()
        print(profile(roots[sizes[-1]]))
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "machine": info,
                    "results": [
                        {
                            "size": r.size,
                            "records": r.records,
                            "summary": r.summary,
                            "series": {
                                k: {"seconds": s.seconds, "cpu": s.cpu, "rss_kb": s.rss_kb}
                                for k, s in r.series.items()
                            },
                        }
                        for r in results
                    ],
                    "startup": {
                        k: {"seconds": s.seconds, "cpu": s.cpu, "rss_kb": s.rss_kb}
                        for k, s in boot.items()
                    },
                },
                indent=2,
            )
            + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
