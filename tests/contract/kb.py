"""A complete, compliant knowledge base that uses every feature of the record contract (v1.2).

Three services of one organization, checked as of 2026-11-26 with contract years:

``SVC-ERP`` (start 2025-07-01, contract year 2025 = 2025-07-01 … 2026-06-30): a supplier and an
external organization that must attend reviews, an indicator whose target the project plan
revised (``from``/``until``), an ad-hoc request (``SR-2025-01``) and its review, a major change
(``CHG-2025-001``) with sales-led before- and after-reviews, a minor change, a survey below
target with its improvement action, monthly report and review discussion, complaints (one
closed late under a waiver by clause), an annual review whose inputs are files, record ids and
external document numbers (its body links the attached contract), actions that revise the
project plan and answer a complaint, and a periodic review planned after the check date.

``SVC-IDC`` (start 2025-01-01): reviews and surveys on month ends (2025-06-30 → 2025-12-31,
2026-02-28 → 2026-08-31 are exactly six months), an annual review held in January with
``covers: 2025``, the next annual review planned, and an action not yet due.

``SVC-OLD`` (2025-01-01 … 2025-06-30): a service that has ended, with its one annual review.

Record numbers are upper case (``MIN-2025-01``, the waiver ``WV-2026.001``); some files are
CRLF, some carry a BOM. Every output record has real text in every section.
Files are kept as LF text keyed by path; :func:`write` applies the line endings and BOMs, so
a variant edits plain text and line numbers stay those of the text.
"""

from __future__ import annotations

from pathlib import Path

AS_OF = "2026-11-26"

ERP = "records/SVC-ERP"
IDC = "records/SVC-IDC"
OLD = "records/SVC-OLD"

#: Files written with CRLF line endings, and those that also open with a BOM.
CRLF = {
    f"{ERP}/minutes/MIN-2025-01.md",
    f"{ERP}/reviews/RV-ERP-2026-06.md",
    f"{IDC}/service.md",
    f"{IDC}/reviews/RV-IDC-2025-ANNUAL.md",
    "records/waivers/WV-2026.001.md",
}
BOM = {f"{IDC}/service.md", f"{ERP}/surveys/SV-ERP-2026H1.md", f"{ERP}/changes/CHG-2025-001.md"}

POLICY = f"""\
# 合同年口径的年度评审
as_of: {AS_OF}
rules:
  annual-review:
    year: contract
"""

STAFF_ERP = "  - {name: 陈立, org: 华信智联科技有限公司, dept: 服务部, party: internal}\n"
SALES_ERP = "  - {name: 赵敏, org: 华信智联科技有限公司, dept: 销售部门, party: internal}\n"
CUSTOMER_ERP = "  - {name: 周海, org: 华东物流集团有限公司, dept: 信息中心, party: customer}\n"
SUPPLIER_ERP = "  - {name: 钱峰, org: 上海鼎新软件有限公司, dept: 技术支持部, party: supplier}\n"
EXTERNAL_ERP = (
    "  - {name: 孙洁, org: 江苏诚信信息系统监理有限公司, dept: 监理部, party: external}\n"
)
STAFF_IDC = "  - {name: 吴涛, org: 华信智联科技有限公司, dept: 服务部, party: internal}\n"
CUSTOMER_IDC = "  - {name: 郑宁, org: 江南证券股份有限公司, party: customer}\n"


def body(title: str, sections: dict[str, str]) -> str:
    """A record body: an H1 and one ``##`` section with real text per entry."""
    return f"# {title}\n\n" + "".join(f"## {h}\n\n{t}\n\n" for h, t in sections.items())


def front(lines: str, text: str) -> str:
    return f"---\n{lines}---\n\n{text}"


# --- the two services -----------------------------------------------------------------------

SERVICE_ERP = front(
    """\
kind: service
id: SVC-ERP
title: 华东物流集团ERP系统运维服务
name: 华东物流集团ERP系统运维服务
customer: 华东物流集团有限公司
project_manager: 陈立
start: 2025-07-01
departments: [服务部, 销售部门, 质量管理部]
suppliers: [上海鼎新软件有限公司]
external: [江苏诚信信息系统监理有限公司]
satisfaction:
  - {id: response, name: 响应及时性, target: 4.0, scale: 5, until: 2026-06-30}
  # 2026年度评审后修订项目策划书，目标提高到 4.3
  - {id: response, name: 响应及时性, target: 4.3, scale: 5, from: 2026-07-01}
  - {id: quality, name: 问题解决质量, target: 4.2}
""",
    body(
        "华东物流集团ERP系统运维服务",
        {
            "服务概述": "依据服务合同 HT2025-018，自2025年7月1日起为华东物流集团提供ERP系统运维服务。",
            "相关方": "客户信息中心；供应商上海鼎新软件有限公司；监理单位江苏诚信信息系统监理有限公司。",
        },
    ),
)

SERVICE_IDC = front(
    """\
kind: service
id: SVC-IDC
title: 江南证券数据中心托管服务
name: 江南证券数据中心托管服务
customer: 江南证券股份有限公司
project_manager: 吴涛
start: 2025-01-01
departments: [服务部]
satisfaction:
  - id: availability
    name: 机房可用性
    target: 4.5
  - id: support
    name: 现场支持
    target: 4.0
    scale: 5
    higher_is_better: true
""",
    body(
        "江南证券数据中心托管服务",
        {"服务概述": "为江南证券提供机柜托管、电力保障和现场支持服务，合同期三年。"},
    ),
)


# --- record builders ------------------------------------------------------------------------


def review(
    service: str,
    id: str,
    type: str,
    date: str,
    sections: dict[str, str],
    extra: str = "",
    dept: str = "服务部",
    organizer: str = "陈立",
) -> str:
    return front(
        f"kind: review\nid: {id}\ntitle: {id} 服务评审报告\nservice: {service}\ntype: {type}\n"
        f"date: {date}\norganizer: {organizer}\norganizer_dept: {dept}\n{extra}",
        body(
            f"{id} 服务评审报告",
            {"评审概况": f"{date} 召开服务评审，回顾本期服务运行情况。", **sections},
        ),
    )


def minutes(id: str, review: str, date: str, attendees: str, extra: str = "") -> str:
    return front(
        f"kind: minutes\nid: {id}\ntitle: {review} 会议纪要\nreview: {review}\ndate: {date}\n"
        f"attendees:\n{attendees}distribution: [服务部, 销售部门]\n"
        f"decisions: [确认本期服务运行情况]\n{extra}",
        body(
            f"{review} 会议纪要",
            {
                "会议议程": "通报服务运行情况，讨论客户意见和改进措施。",
                "会议结论": "与会各方确认本期服务达到合同约定，改进事项按行动项跟踪。",
            },
        ),
    )


def monthly(service: str, prefix: str, month: str, extra: str = "") -> str:
    id = f"MR-{prefix}-{month}"
    return front(
        f'kind: monthly-report\nid: {id}\nservice: {service}\nmonth: "{month}"\n'
        f"prepared_by: 服务部\n{extra}",
        body(
            f"服务月报（{month}）",
            {
                "运行情况": f"{month} 系统运行平稳，各项服务等级指标达标。",
                "下月计划": "继续开展巡检和补丁更新，跟进未关闭的改进事项。",
            },
        ),
    )


def survey(service: str, id: str, date: str, scores: str) -> str:
    half = "H1" if date[5:7] <= "06" else "H2"
    return front(
        f"kind: survey\nid: {id}\nservice: {service}\ndate: {date}\nperiod: {date[:4]}-{half}\n"
        "responses: 18\n"
        f"scores:\n{scores}",
        body(f"{id} 满意度调查结果", {"调查结果": "问卷发放给客户各部门，回收有效问卷18份。"}),
    )


ANNUAL = {
    "当前和预计的业务需求": "客户计划明年上线仓储管理模块，业务量预计增长三成。",
    "服务范围或内容可能发生的变化": "拟将仓储管理模块纳入运维范围，服务时间延长到晚上九点。",
}
BEFORE = {
    "变更前服务及合同的状况及成绩": "合同执行一年，可用性99.95%，客户满意度达标。",
    "当前和预计的业务需求": "客户新增华南区域仓库，需要扩展ERP运维覆盖范围。",
    "服务范围和SLA变更的目的": "增加华南区域驻场支持，响应时间由两小时缩短为一小时。",
}
ADHOC = {
    "进展": "月结性能优化已完成第一阶段，批处理时间缩短四成。",
    "成绩": "十月月结按时完成，没有发生业务中断。",
    "需要处理的问题": "报表服务器磁盘空间不足，需在下月扩容。",
}
PERIODIC = {"服务运行情况": "本期服务运行平稳，故障均在约定时间内解决。"}


def months(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def erp() -> dict[str, str | bytes]:
    s, rv, mn = "SVC-ERP", f"{ERP}/reviews", f"{ERP}/minutes"
    files: dict[str, str | bytes] = {
        f"{ERP}/service.md": SERVICE_ERP,
        f"{ERP}/attachments/服务合同-HT2025-018.pdf": b"%PDF-1.4\n% contract\n",
        f"{ERP}/attachments/项目计划表-2026.xlsx": b"PK\x03\x04 schedule",
        f"{ERP}/requests/SR-2025-01.md": front(
            f"kind: request\nid: SR-2025-01\nservice: {s}\ndate: 2025-11-03\n"
            "requested_by: 周海\nsubject: 月结性能问题专题评审\n",
            body("月结性能问题专题评审请求", {"请求内容": "客户要求就十月月结缓慢召开专题评审。"}),
        ),
        f"{rv}/RV-ERP-2025-11.md": review(
            s, "RV-ERP-2025-11", "adhoc", "2025-11-10", ADHOC, "request: SR-2025-01\n"
        ),
        f"{mn}/MIN-2025-01.md": minutes(
            "MIN-2025-01", "RV-ERP-2025-11", "2025-11-10", STAFF_ERP + CUSTOMER_ERP
        ),
        f"{ERP}/changes/CHG-2025-001.md": front(
            f"kind: change\nid: CHG-2025-001\nservice: {s}\ndate: 2026-01-01\nmajor: true\n"
            "summary: 增加华南区域驻场支持并调整SLA\n",
            body(
                "合同变更 CHG-2025-001",
                {"变更内容": "服务范围增加华南区域，现场响应时间缩短为一小时。"},
            ),
        ),
        f"{rv}/RV-ERP-2025-12-PRE.md": review(
            s,
            "RV-ERP-2025-12-PRE",
            "additional",
            "2025-12-05",
            BEFORE,
            "change: CHG-2025-001\nphase: before\nprepared_by: 销售部门\n",
            "销售部门",
            "赵敏",
        ),
        f"{mn}/MIN-2025-02.md": minutes(
            "MIN-2025-02", "RV-ERP-2025-12-PRE", "2025-12-05", SALES_ERP + STAFF_ERP + CUSTOMER_ERP
        ),
        f"{ERP}/surveys/SV-ERP-2025H2.md": survey(
            s, "SV-ERP-2025H2", "2025-12-15", "  response: 4.3\n  quality: 4.4\n"
        ),
        f"{rv}/RV-ERP-2025-12.md": review(
            s, "RV-ERP-2025-12", "periodic", "2025-12-18", PERIODIC, "discusses: [SV-ERP-2025H2]\n"
        ),
        f"{mn}/MIN-2025-03.md": minutes(
            "MIN-2025-03", "RV-ERP-2025-12", "2025-12-18", STAFF_ERP + CUSTOMER_ERP + SUPPLIER_ERP
        ),
        f"{rv}/RV-ERP-2026-01-POST.md": review(
            s,
            "RV-ERP-2026-01-POST",
            "additional",
            "2026-01-15",
            PERIODIC,
            "change: CHG-2025-001\nphase: after\n",
        ),
        f"{mn}/MIN-2026-01.md": minutes(
            "MIN-2026-01", "RV-ERP-2026-01-POST", "2026-01-16", STAFF_ERP + CUSTOMER_ERP
        ),
        f"{ERP}/complaints/CP-ERP-2026-001.md": front(
            f"kind: complaint\nid: CP-ERP-2026-001\nservice: {s}\nreceived: 2026-04-02\nseverity: high\n"
            "status: closed\nclosed: 2026-04-07\nresolution: 更换故障存储控制器并完成数据校验\n",
            body("月结中断投诉", {"投诉内容": "四月月结期间存储故障导致系统中断两小时。"}),
        ),
        f"{ERP}/complaints/CP-ERP-2026-002.md": front(
            f"kind: complaint\nid: CP-ERP-2026-002\nservice: {s}\nreceived: 2026-09-07\nseverity: medium\n"
            "status: closed\nclosed: 2026-09-20\nresolution: 供应商补丁发布后修复报表错误\n",
            body("报表错误投诉", {"投诉内容": "财务报表合计金额错误，需等待供应商补丁。"}),
        ),
        "records/waivers/WV-2026.001.md": front(
            "kind: waiver\nid: WV-2026.001\nrule: 3.3.1\nrecord: CP-ERP-2026-002\n"
            "reason: 修复依赖供应商补丁，客户书面同意延期\napproved_by: 质量管理部\nexpires: 2027-03-31\n",
            body("投诉超期关闭豁免", {"豁免理由": "补丁由供应商发布，客户已书面同意延期关闭。"}),
        ),
        f"{ERP}/surveys/SV-ERP-2026H1.md": survey(
            s, "SV-ERP-2026H1", "2026-06-10", "  response: 4.2\n  quality: 4.0\n"
        ),
        f"{rv}/RV-ERP-2026-06.md": review(
            s,
            "RV-ERP-2026-06",
            "annual",
            "2026-06-16",
            {
                **ANNUAL,
                "评审输入": "见[服务合同](../attachments/服务合同-HT2025-018.pdf)和项目计划表。",
            },
            "inputs:\n"
            "  service_contract: ../attachments/服务合同-HT2025-018.pdf\n"
            '  project_plan: {external: QM-PLAN-2025-018, version: "2.0"}\n'
            "  project_schedule: ../attachments/项目计划表-2026.xlsx\n"
            '  project_summary: {external: QM-SUM-2025-018, version: "1.0"}\n'
            "  monthly_reports: [MR-ERP-2026-03, MR-ERP-2026-04, MR-ERP-2026-05]\n"
            "discusses: [SV-ERP-2026H1, CP-ERP-2026-001]\n",
        ),
        f"{mn}/MIN-2026-06.md": minutes(
            "MIN-2026-06",
            "RV-ERP-2026-06",
            "2026-06-16",
            STAFF_ERP + CUSTOMER_ERP + SUPPLIER_ERP + EXTERNAL_ERP,
            "actions:\n"
            "  - {id: AC-2026-01, text: 制订问题解决质量改进方案, owner: 陈立, due: 2026-07-31, status: done, "
            "done: 2026-07-20, addresses: SV-ERP-2026H1}\n"
            "  - {id: AC-2026-02, text: 修订项目策划书中的响应及时性目标, owner: 陈立, due: 2026-06-30, "
            "status: done, done: 2026-06-28, revises: project_plan}\n"
            "  - {id: AC-2026-03, text: 存储控制器纳入季度巡检, owner: 陈立, due: 2026-07-15, "
            "status: done, done: 2026-07-10, addresses: CP-ERP-2026-001}\n",
        ),
        f"{ERP}/changes/CHG-2026-002.md": front(
            f"kind: change\nid: CHG-2026-002\nservice: {s}\ndate: 2026-09-01\nmajor: false\n"
            "summary: 调整月报提交格式\n",
            body("合同变更 CHG-2026-002", {"变更内容": "月报改为电子签章版本，服务内容不变。"}),
        ),
        f"{rv}/RV-ERP-2026-08-PRE.md": review(
            s,
            "RV-ERP-2026-08-PRE",
            "additional",
            "2026-08-20",
            {},
            "change: CHG-2026-002\nphase: before\n",
        ),
        f"{mn}/MIN-2026-08.md": minutes(
            "MIN-2026-08", "RV-ERP-2026-08-PRE", "2026-08-20", STAFF_ERP + CUSTOMER_ERP
        ),
        f"{ERP}/surveys/SV-ERP-2026H2.md": survey(
            s, "SV-ERP-2026H2", "2026-11-16", "  response: 4.5\n  quality: 4.3\n"
        ),
        # planned: dated after the check date, no minutes yet
        f"{rv}/RV-ERP-2026-12.md": review(s, "RV-ERP-2026-12", "periodic", "2026-12-10", PERIODIC),
    }
    for month in months("2025-07", "2026-10"):
        extra = "deviations: [SV-ERP-2026H1]\n" if month == "2026-06" else ""
        files[f"{ERP}/monthly/MR-ERP-{month}.md"] = monthly(s, "ERP", month, extra)
    return files


def idc() -> dict[str, str | bytes]:
    s, rv, mn = "SVC-IDC", f"{IDC}/reviews", f"{IDC}/minutes"
    people = STAFF_IDC + CUSTOMER_IDC
    files: dict[str, str | bytes] = {
        f"{IDC}/service.md": SERVICE_IDC,
        f"{IDC}/attachments/项目总结报告-2025.pdf": b"%PDF-1.4\n% summary\n",
    }
    held = [
        ("RV-IDC-2025-06", "periodic", "2025-06-30", PERIODIC, ""),
        ("RV-IDC-2025-12", "periodic", "2025-12-31", PERIODIC, ""),
        (
            "RV-IDC-2025-ANNUAL",
            "annual",
            "2026-01-20",
            ANNUAL,
            "covers: 2025\ninputs:\n"
            '  service_contract: {external: HT2024-201, version: "1.0"}\n'
            '  project_plan: {external: QM-PLAN-2024-201, version: "1.2"}\n'
            '  project_schedule: {external: QM-SCH-2024-201, version: "1.1"}\n'
            "  project_summary: ../attachments/项目总结报告-2025.pdf\n"
            "  monthly_reports:\n    - MR-IDC-2025-11\n    - MR-IDC-2025-12\n",
        ),
        ("RV-IDC-2026-02", "periodic", "2026-02-28", PERIODIC, ""),
        ("RV-IDC-2026-08", "periodic", "2026-08-31", PERIODIC, ""),
    ]
    for id, type, date, sections, extra in held:
        files[f"{rv}/{id}.md"] = review(s, id, type, date, sections, extra, organizer="吴涛")
        files[f"{mn}/MIN-{id[3:]}.md"] = minutes(f"MIN-{id[3:]}", id, date, people)
    files[f"{mn}/MIN-IDC-2026-08.md"] = minutes(
        "MIN-IDC-2026-08",
        "RV-IDC-2026-08",
        "2026-08-31",
        people,
        "actions:\n  - {id: AC-IDC-2026-01, text: 完成UPS蓄电池更换, owner: 吴涛, due: 2027-01-31, status: open}\n",
    )
    # planned: the annual review of contract year 2026, not held yet
    files[f"{rv}/RV-IDC-2026-ANNUAL.md"] = review(
        s,
        "RV-IDC-2026-ANNUAL",
        "annual",
        "2026-12-15",
        ANNUAL,
        'covers: "2026"\ninputs:\n'
        '  service_contract: {external: HT2024-201, version: "1.0"}\n'
        '  project_plan: {external: QM-PLAN-2024-201, version: "1.3"}\n'
        '  project_schedule: {external: QM-SCH-2024-201, version: "1.2"}\n'
        '  project_summary: {external: QM-SUM-2024-201, version: "2.0"}\n'
        "  monthly_reports: [MR-IDC-2026-09, MR-IDC-2026-10]\n",
        organizer="吴涛",
    )
    for id, date, scores in (
        ("SV-IDC-2025H1", "2025-06-30", "  availability: 4.6\n  support: 4.2\n"),
        ("SV-IDC-2025H2", "2025-12-31", "  availability: 4.7\n  support: 4.1\n"),
        ("SV-IDC-2026H1", "2026-06-30", "  availability: 4.8\n  support: 4.3\n"),
    ):
        files[f"{IDC}/surveys/{id}.md"] = survey(s, id, date, scores)
    for month in months("2025-01", "2026-10"):
        files[f"{IDC}/monthly/MR-IDC-{month}.md"] = monthly(s, "IDC", month)
    return files


def ended() -> dict[str, str | bytes]:
    """A six-month service that has ended: one contract year, owed an annual review, and no
    obligation after its end."""
    s = "SVC-OLD"
    files: dict[str, str | bytes] = {
        f"{OLD}/service.md": front(
            "kind: service\nid: SVC-OLD\nname: 江南证券办公网迁移保障服务\ncustomer: 江南证券股份有限公司\n"
            "project_manager: 吴涛\nstart: 2025-01-01\nend: 2025-06-30\ndepartments: [服务部]\n"
            "satisfaction:\n  - {id: overall, name: 总体满意度, target: 4.0}\n",
            body(
                "江南证券办公网迁移保障服务",
                {"服务概述": "办公网迁移期间的驻场保障服务，2025年6月30日结束。"},
            ),
        ),
        f"{OLD}/reviews/RV-OLD-2025-06.md": review(
            s,
            "RV-OLD-2025-06",
            "annual",
            "2025-06-20",
            ANNUAL,
            "inputs:\n"
            '  service_contract: {external: HT2025-007, version: "1.0"}\n'
            '  project_plan: {external: QM-PLAN-2025-007, version: "1.0"}\n'
            '  project_schedule: {external: QM-SCH-2025-007, version: "1.0"}\n'
            '  project_summary: {external: QM-SUM-2025-007, version: "1.0"}\n'
            "  monthly_reports: [MR-OLD-2025-04, MR-OLD-2025-05]\n",
            organizer="吴涛",
        ),
        f"{OLD}/minutes/MIN-OLD-2025-06.md": minutes(
            "MIN-OLD-2025-06", "RV-OLD-2025-06", "2025-06-20", STAFF_IDC + CUSTOMER_IDC
        ),
        f"{OLD}/surveys/SV-OLD-2025H1.md": survey(
            s, "SV-OLD-2025H1", "2025-06-20", "  overall: 4.4\n"
        ),
    }
    for month in months("2025-01", "2025-06"):
        files[f"{OLD}/monthly/MR-OLD-{month}.md"] = monthly(s, "OLD", month)
    return files


def files() -> dict[str, str | bytes]:
    """Every file of the knowledge base, as LF text (or bytes), by path relative to its root."""
    return {"policy.yml": POLICY, **erp(), **idc(), **ended()}


def write(root: Path, content: dict[str, str | bytes]) -> Path:
    """Write ``content`` under ``root``: CRLF and BOM where the fixture says so."""
    for rel, text in content.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
            continue
        data = text.replace("\n", "\r\n") if rel in CRLF else text
        path.write_bytes(("\ufeff" if rel in BOM else "").encode() + data.encode("utf-8"))
    return root
