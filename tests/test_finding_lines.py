"""Every rule's findings point at the line they talk about, in every output.

One knowledge base seeds a failure of every rule. Each finding's line must hold what the
finding is about: the key it names, a section's heading, the body's end for a missing
section, the front matter's first line for a missing key. JSON and GitHub annotations must
carry that same line.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from brmkb import engine
from brmkb.registry import all_rules
from brmkb.render import github
from brmkb.render import json as json_format
from tests.conftest import (
    AS_OF,
    CUSTOMER,
    STAFF,
    as_date,
    change,
    external,
    minutes,
    monthly,
    record,
    review,
    service,
    write_kb,
)

S = "records/svc-x"
SERVICE, SURVEY = f"{S}/service.md", f"{S}/surveys/sv-x-1.md"
RV1, RV2, RV3, RV4 = (f"{S}/reviews/rv-x-{n}.md" for n in range(1, 5))
MN1, MN9 = f"{S}/minutes/mn-x-1.md", f"{S}/minutes/mn-x-9.md"
CHANGE, REQUEST = f"{S}/changes/ch-x-1.md", f"{S}/requests/rq-x-1.md"
COMPLAINT, REPORT = f"{S}/complaints/cp-x-1.md", f"{S}/monthly/mr-x-2025-01.md"
WAIVER = "records/waivers/wv-x-1.md"
B = "records/bad"
FIRST_KEY = "kind:"  # the front matter's first line, where a missing key is reported

ANNUAL_BODY = "# 2026 年度评审\n\n## 当前和预计的业务需求\n\n待补充\n"
MINUTES_BODY = "# 纪要\n\n各方讨论了服务情况。\n\n## 会议决议\n\n待定\n"
REQUEST_BODY = "# 请求\n\n<!-- 请填写：请求内容 -->\n"

FILES: dict[str, str | bytes] = {
    "policy.yml": "max_record_bytes: 20000\n",
    SERVICE: service(
        suppliers=["供应商甲"],
        satisfaction=[{"id": "overall", "name": "总体满意度", "target": 4.5}],
    ),
    SURVEY: record(
        "survey",
        "sv-x-1",
        "# 调查\n",
        service="svc-x",
        date="2025-06-01",
        responses=10,
        scores={"overall": 3.0, "speed": 4.0},
    ),
    RV1: review("rv-x-1", "2025-08-01"),
    RV2: review("rv-x-2", "2026-03-01", type="annual", inputs=None, body=ANNUAL_BODY),
    RV3: review("rv-x-3", "2026-02-20", type="additional", change="ch-x-1"),
    RV4: review(
        "rv-x-4",
        "2026-06-01",
        type="annual",
        inputs={
            "service_contract": "../attachments/合同.pdf",
            **{k: external() for k in ("project_plan", "project_schedule", "project_summary")},
            "monthly_reports": [external()],
        },
    ),
    MN1: minutes(
        review="rv-x-1",
        date="2025-08-01",
        attendees=[STAFF],
        distribution=None,
        actions=[
            {
                "id": "a1",
                "text": "修订合同",
                "owner": "张三",
                "due": "2025-09-01",
                "status": "open",
                "revises": "service_contract",
            },
            {"id": "a2", "text": "回访", "owner": "张三", "due": "2025-09-01", "status": "done"},
        ],
    ),
    MN9: minutes("mn-x-9", review="rv-none", attendees=[STAFF, CUSTOMER]).replace(
        "各方通报了服务情况。\n", MINUTES_BODY.removeprefix("# 纪要\n\n")
    ),
    CHANGE: change(),
    REQUEST: record(
        "request",
        "rq-x-1",
        REQUEST_BODY,
        service="svc-x",
        date="2026-05-01",
        requested_by="请填写：请求人",
        subject="高峰保障",
    ),
    COMPLAINT: record(
        "complaint",
        "cp-x-1",
        "# 投诉\n\n已处理。<img src=x onerror=alert(1)>\n",
        service="svc-x",
        received="2026-01-05",
        severity="low",
        status="closed",
        closed="2026-01-10",
    ),
    REPORT: monthly("mr-x-2025-01", "2025-01", prepared_by="销售部门"),
    WAIVER: record(
        "waiver",
        "wv-x-1",
        "# 豁免\n",
        service="svc-x",
        rule="review-frequency",
        reason="人手不足",
        approved_by="王五",
        expires="2026-01-01",
    ),
    f"{B}/gbk.md": b"---\nkind: service\nid: gbk\n---\n\n" + "中文".encode("gbk"),
    f"{B}/no-front.md": "没有头信息\n",
    f"{B}/tab.md": "---\nkind: service\nid: tab\nname:\n\tx: 1\n---\n",
    f"{B}/schema.md": "---\nkind: change\nid: bad-1\ncolour: red\n---\n",
    f"{B}/date.md": "---\nkind: request\nid: bad-2\nservice: svc-x\ndate: 2026/3/5\n---\n",
    f"{B}/dup-1.md": "---\nkind: request\nid: dup\n---\n",
    f"{B}/dup-2.md": "---\nkind: request\nid: dup\n---\n",
    f"{B}/big.md": "---\nkind: service\nid: big\n---\n" + "长" * 10_000,
    f"{B}/wide.md": "---\nkind: service\nid: wide\n---\n\n# 宽\n\n长行" + "x" * 10_000 + "\n",
    f"{S}/attachments/page.html": "<p>页面</p>\n",
}

#: (rule, path) → what the finding's line starts with (a number: that line; None: no line).
EXPECTED: dict[tuple[str, str], set[str | int | None]] = {
    ("review-frequency", RV1): {"date:"},
    ("review-frequency", RV2): {"date:"},
    ("review-frequency", SERVICE): {"start:"},
    ("review-parties", MN1): {"attendees:"},
    ("stakeholder-participation", SERVICE): {"suppliers:"},
    ("additional-review", CHANGE): {"major:"},
    ("adhoc-review", REQUEST): {"date:"},
    ("annual-review", SERVICE): {"start:"},
    ("review-inputs", RV2): {FIRST_KEY},
    ("review-sections", RV2): {"## 当前和预计的业务需求", "待补充"},  # empty; missing: the end
    ("change-review-organizer", RV3): {"organizer_dept:"},
    ("agreed-revisions", MN1): {"  - {id: a1,"},
    ("minutes-distribution", MN1): {FIRST_KEY},
    ("review-minutes", RV2): {"id:"},
    ("review-minutes", RV3): {"id:"},
    ("review-minutes", RV4): {"id:"},
    ("survey-cadence", SERVICE): {"satisfaction:"},
    ("satisfaction-indicators", SURVEY): {"  speed:"},  # an indicator the service lacks
    ("action-tracking", MN1): {"  - {id: a2,"},
    ("deviation-action", SURVEY): {"scores:"},
    ("deviation-report", SURVEY): {"scores:"},
    ("deviation-review", RV1): {FIRST_KEY},
    ("complaint-closure", COMPLAINT): {FIRST_KEY},
    ("body-html", COMPLAINT): {"已处理。<img"},
    ("monthly-report", SERVICE): {"start:"},
    ("output-preparer", REPORT): {"prepared_by:"},
    ("reference", MN9): {"review:"},
    ("input-path", RV4): {"  service_contract:"},
    ("waiver", WAIVER): {"expires:"},
    ("record-content", RV2): {"# 2026 年度评审"},
    ("record-content", MN9): {"## 会议决议"},
    ("unfinished-record", REQUEST): {"<!-- 请填写：请求内容 -->", "requested_by:"},
    ("encoding", f"{B}/gbk.md"): {6},
    ("front-matter", f"{B}/no-front.md"): {1},
    ("yaml-syntax", f"{B}/tab.md"): {"\tx: 1"},
    ("schema", f"{B}/schema.md"): {"colour:", FIRST_KEY},
    ("schema", f"{B}/date.md"): {FIRST_KEY},
    ("date-format", f"{B}/date.md"): {"date:"},
    ("schema", f"{B}/dup-1.md"): {FIRST_KEY},
    ("schema", f"{B}/dup-2.md"): {FIRST_KEY},
    ("duplicate-id", f"{B}/dup-1.md"): {"id:"},
    ("duplicate-id", f"{B}/dup-2.md"): {"id:"},
    ("file-size", f"{B}/big.md"): {None},
    ("record-limits", f"{B}/wide.md"): {"长行"},
    ("attachment-type", f"{S}/attachments/page.html"): {None},
    ("file-access", f"{B}/pipe.md"): {None},
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> engine.Report:
    root = write_kb(tmp_path_factory.mktemp("lines"), FILES)
    outside = tmp_path_factory.mktemp("outside") / "elsewhere.md"
    outside.write_text("---\nkind: service\nid: far\n---\n", encoding="utf-8")
    os.symlink(outside, root / B / "link.md")
    os.mkfifo(root / B / "pipe.md")  # not a regular file: never opened
    EXPECTED[("symlink", f"{B}/link.md")] = {None}
    return engine.run(root, as_date(AS_OF))


def _line_text(root: Path, path: str, line: int | None) -> str | None:
    if line is None:
        return None
    return (root / path).read_bytes().decode("utf-8", "replace").splitlines()[line - 1]


def test_every_rule_is_seeded(report: engine.Report) -> None:
    seen = {f.rule for f in report.findings}
    assert {rule.id for rule in all_rules()} <= seen


def test_every_finding_points_at_its_line(report: engine.Report) -> None:
    wrong = []
    for finding in report.findings:
        allowed = EXPECTED.get((finding.rule, finding.path), set())
        text = _line_text(report.kb.root, finding.path, finding.line)
        ok = finding.line in allowed or any(
            isinstance(a, str) and text is not None and text.startswith(a) for a in allowed
        )
        if not ok:
            wrong.append(f"{finding.path}:{finding.line} [{finding.rule}] {text!r}: {allowed}")
    assert not wrong, "\n".join(wrong)


def test_a_missing_section_is_reported_at_the_bodys_end(report: engine.Report) -> None:
    [missing] = [f for f in report.findings if f.rule == "review-sections" and "缺少" in f.message]
    lines = FILES[RV2].rstrip().splitlines()  # type: ignore[union-attr]
    assert missing.line == len(lines)


def test_json_and_annotations_carry_the_same_line(report: engine.Report) -> None:
    document = json.loads(json_format.render(report))
    assert [(f["path"], f["line"]) for f in document["findings"]] == [
        (f.path, f.line) for f in report.findings
    ]
    annotations = github.render(report)
    for finding in report.findings:
        if finding.line is not None:
            assert f"file={finding.path},line={finding.line}," in annotations, finding
