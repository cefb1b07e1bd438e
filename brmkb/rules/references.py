"""References between records and to attached files resolve, inside the repository."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date
from typing import Any

from brmkb import cited
from brmkb.cited import Place
from brmkb.limits import publishable
from brmkb.model import KnowledgeBase, Record
from brmkb.registry import Hit, RuleOptions, rule
from brmkb.schema import INPUTS, KINDS, fields_with, values_at

#: Record kinds an input may name by id; other inputs are documents (files or external numbers).
_INPUT_KINDS = {"monthly_reports": "monthly-report"}


@rule("reference", title="引用有效", clause=None)
def check(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """引用的记录存在、类型正确、属于同一服务项目。

    `service`、`review`、`change`、`request`、`discusses`、`deviations`、`addresses` 等字段
    引用的 id 必须是知识库中已有的记录，类型要对得上，并且与本记录属于同一个服务项目。
    引用按原样匹配，区分大小写：`CHG-2025-001` 不能写成 `chg-2025-001`（会提示大小写不一致）。
    """
    for record in kb.records:
        for pattern, schema in fields_with(record.kind, "x-ref"):
            for path, value in values_at(record.data, pattern):
                message = (
                    _problem(kb, record, value, schema["x-ref"]) if isinstance(value, str) else None
                )
                if message:
                    yield Hit(record, message, path)


def _problem(kb: KnowledgeBase, record: Record, value: str, kinds: list[str]) -> str | None:
    if value not in kb.known_ids:
        wanted = "或".join(KINDS[k].label for k in kinds) or "记录"
        similar = kb.same_but_case(value)
        if similar:
            return f"找不到 id 为“{value}”的{wanted}：编号大小写不一致：是否指 {similar}？"
        return f"找不到 id 为“{value}”的{wanted}；请核对编号，或先提交该记录。"
    target = kb.by_id.get(value)
    if target is None:
        return None  # the target itself is malformed and already reported
    if kinds and target.kind not in kinds:
        wanted = "或".join(KINDS[k].label for k in kinds)
        return f"“{value}”是{KINDS[target.kind].label}（{target.rel}），这里应引用{wanted}。"
    mine, theirs = kb.service_of(record), kb.service_of(target)
    if record.kind not in ("waiver", "service") and mine and theirs and mine != theirs:
        return f"“{value}”属于服务项目“{theirs}”，而本记录属于“{mine}”；请引用本服务项目的记录。"
    return None


@rule("input-path", title="评审输入引用", clause=None, options={"allow_external": True})
def check_inputs(kb: KnowledgeBase, opts: RuleOptions, as_of: date) -> Iterator[Hit]:
    """评审输入的引用能找到：文件在仓库内且存在，记录 id 类型正确。

    `inputs` 下的每个引用：若是知识库中的记录 id，类型须符合（服务月报引用 `monthly-report`）；
    否则视为相对于本记录文件的路径，指向仓库中的一个文件：文件必须存在，不能是目录，
    不能离开仓库（包括经符号链接离开），也不能在 Git 的 `.git/` 目录里；不接受绝对路径和 `~`。

    records/ 下的文件随站点发布，卡片上链接到它，类型须在策略的 `attachment_types` 之内
    （HTML、SVG、脚本等从不发布）。仓库中 records/ 以外的文件（如根目录下 `contracts/` 里的合同）
    也可以引用，但从不发布：站点、导出和审核包都不包含它，卡片上只显示它在仓库中的路径并注明
    “仓库内文件，不随站点发布”，因此其类型不受 `attachment_types` 限制。records/ 下名称以 `.`
    开头的隐藏文件（或隐藏目录中的文件）同样只引用、不发布。

    `{external: 编号, version: 版本}` 表示外部文件控制系统中的文件，`allow_external: false`
    时不允许。
    """
    repository = cited.Repository(kb.root)
    allowed = opts.policy.limits.attachment_types  # built once, not for every path
    for review in kb.of_kind("review"):
        for key, refs in (review.get("inputs") or {}).items():
            items = refs if isinstance(refs, list) else [refs]
            for index, ref in enumerate(items):
                path = ("inputs", key, index) if isinstance(refs, list) else ("inputs", key)
                message = _input_problem(kb, review, key, ref, opts, repository, allowed)
                if message:
                    yield Hit(review, message, path)


def _input_problem(
    kb: KnowledgeBase,
    review: Record,
    key: str,
    ref: Any,
    opts: RuleOptions,
    repository: cited.Repository,
    allowed: Collection[str],
) -> str | None:
    label = INPUTS[key]
    if isinstance(ref, dict):
        if opts["allow_external"]:
            return None
        return f"《{label}》引用了外部文件编号“{ref['external']}”，但策略不允许外部引用；请把文件放进仓库并写相对路径。"
    wanted = _INPUT_KINDS.get(key)
    if wanted and "/" not in ref and "." not in ref:
        return _problem(kb, review, ref, [wanted])
    if ref in kb.by_id:
        target = kb.by_id[ref]
        if target.kind == wanted:
            return _problem(kb, review, ref, [wanted])
        return f"《{label}》引用了{KINDS[target.kind].label}“{ref}”；这里应写文件路径" + (
            f"或{KINDS[wanted].label}的 id。" if wanted else "或外部文件编号。"
        )
    problem = _path_problem(repository, review, label, ref, allowed)
    if problem and wanted and kb.same_but_case(ref):  # "mr.2025.06" for MR.2025.06: an id
        return _problem(kb, review, ref, [wanted])
    return problem


def _path_problem(
    repository: cited.Repository, review: Record, label: str, ref: str, allowed: Collection[str]
) -> str | None:
    place = repository.locate(review.path.parent, ref).place
    if place is Place.REPOSITORY:
        return None  # never published, so its type does not matter
    if place is not Place.RECORDS:
        return _PLACE_PROBLEMS[place].format(label=label, ref=ref, rel=review.rel)
    if not ref.endswith(".md") and not publishable(ref, allowed):
        return f"《{label}》的文件“{ref}”的类型不会发布（见策略的 attachment_types）；请改存为 PDF 等允许的格式。"
    return None


#: What is wrong with a path that leads to no usable file, by where it leads.
_PLACE_PROBLEMS = {
    Place.NUL: "《{label}》的路径含有空字符（\\0），不是有效的文件名；请核对。",
    Place.ABSOLUTE: "《{label}》的路径“{ref}”是绝对路径；请写相对于本记录文件的路径，如 ../attachments/文件名。",
    Place.OUTSIDE: "《{label}》的路径“{ref}”指向仓库之外（或经符号链接离开仓库），已拒绝；请把文件放进仓库（如本服务的 attachments/ 目录）后引用。",
    Place.GIT: "《{label}》的路径“{ref}”指向 Git 的 .git/ 目录，那里不是仓库中的文件，已拒绝；请引用仓库中的文件。",
    Place.MISSING: "《{label}》的文件“{ref}”不存在（相对于 {rel}）；请核对文件名，或把文件放进 attachments/。",
    Place.FOLDER: "《{label}》的路径“{ref}”不是普通文件（如目录，相对于 {rel}）；请写到具体的文件名。",
}
