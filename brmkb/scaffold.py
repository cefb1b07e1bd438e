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
"""

from __future__ import annotations

import difflib
import os
import re
import secrets
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from brmkb import loader, policy, waivers, yamlio
from brmkb.dates import add_months
from brmkb.model import KnowledgeBase, Record, normalize_heading
from brmkb.prompts import placeholder, prompt
from brmkb.registry import get
from brmkb.rules.review_sections import MINUTES as MINUTES_SECTIONS
from brmkb.satisfaction import in_force
from brmkb.schema import ID_RULE, INPUTS, KINDS, PARTIES, REVIEW_TYPES, id_key, is_id
from brmkb.validate import validate
from brmkb.yamlio import flow

#: Sub-folder of a service's folder for each kind (the layout RECORDS.md suggests).
FOLDERS = {
    "review": "reviews",
    "minutes": "minutes",
    "change": "changes",
    "request": "requests",
    "survey": "surveys",
    "complaint": "complaints",
    "monthly-report": "monthly",
}
#: Id prefix of each kind.
PREFIXES = {
    "review": "rv",
    "minutes": "mn",
    "change": "ch",
    "request": "rq",
    "survey": "sv",
    "complaint": "cp",
    "monthly-report": "mr",
    "waiver": "wv",
}


class ScaffoldError(Exception):
    """The record cannot be scaffolded as asked (exit status 2); nothing was written."""


@dataclass(frozen=True, slots=True)
class Draft:
    """A record about to be written: its kind, id, path relative to the root, and text."""

    kind: str
    id: str
    rel: str
    text: str


@dataclass(frozen=True)
class Options:
    """What ``brmkb new`` was asked for."""

    kind: str
    service: str
    day: date
    review_type: str = "periodic"
    phase: str | None = None
    change: str | None = None
    request: str | None = None
    review: str | None = None
    month: str | None = None
    minutes: bool = False
    values: dict[str, str] = field(default_factory=dict)


# --- writing YAML the way people write it ------------------------------------------------


class FrontMatter:
    """Front-matter lines built key by key, with comments where the author has work to do."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, key: str, value: Any, comment: str | None = None, indent: int = 0) -> None:
        pad = " " * indent
        if isinstance(value, dict) and value:
            self.lines.append(f"{pad}{key}:" + (f"  # {comment}" if comment else ""))
            for sub, item in value.items():
                self.add(sub, item, indent=indent + 2)
            return
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            self.lines.append(f"{pad}{key}:" + (f"  # {comment}" if comment else ""))
            self.lines.extend(f"{pad}  - {flow(item)}" for item in value)
            return
        self.lines.append(f"{pad}{key}: {flow(value)}" + (f"  # {comment}" if comment else ""))

    def comment(self, text: str, indent: int = 0) -> None:
        self.lines.append(" " * indent + "# " + text)

    def text(self) -> str:
        return "---\n" + "\n".join(self.lines) + "\n---\n"


# --- the context a scaffold is made in ---------------------------------------------------


@dataclass
class _Context:
    root: Path
    kb: KnowledgeBase
    policy: policy.Policy
    options: Options
    taken: set[str]  #: ids already used (by ``id_key``), including this run's drafts
    planned: set[str]  #: paths (relative) of drafts planned in this run

    @property
    def service(self) -> Record:
        return self.kb.by_id[self.options.service]

    @property
    def short(self) -> str:
        return short_name(self.options.service)

    def styled(self, record_id: str) -> str:
        """A derived id in the service's style: upper case when its id is (``SVC-HOSTING`` →
        ``RV-HOSTING-2026-11``), as organizations that number records in capitals expect."""
        return record_id.upper() if self.options.service.isupper() else record_id

    def used(self, record_id: str) -> bool:
        """Whether ``record_id`` is taken, whatever its case (ids are unique ignoring case)."""
        return id_key(record_id) in self.taken

    def user(self, record_id: str) -> str:
        """Where a taken id is used."""
        known = self.kb.same_but_case(record_id)
        return self.kb.known_ids[known] if known else "本次新建的另一份记录"

    def folder(self, kind: str) -> str:
        """Where the service keeps records of ``kind``: beside its existing ones, else by convention."""
        existing = self.kb.of(self.options.service, kind)
        if existing:
            return Path(existing[-1].rel).parent.as_posix()
        return (Path(self.service.rel).parent / FOLDERS[kind]).as_posix()

    def free_id(self, base: str, folder: str) -> str:
        """``base``, or ``base-2``, ``base-3`` … whichever is neither an id nor a file yet."""
        base = self.styled(base)
        candidate, number = base, 1
        while self.used(candidate) or self._occupied(f"{folder}/{candidate}.md"):
            number += 1
            candidate = f"{base}-{number}"
        return candidate

    def _occupied(self, rel: str) -> bool:
        if rel in self.planned:
            return True
        try:
            os.lstat(self.root / rel)
        except FileNotFoundError:
            return False
        except OSError as error:
            raise ScaffoldError(f"无法在 {rel} 新建文件：{error.strerror}。") from None
        return True

    def sequence_id(self, prefix: str, width: int) -> str:
        """``prefix-NN``: one more than the highest number already used with that prefix."""
        prefix = self.styled(prefix)
        pattern = re.compile(rf"{re.escape(id_key(prefix))}-(\d+)")
        numbers = [int(m[1]) for m in map(pattern.fullmatch, self.taken) if m]
        return f"{prefix}-{max(numbers, default=0) + 1:0{width}d}"

    def claim(self, kind: str, record_id: str, rel: str, text: str) -> Draft:
        if self._occupied(rel):
            raise ScaffoldError(
                f"文件 {rel} 已存在，不会覆盖；请核对，或用 --set id=… 指定新的编号。"
            )
        self.taken.add(id_key(record_id))
        self.planned.add(rel)
        return Draft(kind, record_id, rel, text)


def short_name(service_id: str) -> str:
    """The service id without its ``svc-`` prefix (in either case), as used inside other ids."""
    has_prefix = id_key(service_id).startswith("svc-") and len(service_id) > 4
    return service_id[4:] if has_prefix else service_id


def _month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --- entry points --------------------------------------------------------------------------


def plan(root: Path, options: Options) -> list[Draft]:
    """The record(s) to write, validated; raises ScaffoldError when they cannot be made."""
    chosen = policy.load(root)
    loaded = loader.load(root, chosen.limits)
    kb = loaded.kb
    if options.kind not in KINDS:
        raise ScaffoldError(_unknown("记录类型", options.kind, list(KINDS)))
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
    context = _Context(root, kb, chosen, options, taken, set())
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
    raise ScaffoldError(_unknown("服务项目", service, services))


def _unknown(what: str, name: str, known: Sequence[str]) -> str:
    guess = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    if guess:
        return f"没有{what}“{name}”；是否想写“{guess[0]}”？"
    listed = "、".join(known) if known else "（知识库中还没有）"
    return f"没有{what}“{name}”；可用的有：{listed}。"


# --- --set values ----------------------------------------------------------------------------


def _values(context: _Context, kind: str) -> dict[str, Any]:
    """``--set`` values, typed by the schema: text stays text, other values are read as YAML."""
    properties = KINDS[kind].schema["properties"]
    values: dict[str, Any] = {}
    for key, raw in context.options.values.items():
        if key == "kind" or key not in properties:
            allowed = [k for k in properties if k != "kind"]
            raise ScaffoldError(
                _unknown(f"{KINDS[kind].label}字段", key, allowed).replace(
                    "没有", "--set 了未知的", 1
                )
            )
        schema = properties[key]
        if schema.get("type") == "string" or "x-ref" in schema or "format" in schema:
            values[key] = raw
        else:
            try:
                values[key] = yamlio.parse(raw)
            except yamlio.FrontMatterError as error:
                raise ScaffoldError(f"--set {key}=… 的值无法解析：{error}") from None
    return values


def _missing(kind: str, needed: Iterable[str], examples: dict[str, str]) -> ScaffoldError:
    properties = KINDS[kind].schema["properties"]
    lines = []
    for key in needed:
        schema = properties[key]
        note = str(schema.get("title", key))
        if "x-labels" in schema:
            note += "，可选 " + "、".join(f"{k}（{v}）" for k, v in schema["x-labels"].items())
        elif "description" in schema:
            note += "：" + str(schema["description"])
        lines.append(f"  --set {key}={examples.get(key, '…')}    # {note}")
    return ScaffoldError(
        f"新建{KINDS[kind].label}还需要以下内容（无法从知识库推断，不会替你编造）：\n"
        + "\n".join(lines)
    )


def _fill(
    context: _Context,
    kind: str,
    derived: list[tuple[str, Any, str | None]],
    needed: Sequence[str] = (),
    examples: dict[str, str] | None = None,
    *,
    own: bool = True,
) -> list[tuple[str, Any, str | None]]:
    """Derived fields overridden by ``--set`` (when ``own``), plus the needed ones, in order.

    A derived value of None is a slot for ``--set`` only: it is dropped when not set.
    """
    values = _values(context, kind) if own else {}
    missing = [key for key in needed if key not in values]
    if missing:
        raise _missing(kind, missing, examples or {})
    fields = []
    for key, value, comment in derived:
        if key in values:
            fields.append((key, values.pop(key), None))
        elif value is not None:
            fields.append((key, value, comment))
    fields += [(key, value, None) for key, value in values.items()]
    return fields


def _front(fields: Iterable[tuple[str, Any, str | None]]) -> FrontMatter:
    front = FrontMatter()
    for key, value, comment in fields:
        front.add(key, value, comment)
    return front


def _body(title: str, sections: Iterable[tuple[str, str]]) -> str:
    parts = [f"\n# {title}\n"]
    for heading, hint in sections:
        parts.append(f"\n## {heading}\n\n{prompt(hint)}\n")
    return "".join(parts)


# --- reviews and minutes ---------------------------------------------------------------------

#: What to write under each section the procedure requires (default headings of 3.1.5–3.1.7).
_HINTS = {
    "当前和预计的业务需求": "客户当前和预计的业务需求（3.1.5、3.1.6）",
    "服务范围或内容可能发生的变化": "服务范围或服务内容可能发生的变化（3.1.5）",
    "变更前服务及合同的状况及成绩": "变更前服务及合同的执行状况和取得的成绩（3.1.6）",
    "服务范围和SLA变更的目的": "服务范围和 SLA 变更的目的（3.1.6）",
    "进展": "客户关心事项的进展（3.1.7）",
    "成绩": "取得的成绩（3.1.7）",
    "需要处理的问题": "需要处理的问题及建议措施（3.1.7）",
}
#: Sections worth having beyond the required ones, by review type (and phase).
_SUGGESTED = {
    "periodic": ["服务运行情况", "满意度情况", "需要处理的问题", "评审结论"],
    "annual": ["年度服务回顾", "评审结论"],
    "additional:before": ["评审结论"],
    "additional:after": ["变更实施情况", "变更后服务运行情况", "遗留问题"],
    "adhoc": ["评审背景"],
}


def review_sections(
    chosen: policy.Policy, review_type: str, phase: str | None
) -> list[tuple[str, str]]:
    """The review's sections and prompts: the policy's required ones first, then suggestions."""
    keys = [review_type, f"{review_type}:{phase}"] if phase else [review_type]
    required = [title for key in keys for title in _required_sections(chosen, key)]
    suggested = [(title, None) for key in keys for title in _SUGGESTED.get(key, [])]
    return _sections(required, suggested)


def _required_sections(chosen: policy.Policy, key: str) -> list[str]:
    """The section titles the policy requires under ``key`` (a review type, or minutes)."""
    return list(chosen.options(get("review-sections"))["required"].get(key, []))


def _sections(
    required: list[str], suggested: list[tuple[str, str | None]]
) -> list[tuple[str, str]]:
    """Required sections (with their prompts), then the suggested ones not already required;
    a suggestion may carry a prompt of its own."""
    wanted = [normalize_heading(t) for t in required]
    sections = [
        (title, f"{_HINTS.get(title, title)}。本节必填，留空时检查会报错") for title in required
    ]
    for title, hint in suggested:
        key = normalize_heading(title)
        if any(key in w or w in key for w in wanted):
            continue
        sections.append((title, hint or f"{title}（可选，不需要时删去本节）"))
    return sections


def _latest(records: list[Record], before: date | None = None) -> Record | None:
    eligible = [r for r in records if before is None or (r.date is not None and r.date <= before)]
    return eligible[-1] if eligible else None


def _pick(context: _Context, kind: str, wanted: str | None, label: str, hint: str) -> Record:
    """The record ``wanted``, or the service's latest of ``kind`` (changes: the latest major one)."""
    options = context.options
    mine = context.kb.of(options.service, kind)
    if wanted:
        record = context.kb.by_id.get(wanted)
        similar = context.kb.same_but_case(wanted)
        if record is None and similar in {r.id for r in mine}:
            raise ScaffoldError(f"没有{label}“{wanted}”：编号大小写不一致：是否指 {similar}？")
        if record is None or record.kind != kind:
            raise ScaffoldError(_unknown(label, wanted, [r.id for r in mine]))
        if context.kb.service_of(record) != options.service:
            raise ScaffoldError(
                f"“{wanted}”属于服务项目“{context.kb.service_of(record)}”，不是“{options.service}”。"
            )
        return record
    candidates = [c for c in mine if c["major"]] if kind == "change" else mine
    found = _latest(candidates, options.day if kind == "request" else None)
    if found is None:
        raise ScaffoldError(f"服务项目“{options.service}”还没有{label}记录；{hint}")
    return found


def _inputs(
    context: _Context, review_rel: str, required: list[str]
) -> tuple[dict, dict[str, str], list[str]]:
    """Inputs found in the knowledge base, documents to confirm, and the keys still to fill in.

    Monthly reports: the service's reports of the twelve months before the review's month.
    Documents: the last file (by name) in the service's ``attachments/`` whose name starts
    with the input's Chinese name, e.g. ``服务合同-HT2024-058.pdf``; only a suggestion, since
    it may be last year's version (项目计划表-2025.xlsx for the 2026 review).
    """
    day = context.options.day
    found: dict[str, Any] = {}
    suggested: dict[str, str] = {}
    attachments = context.root / Path(context.service.rel).parent / "attachments"
    names = (
        sorted(p.name for p in attachments.iterdir() if p.is_file()) if attachments.is_dir() else []
    )
    for key in required:
        if key == "monthly_reports":
            first, last = _month_of(add_months(day, -12)), _month_of(day)
            reports = [
                r.id
                for r in context.kb.of(context.options.service, "monthly-report")
                if first <= str(r["month"]) < last
            ]
            if reports:
                found[key] = reports
            continue
        matches = [n for n in names if n.startswith(INPUTS.get(key, key))]
        if matches:
            here = (context.root / review_rel).parent
            suggested[key] = Path(os.path.relpath(attachments / matches[-1], here)).as_posix()
    return found, suggested, [key for key in required if key not in found and key not in suggested]


def _discussable(context: _Context) -> list[str]:
    """Surveys, complaints and changes since the service's previous review (3.2.4 candidates)."""
    day = context.options.day
    previous = _latest(context.kb.of(context.options.service, "review"), day)
    since = previous.date if previous is not None else None
    found = []
    for kind, key in (("survey", "date"), ("complaint", "received"), ("change", "date")):
        for record in context.kb.of(context.options.service, kind):
            when = record.get(key)
            if when is not None and when <= day and (since is None or when > since):
                found.append(record.id)
    return found


def _review_draft(context: _Context) -> tuple[Draft, str]:
    """The review and its title."""
    options, service = context.options, context.service
    review_type = options.review_type
    if review_type not in REVIEW_TYPES:
        raise ScaffoldError(_unknown("评审类型", review_type, list(REVIEW_TYPES)))
    day = options.day
    folder = context.folder("review")
    record_id = context.free_id(f"{PREFIXES['review']}-{context.short}-{_month_of(day)}", folder)
    name = _name(context)
    phase: str | None = None
    major = False
    extra: list[tuple[str, Any, str | None]] = []
    title = f"{name}{day.year}年{day.month}月{REVIEW_TYPES[review_type]}报告"
    if review_type == "annual":
        title = f"{name}{day.year}年度服务评审报告"
    elif review_type == "additional":
        change = _pick(
            context,
            "change",
            options.change,
            "重大合同变更",
            "请先用 brmkb new change 登记变更，或用 --change 指定。",
        )
        if options.phase is not None and options.phase not in ("before", "after"):
            raise ScaffoldError(
                f"--phase 只能是 before（变更前）或 after（变更后），这里是“{options.phase}”。"
            )
        phase = options.phase or ("before" if day < change.date else "after")
        major = bool(change.get("major"))
        extra += [("change", change.id, None), ("phase", phase, "before：变更前；after：变更后")]
        what = change.get("title") or change.id
        title = f"{name}{what}变更{'前' if phase == 'before' else '后'}追加评审报告"
    elif review_type == "adhoc":
        request = _pick(
            context,
            "request",
            options.request,
            "客户临时评审请求",
            "请先用 brmkb new request 登记请求，或用 --request 指定。",
        )
        extra.append(("request", request.id, None))
    sales_led = review_type == "additional" and phase == "before" and major  # 3.1.6
    chosen = context.policy
    derived: list[tuple[str, Any, str | None]] = [
        ("kind", "review", None),
        ("id", record_id, None),
        ("title", title, None),
        ("service", service.id, None),
        ("type", review_type, "、".join(f"{k}：{v}" for k, v in REVIEW_TYPES.items())),
        *extra,
        ("date", day.isoformat(), "评审日期"),
        *_organizer(context, sales_led),
        (
            "organizer_dept",
            chosen.sales_department if sales_led else chosen.service_department,
            "3.1.6：重大变更前的追加评审由销售部门组织" if sales_led else None,
        ),
    ]
    fields = _fill(context, "review", derived)
    record_id = _claim_id(context, fields, record_id)
    title = _title_value(fields) or title
    rel = f"{folder}/{record_id}.md"
    front = _front(fields)
    keys = {key for key, _, _ in fields}
    required = chosen.options(get("review-inputs"))["required"].get(review_type, [])
    if required and "inputs" not in keys:
        found, suggested, missing = _inputs(context, rel, required)
        note = '评审输入：相对本文件的路径、记录 id，或 {external: 文件编号, version: "版本"}'
        if found:
            front.add("inputs", found, note)
        else:
            front.comment(f"inputs:    # {note}；取消注释并填写")
        if suggested:
            front.comment(
                "以下文件取自 attachments/，可能是上一年度的版本：确认是本次评审的输入后取消注释",
                indent=2,
            )
        for key, path in suggested.items():
            front.comment(
                f"{key}: {flow(path)}    # 请确认《{INPUTS.get(key, key)}》的版本", indent=2
            )
        for key in missing:
            front.comment(
                f"{key}: {placeholder(f'《{INPUTS.get(key, key)}》的路径')}"
                '    # 或记录 id、{external: 文件编号, version: "版本"}',
                indent=2,
            )
    grace = chosen.options(get("annual-review"))["grace_days"]
    if review_type == "annual" and "covers" not in keys and day.timetuple().tm_yday <= grace:
        front.comment(
            f"covers: {day.year - 1}    # 3.1.5：补开上一年度的年度评审时保留此行；本年度的评审请删除"
        )
    if "discusses" not in keys:
        candidates = _discussable(context)
        if candidates:
            front.comment(
                f"discusses: {flow(candidates)}    # 本次评审讨论的调查、投诉或变更（3.2.4），按实际讨论的保留"
            )
    topics = phase if review_type != "additional" or major else None  # 3.1.6: major only
    body = _body(title, review_sections(chosen, review_type, topics))
    return context.claim("review", record_id, rel, front.text() + body), title


def _organizer(context: _Context, sales_led: bool) -> list[tuple[str, Any, str | None]]:
    """The review's organizer: the project manager, or for 3.1.6 the last sales organizer."""
    if not sales_led:
        return [("organizer", str(context.service["project_manager"]), "默认为项目经理，请核对")]
    sales = context.policy.sales_department
    previous = [
        r for r in context.kb.of(context.options.service, "review") if r["organizer_dept"] == sales
    ]
    if previous:
        return [
            ("organizer", str(previous[-1]["organizer"]), f"取自上次由{sales}组织的评审，请核对")
        ]
    if "organizer" in context.options.values:
        return [("organizer", None, None)]
    raise _missing("review", ["organizer"], {"organizer": f"{sales}的组织者姓名"})


def _internal_org(kb: KnowledgeBase) -> str | None:
    """Our own organization's name, as written for internal attendees in earlier minutes."""
    names = Counter(
        str(a["org"])
        for m in kb.of_kind("minutes")
        for a in m["attendees"]
        if a["party"] == "internal"
    )
    if not names:
        return None
    best = max(names.values())
    return min(name for name, count in names.items() if count == best)


def _minutes_draft(
    context: _Context, review_id: str, day: date, review_title: str, *, own: bool
) -> Draft:
    """Minutes of ``review_id``; ``own``: the ``--set`` values are for the minutes."""
    service = context.service
    stem = review_id.removeprefix(f"{PREFIXES['review']}-")
    if stem == review_id:
        stem = f"{context.short}-{_month_of(day)}"
    folder = context.folder("minutes")
    record_id = context.free_id(f"{PREFIXES['minutes']}-{stem}", folder)
    title = (
        review_title.removesuffix("报告") + "会议纪要"
        if review_title.endswith("报告")
        else f"{review_title}会议纪要"
    )
    derived: list[tuple[str, Any, str | None]] = [
        ("kind", "minutes", None),
        ("id", record_id, None),
        ("title", title, None),
        ("review", review_id, None),
        ("date", day.isoformat(), "会议日期"),
    ]
    fields = _fill(context, "minutes", derived, own=own)
    record_id = _claim_id(context, fields, record_id)
    title = _title_value(fields) or title
    keys = {key for key, _, _ in fields}
    front = _front(fields)
    if "attendees" not in keys:
        _attendees(front, context)
    if "distribution" not in keys:
        departments = [str(d) for d in service.get("departments") or []]
        front.add(
            "distribution",
            departments or [context.policy.service_department],
            "3.1.9 纪要发放的部门，请核对",
        )
    if "decisions" not in keys:
        front.comment(f"decisions: [{placeholder('决议')}]    # 会议决议（可选）")
    if "actions" not in keys:
        action = context.styled(f"ac-{context.short}-{day.strftime('%y%m')}-1")
        due = add_months(day, 1).isoformat()
        front.comment(
            "actions:    # 行动项（可选）；status 为 open 或 done，done 时加 done: 完成日期"
        )
        item = {
            "id": action,
            "text": placeholder("行动内容"),
            "owner": placeholder("责任人"),
            "due": due,
            "status": "open",
        }
        front.comment(f"  - {flow(item)}")
    body = _minutes_body(context.policy, title, day)
    return context.claim("minutes", record_id, f"{folder}/{record_id}.md", front.text() + body)


def _minutes_body(chosen: policy.Policy, title: str, day: date) -> str:
    """The policy's required sections of minutes, then the usual ones (suggestions)."""
    overview = (
        f"- 时间：{day.year}年{day.month}月{day.day}日 {prompt('开始和结束时间')}\n"
        f"- 地点：{prompt('会议地点')}\n"
        f"- 主持：{prompt('主持人（部门）')}\n"
        f"- 记录：{prompt('记录人（部门）')}"
    )
    suggested = [
        ("会议概况", None),
        ("会议内容", "各方汇报和讨论的要点"),
        ("会议决议", "会议形成的决议；行动项写在头信息的 actions 中"),
    ]
    sections = _sections(_required_sections(chosen, MINUTES_SECTIONS), suggested)
    parts = [f"\n# {title}\n"]
    for heading, hint in sections:
        text = overview if heading == "会议概况" else prompt(hint)
        parts.append(f"\n## {heading}\n\n{text}\n")
    return "".join(parts)


def _attendees(front: FrontMatter, context: _Context) -> None:
    """The project manager, then one commented-out line per organization the service names."""
    service = context.service
    ours = _internal_org(context.kb)
    manager = {
        "name": str(service["project_manager"]),
        "org": ours or placeholder("本公司全称"),
        "dept": context.policy.service_department,
        "party": "internal",
    }
    front.add("attendees", [manager], "参会人员，每人一项")
    front.comment(
        "以下按服务档案预填了单位：填上姓名和部门并删去行首的“# ”，未参会的单位整行删除；party："
        + "、".join(f"{k} {v}" for k, v in PARTIES.items()),
        indent=2,
    )
    others: list[tuple[str, str]] = [(str(service["customer"]), "customer")]
    others += [(str(s), "supplier") for s in service.get("suppliers") or []]
    others += [(str(e), "external") for e in service.get("external") or []]
    for org, party in others:
        person = {
            "name": placeholder("姓名"),
            "org": org,
            "dept": placeholder("部门"),
            "party": party,
        }
        front.comment(f"- {flow(person)}", indent=2)


def _build_review(context: _Context) -> list[Draft]:
    review, title = _review_draft(context)
    if not context.options.minutes:
        return [review]
    day = context.options.day
    return [review, _minutes_draft(context, review.id, day, title, own=False)]


def _build_minutes(context: _Context) -> list[Draft]:
    options, kb = context.options, context.kb
    if options.review:
        review = kb.by_id.get(options.review)
        if review is None or review.kind != "review":
            ids = [r.id for r in kb.of(options.service, "review")]
            raise ScaffoldError(_unknown("评审", options.review, ids))
        if kb.service_of(review) != options.service:
            raise ScaffoldError(
                f"评审“{review.id}”属于服务项目“{kb.service_of(review)}”，不是“{options.service}”。"
            )
    else:
        pending = [r for r in kb.of(options.service, "review") if r.id not in kb.minutes_by_review]
        if not pending:
            raise ScaffoldError(
                f"服务项目“{options.service}”的评审都已有会议纪要；请用 --review 指定评审，"
                "或用 brmkb new review --minutes 同时新建评审报告和会议纪要。"
            )
        review = pending[-1]
    return [_minutes_draft(context, review.id, review.date, review.title, own=True)]


# --- the other kinds -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Template:
    """A kind whose scaffold is: derived fields, facts from ``--set``, and body sections."""

    kind: str
    make_id: Callable[[_Context], str]
    title: Callable[[_Context], str]
    derived: Callable[[_Context], list[tuple[str, Any, str | None]]]
    sections: Sequence[tuple[str, str]]
    needed: Sequence[str] = ()
    examples: Callable[[_Context], dict[str, str]] = lambda c: {}
    folder: Callable[[_Context], str] | None = None
    extra: Callable[[FrontMatter, _Context, set[str]], None] | None = None

    def __call__(self, context: _Context) -> list[Draft]:
        folder = self.folder(context) if self.folder else context.folder(self.kind)
        record_id = self.make_id(context)
        derived = [
            ("kind", self.kind, None),
            ("id", record_id, None),
            ("title", self.title(context), None),
            *self.derived(context),
        ]
        fields = _fill(context, self.kind, derived, self.needed, self.examples(context))
        record_id = _claim_id(context, fields, record_id)
        front = _front(fields)
        if self.extra is not None:
            self.extra(front, context, {key for key, _, _ in fields})
        rel = f"{folder}/{record_id}.md" if self.kind != "service" else f"{folder}/service.md"
        text = front.text() + _body(_title_value(fields) or record_id, self.sections)
        return [context.claim(self.kind, record_id, rel, text)]


def _title_value(fields: list[tuple[str, Any, str | None]]) -> str | None:
    return next((str(v) for k, v, _ in fields if k == "title" and v), None)


def _claim_id(context: _Context, fields: list[tuple[str, Any, str | None]], derived: str) -> str:
    """The id in ``fields``; one given with ``--set id=…`` must be well formed and free."""
    record_id = next(v for k, v, _ in fields if k == "id")
    if record_id == derived:
        return record_id
    if not is_id(record_id):
        raise ScaffoldError(
            f"--set id=… 的编号“{repr(str(record_id))[1:-1]}”不可用：编号{ID_RULE}。"
        )
    if context.used(record_id):
        raise ScaffoldError(f"编号“{record_id}”已被 {context.user(record_id)} 使用；请换一个编号。")
    return record_id


def _name(context: _Context) -> str:
    service = context.service
    return str(service.get("name") or service.title)


def _half(day: date) -> int:
    return 1 if day.month <= 6 else 2


def _year_sequence(kind: str, width: int) -> Callable[[_Context], str]:
    def make(context: _Context) -> str:
        prefix = f"{PREFIXES[kind]}-{context.short}-{context.options.day.year}"
        return context.sequence_id(prefix, width)

    return make


def _survey_id(context: _Context) -> str:
    day = context.options.day
    base = f"{PREFIXES['survey']}-{context.short}-{day.year}h{_half(day)}"
    return context.free_id(base, context.folder("survey"))


def _survey_examples(context: _Context) -> dict[str, str]:
    # Only the indicators in force on the survey's date: a revised one appears once.
    indicators = list(in_force(context.service, context.options.day)) or ["指标编号"]
    scores = ", ".join(f"{indicator}: 4.5" for indicator in indicators)
    return {"responses": "20", "scores": f"'{{{scores}}}'"}


def _report_month(context: _Context) -> str:
    """The month a new monthly report covers: ``--month``, else the month before the date."""
    options = context.options
    if options.month:
        if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", options.month):
            raise ScaffoldError(f"--month 的值“{options.month}”不是 YYYY-MM 月份，例如 2026-10。")
        month = options.month
    else:
        month = _month_of(add_months(options.day.replace(day=1), -1))
    for report in context.kb.of(options.service, "monthly-report"):
        if str(report["month"]) == month:
            raise ScaffoldError(
                f"{month} 的服务月报已经存在：{report.rel}；要写其他月份请用 --month YYYY-MM。"
            )
    return month


def _monthly_id(context: _Context) -> str:
    record_id = context.styled(
        f"{PREFIXES['monthly-report']}-{context.short}-{_report_month(context)}"
    )
    if context.used(record_id):
        where = context.user(record_id)
        raise ScaffoldError(f"编号“{record_id}”已被 {where} 使用；请用 --set id=… 指定编号。")
    return record_id


def _monthly_title(context: _Context) -> str:
    month = _report_month(context)
    return f"{_name(context)}服务月报（{month[:4]}年{int(month[5:])}月）"


def _waiver_folder(context: _Context) -> str:
    """Beside the existing waivers that are where they must be (a ``waivers/`` folder)."""
    placed = [w for w in context.kb.of_kind("waiver") if waivers.FOLDER in w.rel.split("/")[:-1]]
    if placed:
        return Path(placed[-1].rel).parent.as_posix()
    return f"{loader.RECORDS_DIR}/{waivers.FOLDER}"


def _service_extra(front: FrontMatter, context: _Context, keys: set[str]) -> None:
    if "satisfaction" not in keys:
        front.add(
            "satisfaction", [], "3.2.2 满意度指标及目标，来自《项目策划书》；每项一行，例如："
        )
        front.comment("  - {id: response, name: 响应及时性, target: 4.2, scale: 5}")


_SERVICE = _Template(
    "service",
    lambda c: c.options.service,
    lambda c: c.options.values.get("name", c.options.service),  # the title is the name
    lambda c: [
        ("name", None, None),
        ("customer", None, None),
        ("project_manager", None, None),
        ("start", c.options.day.isoformat(), "服务开始日期"),
        (
            "departments",
            [c.policy.service_department, c.policy.sales_department],
            "参与的内部部门",
        ),
        ("suppliers", [], "须参加服务评审的供应商（单位全称）"),
        ("external", [], "须参加服务评审的其他外部组织（单位全称）"),
    ],
    [
        ("服务概述", "依据的服务合同、服务对象和服务方式"),
        ("服务范围", "服务包括的内容"),
        ("服务等级", "SLA 指标"),
        ("相关方", "客户、内部部门、供应商和其他外部组织的联系人"),
        ("满意度指标", "《项目策划书》规定的满意度指标及目标"),
    ],
    ("name", "customer", "project_manager"),
    lambda c: {"name": "服务名称", "customer": "客户单位全称", "project_manager": "项目经理姓名"},
    lambda c: f"{loader.RECORDS_DIR}/{c.options.service}",
    _service_extra,
)

_BUILDERS: dict[str, Callable[[_Context], list[Draft]]] = {
    "service": _SERVICE,
    "review": _build_review,
    "minutes": _build_minutes,
    "change": _Template(
        "change",
        _year_sequence("change", 2),
        lambda c: f"{_name(c)}合同变更",
        lambda c: [
            ("service", c.options.service, None),
            ("date", c.options.day.isoformat(), "生效日期"),
            ("major", None, None),
            ("summary", None, None),
        ],
        [
            ("变更内容", "变更的具体内容"),
            ("变更原因", "为什么变更"),
            ("影响分析", "对服务范围、SLA 和合同金额的影响；重大变更须在变更前后各做一次追加评审"),
        ],
        ("major", "summary"),
        lambda c: {"major": "true", "summary": "变更摘要"},
    ),
    "request": _Template(
        "request",
        _year_sequence("request", 2),
        lambda c: f"{_name(c)}临时评审请求",
        lambda c: [
            ("service", c.options.service, None),
            ("date", c.options.day.isoformat(), "收到日期"),
            ("requested_by", None, None),
            ("subject", None, None),
        ],
        [("请求内容", "客户要求评审的内容"), ("受理情况", "受理时间和计划的评审日期")],
        ("requested_by", "subject"),
        lambda c: {"requested_by": "请求人（单位部门）", "subject": "事由"},
    ),
    "survey": _Template(
        "survey",
        _survey_id,
        lambda c: (
            f"{_name(c)}{c.options.day.year}年{'上下'[_half(c.options.day) - 1]}半年客户满意度调查结果"
        ),
        lambda c: [
            ("service", c.options.service, None),
            ("date", c.options.day.isoformat(), "调查日期"),
            ("period", f"{c.options.day.year}-H{_half(c.options.day)}", None),
            ("responses", None, None),
            ("scores", None, None),
        ],
        [
            ("调查范围", "调查对象和回收情况"),
            ("调查结果", "各指标得分与目标的比较"),
            ("分析", "得分变化的原因和改进方向"),
        ],
        ("responses", "scores"),
        _survey_examples,
    ),
    "complaint": _Template(
        "complaint",
        _year_sequence("complaint", 3),
        lambda c: f"{_name(c)}客户投诉",
        lambda c: [
            ("service", c.options.service, None),
            ("received", c.options.day.isoformat(), "收到日期"),
            ("severity", None, None),
            ("status", "open", "open：处理中；closed：已关闭（须加 closed 日期和 resolution）"),
        ],
        [
            ("投诉内容", "投诉人、时间和内容"),
            ("处理过程", "按日期记录处理经过"),
            ("预防措施", "防止再次发生的措施"),
        ],
        ("severity",),
        lambda c: {"severity": "medium"},
    ),
    "monthly-report": _Template(
        "monthly-report",
        _monthly_id,
        _monthly_title,
        lambda c: [
            ("service", c.options.service, None),
            ("month", _report_month(c), "月份 YYYY-MM"),
        ],
        [
            ("服务运行情况", "可用性等 SLA 指标的达成情况"),
            ("事件与问题", "本月的事件、问题及处理"),
            ("重点工作", "本月完成的重点工作"),
            ("满意度跟踪", "满意度指标的跟踪；记录偏差时在头信息 deviations 中列出调查编号"),
            ("下月计划", "下月工作计划"),
        ],
    ),
    "waiver": _Template(
        "waiver",
        _year_sequence("waiver", 3),
        lambda c: f"{_name(c)}合规豁免",
        lambda c: [
            *([] if "record" in c.options.values else [("service", c.options.service, None)]),
            ("rule", None, None),
            ("reason", None, None),
            ("approved_by", None, None),
            ("expires", None, None),
        ],
        [
            ("豁免事项", "豁免的问题"),
            ("豁免理由", "为什么不能按程序执行"),
            ("控制措施", "期间的补救和控制措施"),
            ("有效期", "有效期和到期前的复核安排"),
        ],
        ("rule", "reason", "approved_by", "expires"),
        lambda c: {
            "rule": "review-frequency",
            "reason": "豁免理由",
            "approved_by": "批准人（部门）",
            "expires": "2027-06-30",
        },
        _waiver_folder,
    ),
}
