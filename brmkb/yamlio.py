"""YAML front matter: split, parse fast, and find a key's line only when a finding needs it."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import yaml

_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


def _without_timestamps(resolvers: dict) -> dict:
    return {
        first: [(tag, rx) for tag, rx in found if tag != _TIMESTAMP]
        for first, found in resolvers.items()
    }


class RecordLoader(_BASE_LOADER):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as text, so the schema can say what a bad date should be.

    Its ``resolve`` gives the same tags as PyYAML's, without the generic machinery for path
    resolvers (this loader has none): the C parser calls it once for every node.
    """

    yaml_implicit_resolvers = _without_timestamps(_BASE_LOADER.yaml_implicit_resolvers)

    # The C parser calls these two around every node, to follow path resolvers; there are
    # none (asserted below), and C functions that ignore their arguments cost a fraction of
    # PyYAML's Python methods that return at once.
    descend_resolver = staticmethod(operator.is_)
    ascend_resolver = staticmethod(tuple)

    def resolve(self, kind: type, value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is _SCALAR_NODE:
            if not implicit[0]:
                return _STR
            tag = _PLAIN_TAGS.get(value)  # type: ignore[arg-type]
            if tag is None:
                resolvers = self.yaml_implicit_resolvers.get(value[:1])  # type: ignore[index]
                if not resolvers:  # a name, a title, an id: text, found without a pattern
                    return _STR
                tag = self._implicit_tag(value, resolvers)  # type: ignore[arg-type]
                if len(_PLAIN_TAGS) < _PLAIN_TAGS_KEPT and len(value) <= 40:  # type: ignore[arg-type]
                    _PLAIN_TAGS[value] = tag  # type: ignore[index]
            return tag
        return _MAP if kind is _MAPPING_NODE else _SEQ

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        """PyYAML's mapping, refused when a key is written twice in it (PyYAML would keep the
        last value without a word); keys a merge (``<<``) brings in may be written again."""
        seen: set[tuple[str, str]] = set()
        for key_node, _ in node.value:
            if type(key_node) is _SCALAR_NODE and key_node.tag not in _KEY_TAGS:
                if (key_node.tag, key_node.value) in seen:
                    raise _Repeated(key_node.value, key_node.start_mark.line + 1)
                seen.add((key_node.tag, key_node.value))
        return super().construct_mapping(node, deep)

    @classmethod
    def _implicit_tag(cls, value: str, resolvers: list) -> str:
        for tag, pattern in resolvers:
            if pattern.match(value):
                return tag
        return cls.DEFAULT_SCALAR_TAG


def _finite_float(loader: yaml.BaseLoader, node: yaml.ScalarNode) -> float | str:
    """A float, or the text as written when YAML reads it as infinity or not-a-number
    (``.inf``, ``.nan``, ``1.0e+400``): no score or target means that, and the schema then
    names the text where a number belongs instead of letting every comparison pass."""
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    return value if math.isfinite(value) else node.value


RecordLoader.add_constructor("tag:yaml.org,2002:float", _finite_float)

_SCALAR_NODE, _MAPPING_NODE = yaml.ScalarNode, yaml.MappingNode
_STR, _SEQ, _MAP = (f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map"))
# ``resolve`` above relies on these being PyYAML's defaults.
assert (_STR, _SEQ, _MAP) == (
    RecordLoader.DEFAULT_SCALAR_TAG,
    RecordLoader.DEFAULT_SEQUENCE_TAG,
    RecordLoader.DEFAULT_MAPPING_TAG,
)

#: The tags of short plain scalars seen before that start like a number, a boolean or a null
#: (the others are text without a look): keys and values repeat from record to record, and
#: the C parser asks for every node's tag (bounded: it lives as long as the process).
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_KEPT = 20_000


# ``resolve`` above relies on this: no wildcard and no path resolvers to consult.
assert None not in RecordLoader.yaml_implicit_resolvers and not RecordLoader.yaml_path_resolvers


class _Unusual(Exception):
    """A node the plain constructor leaves to PyYAML's own (merge keys, unhashable keys)."""


class _Repeated(Exception):
    """A key written twice in one mapping, at the 1-based line of its second writing."""

    def __init__(self, key: object, line: int) -> None:
        super().__init__(key)
        self.key, self.line = key, line


_SCALARS = {f"tag:yaml.org,2002:{name}" for name in ("null", "bool", "int", "float")}
_KEY_TAGS = {"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"}


class _PlainLoader(RecordLoader):
    """RecordLoader for front matter without aliases (no ``*``), which is nearly all of it.

    Builds strings, mappings and lists straight from the nodes, calling PyYAML's constructor
    only for other tags: the same values at about half the cost, because PyYAML's
    ``construct_object`` keeps per-node bookkeeping (recursion guard, memo, generators) that
    only aliases need. Anything unusual is rebuilt from the start by PyYAML.
    """

    def construct_document(self, node: yaml.Node) -> object:
        try:
            return self._plain(node)
        except _Unusual:
            self.constructed_objects, self.recursive_objects = {}, {}
            return super().construct_document(node)

    def _plain(self, node: yaml.Node) -> object:
        tag, kind = node.tag, type(node)
        if kind is _SCALAR_NODE:
            if tag == _STR:
                return node.value
            if tag in _SCALARS:
                return self.yaml_constructors[tag](self, node)
        elif kind is _MAPPING_NODE and tag == _MAP:
            mapping = {}
            for key_node, value_node in node.value:
                if key_node.tag == _STR and type(key_node) is _SCALAR_NODE:
                    key = key_node.value
                elif key_node.tag in _KEY_TAGS:  # merge (<<) and value (=) keys
                    raise _Unusual
                else:
                    key = self._plain(key_node)
                    if not isinstance(key, Hashable):
                        raise _Unusual
                if key in mapping:  # PyYAML would keep the last value without a word
                    raise _Repeated(key, key_node.start_mark.line + 1)
                # a string, most values, without a call
                if value_node.tag == _STR and type(value_node) is _SCALAR_NODE:
                    mapping[key] = value_node.value
                else:
                    mapping[key] = self._plain(value_node)
            return mapping
        elif kind is yaml.SequenceNode and tag == _SEQ:
            return [
                item.value if item.tag == _STR and type(item) is _SCALAR_NODE else self._plain(item)
                for item in node.value
            ]
        value = self.construct_object(node, deep=True)
        self.constructed_objects, self.recursive_objects = {}, {}
        return value


class RecordDumper(yaml.SafeDumper):
    """Writes ISO dates unquoted, as people type them (RecordLoader reads them back as text)."""

    yaml_implicit_resolvers = _without_timestamps(yaml.SafeDumper.yaml_implicit_resolvers)


def flow(value: object) -> str:
    """One value in YAML flow style, on one line, as a record's front matter writes it."""
    text = yaml.dump(
        [value],
        Dumper=RecordDumper,
        allow_unicode=True,
        default_flow_style=True,
        sort_keys=False,
        width=10**6,
    )
    return text.strip()[1:-1]


_OPENING = re.compile(r"---[ \t]*\n")
#: The closing line, found from the newline before it: a pattern that starts with a literal
#: character is searched for at C speed, where ``^`` would be tried at every character.
_CLOSING = re.compile(r"\n(?:---|\.\.\.)[ \t]*$", re.MULTILINE)

#: Error contexts whose mark is where the culprit opened (a bracket, a quote, a key), not the
#: enclosing block: the problem itself is often reported lines later.
_OPENERS = ("while parsing a flow", "while scanning")

#: Expanded size past which a front matter is treated as an alias bomb.
MAX_NODES = 20_000
#: Nesting past which a document is refused (no record or policy needs more than a few levels).
MAX_DEPTH = 50


class FrontMatterError(ValueError):
    """A front matter that cannot be read; carries the 1-based line of the problem."""

    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


@dataclass(frozen=True, slots=True)
class Document:
    """A record file split into its YAML text and its Markdown body."""

    yaml_text: str
    body: str
    body_line: int


def split(text: str) -> Document:
    """Split ``---`` front matter from the body; the text must already use LF line ends."""
    opening = _OPENING.match(text)
    if not opening:
        raise FrontMatterError(
            "文件没有以 YAML 头信息开头；请在第 1 行写 ---，接着写 kind、id 等字段，再以 --- 结束。",
            1,
        )
    closing = _CLOSING.search(text, opening.end() - 1)  # from the opening line's newline
    if not closing:
        raise FrontMatterError("YAML 头信息没有结束标记；请在字段之后单独一行写 ---，再写正文。", 1)
    yaml_text = text[opening.end() : closing.start() + 1]
    body_start = min(closing.end() + 1, len(text))
    return Document(yaml_text, text[body_start:], text.count("\n", 0, body_start) + 1)


def tab_indent_line(yaml_text: str) -> int | None:
    """Line (within the YAML text, 1-based) of the first tab used for indentation, if any."""
    for number, line in enumerate(yaml_text.split("\n"), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            return number
    return None


#: A top-level key, from the newline before its line (searched in the text after a newline:
#: a literal first character, as in ``_CLOSING``); the match starts where the line does.
_TOP_KEY = re.compile(r"\n([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]|$)", re.MULTILINE)


def repeated_top_level_key(yaml_text: str) -> tuple[str, int, int] | None:
    """The first top-level key written twice, with both lines (1-based, within the YAML text).

    PyYAML silently keeps the last value; a record with two ``date:`` lines is a mistake.
    """
    lines = "\n" + yaml_text
    keys = _TOP_KEY.findall(lines)
    if len(set(keys)) == len(keys):  # the common case, decided without a Python loop
        return None
    seen: dict[str, int] = {}
    for match in _TOP_KEY.finditer(lines):
        if match[1] in seen:
            first = seen[match[1]]
            return match[1], _line(yaml_text, first), _line(yaml_text, match.start())
        seen[match[1]] = match.start()
    return None


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def parse(yaml_text: str) -> object:
    """Parse with the C loader; raise FrontMatterError with the line of a syntax error."""
    try:
        return yaml.load(yaml_text, Loader=RecordLoader if "*" in yaml_text else _PlainLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        if (
            error.context_mark
            and mark
            and (mark.line >= yaml_text.count("\n") or (error.context or "").startswith(_OPENERS))
        ):
            mark = error.context_mark  # an unclosed bracket or quote: point at where it opened
        line = mark.line + 1 if mark else None
        raise FrontMatterError(_syntax_message(error), line) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow in a file
        code = error.character if isinstance(error.character, int) else ord(error.character)
        raise FrontMatterError(
            f"YAML 头信息里有不允许的控制字符 U+{code:04X}；请删除它（在编辑器中显示不可见字符后查找）。",
            # the reader stops at the character's first writing (the C reader counts bytes)
            yaml_text.count("\n", 0, max(yaml_text.find(chr(code)), 0)) + 1,
        ) from None
    except _Repeated as error:
        raise FrontMatterError(
            f"键“{error.key}”在同一层写了两次，YAML 只会保留后一个；请删除或合并重复的那一项。",
            error.line,
        ) from None
    except (yaml.YAMLError, ValueError, RecursionError) as error:
        raise FrontMatterError(f"YAML 无法解析：{error}；请检查缩进和引号。", None) from None


def _syntax_message(error: yaml.MarkedYAMLError) -> str:
    problem = error.problem or error.context or "语法错误"
    return (
        f"YAML 语法错误（{problem}）；请检查这一行的缩进、冒号后的空格，"
        "以及含有 : # [ ] { } 等符号的值是否加了引号。"
    )


def too_large(value: object, limit: int = MAX_NODES, depth: int = MAX_DEPTH) -> bool:
    """True when expanding aliases would exceed ``limit`` nodes, or nesting ``depth`` levels;
    stops early, so bombs stay cheap."""
    budget = limit
    stack = [(value, 0)]
    while stack:
        budget -= 1
        item, level = stack.pop()
        if budget < 0 or level > depth:
            return True
        if isinstance(item, dict):
            stack.extend((child, level + 1) for child in item)
            stack.extend((child, level + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, level + 1) for child in item)
    return False


def shape_problem(value: object) -> tuple[int, str] | None:
    """(line, message) when a parsed document is too large or too deep to be used."""
    if not too_large(value):
        return None
    return 1, (
        f"展开后超过 {MAX_NODES} 个节点或 {MAX_DEPTH} 层嵌套（可能是别名 * 反复引用）；"
        "请直接写出各项的值，不要用锚点和别名。"
    )


def repeated_key(yaml_text: str) -> tuple[int, str] | None:
    """(line, message) for the first key written twice in the same mapping, at any depth.

    PyYAML keeps the last value without a word; in a policy that silently drops a setting.
    """
    try:
        node = yaml.compose(yaml_text, Loader=RecordLoader)
    except yaml.YAMLError:
        return None
    seen_nodes: set[int] = set()  # aliases share nodes: visit each once, so bombs stay cheap
    stack = [node]
    while stack:
        item = stack.pop()
        if item is None or id(item) in seen_nodes:
            continue
        seen_nodes.add(id(item))
        if isinstance(item, yaml.MappingNode):
            keys: dict[object, int] = {}
            for key_node, value_node in item.value:
                key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
                if key in keys:
                    first, again = keys[key] + 1, key_node.start_mark.line + 1
                    return again, (
                        f"键“{key}”在同一层写了两次（第 {first} 行和第 {again} 行），"
                        "YAML 只会保留后一个；请删除或合并重复的那一项。"
                    )
                keys[key] = key_node.start_mark.line
                stack.extend((key_node, value_node))
        elif isinstance(item, yaml.SequenceNode):
            stack.extend(item.value)
    return None


def key_line(yaml_text: str, path: Sequence[str | int], first_line: int) -> int | None:
    """File line of the value at ``path`` (or of its deepest existing parent key)."""
    try:
        node = yaml.compose(yaml_text, Loader=RecordLoader)
    except yaml.YAMLError:
        return None
    line = first_line
    for step in path:
        child = _child(node, step)
        if child is None:
            break
        key_node, node = child
        line = first_line + key_node.start_mark.line
    return line


def _child(node: yaml.Node | None, step: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == step:
                return key_node, value_node
    elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
        item = node.value[step]
        return item, item
    return None
