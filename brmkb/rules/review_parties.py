"""3.1.2: every review brings together internal departments and the customer."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schedule import held_by
from brmkb.schema import PARTIES

#: Parties that only services naming such organizations must bring: the service's key for them.
_LISTED = {"supplier": "suppliers", "external": "external"}


@rule(
    "review-parties",
    title="评审参会方",
    clause="3.1.2",
    options={"required_parties": ["internal", "customer"]},
)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """每次评审的参会人员包括内部部门和客户。

    每份会议纪要的 `attendees` 中，`required_parties` 列出的每一类参与方（默认内部部门
    `internal` 和客户 `customer`）至少各有一人。

    3.1.2 要求按所评审服务的实际情况确定参与方：策略中列入供应商 `supplier` 或其他外部组织
    `external` 时，只对服务档案 `suppliers` / `external` 中列有这类组织的服务要求其参会；
    没有供应商的服务，其评审不要求供应商参会。

    日期晚于检查日的纪要是计划中的会议：谁参会要到召开后才知道，届时再检查。

    通过示例：服务部的项目经理（party: internal）和客户的信息科技部经理（party: customer）参会。
    不通过示例：参会人员全部来自公司内部。
    """
    for minutes in held_by(kb.of_kind("minutes"), as_of):
        present = {attendee["party"] for attendee in minutes["attendees"]}
        service = kb.by_id.get(kb.service_of(minutes) or "")
        for party in opts["required_parties"]:
            if party in present or (party in _LISTED and not _lists(service, _LISTED[party])):
                continue
            label = PARTIES.get(party, party)
            yield Hit(
                minutes,
                f"参会人员中没有{label}（party: {party}）；3.1.2 要求评审的利益相关方包括{label}，"
                f"请补充{label}的参会人员，或核对 party 是否填错。",
                ("attendees",),
            )


def _lists(service: Record | None, key: str) -> bool:
    """Whether the service names organizations of this kind (unknown service: assume so)."""
    return service is None or bool(service.get(key))
