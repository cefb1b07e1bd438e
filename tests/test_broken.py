"""A record with format errors is still itself: what it says that could be read still counts."""

from __future__ import annotations

from brmkb import cli, loader
from tests.conftest import (
    AS_OF,
    CUSTOMER,
    SERVICE,
    STAFF,
    change,
    minutes,
    record,
    review,
    run,
    service,
)

REVIEW = "records/svc-x/reviews/rv-x-1.md"
MINUTES = "records/svc-x/minutes/mn-x-1.md"
CHANGE = "records/svc-x/changes/ch-x-1.md"
REQUEST = "records/svc-x/requests/rq-x-1.md"


def _messages(findings, path):
    return [f"[{f.rule}] {f.message}" for f in findings if f.path == path]


def test_a_typo_in_the_minutes_does_not_make_its_review_lack_minutes(kb):
    typo = dict(CUSTOMER, party="costumer")
    root = kb({SERVICE: service(), REVIEW: review(), MINUTES: minutes(attendees=[STAFF, typo])})
    findings = run(root)
    assert [f.rule for f in findings if f.path == MINUTES] == ["schema"]
    assert _messages(findings, REVIEW) == []  # no "还没有会议纪要"


def test_a_tab_in_a_review_does_not_make_its_minutes_point_nowhere(kb):
    tabbed = review().replace("organizer: 张三", "organizer:\t张三\n\tx: 1")
    root = kb({SERVICE: service(), REVIEW: tabbed, MINUTES: minutes()})
    findings = run(root)
    assert [f.rule for f in findings if f.path == REVIEW] == ["yaml-syntax"]
    assert _messages(findings, MINUTES) == []  # no "找不到 id 为 rv-x-1 的服务评审报告"
    kb_ = loader.load(root).kb
    assert kb_.broken["rv-x-1"].get("service") == "svc-x"
    assert kb_.service_of(kb_.by_id["mn-x-1"]) == "svc-x"


def test_a_broken_review_of_a_change_is_to_be_fixed_not_written_again(kb):
    before = review(type="additional", date="2026-02-20", organizer_dept="销售部门")
    before = before.replace("date: 2026-02-20", "date: 2026/2/20")
    after = review(id="rv-x-2", type="additional", phase="after", date="2026-03-10")
    files = {SERVICE: service(), CHANGE: change(), REVIEW: before, "records/r2.md": after}
    findings = run(kb(files), rules="additional-review")
    [finding] = findings
    assert finding.path == CHANGE
    assert "变更前追加评审 rv-x-1（records/svc-x/reviews/rv-x-1.md）有格式错误，请先修正" in (
        finding.message
    )
    assert "没有" not in finding.message


def test_a_broken_review_of_a_request_is_to_be_fixed_not_written_again(kb):
    request = record(
        "request",
        "rq-x-1",
        "# 请求\n",
        service="svc-x",
        date="2026-03-01",
        requested_by="客户",
        subject="高峰保障",
    )
    adhoc = review(type="adhoc", date="2026-03-05").replace("type: adhoc", "type: adhok")
    findings = run(kb({SERVICE: service(), REQUEST: request, REVIEW: adhoc}), rules="adhoc-review")
    [finding] = findings
    assert "临时性评审 rv-x-1" in finding.message and "有格式错误，请先修正" in finding.message


def test_the_summary_counts_every_file_and_the_broken_ones(kb, capsys):
    typo = dict(CUSTOMER, party="costumer")
    files = {
        SERVICE: service(),
        REVIEW: review(),
        MINUTES: minutes(attendees=[STAFF, typo]),
        "records/x/no-id.md": "---\nkind: review\n---\n",
        "records/x/not-yaml.md": "no front matter\n",
    }
    root = kb(files)
    cli.main(["check", str(root), "--as-of", AS_OF])
    summary = capsys.readouterr().out.splitlines()[-1]
    assert "检查了 5 份记录，其中 3 份有格式错误" in summary


def test_an_overdue_review_names_a_broken_one_that_may_be_it(kb):
    tabbed = review(id="rv-x-2", date="2025-11-20").replace(
        "organizer: 张三", "organizer:\n\t- 张三"
    )
    files = {SERVICE: service(), REVIEW: review(), "records/svc-x/reviews/rv-x-2.md": tabbed}
    [overdue] = run(kb(files), rules="review-frequency")
    assert "已逾期" in overdue.message
    assert "rv-x-2（records/svc-x/reviews/rv-x-2.md）有格式错误，请先修正，可能就是它" in (
        overdue.message
    )
