"""``brmkb new``: a new record from a template, in the right folder, with the next free id.

The scaffold fills in everything the knowledge base already knows (the service's project
manager, customer, suppliers and departments, the review's required sections from the
policy, the inputs of an annual review found in ``attachments/``) and marks what it cannot
know: ``<!-- 请填写：… -->`` prompts in the body and ``请填写：…`` placeholder values (both from
``brmkb.prompts``, which the checks recognise: a record is unfinished while one is left), and
commented-out lines to complete. Facts it cannot derive (a change's summary,
a complaint's severity …) come from ``--set key=value``; without them it stops with a list
of what is missing instead of inventing values.

Ids follow the sample knowledge base: ``<prefix>-<service without "svc-">-<period>``, e.g.
``rv-hosting-2026-11`` (reviews, minutes and monthly reports by month), ``ch-hosting-2026-02``
(changes and requests numbered within the year), ``cp-hosting-2026-001`` (complaints and
waivers), ``sv-hosting-2026h2`` (surveys by half year). A taken id gets ``-2``, ``-3`` …
(a monthly report's month cannot be taken twice: that is an error).

Every file is validated against the record schema before it is written, written through a
temporary file and hard-linked into place, so that an existing file is never overwritten,
not even by a concurrent run.

Here the records are planned, checked and written; what goes into them is built by kind:
``reviews``, ``minutes`` and ``kinds`` (every other kind), from the ``context`` they are made in.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from brmkb import loader, policy, yamlio
from brmkb.model import KnowledgeBase
from brmkb.scaffold import kinds, minutes, reviews
from brmkb.scaffold.context import Context, Draft, Options, ScaffoldError, unknown
from brmkb.schema import ID_RULE, KINDS, id_key, is_id
from brmkb.validate import validate

#: How each kind is scaffolded.
_BUILDERS: dict[str, Callable[[Context], list[Draft]]] = {
    **kinds.TEMPLATES,
    "review": reviews.build_review,
    "minutes": minutes.build_minutes,
}


def plan(root: Path, options: Options) -> list[Draft]:
    """The record(s) to write, validated; raises ScaffoldError when they cannot be made."""
    chosen = policy.load(root)
    loaded = loader.load(root, chosen.limits)
    kb = loaded.kb
    if options.kind not in KINDS:
        raise ScaffoldError(unknown("记录类型", options.kind, list(KINDS)))
    if options.kind == "service":
        if not is_id(options.service):
            raise ScaffoldError(f"服务项目编号“{options.service}”{ID_RULE}，例如 svc-hosting。")
        known = kb.same_but_case(options.service)
        if known:
            raise ScaffoldError(
                f"编号“{options.service}”已被 {kb.known_ids[known]} 使用"
                + (f"（“{known}”，编号不区分大小写）" if known != options.service else "")
                + "；请换一个服务项目编号。"
            )
    else:
        _require_service(kb, options.service)
    taken = {id_key(record_id) for record_id in kb.known_ids}
    context = Context(root, kb, chosen, options, taken, set())
    drafts = _BUILDERS[options.kind](context)
    for draft in drafts:
        problems = format_problems(draft.text)
        if problems:  # a bug in a template: refuse rather than write a broken record
            raise ScaffoldError(
                f"内部错误：为 {draft.rel} 生成的内容不符合记录格式（{'；'.join(problems)}）；"
                "未写入任何文件，请把此消息报告给维护者。"
            )
    return drafts


def write(root: Path, drafts: Sequence[Draft]) -> list[Path]:
    """Write every draft, or none: an existing file is never overwritten."""
    for draft in drafts:
        if (root / draft.rel).exists():
            raise ScaffoldError(f"文件 {draft.rel} 已存在，不会覆盖。")
    written: list[Path] = []
    try:
        for draft in drafts:
            target = root / draft.rel
            write_new(target, draft.text)
            written.append(target)
    except BaseException as error:
        for path in written:  # all or nothing: remove what this run created
            path.unlink(missing_ok=True)
        if isinstance(error, OSError):
            raise ScaffoldError(
                f"无法写入 {error.filename or root}：{error.strerror or error}；未新建任何文件。"
            ) from None
        raise
    return written


def write_new(target: Path, text: str) -> None:
    """Create ``target`` with ``text`` atomically, never replacing an existing file.

    The text goes to a temporary file beside the target, which is then hard-linked to the
    target's name: the link fails if the name exists, so a file someone else created in the
    meantime is kept. Where hard links are not supported, the name is reserved with O_EXCL
    first and the complete file then moved over the (empty, own) reservation.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        try:
            os.link(temporary, target)
        except FileExistsError:
            raise ScaffoldError(f"文件 {target} 已存在，不会覆盖。") from None
        except OSError:  # no hard links here (some network or FAT file systems)
            try:
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            except FileExistsError:
                raise ScaffoldError(f"文件 {target} 已存在，不会覆盖。") from None
            os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def format_problems(text: str) -> list[str]:
    """Format errors the loader would report for ``text`` (empty when it is a valid record)."""
    try:
        document = yamlio.split(text.replace("\r\n", "\n"))
        if yamlio.tab_indent_line(document.yaml_text) is not None:
            return ["缩进含 Tab"]
        data = yamlio.parse(document.yaml_text)
    except yamlio.FrontMatterError as error:
        return [str(error)]
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("kind"), str)
        or data["kind"] not in KINDS
    ):
        return ["kind 缺失或未知"]
    return [problem.message for problem in validate(data["kind"], data)]


def _require_service(kb: KnowledgeBase, service: str) -> None:
    record = kb.by_id.get(service)
    if record is not None and record.kind == "service":
        return
    services = [s.id for s in kb.services]
    similar = kb.same_but_case(service)
    if record is None and similar in kb.by_id:
        raise ScaffoldError(f"没有服务项目“{service}”：编号大小写不一致：是否指 {similar}？")
    if record is not None:
        raise ScaffoldError(f"“{service}”是{KINDS[record.kind].label}，不是服务项目。")
    if service in kb.known_ids:
        raise ScaffoldError(
            f"服务项目“{service}”（{kb.known_ids[service]}）本身有格式错误；请先用 brmkb check 修正它。"
        )
    raise ScaffoldError(unknown("服务项目", service, services))
