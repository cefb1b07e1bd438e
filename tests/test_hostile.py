"""Hostile input: links, loops, attachments, limits, dates, policies and permissions.

Every case here once crashed a command or was accepted by the check and then broke or leaked
through the build. Each must now be a finding or a one-line error, never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
from pathlib import Path

import pytest

from brmkb import engine, loader, markdown_scan, model, policy, scaffold, tree
from brmkb.limits import Limits, body_problems
from brmkb.site import attachments
from brmkb.site import build as build_site
from brmkb.tree import RecordsError
from tests.conftest import (
    AS_OF,
    SERVICE,
    as_date,
    assert_findings,
    cli,
    line_of,
    record,
    review,
    run,
    service,
)

REVIEW = "records/svc-x/reviews/rv-x-1.md"


def link(target: str | Path, at: Path) -> None:
    at.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(target, at)


def svc(id: str, body: str) -> str:
    return record(
        "service",
        id,
        body,
        name="服务",
        customer="甲方",
        project_manager="张三",
        start="2025-01-01",
    )


def by_rule(root: Path, *rules: str) -> list:
    return [f for f in run(root) if f.rule in rules]


# --- containment: records/ and nothing else -------------------------------------------------


def test_symlink_loop_is_a_finding(kb):
    root = kb({SERVICE: service()})
    link("loop.md", root / "records/loop.md")
    link("b.pdf", root / "records/svc-x/attachments/a.pdf")
    link("a.pdf", root / "records/svc-x/attachments/b.pdf")
    found = assert_findings(
        by_rule(root, "symlink"),
        [
            ("symlink", "records/loop.md", None),
            ("symlink", "records/svc-x/attachments/a.pdf", None),
            ("symlink", "records/svc-x/attachments/b.pdf", None),
        ],
    )
    assert all("循环" in f.message for f in found)
    assert attachments(root) == []


def test_dangling_links_are_findings_and_never_published(kb):
    root = kb({SERVICE: service()})
    link("missing.md", root / "records/svc-x/gone.md")
    link("missing.pdf", root / "records/svc-x/attachments/合同.pdf")
    found = assert_findings(
        by_rule(root, "symlink"),
        [
            ("symlink", "records/svc-x/gone.md", None),
            ("symlink", "records/svc-x/attachments/合同.pdf", None),
        ],
    )
    assert all("失效" in f.message for f in found)
    assert attachments(root) == []


def test_links_out_of_records_are_refused_even_inside_the_repository(kb):
    root = kb({SERVICE: service(), ".git/config": "token", "notes.txt": "x"})
    link("../../../.git/config", root / "records/svc-x/attachments/config.txt")
    link("../../notes.txt", root / "records/svc-x/notes.txt")
    assert_findings(
        by_rule(root, "symlink"),
        [
            ("symlink", "records/svc-x/attachments/config.txt", None),
            ("symlink", "records/svc-x/notes.txt", None),
        ],
    )
    assert attachments(root) == []


def test_records_linked_out_of_the_repository_is_refused(tmp_path, capsys):
    outside = tmp_path / "elsewhere"
    (outside / "svc-x").mkdir(parents=True)
    (outside / "svc-x/service.md").write_text(service(), encoding="utf-8")
    root = tmp_path / "kb"
    root.mkdir()
    link(outside, root / "records")
    with pytest.raises(RecordsError):
        engine.run(root)
    assert cli("check", str(root)) == 2
    [line] = capsys.readouterr().err.strip().splitlines()
    assert "records" in line and "仓库之外" in line
    assert cli("new", "review", str(root), "--service", "svc-x") == 2


def test_records_linked_out_stops_the_pytest_checklist(tmp_path):
    pytester_root = tmp_path / "kb"
    pytester_root.mkdir()
    (tmp_path / "elsewhere").mkdir()
    link(tmp_path / "elsewhere", pytester_root / "records")
    from checks import conftest as checklist

    class Config:
        def getoption(self, name: str) -> object:
            return {"kb_root": pytester_root, "as_of": None}[name]

    with pytest.raises(pytest.UsageError, match="仓库之外"):
        checklist.pytest_configure(Config())  # type: ignore[arg-type]


def test_unreadable_folder_is_a_finding(kb, monkeypatch):
    root = kb({SERVICE: service(), REVIEW: review()})
    real = os.scandir
    locked = str(root / "records/svc-x/reviews")

    def scandir(path):
        if str(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    [finding] = assert_findings(
        by_rule(root, "file-access"), [("file-access", "records/svc-x/reviews", None)]
    )
    assert "Permission denied" in finding.message


def test_input_paths_never_reach_git_or_beyond_the_repository(kb):
    """A file elsewhere in the repository may be cited (never published); Git's folder and
    anything beyond the repository may not."""
    cited = {"service_contract": "../../../mkdocs.yml", "project_plan": "../../../.git/config"}
    text = review(type="annual", inputs={**cited, "project_schedule": "../../../../x.pdf"})
    files = {"mkdocs.yml": "site_name: x\n", ".git/config": "[core]\n"}
    root = kb({SERVICE: service(), REVIEW: text, **files})
    found = assert_findings(
        by_rule(root, "input-path"),
        [
            ("input-path", REVIEW, line_of(text, key))
            for key in ("project_plan", "project_schedule")
        ],
    )
    assert ".git/" in found[0].message and "仓库之外" in found[1].message


@pytest.mark.parametrize(
    ("ref", "outside"),
    [
        ("../../../contracts/合同.pdf", False),  # the repository's own folder (the contract)
        ("../../../contracts/合同.html", False),  # checked, never published: any type
        ("../../../../合同.pdf", True),  # the folder above the repository
    ],
)
def test_input_paths_stay_inside_the_repository(kb, ref, outside):
    text = review(type="annual", inputs={"service_contract": ref})
    root = kb(
        {
            SERVICE: service(),
            REVIEW: text,
            "contracts/合同.pdf": b"%PDF-1.4",
            "contracts/合同.html": "<script>alert(1)</script>",
        }
    )
    (root.parent / "合同.pdf").write_bytes(b"%PDF-1.4")
    found = by_rule(root, "input-path")
    assert ["仓库之外" in f.message for f in found] == ([True] if outside else [])
    assert not any("contracts" in a.src_uri for a in attachments(root))


# --- attachments -----------------------------------------------------------------------------


def test_inside_answers_as_realpath_does_through_links_and_loops(tmp_path):
    """``tree.Inside`` resolves each folder once; it must agree with ``tree.inside`` (one
    ``realpath`` per path) on every path, links, loops and ``..`` included."""
    records = tmp_path / "records"
    (records / "a" / "b").mkdir(parents=True)
    (records / "att").mkdir()
    (records / "att" / "f.pdf").write_text("x")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "s.pdf").write_text("x")
    for name, target in {
        "latt": "../att",
        "lout": "../../out",
        "lf": "../att/f.pdf",
        "lo": "../../out/s.pdf",
        "loop1": "loop2",
        "loop2": "loop1",
        "dang": "nowhere",
        "self": ".",
    }.items():
        link(target, records / "a" / name)
    folder = tree.records_folder(tmp_path)
    assert folder is not None
    check = tree.Inside(folder)
    parts = ["..", ".", "", "att", "latt", "lout", "lf", "lo", "loop1", "loop2", "dang", "self"]
    names = ["f.pdf", "s.pdf", "b", "lout", "lo", "lf", "..", "."]
    refs = [f"{p}/{q}/{n}" for p in parts for q in parts for n in names]  # loop1/../lout too
    for base in (records / "a", records / "a" / "b", records / "att"):
        for ref in refs:
            path = str(base / ref)
            assert check(path) == tree.inside(path, folder), ref


def test_unlisted_and_active_attachment_types_are_findings_and_never_published(kb):
    files = {
        SERVICE: service(),
        "records/svc-x/attachments/合同.pdf": b"%PDF-1.4",
        "records/svc-x/attachments/report.html": "<script>alert(1)</script>",
        "records/svc-x/attachments/logo.SVG": "<svg onload=alert(1)>",
        "records/svc-x/attachments/run.js": "alert(1)",
        "records/svc-x/attachments/data.bin": b"\0",
        "records/svc-x/attachments/.gitkeep": "",
    }
    root = kb(files)
    found = assert_findings(
        by_rule(root, "attachment-type"),
        [
            ("attachment-type", f, None)
            for f in (
                "records/svc-x/attachments/report.html",
                "records/svc-x/attachments/logo.SVG",
                "records/svc-x/attachments/run.js",
                "records/svc-x/attachments/data.bin",
            )
        ],
    )
    assert "从不发布" in found[0].message
    assert [a.src_uri for a in attachments(root)] == ["records/svc-x/attachments/合同.pdf"]


def test_inputs_of_an_unlisted_type_are_findings(kb):
    text = review(type="annual", inputs={"service_contract": "../attachments/合同.html"})
    root = kb({SERVICE: service(), REVIEW: text, "records/svc-x/attachments/合同.html": "x"})
    [finding] = by_rule(root, "input-path")
    assert "attachment_types" in finding.message


def test_the_policy_lists_attachment_types_but_never_active_ones(kb):
    root = kb({SERVICE: service(), "policy.yml": "attachment_types: [pdf, html, svg]\n"})
    with pytest.raises(policy.PolicyError) as raised:
        policy.load(root)
    [(line, message)] = raised.value.problems
    assert line == 1 and "html、svg" in message
    root = kb({SERVICE: service(), "policy.yml": "attachment_types: [pdf, md5]\n"})
    assert policy.load(root).limits.attachment_types == {"pdf", "md5"}
    assert "attachment_types:" in policy.template()


# --- limits the renderer needs ---------------------------------------------------------------


def test_review_dated_beyond_the_calendar_range_is_a_finding(kb):
    root = kb({SERVICE: service(), REVIEW: review(date="9999-12-01")})
    [finding] = by_rule(root, "date-format")
    assert "1900–9000" in finding.message
    assert "rv-x-1" not in loader.load(root).kb.by_id
    assert cli("check", str(root), "--as-of", "9999-12-31") == 2


@pytest.mark.parametrize("day", ["1900-01-01", "9000-12-31"])
def test_rules_and_pages_at_both_ends_of_the_calendar_range(kb, day):
    files = {SERVICE: service(start=day), REVIEW: review(date=day)}
    options = "rules:\n  review-frequency:\n    interval_months: 10000\n"
    report = engine.run(kb({**files, "policy.yml": options}), as_date(day))
    assert not [f for f in report.findings if "运行出错" in f.message]
    assert build_site(report).pages  # timelines and calendars stay within the calendar


def test_long_lines_and_deep_nesting_are_findings(kb):
    deep = "<div markdown>\n" * 60 + "x\n" + "</div>\n" * 60
    quotes = "> " * 60 + "x\n"
    lists = "".join("    " * n + "- x\n" for n in range(60))
    files = {
        SERVICE: service(),
        "records/svc-x/a.md": svc("svc-a", deep),
        "records/svc-x/b.md": svc("svc-b", quotes),
        "records/svc-x/c.md": svc("svc-c", lists),
        "records/svc-x/d.md": svc("svc-d", "x" * 10_001 + "\n"),
        "records/svc-x/e.md": svc("svc-e", "```\n" + "<div>" * 60 + "\n```\n"),
    }
    root = kb(files)
    rel = {f.path for f in by_rule(root, "record-limits")}
    assert rel == {f"records/svc-x/{n}.md" for n in "abcd"}
    kb_loaded = loader.load(root).kb
    assert "svc-a" not in kb_loaded.by_id and "svc-e" in kb_loaded.by_id
    assert "svc-a" in kb_loaded.known_ids  # its id still resolves for references


def test_limits_come_from_the_policy(kb):
    body = "<div>" * 5 + "\n" + "x" * 100 + "\n"
    root = kb({SERVICE: svc("svc-x", body), "policy.yml": "max_line_chars: 99\nmax_nesting: 4\n"})
    assert len(by_rule(root, "record-limits")) == 2


@pytest.mark.parametrize(
    ("body", "lines"),
    [
        ("x" * 20 + "\n" + "<div>" * 3 + "\n> > > x\n" + "   - x\n", []),
        ("a\n" + "x" * 21, [2]),
        ("a\n\n" + "<div>" * 4, [3]),
        ("<p>\n" * 2 + "<p>\n<p>x", [4]),
        ("> > > > x", [1]),
        ("a\n\t\t\t\t- x\n", [2]),
        ("a\n" + "x" * 21 + "\n>>>>x", [2, 3]),
    ],
)
def test_limits_at_and_past_their_bounds(body, lines):
    """The whole-body tests that skip the line scans never hide a line past the limits."""
    bounds = Limits(max_line_chars=20, max_nesting=3)
    assert [line for line, _ in body_problems(body, 1, bounds)] == lines


def test_heading_scanner_is_linear_by_construction():
    """No regular expression that can give back reads record headings: the scanner inspects
    each line once; the one expression, which finds lines that may underline a setext
    heading, repeats possessively."""
    spaces = " " * 60_000
    body = f"## a{spaces}b\n# {spaces}\n```\n# x\n" + "<!--" * 1000 + f"\n{'```x' * 3}\n"
    patterns = [v for v in vars(markdown_scan).values() if isinstance(v, re.Pattern)]
    assert [p.pattern for p in patterns] == ["\n" + markdown_scan.UNDERLINE]
    repeats = markdown_scan.UNDERLINE.replace("*+", "").replace("++", "")
    assert "*" not in repeats and "+" not in repeats  # every repeat is possessive
    dashes = "-" * 60_000
    assert markdown_scan.headings(f"a\n{dashes}x\n{dashes}{spaces}x\n") == []
    setext = markdown_scan.headings("a\n-\n" * 30_000)
    assert len(setext) == 30_000 and setext[-1].title == "a"
    lazy = [v for v in vars(model).values() if isinstance(v, re.Pattern) and "?" in v.pattern]
    assert lazy == []
    found = list(markdown_scan.headings(body))
    assert [(h.level, h.title) for h in found] == [(2, f"a{spaces}b"), (1, ""), (1, "x")]
    assert markdown_scan.heading("## 标题 ##") == (2, "标题")
    assert markdown_scan.heading("## #") == (2, "#")
    assert markdown_scan.heading("####### x") is None
    assert markdown_scan.fences("```\na\n```\n~~~\nb\n") == [(0, 9)]
    assert markdown_scan.without_comments("a<!-- b -->c<!-- d") == "ac<!-- d"


# --- policy.yml ------------------------------------------------------------------------------


def _bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [{', '.join(['*a' + str(n - 1)] * 9)}]" for n in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (_bomb(6), "别名"),  # 9**6 = 531,441 nodes when expanded; refused without expanding
        ("max_record_bytes: 100000000000000000000\n", "1 到 67108864 之间的整数"),
        ("rules:\n  monthly-report:\n    due_day: 31\n", "1 到 28 之间的整数"),
        ("rules:\n  adhoc-review:\n    days: 99999999999\n", "0 到 10000 之间的整数"),
        ("as_of: 9999-12-31\n", "1900–9000"),
        ("max_nesting: 50\nmax_nesting: 60\n", "写了两次"),
        ("rules:\n  adhoc-review:\n    days: 5\n    days: 6\n", "写了两次"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "层嵌套"),
        ("service_department: " + "x" * 2_000_000 + "\n", "超过"),
        (b"as_of: \xff\xfe\n", "UTF-8"),
    ],
)
def test_unusable_policies_are_one_line_usage_errors(kb, capsys, text, expected):
    root = kb({SERVICE: service(), "policy.yml": text})
    assert cli("check", str(root)) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err and "内部错误" not in err
    assert len(err) < 2000


def test_unreadable_policy_is_a_usage_error(kb, capsys, monkeypatch):
    root = kb({SERVICE: service(), "policy.yml": "as_of: 2026-01-01\n"})
    real = open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("policy.yml"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refuse)
    assert cli("check", str(root)) == 2
    assert "Permission denied" in capsys.readouterr().err


# --- brmkb new -------------------------------------------------------------------------------


def test_new_with_a_path_as_id_is_a_clear_error(kb, capsys):
    root = kb({SERVICE: service()})
    code = cli("new", "review", str(root), "--service", "svc-x", "--set", "id=../x")
    err = capsys.readouterr().err
    assert code == 2 and "不可用" in err and "内部错误" not in err
    assert not (root / "records/svc-x/x.md").exists()


def test_new_where_a_folder_cannot_be_made_is_a_clear_error(kb, capsys):
    # Tests run as root, whom permissions do not stop: a regular file where the folder
    # should be fails for everyone.
    root = kb({SERVICE: service(), "records/svc-x/reviews": "a file, not a folder"})
    assert cli("new", "review", str(root), "--service", "svc-x", "--date", AS_OF) == 2
    err = capsys.readouterr().err
    assert "records/svc-x/reviews" in err and "内部错误" not in err


def test_new_into_a_read_only_folder_is_a_clear_error(kb, capsys, monkeypatch):
    root = kb({SERVICE: service()})

    real_open = os.open

    def refuse(path, flags, *args, **kwargs):  # the records can still be read
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(errno.EACCES, "Permission denied", str(root / "records"))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(scaffold.os, "open", refuse)
    assert cli("new", "review", str(root), "--service", "svc-x", "--date", AS_OF) == 2
    err = capsys.readouterr().err
    assert "Permission denied" in err and "内部错误" not in err
    assert not list((root / "records").rglob("rv-*.md"))


def test_export_into_an_unwritable_place_is_a_clear_error(kb, capsys):
    root = kb({SERVICE: service(), "blocker": "a file"})
    assert cli("export", str(root), "--out", str(root / "blocker/out")) == 2
    assert "无法写入" in capsys.readouterr().err


# --- every command on a hostile knowledge base -----------------------------------------------


@pytest.fixture
def hostile(kb) -> Path:
    spaces = " " * 60_000
    root = kb(
        {
            SERVICE: service(),
            REVIEW: review(date="9999-12-01"),
            "records/svc-x/reviews/rv-x-2.md": review(id="rv-x-2", body=f"## a{spaces}b\n"),
            "records/svc-x/reviews/rv-x-3.md": review(id="rv-x-3", body="<div>" * 500),
            "records/svc-x/attachments/report.html": "<script>alert(1)</script>",
            "records/svc-x/bad.md": "---\nkind: [\n---\n",
            "records/svc-x/bom.md": b"\xff\xfe\x00",
            "policy.yml": f"as_of: {AS_OF}\n",
        }
    )
    link("loop.md", root / "records/loop.md")
    link("missing.pdf", root / "records/svc-x/attachments/gone.pdf")
    link("../../.git/config", root / "records/svc-x/config.txt")
    return root


COMMANDS = [
    *(("check", "{root}", "--format", name) for name in ("text", "json", "github", "junit")),
    ("check", "{root}", "--format", "markdown"),
    ("export", "{root}", "--out", "{root}/out"),
    ("new", "review", "{root}", "--service", "svc-x", "--minutes"),
    ("new", "complaint", "{root}", "--service", "svc-x", "--set", "id=../../x"),
    ("new", "waiver", "{root}", "--service", "svc-x", "--set", "id=\n"),
    ("new", "monthly-report", "{root}", "--service", "svc-x", "--month", "9999-99"),
    ("new", "service", "{root}", "--service", "../svc"),
    ("new", "nothing", "{root}", "--service", "svc-x"),
    ("explain", "../../etc/passwd"),
    ("rules",),
    ("policy",),
    ("schema",),
    ("check", "{root}/records/loop.md"),
    ("check", "{root}", "--as-of", "0000-01-01"),
    ("explain", "9.9.9"),
    ("init", "{root}", "--org", "示例"),
    ("init", "{root}/records/loop.md/kb", "--org", "示例"),
    ("init", "{root}/policy.yml/kb", "--org", "示例", "--code-owner", "@a/b"),
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c)[:40])
def test_no_command_tracebacks_on_hostile_input(hostile, capsys, command):
    code = cli(*(part.format(root=hostile) for part in command))
    err = capsys.readouterr().err
    assert code in (0, 1, 2)
    assert "Traceback" not in err and "内部错误" not in err, err


def test_the_hostile_knowledge_base_is_reported_in_full(hostile):
    rules = {f.rule for f in engine.run(hostile).findings}
    assert {"symlink", "attachment-type", "date-format", "record-limits", "encoding"} <= rules


def test_unreadable_attachment_is_a_finding_and_never_published(kb, monkeypatch):
    root = kb({SERVICE: service(), "records/svc-x/attachments/合同.pdf": b"%PDF"})
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: "合同" not in str(p) and real(p, mode))
    [finding] = by_rule(root, "file-access")
    assert finding.path == "records/svc-x/attachments/合同.pdf" and "权限" in finding.message
    assert attachments(root) == []
