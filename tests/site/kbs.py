"""Small knowledge bases for the site tests, written as files (the way people write them).

``seeded`` passes the strict gate but carries what the site must show: a warning (an overdue
action), a waived error (a complaint closed late, with its waiver), a word that only one
record contains, and hostile text in titles and names that must be shown, never run.
"""

from __future__ import annotations

from pathlib import Path

AS_OF = "2026-11-20"

#: Strings that would run script if a page inserted them into HTML unescaped.
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '"><img src=x onerror=alert(1)>'

#: A word only the seeded survey contains (search must find that page).
UNIQUE_WORD = "蓄电池"

#: The seeded warning (rule, record id) and waived finding (rule, record id, waiver id).
WARNING = ("action-tracking", "mn-xss-2026-10")
WAIVED = ("complaint-closure", "cp-xss-001", "wv-xss-001")


def _q(text: str) -> str:
    """A YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


SERVICE_NAME = f"{XSS_IMG}数据中心托管服务"
REVIEW_TITLE = f"{XSS_SCRIPT}定期服务评审报告"
MINUTES_TITLE = f"{XSS_SCRIPT}定期服务评审会议纪要"

FILES: dict[str, str] = {
    "policy.yml": f"as_of: {AS_OF}\n",
    "records/svc-xss/service.md": f"""---
kind: service
id: svc-xss
title: {_q(SERVICE_NAME)}
name: {_q(SERVICE_NAME)}
customer: {_q(XSS_IMG + "银行")}
project_manager: {_q(XSS_SCRIPT)}
start: 2026-08-01
departments: [服务部]
satisfaction:
  - id: overall
    name: {_q(XSS_SCRIPT + "总体满意度")}
    target: 4.0
  - id: response
    name: 响应速度
    target: 4.2
---

# 数据中心托管服务

## 服务概述

为测试客户提供机柜托管服务，详见[服务合同](attachments/contract.pdf)。
""",
    "records/svc-xss/attachments/contract.pdf": "%PDF-1.4\n% test attachment\n",
    "records/svc-xss/reviews/rv-xss-2026-10.md": f"""---
kind: review
id: rv-xss-2026-10
title: {_q(REVIEW_TITLE)}
service: svc-xss
type: periodic
date: 2026-10-15
organizer: {_q(XSS_IMG)}
organizer_dept: 服务部
discusses: [sv-xss-2026-10]
---

# 定期服务评审报告

## 服务情况

本期服务运行平稳，满意度调查结果达标。
""",
    "records/svc-xss/minutes/mn-xss-2026-10.md": f"""---
kind: minutes
id: mn-xss-2026-10
title: {_q(MINUTES_TITLE)}
review: rv-xss-2026-10
date: 2026-10-15
attendees:
  - name: {_q(XSS_SCRIPT)}
    org: 乙方公司
    dept: 服务部
    party: internal
  - name: {_q(XSS_IMG)}
    org: {_q(XSS_IMG + "银行")}
    party: customer
distribution: [服务部, {_q(XSS_IMG)}]
decisions: [{_q(XSS_SCRIPT + "同意继续服务")}]
actions:
  - id: ac-xss-1
    text: {_q(XSS_SCRIPT + "更换机柜风扇")}
    owner: {_q(XSS_IMG)}
    due: 2026-11-01
    status: open
    addresses: sv-xss-2026-10
---

# 定期服务评审会议纪要

## 会议内容

双方回顾了本期服务情况。
""",
    "records/svc-xss/surveys/sv-xss-2026-10.md": f"""---
kind: survey
id: sv-xss-2026-10
title: 2026年10月客户满意度调查结果
service: svc-xss
date: 2026-10-20
period: 2026-10
responses: 12
scores:
  overall: 4.5
  response: 4.4
---

# 2026年10月客户满意度调查结果

## 分析

客户特别提到机房{UNIQUE_WORD}巡检及时，希望保持。
""",
    "records/svc-xss/complaints/cp-xss-001.md": """---
kind: complaint
id: cp-xss-001
title: 机房温度告警处理超时
service: svc-xss
received: 2026-09-01
severity: high
status: closed
closed: 2026-09-10
resolution: 更换空调压缩机
---

# 机房温度告警处理超时

## 处理过程

备件到货后完成更换。
""",
    "records/waivers/wv-xss-001.md": f"""---
kind: waiver
id: wv-xss-001
title: 温度告警投诉超时关闭豁免
rule: complaint-closure
record: cp-xss-001
reason: {_q(XSS_SCRIPT + "备件缺货")}
approved_by: 质量管理部
expires: 2027-12-31
---

# 温度告警投诉超时关闭豁免

备件缺货导致超时，已批准。
""",
}

for _month in ("08", "09", "10"):
    FILES[f"records/svc-xss/monthly/mr-xss-2026-{_month}.md"] = f"""---
kind: monthly-report
id: mr-xss-2026-{_month}
title: 服务月报（2026年{int(_month)}月）
service: svc-xss
month: "2026-{_month}"
---

# 服务月报（2026年{int(_month)}月）

## 运行情况

本月运行正常。
"""


#: ``seeded`` plus one unwaived error: minutes that name no distribution (3.1.9).
BROKEN_FILES = {
    **FILES,
    "records/svc-xss/minutes/mn-xss-2026-10.md": FILES[
        "records/svc-xss/minutes/mn-xss-2026-10.md"
    ].replace(f"distribution: [服务部, {_q(XSS_IMG)}]\n", ""),
}


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
    return root


def mkdocs_yml(repo: Path, root: Path) -> Path:
    """The project's mkdocs.yml, for a knowledge base in another folder (same docs, hooks)."""
    lines = []
    for line in (repo / "mkdocs.yml").read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("docs_dir:"):
            line = f"docs_dir: {repo / 'docs'}"
        elif stripped.startswith("- hooks/"):
            line = line.replace("hooks/", f"{repo / 'hooks'}/", 1)
        lines.append(line)
    path = root / "mkdocs.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
