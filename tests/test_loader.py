"""Reading records: every broken file is a finding at the right line, never an exception."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from brmkb import engine, loader
from tests.conftest import (
    SERVICE,
    format_rules,
    line_of,
    minutes,
    monthly,
    record,
    review,
    run,
    service,
)
from tests.conftest import assert_findings as check

FILE = "records/x.md"
REVIEW = "records/svc-x/reviews/rv-x-1.md"


def formats(root):
    return run(root, rules=format_rules())


def one(kb, text):
    """Findings of the format rules for a knowledge base holding just ``text`` as FILE."""
    return formats(kb({FILE: text}))


# --- front matter and YAML ----------------------------------------------------------------


def test_no_front_matter(kb):
    check(one(kb, "# 标题\n\n正文\n"), [("front-matter", FILE, 1)])


def test_front_matter_not_at_the_very_start(kb):
    check(one(kb, "\n---\nkind: service\n---\n"), [("front-matter", FILE, 1)])


def test_unclosed_front_matter(kb):
    [finding] = check(
        one(kb, "---\nkind: service\nid: svc-x\n\n# 标题\n"), [("front-matter", FILE, 1)]
    )
    assert "结束" in finding.message


def test_yaml_syntax_error_at_its_line(kb):
    text = "---\nkind: service\nid: svc-x\nname: 服务: 桌面运维\n---\n"
    check(one(kb, text), [("yaml-syntax", FILE, 4)])


def test_unclosed_bracket_points_at_its_line(kb):
    text = "---\nkind: service\nid: svc-x\ndepartments: [服务部, 销售部门\nname: 桌面运维\nstart: 2025-01-01\n---\n"
    check(one(kb, text), [("yaml-syntax", FILE, 4)])


def test_unclosed_bracket_on_the_last_line(kb):
    text = "---\nkind: service\nid: svc-x\ndepartments: [服务部, 销售部门\n---\n"
    check(one(kb, text), [("yaml-syntax", FILE, 4)])


def test_unclosed_quote_points_at_its_line(kb):
    text = '---\nkind: service\nid: svc-x\nname: "桌面运维\ncustomer: 甲方\n---\n'
    check(one(kb, text), [("yaml-syntax", FILE, 4)])


def test_front_matter_that_is_a_list(kb):
    [finding] = check(one(kb, "---\n- kind: service\n- id: svc-x\n---\n"), [("schema", FILE, 2)])
    assert "映射" in finding.message


def test_empty_front_matter(kb):
    check(one(kb, "---\n---\n# 标题\n"), [("schema", FILE, 2)])


def test_tab_indentation(kb):
    text = "---\nkind: service\nid: svc-x\nsuppliers:\n\t- 供应商甲\n---\n"
    [finding] = check(one(kb, text), [("yaml-syntax", FILE, 5)])
    assert "Tab" in finding.message


def test_unsafe_tag_is_a_syntax_error_not_code(kb):
    text = "---\nkind: service\nid: !!python/object/apply:os.system [echo]\n---\n"
    check(one(kb, text), [("yaml-syntax", FILE, 3)])


# --- encodings and line ends --------------------------------------------------------------


def test_gbk_file(kb):
    raw = "---\nkind: service\nid: svc-x\nname: 桌面运维服务\n---\n".encode("gbk")
    [finding] = one(kb, raw)
    check([finding], [("encoding", FILE, 4)])
    assert "GBK" in finding.message
    assert "GB18030" in finding.message


def test_invalid_bytes_that_are_not_gbk_either(kb):
    raw = b"---\nkind: service\nid: svc-x\nname: \xff\xff\xff\n---\n"
    [finding] = check(one(kb, raw), [("encoding", FILE, 4)])
    assert "UTF-8" in finding.message
    assert "GBK" not in finding.message


def test_bom_and_crlf_load_fine(kb):
    text = "\ufeff" + service().replace("\n", "\r\n")
    root = kb({SERVICE: text.encode("utf-8")})
    assert formats(root) == []
    assert [r.id for r in loader.load(root).kb.records] == ["svc-x"]


def test_bom_and_crlf_keep_lines_right(kb):
    text = service(start="2026/6/5")
    raw = ("\ufeff" + text.replace("\n", "\r\n")).encode("utf-8")
    check(formats(kb({SERVICE: raw})), [("date-format", SERVICE, line_of(text, "start"))])


def test_crlf_keeps_section_lines_right(kb):
    text = review(
        type="annual",
        body="# 年度评审\n\n## 当前和预计的业务需求\n\n<!-- 待写 -->\n\n## 服务范围或内容可能发生的变化\n\n无变化。\n",
    )
    root = kb({SERVICE: service(), REVIEW: text.replace("\n", "\r\n").encode("utf-8")})
    [finding] = run(root, rules="review-sections")
    assert finding.line == text.splitlines().index("## 当前和预计的业务需求") + 1


# --- schema -------------------------------------------------------------------------------


def test_unknown_kind_suggests_the_nearest(kb):
    [finding] = check(one(kb, record("reveiw", "rv-x-1")), [("schema", FILE, 2)])
    assert "“review”" in finding.message


def test_missing_kind(kb):
    [finding] = check(one(kb, "---\nid: svc-x\n---\n"), [("schema", FILE, 2)])
    assert "kind" in finding.message


@pytest.mark.parametrize("value", ["[review]", "{type: review}"])
def test_kind_that_is_not_text(kb, value):
    check(one(kb, f"---\nid: svc-x\nkind: {value}\n---\n"), [("schema", FILE, 3)])


def test_unknown_key_suggests_the_nearest(kb):
    text = minutes(attendees=None, atendees=[{"name": "张三", "org": "乙方", "party": "internal"}])
    found = formats(kb({FILE: text}))
    [unknown] = [f for f in found if "atendees" in f.message]
    assert unknown.line == line_of(text, "atendees")
    assert unknown.rule == "schema"
    assert "“attendees”" in unknown.message


def test_numeric_unknown_key_is_named_at_its_line(kb):
    text = service(**{"2025": "启动"})
    [finding] = check(one(kb, text), [("schema", FILE, line_of(text, "2025"))])
    assert "“2025”" in finding.message


def test_wrong_type(kb):
    text = service(departments="服务部")
    [finding] = check(one(kb, text), [("schema", FILE, line_of(text, "departments"))])
    assert "列表" in finding.message


def test_wrong_type_inside_a_list(kb):
    text = minutes(attendees=[{"name": "张三", "org": 1, "party": "internal"}])
    check(one(kb, text), [("schema", FILE, line_of(text, "attendees") + 1)])


def test_bad_enum_suggests_the_nearest(kb):
    text = review(type="periodc")
    [finding] = check(one(kb, text), [("schema", FILE, line_of(text, "type"))])
    assert "“periodic”" in finding.message


def test_missing_required_key(kb):
    [finding] = check(one(kb, service(customer=None)), [("schema", FILE, 2)])
    assert "customer" in finding.message


def test_missing_key_required_by_review_type(kb):
    text = review(type="additional", change=None)
    [finding] = check(one(kb, text), [("schema", FILE, 2)])
    assert "change" in finding.message


@pytest.mark.parametrize("written", ["2026/6/5", "2026年6月5日", "2026-6-5", "2026.06.05"])
def test_non_iso_date_says_the_iso_form(kb, written):
    text = service(start=written)
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, "start"))])
    assert written in finding.message
    assert "应写作 2026-06-05" in finding.message


def test_impossible_date(kb):
    text = service(start="2026-02-30")
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, "start"))])
    assert "应写作" not in finding.message
    assert "YYYY-MM-DD" in finding.message and "日历上没有这一天" in finding.message


def test_date_inside_a_list_item(kb):
    action = {"id": "a1", "text": "整改", "owner": "张三", "due": "2026/7/1", "status": "open"}
    text = minutes(actions=[action])
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, "actions") + 1)])
    assert "actions[1].due" in finding.message


def test_month_without_leading_zero(kb):
    text = monthly("mr-x-2026-06", "2026-6")
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, "month"))])
    assert "应写作 2026-06" in finding.message


def test_month_that_does_not_exist(kb):
    text = monthly("mr-x-2026-13", "2026-13")
    check(one(kb, text), [("date-format", FILE, line_of(text, "month"))])


@pytest.mark.parametrize(
    "bad", ["svc x", "-svc", "服务", "ch-nl\n", "a" * 101, "x/y", "Ｘ1"], ids=repr
)
def test_bad_id_pattern(kb, bad):
    text = service(id=bad)
    [finding] = check(one(kb, text), [("schema", FILE, 3)])
    assert "编号" in finding.message and "100 个字符" in finding.message


@pytest.mark.parametrize("good", ["SVC-X", "CHG-2025-001", "Mixed.Case_1", "9", "a" * 100])
def test_ids_in_either_case_up_to_100_characters(kb, good):
    assert one(kb, service(id=good)) == []


def test_a_very_long_id_is_shortened_in_the_message(kb):
    [finding] = one(kb, service(id="a" * 5000))
    assert "共 5000 个字符" in finding.message and len(finding.message) < 300


def test_ids_differing_only_in_case_are_duplicates(kb):
    first, second = "records/a/service.md", "records/b/service.md"
    root = kb({first: service(id="SVC-X"), second: service(id="svc-x", name="另一个服务")})
    found = check(formats(root), [("duplicate-id", first, 3), ("duplicate-id", second, 3)])
    assert "“svc-x”" in found[0].message and "不区分大小写" in found[0].message


def test_an_id_with_a_trailing_newline_is_not_a_second_id(kb):
    first, second = "records/a/service.md", "records/b/service.md"
    root = kb({first: service(), second: service(id="svc-x\n", name="另一个服务")})
    [finding] = formats(root)
    assert (finding.rule, finding.path) == ("schema", second)


# --- ids and references -------------------------------------------------------------------


def test_duplicate_ids_are_reported_in_both_files(kb):
    first, second = "records/a/service.md", "records/b/service.md"
    root = kb({first: service(), second: service(name="另一个服务")})
    found = check(formats(root), [("duplicate-id", first, 3), ("duplicate-id", second, 3)])
    assert second in found[0].message
    assert first in found[1].message


def test_duplicate_of_an_invalid_record_is_still_reported(kb):
    first, second = "records/a.md", "records/b.md"
    root = kb({first: service(start="2025/1/1"), second: service()})
    found = formats(root)
    check(
        [f for f in found if f.rule == "duplicate-id"],
        [("duplicate-id", first, 3), ("duplicate-id", second, 3)],
    )


def test_reference_that_does_not_resolve(kb):
    text = review(service="svc-nope")
    root = kb({SERVICE: service(), REVIEW: text})
    [finding] = check(
        run(root, rules="reference"), [("reference", REVIEW, line_of(text, "service"))]
    )
    assert "svc-nope" in finding.message


def test_reference_is_exact_with_a_hint_when_only_case_differs(kb):
    text = review(service="SVC-X")
    root = kb({SERVICE: service(), REVIEW: text})
    [finding] = check(
        run(root, rules="reference"), [("reference", REVIEW, line_of(text, "service"))]
    )
    assert "编号大小写不一致：是否指 svc-x？" in finding.message


def test_reference_to_a_broken_record_is_not_reported_twice(kb):
    root = kb({SERVICE: service(start="2025/1/1"), REVIEW: review()})
    assert run(root, rules="reference") == []


# --- input paths --------------------------------------------------------------------------


def annual_with(contract: str) -> str:
    return review(type="annual", inputs={"service_contract": contract})


def contract_problem(root):
    return run(root, rules="input-path")


def test_input_path_that_exists(kb):
    root = kb(
        {
            SERVICE: service(),
            REVIEW: annual_with("../attachments/合同.pdf"),
            "records/svc-x/attachments/合同.pdf": b"%PDF-1.4",
        }
    )
    assert contract_problem(root) == []


def test_input_path_that_does_not_exist(kb):
    text = annual_with("../attachments/合同.pdf")
    root = kb({SERVICE: service(), REVIEW: text})
    [finding] = check(
        contract_problem(root), [("input-path", REVIEW, line_of(text, "service_contract"))]
    )
    assert "不存在" in finding.message


def test_input_path_leaving_the_repository(kb, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "合同.pdf").write_bytes(b"%PDF-1.4")
    up = "../" * (len(REVIEW.split("/")) - 1) + "../" + outside.name + "/合同.pdf"
    text = annual_with(up)
    root = kb({SERVICE: service(), REVIEW: text})
    assert (root / REVIEW).parent.joinpath(up).resolve().is_file()  # it really exists out there
    [finding] = check(
        contract_problem(root), [("input-path", REVIEW, line_of(text, "service_contract"))]
    )
    assert "仓库之外" in finding.message


def test_input_path_climbing_far_out(kb):
    text = annual_with("../../../../../../../../etc/passwd")
    root = kb({SERVICE: service(), REVIEW: text})
    [finding] = contract_problem(root)
    assert "仓库之外" in finding.message


def test_absolute_input_path(kb, tmp_path):
    target = tmp_path / "records/svc-x/attachments/合同.pdf"
    text = annual_with(target.as_posix())
    root = kb({SERVICE: service(), REVIEW: text, "records/svc-x/attachments/合同.pdf": b"%PDF"})
    [finding] = check(
        contract_problem(root), [("input-path", REVIEW, line_of(text, "service_contract"))]
    )
    assert "绝对路径" in finding.message


def test_input_path_elsewhere_in_the_repository(kb):
    """The contract: any file inside the repository; its type does not matter, since a file
    outside records/ is never published."""
    text = annual_with("../../../contracts/合同.docx")
    root = kb({SERVICE: service(), REVIEW: text, "contracts/合同.docx": b"PK"})
    assert contract_problem(root) == []


def test_input_path_to_a_folder_in_the_repository(kb):
    text = annual_with("../../../contracts")
    root = kb({SERVICE: service(), REVIEW: text, "contracts/合同.pdf": b"%PDF"})
    [finding] = check(
        contract_problem(root), [("input-path", REVIEW, line_of(text, "service_contract"))]
    )
    assert "不是普通文件" in finding.message


def test_input_path_missing_elsewhere_in_the_repository(kb):
    text = annual_with("../../../contracts/合同.pdf")
    root = kb({SERVICE: service(), REVIEW: text, "contracts/其他.pdf": b"%PDF"})
    [finding] = contract_problem(root)
    assert "不存在" in finding.message


def test_input_path_into_git_is_refused(kb):
    text = annual_with("../../../.git/config")
    root = kb({SERVICE: service(), REVIEW: text, ".git/config": "[core]\n"})
    [finding] = contract_problem(root)
    assert ".git/" in finding.message


# --- symbolic links -----------------------------------------------------------------------


@pytest.fixture
def symlink():
    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links on this platform")

    def link(target, at):
        at.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.symlink(target, at)
        except (OSError, NotImplementedError) as error:
            pytest.skip(f"cannot create symbolic links here: {error}")

    return link


def test_symlinked_record_leaving_the_repository(kb, symlink, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "secret.md"
    outside.write_text(service(id="svc-secret"), encoding="utf-8")
    root = kb({SERVICE: service()})
    symlink(outside, root / "records/link.md")
    check(formats(root), [("symlink", "records/link.md", None)])
    assert "svc-secret" not in loader.load(root).kb.by_id


def test_symlinked_record_elsewhere_in_the_repository_is_refused(kb, symlink):
    root = kb({"shared/svc-y.md": service(id="svc-y")})
    symlink(root / "shared/svc-y.md", root / "records/svc-y.md")
    check(formats(root), [("symlink", "records/svc-y.md", None)])
    assert "svc-y" not in loader.load(root).kb.by_id


def test_symlinked_record_inside_records_is_read(kb, symlink):
    root = kb({"records/shared/svc-y.txt": service(id="svc-y")})
    symlink(root / "records/shared/svc-y.txt", root / "records/svc-y.md")
    assert [f for f in formats(root) if f.rule == "symlink"] == []
    assert "svc-y" in loader.load(root).kb.by_id


def test_symlinked_folder_is_refused(kb, symlink, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.md").write_text(service(id="svc-secret"), encoding="utf-8")
    root = kb({SERVICE: service()})
    symlink(outside, root / "records/linked")
    check(formats(root), [("symlink", "records/linked", None)])


def test_symlinked_input_attachment_leaving_the_repository(kb, symlink, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "合同.pdf"
    outside.write_bytes(b"%PDF-1.4")
    text = annual_with("../attachments/合同.pdf")
    root = kb({SERVICE: service(), REVIEW: text})
    symlink(outside, root / "records/svc-x/attachments/合同.pdf")
    [finding] = check(
        contract_problem(root), [("input-path", REVIEW, line_of(text, "service_contract"))]
    )
    assert "仓库之外" in finding.message


def test_symlinked_input_folder_leaving_the_repository(kb, symlink, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "合同.pdf").write_bytes(b"%PDF-1.4")
    text = annual_with("../../../contracts/合同.pdf")
    root = kb({SERVICE: service(), REVIEW: text})
    symlink(outside, root / "contracts")
    [finding] = contract_problem(root)
    assert "仓库之外" in finding.message


def test_symlinked_input_into_the_repository_is_accepted(kb, symlink):
    text = annual_with("../attachments/合同.pdf")
    root = kb({SERVICE: service(), REVIEW: text, "contracts/合同.pdf": b"%PDF"})
    symlink(root / "contracts/合同.pdf", root / "records/svc-x/attachments/合同.pdf")
    assert contract_problem(root) == []


# --- size and alias bombs -----------------------------------------------------------------


def test_oversized_file(kb):
    text = service()
    size = len(text.encode("utf-8"))
    root = kb({"policy.yml": f"max_record_bytes: {size - 1}\n", SERVICE: text})
    [finding] = check(formats(root), [("file-size", SERVICE, None)])
    assert str(size) in finding.message


def test_file_exactly_at_the_size_limit(kb):
    text = service()
    size = len(text.encode("utf-8"))
    root = kb({"policy.yml": f"max_record_bytes: {size}\n", SERVICE: text})
    assert formats(root) == []


def billion_laughs(levels: int = 9) -> str:
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        name, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [{', '.join(['*' + previous] * 9)}]")
    return "---\nkind: service\nid: svc-x\n" + "\n".join(lines) + "\n---\n"


def test_alias_bomb_is_refused(kb):
    # 9**9 strings if expanded: a bounded node count makes this finish at once, by design.
    [finding] = check(one(kb, billion_laughs()), [("yaml-syntax", FILE, 2)])
    assert "别名" in finding.message


def test_recursive_alias_is_refused(kb):
    check(
        one(kb, "---\nkind: service\nid: svc-x\nname: &loop [*loop]\n---\n"),
        [("yaml-syntax", FILE, 2)],
    )


def test_plain_anchor_and_alias_are_fine(kb):
    text = service().replace("customer: 甲方公司", "customer: &who 甲方公司")
    text = text.replace("project_manager: 张三", "project_manager: *who")
    assert "*who" in text
    assert one(kb, text) == []


def test_undefined_alias(kb):
    check(
        one(kb, "---\nkind: service\nid: svc-x\nname: *nowhere\n---\n"), [("yaml-syntax", FILE, 4)]
    )


# --- one broken file does not stop the others ---------------------------------------------


def test_broken_file_does_not_hide_other_findings(kb):
    text = review(service="svc-nope")
    root = kb(
        {
            "records/a-broken.md": "---\nkind: [unclosed\n---\n",
            "records/b-gbk.md": "---\nkind: service\nname: 服务\n---\n".encode("gbk"),
            SERVICE: service(),
            REVIEW: text,
            "records/z-broken.md": "no front matter\n",
        }
    )
    check(
        run(root, rules={*format_rules(), "reference"}),
        [
            ("yaml-syntax", "records/a-broken.md", 2),
            ("encoding", "records/b-gbk.md", 3),
            ("reference", REVIEW, line_of(text, "service")),
            ("front-matter", "records/z-broken.md", 1),
        ],
    )


def test_only_markdown_files_under_records_are_read(kb):
    root = kb(
        {
            SERVICE: service(),
            "records/svc-x/attachments/notes.txt": "not a record",
            "records/svc-x/attachments/data.txt": "kind: service\n",
            "docs/page.md": "# 不是记录\n",
        }
    )
    assert formats(root) == []
    assert [r.rel for r in loader.load(root).kb.records] == [SERVICE]


def test_top_level_key_written_twice(kb):
    text = service().replace("start: 2025-01-01\n", "start: 2025-01-01\nstart: 2025-02-01\n")
    [finding] = check(one(kb, text), [("yaml-syntax", FILE, line_of(text, "start", 2))])
    assert f"第 {line_of(text, 'start')} 行" in finding.message


@pytest.mark.parametrize(("field", "value"), [("start", "20250101"), ("start", "2025.10")])
def test_date_written_as_a_number(kb, field, value):
    text = service().replace("start: 2025-01-01", f"{field}: {value}")
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, field))])
    assert "被读成了数字" in finding.message


def test_parallel_reading_gives_the_same_result(kb, monkeypatch):
    files = {
        f"records/svc-x/reviews/rv-{n}.md": review(f"rv-{n}", f"2025-0{n}-01") for n in range(1, 8)
    }
    files["records/broken.md"] = "no front matter\n"
    files["records/svc-x/dup.md"] = review("rv-1", "2025-01-01")
    root = kb({SERVICE: service(), **files})
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 2)
    serial, parallel = loader.load(root, jobs=1), loader.load(root, jobs=2)
    assert parallel.findings == serial.findings and len(serial.findings) == 3
    assert [r.id for r in parallel.kb.records] == [r.id for r in serial.kb.records]
    assert [r.data for r in parallel.kb.records] == [r.data for r in serial.kb.records]


def test_without_fork_one_process_reads_everything(kb, monkeypatch):
    root = kb({SERVICE: service(), "records/broken.md": "no front matter\n"})
    monkeypatch.setattr(loader, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(loader.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(loader.multiprocessing, "get_context", None)  # must not be reached
    result = loader.load(root, jobs=2)
    assert [f.rule for f in result.findings] == ["front-matter"]
    assert [r.id for r in result.kb.records] == ["svc-x"]


def test_the_collector_is_paused_while_checking_and_restored(tmp_path, monkeypatch) -> None:
    seen = []
    real = loader.load
    monkeypatch.setattr(loader, "load", lambda *a: (seen.append(gc.isenabled()), real(*a))[1])
    engine.run(tmp_path)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        engine.run(tmp_path)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_what_the_check_keeps_goes_to_the_oldest_generation_without_a_pass(kb) -> None:
    root = kb({SERVICE: service(), REVIEW: review()})
    gc.unfreeze()  # what an earlier test froze (the site hook freezes its model)
    gc.collect()
    report = engine.run(root)
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(record) in oldest for record in report.kb.records)
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_a_check_leaves_no_garbage_for_the_collector() -> None:
    """What a check keeps skips the collector's next pass (see the test above): a reference
    cycle it left would stay until a full collection, and grow with every check."""
    sample = Path(__file__).resolve().parents[1]
    engine.run(sample)  # imports, compiled validators and other caches made once
    gc.collect()
    report = engine.run(sample)
    assert report.kb.records
    del report
    assert gc.collect() == 0


def test_objects_the_caller_froze_stay_frozen(kb, monkeypatch) -> None:
    # The collector's state is the interpreter's: a fake keeps the test from depending on what
    # other tests (or their leftover threads) froze or thawed meanwhile.
    root = kb({SERVICE: service()})
    calls: list[str] = []
    monkeypatch.setattr(engine.gc, "get_freeze_count", lambda: 12)
    monkeypatch.setattr(engine.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(engine.gc, "unfreeze", lambda: calls.append("unfreeze"))
    engine.run(root)
    assert calls == []


def test_a_check_tenures_what_it_keeps_when_nothing_is_frozen(kb, monkeypatch) -> None:
    root = kb({SERVICE: service()})
    calls: list[str] = []
    monkeypatch.setattr(engine.gc, "get_freeze_count", lambda: 0)
    monkeypatch.setattr(engine.gc, "isenabled", lambda: True)
    monkeypatch.setattr(engine.gc, "disable", lambda: None)
    monkeypatch.setattr(engine.gc, "enable", lambda: None)
    monkeypatch.setattr(engine.gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(engine.gc, "unfreeze", lambda: calls.append("unfreeze"))
    engine.run(root)
    assert calls == ["freeze", "unfreeze"]


@pytest.mark.parametrize(
    ("stated", "max_bytes", "read"), [(5, 10, 5), (0, 10, 5), (0, 3, 4), (5, 3, 4)]
)
def test_a_file_is_read_whole_or_up_to_the_cap_whatever_its_stated_size(
    tmp_path, monkeypatch, stated, max_bytes, read
) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"12345")
    real = os.fstat
    monkeypatch.setattr(
        loader.os, "fstat", lambda fd: os.stat_result((*real(fd)[:6], stated, *real(fd)[7:]))
    )
    fd = os.open(path, os.O_RDONLY)
    try:
        assert loader._read_capped(fd, max_bytes) == b"12345"[:read]
    finally:
        os.close(fd)


@pytest.mark.parametrize("suffix", ["MD", "Md"])
def test_a_record_named_with_a_capital_md_is_told_to_rename(kb, suffix):
    root = kb({SERVICE: service(), f"records/svc-x/reviews/RV-1.{suffix}": review("RV-1")})
    [finding] = [f for f in loader.load(root).findings if f.rule == "attachment-type"]
    assert finding.path == f"records/svc-x/reviews/RV-1.{suffix}"
    assert "请改名为 records/svc-x/reviews/RV-1.md" in finding.message
    assert "PDF" not in finding.message


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("covers: 2025-01", "“covers”的值“2025-01”格式不对；应为四位数的年份（YYYY），例如 2025"),
        ("covers: 999", "“covers”的值 999 小于最小值 1000；应为四位数的年份（YYYY），例如 2025"),
    ],
)
def test_a_year_that_is_no_year_is_told_in_chinese(kb, line, expected):
    text = review(type="annual").replace("type: annual", f"type: annual\n{line}")
    [finding] = check(one(kb, text), [("schema", FILE, line_of(text, "covers"))])
    assert expected in finding.message


def test_a_number_below_its_minimum_is_told_in_chinese(kb):
    text = service(satisfaction=[{"id": "q", "name": "质量", "target": 4, "scale": 0}])
    [finding] = one(kb, text)
    assert "“satisfaction[1].scale”的值 0 小于最小值 1" in finding.message
    assert "minimum" not in finding.message


@pytest.mark.parametrize("written", ["2026-06-15", "2026/6/15"])
def test_month_written_as_a_date_says_the_month(kb, written):
    text = monthly("mr-x-2026-06", written)
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, "month"))])
    assert "应写作 2026-06" in finding.message and "日历上没有" not in finding.message


@pytest.mark.parametrize("written", ["2026-06", "2026年6月"])
def test_date_written_as_a_month_asks_for_the_day(kb, written):
    text = service(start=written)
    [finding] = check(one(kb, text), [("date-format", FILE, line_of(text, "start"))])
    assert "缺少日" in finding.message and "2026-06-01" in finding.message
