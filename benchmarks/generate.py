"""Generate a synthetic, compliant knowledge base of any size for the benchmarks.

Usage::

    python benchmarks/generate.py OUT --services 500 [--seed 1]
    python benchmarks/generate.py OUT --records 10000 [--seed 1]

OUT receives ``records/`` and a ``policy.yml`` that pins the as-of date, so that
``brmkb check OUT`` gives the same result on any day. Every service has a monthly report
for each month of its life, a periodic or annual review about every five months (annual
ones with the five inputs and the required sections), minutes for every review, a
satisfaction survey about every six months that meets its targets, and occasionally
complaints closed in time, changes (a few major ones with before/after additional
reviews) and customer requests answered by ad-hoc reviews. Output is deterministic for
a seed, and service *i* is the same whatever the total size.
"""

from __future__ import annotations

import argparse
import calendar
import io
import json
import random
import shutil
import sys
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 20)
OUR_ORG = "华信智联科技有限公司"
SERVICE_DEPT = "服务部"
SALES_DEPT = "销售部门"

# --------------------------------------------------------------------------- phrase banks


def words(text: str) -> tuple[str, ...]:
    """A phrase bank written as space-separated words."""
    return tuple(text.split())


SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏"
    "薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段钱汤尹黎易常武"
)
GIVEN = words(
    "建国 伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 华 晓东 海涛 丽华 志强 "
    "晓燕 国平 佳 欣 宇 浩 鹏 婷 雪 琳 倩 辉 波 斌 峰 红 宁 凯 晨 颖 雯 俊 文博 子涵 思远 雨桐 嘉怡 "
    "志远 春燕 立新 振华 永刚 玉兰 海燕 建华 小红 卫东 爱民 淑珍 德明 文静 梓萱 一鸣 浩然 欣怡 家豪"
)
CITIES = words(
    "苏州 杭州 南京 宁波 无锡 常州 合肥 武汉 长沙 成都 重庆 西安 郑州 济南 青岛 厦门 福州 广州 深圳 东莞 "
    "佛山 南昌 昆明 贵阳 南宁 天津 石家庄 太原 沈阳 大连 长春 哈尔滨 兰州 温州 嘉兴 绍兴 台州 徐州 扬州 "
    "南通 泉州 临江 江南 华东 滨海 镇江 芜湖 洛阳 烟台 潍坊 珠海 中山 惠州 桂林 绵阳 襄阳 宜昌 株洲"
)
BRANDS = words(
    "恒瑞 华光 金达 宏远 新元 天成 永泰 嘉禾 东方 汇通 中联 瑞丰 博远 鼎盛 立信 安和 协力 长城 远景 海纳 "
    "宝丰 华泰 众诚 国信 万通 精工 联创 润达 和信 德润 启明 星河 瀚海 同舟 凯隆 信达 华盛 益康 诚泰 昌盛"
)
INDUSTRIES = words(
    "精密制造 医药 物流 能源 港务 纺织 食品 汽车零部件 化工 建设 电子 商贸 钢铁 燃气 水务 轨道交通 证券 保险"
)
PUBLIC_BODIES = (
    "市人民医院",
    "市数据资源管理局",
    "农村商业银行股份有限公司",
    "市公积金管理中心",
    "职业技术学院",
    "市中心血站",
    "市政务服务中心",
    "市妇幼保健院",
)
SERVICE_TYPES = words(
    "桌面运维服务 数据中心托管服务 应用系统运维服务 网络运维服务 信息安全运维服务 云平台运维服务 数据库运维服务 "
    "机房基础设施运维服务 呼叫中心外包服务 视频会议系统运维服务 存储备份运维服务 ERP系统运维服务"
)
SUPPLIER_KINDS = words(
    "电脑服务 办公设备 数据技术 通信技术 网络安全 软件技术 机电工程 系统集成 电子科技 信息技术"
)
EXTERNAL_KINDS = (
    "信息工程监理有限公司",
    "信息安全测评中心",
    "软件测评中心有限公司",
    "电信分公司",
    "移动通信分公司",
)
OUR_DEPTS = ("质量管理部", "技术支持部", "运维中心", "项目管理办公室", "交付中心")
CUSTOMER_DEPTS = (
    "信息中心",
    "信息科技部",
    "信息技术处",
    "网络信息部",
    "办公室",
    "运维管理科",
    "数字化部",
)
SUPPLIER_DEPTS = ("技术服务部", "售后服务部", "工程部", "客户服务部")
CUSTOMER_TITLES = ("主任", "处长", "经理", "科长", "主管", "副主任")
SYSTEMS = words(
    "办公自动化系统 邮件系统 财务系统 人力资源系统 客户关系管理系统 核心业务系统 门户网站 视频监控平台 "
    "统一身份认证平台 数据仓库 移动办公平台 电子病历系统 政务服务平台 生产执行系统 仓储管理系统 "
    "档案管理系统 合同管理系统 预约挂号系统 资产管理系统 供应链协同平台"
)
SITES = ("总部", "一号园区", "二号园区", "城东分部", "城西分部", "生产基地", "研发中心", "营业部")
INDICATORS = (
    ("response", "响应及时性"),
    ("quality", "问题解决质量"),
    ("attitude", "服务态度"),
    ("communication", "沟通与报告"),
    ("onsite", "现场支持"),
    ("availability", "系统可用性感知"),
)
COMPLAINT_TOPICS = (
    "{sys}故障处理不及时",
    "{site}打印设备反复故障",
    "{sys}夜间维护未提前通知",
    "{site}网络频繁中断",
    "工单回访不及时",
    "驻场工程师更换后交接不到位",
    "{sys}账号开通超时",
    "{site}会议室视频终端无法接入",
)

RUN = (
    "本期累计受理事件单{n}起、服务请求{m}项，事件量较上期{dir}{p}%。",
    "平均响应时间{r}分钟，4小时解决率{s}%，一线解决率{f}%，均达到服务等级协议要求。",
    "{sys}运行平稳，可用性{av}%，未发生一级故障。",
    "完成季度巡检，共检查设备{n}台，发现并整改隐患{k}项。",
    "按计划完成{sys}补丁升级和安全加固，覆盖率{cov}%。",
    "驻场团队{k}人保持稳定，新增工程师已完成客户安全培训并持证上岗。",
    "备件库存满足率{cov}%，硬件更换平均等待时间缩短到{d}个工作日。",
    "知识库新增解决方案{k}条，重复问题占比下降到{q}%。",
    "{site}完成{sys}扩容，新增服务器{k}台，压力测试结果满足要求。",
    "月度漏洞扫描发现中危漏洞{k}项，均已在规定时间内完成修复。",
)
ACHIEVEMENTS = (
    "{sys}可用性{av}%，高于合同约定的99.5%。",
    "重大事件均在规定时间内恢复，平均恢复时间{h}小时。",
    "用户回访好评率{cov}%，较上期提升{q}个百分点。",
    "一线解决率提升到{f}%，升级到二线的工单减少{p}%。",
    "全年未发生因运维原因导致的业务中断，客户在年度考核中给予优秀评价。",
    "完成{sys}迁移，割接当晚业务零中断，客户发函表示感谢。",
)
NEEDS = (
    "客户计划于明年上半年上线{sys}，预计新增用户约{n}人，需同步扩充支持力量。",
    "客户{cdept}提出希望将{sys}纳入服务范围，并提供节假日值守。",
    "随着业务量增长，客户预计{sys}的访问量将增加{p}%，需提前做好容量规划。",
    "监管部门对数据安全和等级保护提出新的要求，客户希望运维方协助完成整改。",
    "客户正在推进国产化替代，计划分批更换终端操作系统和办公软件。",
    "{site}将于明年投入使用，客户希望届时一并纳入服务，预计新增终端{m}台。",
)
SCOPE_CHANGES = (
    "{sys}纳入服务后需调整驻场人员配置和合同金额，属于重大合同变更，届时由销售部门组织追加评审。",
    "巡检频次拟由季度调整为双月，需修订项目策划书，不改变服务等级。",
    "服务时间拟由工作日延长至周六上午，待客户确认后以服务确认单形式调整。",
    "国产化替代作为专项工作写入项目策划书，按批次安排实施，不改变合同金额。",
    "备件库存策略按各区域故障率重新核定，需同步修订项目计划表。",
)
ISSUES = (
    "{sys}在业务高峰期偶发响应缓慢，需与开发方共同分析数据库慢查询。",
    "部分老旧设备已超过维保期，备件采购周期较长，需客户尽快确定更新计划。",
    "{site}机房空调负荷偏高，夏季高温期间存在宕机风险，建议增加一台精密空调。",
    "第三方接口变更未提前通知运维方，导致两次告警误报，需要建立变更通知机制。",
    "客户新员工入职集中，装机需求在月初积压，需要提前获取入职计划。",
)
PROGRESS = (
    "{sys}专项优化已完成{p}%，剩余工作计划在两周内完成。",
    "客户提出的问题已逐项排查，其中{k}项已整改完毕，其余纳入下月计划。",
    "与开发方联合排查已定位根本原因，临时规避措施上线后未再复现。",
    "{site}设备更换已完成{m}台，剩余部分待到货后安装。",
)
BEFORE_STATUS = (
    "现行合同运行{k}个月，各项服务等级指标均持续达标，历次满意度调查均达到目标。",
    "现有驻场团队{m}人，月均处理工单{n}起，客户对服务质量总体满意。",
    "{sys}可用性保持在{av}%以上，期间投诉均按时关闭。",
)
PURPOSES = (
    "将{sys}纳入服务范围，满足客户新业务上线的运维需要。",
    "可用性目标提升到99.9%，故障响应时间由30分钟缩短到15分钟，满足监管要求。",
    "新增{site}驻场支持，驻场人员由{k}人增至{m}人，合同金额相应调整。",
    "服务时间扩展为7×24小时，夜间由远程值守负责一线受理。",
)
DISCUSSION = (
    "{a}汇报了本期服务运行情况和服务等级达成情况。",
    "客户{ct}{c}肯定了驻场团队的工作，同时指出{sys}在月初高峰期响应偏慢，希望进一步优化。",
    "双方讨论了{sys}的容量规划，一致同意在下季度前完成扩容评估。",
    "{b}介绍了改进计划，重点是缩短二线问题的处理时间和提高一次解决率。",
    "客户希望运维方在重大节假日前提供保障方案，并安排专人值守。",
    "会议回顾了上次评审行动项的完成情况，全部行动项均已按期关闭。",
    "双方就满意度调查结果进行了交流，客户认可各项指标的提升。",
    "{b}说明了人员变动情况，新任驻场主管已完成交接并与客户各部门建立联系。",
    "会议讨论了{site}网络改造的实施窗口，确定在周末非业务时段分批实施。",
    "客户提出希望每月收到一份{sys}运行分析报告，服务部表示将在月报中增加相应章节。",
)
SUPPLIER_TALK = (
    "{o}代表汇报了备件供应和维保情况，承诺关键备件两小时内送达。",
    "{o}介绍了设备固件升级计划，将配合驻场团队在维护窗口内实施。",
    "{o}代表表示将增派一名工程师参与高峰期保障。",
)
REQUESTS = (
    "{sys}上线后的运行情况及高峰期保障准备",
    "{site}网络改造后的服务质量",
    "重大节假日期间的保障安排",
    "{sys}近期故障的原因分析和整改进展",
    "驻场人员调整后的服务衔接情况",
    "年度预算编制前的服务范围梳理",
    "{site}搬迁期间的终端迁移安排",
)
RESOLUTIONS = (
    "驻场工程师当日到场处理，更换故障部件后恢复正常；该类故障已纳入巡检重点",
    "查明原因为{sys}配置变更未同步，已回退配置并完善变更通知流程",
    "增派一名工程师支援{site}，向客户通报处理进展；相关人员已完成业务培训",
    "由供应商更换故障设备，驻场团队提供备用设备保障业务；同类设备二次故障即升级处理",
    "调整工单回访规则，所有工单关闭后两个工作日内完成回访，并由服务部每周抽查",
)
DECISIONS = (
    "本期服务评审通过，服务满足合同和项目策划书的要求",
    "同意按现行条款继续提供服务",
    "{sys}容量评估纳入下季度工作计划",
    "节假日保障方案由服务部编制并报客户确认",
    "巡检报告增加{sys}运行分析内容",
    "满意度调查继续按半年一次开展",
)
ACTIONS = (
    "编制{sys}容量评估报告",
    "完成{site}设备巡检并提交整改清单",
    "组织客户{cdept}开展{sys}操作培训",
    "更新驻场作业指导书中的故障升级条款",
    "编制节假日保障方案并报客户确认",
    "完成{sys}补丁升级并提交实施报告",
)


def han_name(rng: random.Random) -> str:
    """A plausible Chinese personal name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def months_between(first: date, last: date) -> Iterable[date]:
    """First days of every month from ``first``'s month to ``last``'s month, inclusive."""
    current = first.replace(day=1)
    while current <= last:
        yield current
        current = add_months(current, 1)


def add_months(day: date, months: int) -> date:
    """Same day ``months`` later, clamped to the end of the month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


# --------------------------------------------------------------------------- YAML writing

_PLAIN_BAD_START = set("-?:,[]{}#&*!|>'\"%@` 0123456789.+~")
_PLAIN_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def scalar(value: Any) -> str:
    """A YAML scalar: plain when unambiguous, otherwise a double-quoted (JSON) string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if (
        not text
        or text[0] in _PLAIN_BAD_START
        or text.lower() in _PLAIN_WORDS
        or any(c in text for c in ",[]{}\n\t\"'")
        or ": " in text
        or " #" in text
        or text.endswith((":", " "))
    ):
        return json.dumps(text, ensure_ascii=False)
    return text


def dump_yaml(data: dict[str, Any]) -> str:
    """Block-style YAML for a front matter, the way a person would write it."""
    out: list[str] = []
    _mapping(data, "", out, None)
    return "\n".join(out) + "\n"


def _mapping(data: dict[str, Any], pad: str, out: list[str], first: str | None) -> None:
    for index, (key, value) in enumerate(data.items()):
        lead = first if first is not None and index == 0 else pad
        if isinstance(value, dict):
            out.append(f"{lead}{key}:")
            _mapping(value, pad + "  ", out, None)
        elif isinstance(value, list):
            flow = ", ".join(scalar(v) for v in value)
            if not value or (not any(isinstance(v, dict) for v in value) and len(flow) <= 70):
                out.append(f"{lead}{key}: [{flow}]")
                continue
            out.append(f"{lead}{key}:")
            for item in value:
                if isinstance(item, dict):
                    _mapping(item, pad + "    ", out, pad + "  - ")
                else:
                    out.append(f"{pad}  - {scalar(item)}")
        else:
            out.append(f"{lead}{key}: {scalar(value)}")


# --------------------------------------------------------------------------- one service


@dataclass
class Review:
    """A review being planned, before it is written out."""

    id: str
    date: date
    type: str
    organizer: str
    organizer_dept: str
    extra: dict[str, Any] = field(default_factory=dict)
    sections: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Service:
    """Everything generated for one service: record files and attachments."""

    files: dict[str, str] = field(default_factory=dict)
    attachments: dict[str, bytes] = field(default_factory=dict)

    @property
    def records(self) -> int:
        return len(self.files)


class Writer:
    """Builds one service's records with its own random stream."""

    def __init__(self, seed: int, index: int, months: int | None = None) -> None:
        self.rng = random.Random(f"brmkb-bench:{seed}:{index}")
        self.code = f"{index + 1:04d}"
        self.sid = f"svc-{self.code}"
        self.out = Service()
        self.used: set[str] = set()
        self._plan(months)

    # ----------------------------------------------------------------- text helpers

    def fill(self, template: str, **fixed: str) -> str:
        """``template`` with its slots filled from this service and random figures."""
        rng = self.rng
        values = dict(
            n=rng.randint(120, 3200),
            m=rng.randint(20, 400),
            k=rng.randint(2, 30),
            p=rng.randint(3, 25),
            q=rng.randint(2, 12),
            r=rng.randint(5, 15),
            s=round(rng.uniform(95.2, 99.6), 1),
            f=round(rng.uniform(80.5, 92.0), 1),
            av=rng.choice(("99.95", "99.98", "99.99", "100")),
            cov=round(rng.uniform(95.0, 99.9), 1),
            d=round(rng.uniform(0.5, 2.0), 1),
            h=round(rng.uniform(1.0, 3.5), 1),
            dir=rng.choice(("下降", "上升")),
            sys=rng.choice(self.systems),
            site=rng.choice(SITES),
            cdept=self.customer_dept,
            a=self.manager,
            b=rng.choice(self.staff),
            c=self.customer_people[0],
            ct=self.customer_title,
            o=rng.choice(self.suppliers) if self.suppliers else OUR_ORG,
        )
        return template.format(**(values | fixed))

    def paragraph(self, bank: Sequence[str], low: int, high: int) -> str:
        picks = self.rng.sample(bank, min(len(bank), self.rng.randint(low, high)))
        return "".join(self.fill(p) for p in picks)

    def bullets(self, bank: Sequence[str], low: int, high: int) -> str:
        picks = self.rng.sample(bank, min(len(bank), self.rng.randint(low, high)))
        return "\n".join(f"- {self.fill(p)}" for p in picks)

    def new_id(self, prefix: str, day: date | str) -> str:
        base = f"{prefix}-{self.code}-{day}"
        candidate, suffix = base, ord("a")
        while candidate in self.used:
            candidate = f"{base}{chr(suffix)}"
            suffix += 1
        self.used.add(candidate)
        return candidate

    def write(self, folder: str, front: dict[str, Any], title: str, sections: list) -> None:
        body = [f"# {title}", ""]
        for heading, text in sections:
            body += [f"## {heading}", "", text, ""]
        rel = f"{self.sid}/{folder}/{front['id']}.md" if folder else f"{self.sid}/service.md"
        self.out.files[rel] = "---\n" + dump_yaml(front) + "---\n\n" + "\n".join(body)

    # ----------------------------------------------------------------- planning

    def _plan(self, months: int | None) -> None:
        rng = self.rng
        city = rng.choice(CITIES)
        if rng.random() < 0.3:
            self.customer = city + rng.choice(PUBLIC_BODIES)
            short = self.customer.removesuffix("股份有限公司")
        else:
            industry = rng.choice(INDUSTRIES)
            suffix = rng.choice(("有限公司", "股份有限公司", "集团有限公司"))
            self.customer = f"{city}{rng.choice(BRANDS)}{industry}{suffix}"
            short = self.customer.removesuffix("股份有限公司").removesuffix("有限公司")
        self.service_type = rng.choice(SERVICE_TYPES)
        self.name = short + self.service_type
        self.systems = rng.sample(SYSTEMS, 4)
        self.manager = han_name(rng)
        self.staff = [han_name(rng) for _ in range(3)]
        self.sales = han_name(rng)
        self.quality = han_name(rng)
        self.customer_dept = rng.choice(CUSTOMER_DEPTS)
        self.customer_title = rng.choice(CUSTOMER_TITLES)
        self.customer_people = [han_name(rng) for _ in range(2)]
        self.departments = [SERVICE_DEPT, SALES_DEPT, *rng.sample(OUR_DEPTS, rng.randint(0, 2))]
        self.suppliers = [
            f"{rng.choice(CITIES)}{rng.choice(BRANDS)}{rng.choice(SUPPLIER_KINDS)}有限公司"
            for _ in range(rng.choice((0, 1, 1, 2, 2)))
        ]
        self.external = (
            [rng.choice(CITIES) + rng.choice(EXTERNAL_KINDS)] if rng.random() < 0.2 else []
        )
        self.supplier_people = {org: han_name(rng) for org in self.suppliers + self.external}
        if months is None:
            months = rng.randint(16, 28) if rng.random() < 0.3 else rng.randint(3, 9)
        self.months = months
        if rng.random() < 0.2 and months >= 6:
            self.end: date | None = AS_OF - timedelta(days=rng.randint(30, 400))
            self.start = add_months(self.end, -months) + timedelta(days=rng.randint(1, 20))
        else:
            self.end = None
            self.start = add_months(AS_OF, -months) - timedelta(days=rng.randint(0, 25))
        self.last = min(self.end, AS_OF) if self.end else AS_OF
        number = f"HT{self.start.year}-{rng.randint(1, 999):03d}"
        self.attachments = {
            "service_contract": f"服务合同-{number}.pdf",
            "project_plan": f"项目策划书-V{rng.randint(1, 3)}.0.docx",
            "project_schedule": "项目计划表.xlsx",
            "project_summary": "项目总结报告.pdf",
        }
        self.indicators = self._indicators()

    def _indicators(self) -> list[dict[str, Any]]:
        rng = self.rng
        chosen = rng.sample(INDICATORS, rng.randint(2, 4))
        items: list[dict[str, Any]] = [
            {"id": key, "name": name, "target": rng.choice((4.0, 4.2, 4.3, 4.5)), "scale": 5}
            for key, name in chosen
        ]
        if rng.random() < 0.25:
            items.append(
                {
                    "id": "repeat-rate",
                    "name": "重复故障率（%）",
                    "target": 5,
                    "scale": 100,
                    "higher_is_better": False,
                }
            )
        return items

    # ----------------------------------------------------------------- generation

    def build(self) -> Service:
        self._attachments()
        self._service()
        reports = self._monthly_reports()
        surveys = self._surveys()
        complaints = self._complaints()
        changes, extra_reviews = self._changes()
        adhoc = self._requests()
        reviews = self._reviews(reports, surveys, complaints, changes)
        everything = sorted(reviews + extra_reviews + adhoc, key=lambda r: (r.date, r.id))
        self._minutes(everything, complaints)
        for review in everything:
            self._write_review(review)
        return self.out

    def _attachments(self) -> None:
        for name in self.attachments.values():
            self.out.attachments[f"{self.sid}/attachments/{name}"] = _attachment(name, self.name)

    def _service(self) -> None:
        front: dict[str, Any] = {
            "kind": "service",
            "id": self.sid,
            "title": self.name,
            "name": self.name,
            "customer": self.customer,
            "project_manager": self.manager,
            "start": self.start,
        }
        if self.end:
            front["end"] = self.end
        front |= {
            "departments": self.departments,
            "suppliers": self.suppliers,
            "external": self.external,
            "satisfaction": self.indicators,
        }
        targets = "，".join(f"{i['name']}目标{i['target']}" for i in self.indicators)
        parties = "、".join(self.suppliers + self.external) or "无"
        sections = [
            (
                "服务概述",
                f"依据服务合同{self.attachments['service_contract'][5:-4]}，自{self.start.year}年"
                f"{self.start.month}月{self.start.day}日起为{self.customer}提供{self.service_type}。"
                + self.paragraph(RUN, 1, 2),
            ),
            ("服务范围", self.bullets(RUN, 3, 4)),
            ("相关方", f"客户：{self.customer}{self.customer_dept}；供应商及外部组织：{parties}。"),
            ("满意度指标", f"按《项目策划书》设定满意度指标：{targets}。每半年开展一次调查。"),
        ]
        self.write("", front, self.name, sections)

    def _monthly_reports(self) -> dict[str, str]:
        """Month key → report id, for every month of the service's life that is due."""
        last_month = self.last if self.end else add_months(AS_OF.replace(day=1), -1)
        reports: dict[str, str] = {}
        for first in months_between(self.start, last_month):
            month = f"{first.year:04d}-{first.month:02d}"
            rid = self.new_id("mr", month)
            reports[month] = rid
            title = f"{self.name}月报（{first.year}年{first.month}月）"
            front = {
                "kind": "monthly-report",
                "id": rid,
                "title": title,
                "service": self.sid,
                "month": month,
            }
            sections = [
                ("服务运行概况", self.paragraph(RUN, 2, 3)),
                ("重点工作", self.bullets(RUN, 2, 3)),
                ("下月计划", self.bullets(ACTIONS, 1, 2)),
            ]
            self.write("monthly", front, title, sections)
        return reports

    def _surveys(self) -> list[tuple[date, str]]:
        rng, found = self.rng, []
        previous: dict[str, tuple[float, bool]] = {}
        when = self.start
        while True:
            when = add_months(when, 6) - timedelta(days=rng.randint(3, 25))
            if when > self.last:
                return found
            sid = self.new_id("sv", f"{when:%Y-%m}")
            scores = {i["id"]: self._score(i, previous) for i in self.indicators}
            half = 1 if when.month <= 6 else 2
            title = f"{self.name}{when.year}年{'上' if half == 1 else '下'}半年客户满意度调查结果"
            front = {
                "kind": "survey",
                "id": sid,
                "title": title,
                "service": self.sid,
                "date": when,
                "period": f"{when.year}-H{half}",
                "responses": rng.randint(15, 260),
                "scores": scores,
            }
            rows = "\n".join(
                f"| {i['name']} | {i['target']} | {scores[i['id']]} | 达标 |"
                for i in self.indicators
            )
            sections = [
                (
                    "调查范围",
                    f"问卷发放给{self.customer}各部门用户，调查于{when.year}年{when.month}月"
                    f"{when.day}日截止，回收有效问卷{front['responses']}份。",
                ),
                ("调查结果", "| 指标 | 目标 | 得分 | 结论 |\n|---|---|---|---|\n" + rows),
                ("分析", "各项指标均达到目标。" + self.paragraph(ACHIEVEMENTS, 1, 2)),
            ]
            self.write("surveys", front, title, sections)
            found.append((when, sid))

    def _score(self, indicator: dict[str, Any], previous: dict[str, tuple[float, bool]]) -> float:
        """A score that meets the target and never gets worse twice in a row."""
        rng, key = self.rng, indicator["id"]
        higher = indicator.get("higher_is_better", True)
        sign = 1 if higher else -1
        step = 0.1 if indicator["scale"] == 5 else 1.0
        low, high = (
            (indicator["target"], indicator["scale"]) if higher else (0, indicator["target"])
        )
        if key in previous:
            last, worsened = previous[key]
            score = last + sign * step * rng.choice((0, 1, 2) if worsened else (-1, 0, 1, 2))
        else:
            last, score = None, indicator["target"] + sign * step * rng.randint(0, 4)
        score = min(max(score, low), high)
        score = round(score, 1) if step < 1 else round(score)
        worse = last is not None and (score < last if higher else score > last)
        previous[key] = (score, worse)
        return score

    def _complaints(self) -> list[tuple[date, str]]:
        rng, found = self.rng, []
        days = {"low": 20, "medium": 10, "high": 5}
        latest = self.last - timedelta(days=25)
        for _ in range(self.months // 8 + (1 if rng.random() < 0.3 else 0)):
            if latest <= self.start:
                break
            received = self.start + timedelta(days=rng.randint(0, (latest - self.start).days))
            severity = rng.choices(("low", "medium", "high"), (5, 3, 2))[0]
            closed = received + timedelta(days=rng.randint(1, days[severity]))
            cid = self.new_id("cp", f"{received:%Y-%m-%d}")
            topic = self.fill(rng.choice(COMPLAINT_TOPICS))
            front = {
                "kind": "complaint",
                "id": cid,
                "title": topic,
                "service": self.sid,
                "received": received,
                "severity": severity,
                "status": "closed",
                "closed": closed,
                "resolution": self.fill(rng.choice(RESOLUTIONS)),
            }
            sections = [
                (
                    "投诉内容",
                    f"{received.year}年{received.month}月{received.day}日，客户{self.customer_dept}"
                    f"{han_name(rng)}投诉：{topic}，影响正常办公。",
                ),
                ("处理过程", self.bullets(PROGRESS, 2, 3)),
                ("原因及预防措施", self.paragraph(ISSUES, 1, 1) + "已纳入驻场作业指导书。"),
            ]
            self.write("complaints", front, topic, sections)
            found.append((received, cid))
        return sorted(found)

    def _changes(self) -> tuple[list[tuple[date, str]], list[Review]]:
        rng, found, reviews = self.rng, [], []
        span = (self.last - self.start).days
        for major in (False, True):
            chance = 0.12 if major else 0.2
            if span < 130 or rng.random() >= chance:
                continue
            effective = self.start + timedelta(days=rng.randint(60, span - 45))
            cid = self.new_id("ch", f"{effective:%Y-%m}")
            summary = self.fill(rng.choice(PURPOSES)).rstrip("。").replace("，", "；")
            title = ("重大合同变更：" if major else "服务变更：") + summary[:18]
            front = {
                "kind": "change",
                "id": cid,
                "title": title,
                "service": self.sid,
                "date": effective,
                "major": major,
                "summary": summary,
            }
            sections = [
                ("变更内容", self.bullets(PURPOSES, 2, 3)),
                ("变更原因", self.paragraph(NEEDS, 1, 2)),
                (
                    "变更类别",
                    "涉及服务范围、服务等级和合同金额调整，属于重大合同变更，按程序在变更前后各追加一次服务评审。"
                    if major
                    else "通过调整排班实现，不改变服务等级和合同金额，按一般变更处理，无需追加评审。",
                ),
            ]
            self.write("changes", front, title, sections)
            found.append((effective, cid))
            if major:
                reviews += self._additional(cid, effective, summary)
        return found, reviews

    def _additional(self, cid: str, effective: date, summary: str) -> list[Review]:
        rng = self.rng
        before = effective - timedelta(days=rng.randint(3, 28))
        after = effective + timedelta(days=rng.randint(3, 28))
        first = Review(
            self.new_id("rv", f"{before:%Y-%m-%d}"),
            before,
            "additional",
            self.sales,
            SALES_DEPT,
            {"change": cid, "phase": "before", "prepared_by": SALES_DEPT, "discusses": [cid]},
            [
                ("变更前服务及合同的状况及成绩", self.paragraph(BEFORE_STATUS, 2, 3)),
                ("当前和预计的业务需求", self.bullets(NEEDS, 2, 3)),
                ("服务范围和SLA变更的目的", self.bullets(PURPOSES, 2, 3)),
            ],
        )
        second = Review(
            self.new_id("rv", f"{after:%Y-%m-%d}"),
            after,
            "additional",
            self.manager,
            SERVICE_DEPT,
            {"change": cid, "phase": "after", "discusses": [cid]},
            [
                (
                    "变更实施情况",
                    f"变更“{summary}”已按计划实施并生效。" + self.paragraph(RUN, 1, 2),
                ),
                ("变更后服务运行情况", self.bullets(RUN, 2, 3)),
                ("遗留问题", self.bullets(ISSUES, 1, 2)),
            ],
        )
        return [first, second]

    def _requests(self) -> list[Review]:
        rng = self.rng
        span = (self.last - self.start).days
        if span < 40 or rng.random() >= 0.3:
            return []
        received = self.start + timedelta(days=rng.randint(10, span - 12))
        rid = self.new_id("rq", f"{received:%Y-%m}")
        subject = self.fill(rng.choice(REQUESTS))
        requester = f"{self.customer_people[0]}（{self.customer}{self.customer_dept}）"
        title = f"关于{subject}的临时评审请求"
        front = {
            "kind": "request",
            "id": rid,
            "title": title,
            "service": self.sid,
            "date": received,
            "requested_by": requester,
            "subject": subject,
        }
        held = received + timedelta(days=rng.randint(2, 10))
        sections = [
            (
                "请求内容",
                f"{self.customer_dept}{self.customer_people[0]}{self.customer_title}于{received.year}年"
                f"{received.month}月{received.day}日来函，要求组织一次临时评审，议题为{subject}。"
                + self.paragraph(ISSUES, 1, 2),
            ),
            ("受理情况", f"服务部当日受理，评审定于{held.month}月{held.day}日召开。"),
        ]
        self.write("requests", front, title, sections)
        return [
            Review(
                self.new_id("rv", f"{held:%Y-%m-%d}"),
                held,
                "adhoc",
                self.manager,
                SERVICE_DEPT,
                {"request": rid},
                [
                    (
                        "评审背景",
                        f"客户于{received.month}月{received.day}日提出临时评审请求（{rid}）。",
                    ),
                    ("进展", self.bullets(PROGRESS, 2, 3)),
                    ("成绩", self.bullets(ACHIEVEMENTS, 2, 3)),
                    ("需要处理的问题", self.bullets(ISSUES, 2, 3)),
                ],
            )
        ]

    def _reviews(
        self,
        reports: dict[str, str],
        surveys: list[tuple[date, str]],
        complaints: list[tuple[date, str]],
        changes: list[tuple[date, str]],
    ) -> list[Review]:
        rng, dates = self.rng, []
        when = self.start
        while True:
            when += timedelta(days=rng.randint(135, 170))
            if when > self.last:
                break
            dates.append(when)
        annual = set()
        for year in range(self.start.year, AS_OF.year + 1):
            # a year owes an annual review when the service runs in it for 6 months or more
            # (annual-review's default ``min_active_months``, calendar years)
            first = max(self.start, date(year, 1, 1))
            last = min(self.end or date(year, 12, 31), date(year, 12, 31))
            in_year = [d for d in dates if d.year == year]
            if add_months(first, 6) <= last + timedelta(days=1) and in_year:
                annual.add(in_year[-1])
        reviews, since = [], self.start
        for when in dates:
            kind = "annual" if when in annual else "periodic"
            rid = self.new_id("rv", f"{when:%Y-%m-%d}")
            discussed = [i for d, i in surveys + complaints + changes if since < d <= when]
            extra: dict[str, Any] = {}
            if kind == "annual":
                months = [
                    reports[m]
                    for m in sorted(reports)
                    if m < f"{when:%Y-%m}" and m >= f"{add_months(when, -12):%Y-%m}"
                ]
                extra["inputs"] = {
                    key: f"../attachments/{name}" for key, name in self.attachments.items()
                } | {"monthly_reports": months}
            if discussed:
                extra["discusses"] = discussed
            sections = [
                ("服务运行情况", self.paragraph(RUN, 2, 4)),
                ("SLA达成情况", self.bullets(RUN, 2, 3)),
            ]
            if kind == "annual":
                sections += [
                    ("年度服务回顾", self.paragraph(ACHIEVEMENTS, 2, 3)),
                    ("当前和预计的业务需求", self.bullets(NEEDS, 2, 3)),
                    ("服务范围或内容可能发生的变化", self.bullets(SCOPE_CHANGES, 1, 3)),
                    (
                        "评审结论",
                        "本年度服务满足合同和项目策划书要求，同意按现行条款继续提供服务。",
                    ),
                ]
            else:
                sections.append(("改进计划", self.bullets(ACTIONS, 2, 3)))
            reviews.append(Review(rid, when, kind, self.manager, SERVICE_DEPT, extra, sections))
            since = when
        return reviews

    def _write_review(self, review: Review) -> None:
        labels = {
            "periodic": "定期服务评审报告",
            "annual": "年度服务评审报告",
            "additional": "追加评审报告",
            "adhoc": "临时性评审报告",
        }
        title = f"{self.name}{review.date.year}年{review.date.month}月{labels[review.type]}"
        front: dict[str, Any] = {
            "kind": "review",
            "id": review.id,
            "title": title,
            "service": self.sid,
            "type": review.type,
        }
        for key in ("change", "phase", "request"):
            if key in review.extra:
                front[key] = review.extra[key]
        front |= {
            "date": review.date,
            "organizer": review.organizer,
            "organizer_dept": review.organizer_dept,
        }
        for key in ("prepared_by", "inputs", "discusses"):
            if key in review.extra:
                front[key] = review.extra[key]
        self.write("reviews", front, title, review.sections)

    def _minutes(self, reviews: list[Review], complaints: list[tuple[date, str]]) -> None:
        rng = self.rng
        last_seen = dict.fromkeys(self.suppliers + self.external, self.start)
        since = self.start
        for review in reviews:
            when = review.date
            people = [
                (review.organizer, OUR_ORG, review.organizer_dept, "internal"),
                *(
                    (name, OUR_ORG, dept, "internal")
                    for name, dept in rng.sample(
                        [
                            (self.manager, SERVICE_DEPT),
                            (self.staff[0], SERVICE_DEPT),
                            (self.sales, SALES_DEPT),
                            (self.quality, "质量管理部"),
                        ],
                        rng.randint(1, 3),
                    )
                    if name != review.organizer
                ),
                *(
                    (name, self.customer, self.customer_dept, "customer")
                    for name in self.customer_people[: rng.randint(1, 2)]
                ),
            ]
            present = []
            for org in self.suppliers + self.external:
                if (when - last_seen[org]).days > 150 or rng.random() < 0.6:
                    party = "supplier" if org in self.suppliers else "external"
                    people.append(
                        (self.supplier_people[org], org, rng.choice(SUPPLIER_DEPTS), party)
                    )
                    last_seen[org] = when
                    present.append(org)
            attendees = [{"name": n, "org": o, "dept": d, "party": p} for n, o, d, p in people]
            actions = self._actions(review, [c for d, c in complaints if since < d <= when])
            since = when
            mid = self.new_id("mn", f"{when:%Y-%m-%d}")
            title = f"{self.name}{when.year}年{when.month}月评审会议纪要"
            front: dict[str, Any] = {
                "kind": "minutes",
                "id": mid,
                "title": title,
                "review": review.id,
                "date": when,
                "attendees": attendees,
                "distribution": sorted(set(self.departments[: rng.randint(2, 4)])),
                "decisions": [self.fill(d) for d in rng.sample(DECISIONS, rng.randint(1, 3))],
            }
            if actions:
                front["actions"] = actions
            talk = self.paragraph(DISCUSSION, 4, 7)
            talk += "".join(self.fill(rng.choice(SUPPLIER_TALK), o=org) for org in present[:1])
            sections = [
                (
                    "会议概况",
                    f"- 时间：{when.year}年{when.month}月{when.day}日 14:00–16:30\n"
                    f"- 地点：{self.customer}{rng.choice(SITES)}会议室\n"
                    f"- 主持：{review.organizer}（{review.organizer_dept}）\n"
                    f"- 记录：{self.quality}（质量管理部）",
                ),
                ("会议内容", talk),
                (
                    "会议决议",
                    f"见本纪要决议及行动项。纪要发放{'、'.join(front['distribution'])}。",
                ),
            ]
            self.write("minutes", front, title, sections)

    def _actions(self, review: Review, complaints: list[str]) -> list[dict[str, Any]]:
        rng, items = self.rng, []
        count = rng.randint(0, 3)
        for number in range(1, count + 1):
            due = review.date + timedelta(days=rng.randint(14, 60))
            action: dict[str, Any] = {
                "id": f"ac-{self.code}-{review.date:%y%m%d}-{number}",
                "text": self.fill(rng.choice(ACTIONS)),
                "owner": rng.choice([self.manager, *self.staff]),
                "due": due,
            }
            if due < AS_OF:
                action |= {
                    "status": "done",
                    "done": review.date + timedelta(days=rng.randint(3, (due - review.date).days)),
                }
            else:
                action["status"] = "open"
            if number == 1 and review.type == "annual":
                action["text"] = "修订项目策划书，纳入本次评审商定的服务范围调整"
                action["revises"] = "project_plan"
            elif number == 1 and complaints:
                action["addresses"] = complaints[-1]
            items.append(action)
        return items


def _attachment(name: str, service: str) -> bytes:
    """A small, well-formed stand-in for an attached document."""
    text = f"{service} {name}（示例附件）"
    if name.endswith(".pdf"):
        return (
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n%" + text.encode() + b"\n%%EOF\n"
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("docProps/app.xml", date_time=(2024, 1, 1, 0, 0, 0))
        archive.writestr(info, f"<Properties><Title>{text}</Title></Properties>")
    return buffer.getvalue()


# --------------------------------------------------------------------------- whole KB

POLICY = f"""\
# 基准测试用的合成知识库。检查日固定，其余取程序默认值（所有规则开启）。
as_of: {AS_OF.isoformat()}
"""


def service(seed: int, index: int, months: int | None = None) -> Service:
    """The records of service number ``index`` (0-based)."""
    return Writer(seed, index, months).build()


def generate(
    out: Path,
    *,
    services: int | None = None,
    records: int | None = None,
    seed: int = 1,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write a knowledge base into ``out`` (replacing its records/); return counts."""
    built: list[Service] = []
    total = 0
    index = 0
    while (services is not None and index < services) or (
        records is not None and services is None and total < records
    ):
        item = service(seed, index)
        if records is not None and services is None and total + item.records > records:
            item = _fit(seed, index, records - total)
            if item is None:
                break
        built.append(item)
        total += item.records
        index += 1
    root = out / "records"
    if root.exists():
        shutil.rmtree(root)
    files = 0
    for item in built:
        for rel, text in item.files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for rel, data in item.attachments.items():
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).write_bytes(data)
            files += 1
    (out / "policy.yml").write_text(POLICY, encoding="utf-8")
    counts = {"services": len(built), "records": total, "attachments": files}
    if progress:
        progress(f"{out}: {counts['services']} services, {total} records, {files} attachments")
    return counts


def _fit(seed: int, index: int, room: int) -> Service | None:
    """A shorter last service so that ``--records`` is met without overshooting."""
    for months in range(24, 0, -1):
        item = service(seed, index, months)
        if item.records <= room:
            return item
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``generate.py OUT [--services N | --records N] [--seed S]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="output directory (records/ and policy.yml)")
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--services", type=int, help="number of services (default 500)")
    size.add_argument("--records", type=int, help="approximate number of records instead")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.services is None and args.records is None:
        args.services = 500
    args.out.mkdir(parents=True, exist_ok=True)
    generate(
        args.out,
        services=args.services,
        records=args.records,
        seed=args.seed,
        progress=lambda line: print(line, file=sys.stderr),
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
