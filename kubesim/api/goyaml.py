"""One YAML document as kubectl reads it: go-yaml v2 (the fork inside sigs.k8s.io/yaml v1.4)
decodes it into Go's interface{}, then sigs.k8s.io/yaml converts that to JSON.

What a user sees of those two steps, mirrored here (goyaml.v2/decode.go, resolve.go,
scannerc.go; sigs.k8s.io/yaml yaml.go):

- plain scalars resolve as YAML 1.1 does in go-yaml: `yes`, `on`, `y` are true, `0777` is
  octal, `1_000` is 1000, dates stay strings, an explicit tag that does not fit fails
  (`yaml: cannot decode !!str `abc` as a !!int`), `!!binary` is base64 decoded;
- a key given twice keeps the last value, `<<` merges maps;
- aliases are expanded, but a document whose decoding is mostly alias expansion fails fast
  (`yaml: document contains excessive aliasing`, allowedAliasRatio), as does an alias inside
  its own anchor;
- more than 10,000 nested flow or block collections fail (`yaml: exceeded max depth of 10000`);
- keys become strings (ints, floats at float32 precision, bools), other keys fail
  (`unsupported map key of type ...`), and NaN or infinity cannot be written as JSON.

The result is the value kubectl's JSON decoder then sees: integral numbers as int, others as
float. Everything is iterative, so nesting depth costs no Python recursion. The events come
from PyYAML's libyaml parser when it is built in (go-yaml is a port of libyaml, so syntax
errors read the same), else from its pure-Python parser.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
import struct
from typing import Any

MAX_DEPTH = 10000  # scannerc.go max_flow_level and max_indents
LONG_TAG = "tag:yaml.org,2002:"
STR, BOOL, INT, FLOAT, NULL, TIMESTAMP, BINARY, MERGE = (
    LONG_TAG + name
    for name in ("str", "bool", "int", "float", "null", "timestamp", "binary", "merge")
)
_RESOLVABLE = ("", STR, BOOL, INT, FLOAT, NULL, TIMESTAMP)

# decode.go: alias_ratio_range_low/high
_ALIAS_RATIO_LOW = 400_000
_ALIAS_RATIO_HIGH = 4_000_000
_INT64 = (-(1 << 63), (1 << 63) - 1)


class YAMLError(Exception):
    """The document cannot be read; str() is the error sigs.k8s.io/yaml returns."""


class _Fail(Exception):
    """go-yaml's failf: a "yaml: ..." message."""


class GoUint(int):
    """A uint64 from go-yaml: a number too large for int64."""


class _Node:
    __slots__ = ("kind", "tag", "value", "implicit", "children", "alias", "line")

    def __init__(self, kind: str, tag: str, value: str, implicit: bool, line: int) -> None:
        self.kind = kind  # "document", "mapping", "sequence", "scalar", "alias"
        self.tag = tag
        self.value = value  # a scalar's text, an alias's anchor name
        self.implicit = implicit
        self.children: list[_Node] = []
        self.alias: _Node | None = None
        self.line = line


def yaml_to_json(text: str, *, first_line: int = 0) -> Any:
    """yaml.Unmarshal of one document into a JSON value (None for an empty document).
    `first_line` is how many lines were cut from the front of the document (comments
    kubesim skips without parsing), so that error lines count them. YAMLError otherwise."""
    try:
        root = _parse(text, first_line)
        if root is None:
            return None
        value = _Decoder().decode(root)
    except _Fail as err:
        raise YAMLError(f"error converting YAML to JSON: {err}") from None
    try:
        return _to_json(value)
    except _Fail as err:
        raise YAMLError(f"error converting YAML to JSON: {err}") from None


# --- events -> nodes (decode.go's parser) ------------------------------------------------------


def _parse(text: str, first_line: int) -> _Node | None:
    """The first document of `text` as go-yaml's node tree (nil when there is none)."""
    import yaml

    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return _parse_with(fast, text, first_line)
        except _TooDeepForLibyaml:
            pass  # libyaml stops at 1,000 levels, go-yaml at 10,000: parse it the slow way
    return _parse_with(_deep_loader(), text, first_line)


class _TooDeepForLibyaml(Exception):
    pass


_DEEP_LOADER: Any = None


def _deep_loader() -> Any:
    """PyYAML's pure-Python loader, with its check for stale simple keys made cheap: it looks
    at every open flow level for each token, which is quadratic in the nesting depth."""
    global _DEEP_LOADER
    if _DEEP_LOADER is not None:
        return _DEEP_LOADER
    import heapq

    import yaml

    class DeepLoader(yaml.SafeLoader):
        def save_possible_simple_key(self) -> None:
            super().save_possible_simple_key()
            key: Any = self.possible_simple_keys.get(self.flow_level)
            if key is not None:
                heap = self.__dict__.setdefault("_key_heap", [])
                heapq.heappush(heap, (key.index, self.flow_level, id(key), key))
                tokens = self.__dict__.setdefault("_token_heap", [])
                heapq.heappush(tokens, (key.token_number, self.flow_level, id(key), key))

        def next_possible_simple_key(self) -> Any:
            tokens = self.__dict__.get("_token_heap") or []
            while tokens and self.possible_simple_keys.get(tokens[0][1]) is not tokens[0][3]:
                heapq.heappop(tokens)
            return tokens[0][0] if tokens else None

        def stale_possible_simple_keys(self) -> None:
            # a key goes stale once the scanner leaves its line or is 1024 characters on
            heap = self.__dict__.get("_key_heap") or []
            here: Any = self
            threshold = max(here.index - here.column, here.index - 1024)
            while heap and heap[0][0] < threshold:
                _, level, _, stale = heapq.heappop(heap)
                key: Any = self.possible_simple_keys.get(level)
                if key is None or key is not stale:
                    continue
                if key.required:
                    raise yaml.scanner.ScannerError(
                        "while scanning a simple key",
                        key.mark,
                        "could not find expected ':'",
                        here.get_mark(),
                    )
                del self.possible_simple_keys[level]

    _DEEP_LOADER = DeepLoader
    return _DEEP_LOADER


def _parse_with(loader: Any, text: str, first_line: int) -> _Node | None:
    import yaml

    anchors: dict[str, _Node] = {}
    stack: list[_Node] = []
    flow = block = 0
    doc: _Node | None = None
    try:
        events: Any = yaml.parse(text, Loader=loader)
        for event in events:
            line = event.start_mark.line + first_line if event.start_mark else first_line
            name = type(event).__name__
            if name == "DocumentStartEvent":
                doc = _Node("document", "", "", False, line)
                stack = [doc]
                continue
            if name == "DocumentEndEvent":
                break
            if name in ("MappingEndEvent", "SequenceEndEvent"):
                if stack.pop().implicit:  # implicit marks a flow collection here
                    flow -= 1
                else:
                    block -= 1
                continue
            if name == "AliasEvent":
                node = _Node("alias", "", event.anchor, False, line)
                node.alias = anchors.get(event.anchor)
                if node.alias is None:
                    raise _Fail(f"yaml: unknown anchor '{event.anchor}' referenced")
                stack[-1].children.append(node)
                continue
            if name == "ScalarEvent":
                node = _Node("scalar", event.tag or "", event.value, event.implicit[0], line)
            elif name in ("MappingStartEvent", "SequenceStartEvent"):
                kind = "mapping" if name == "MappingStartEvent" else "sequence"
                node = _Node(kind, event.tag or "", "", bool(event.flow_style), line)
                if event.flow_style:
                    flow += 1
                else:
                    block += 1
                if flow > MAX_DEPTH or block > MAX_DEPTH:
                    where = f"line {line + 1}: " if line else ""
                    raise _Fail(f"yaml: {where}exceeded max depth of {MAX_DEPTH}")
            else:
                continue  # stream start and end
            if event.anchor is not None:
                anchors[event.anchor] = node
            stack[-1].children.append(node)
            if node.kind != "scalar":
                stack.append(node)
    except yaml.YAMLError as err:
        if "maximum nesting depth" in str(getattr(err, "problem", "")):
            raise _TooDeepForLibyaml() from None
        raise _Fail(_syntax_error(err, loader is not _DEEP_LOADER, first_line)) from None
    return doc


def _syntax_error(err: Any, libyaml: bool, first_line: int) -> str:
    """parser.fail() in decode.go: "yaml: line N: <problem>", N the problem's line (one more
    for a scanner error), else the context's; no line when both are on the first."""
    import yaml

    if isinstance(err, yaml.reader.ReaderError):
        return f"yaml: {err.reason}"
    problem = str(getattr(err, "problem", None) or "")
    mark = getattr(err, "problem_mark", None)
    context = getattr(err, "context_mark", None)
    scanner = isinstance(err, yaml.scanner.ScannerError)
    if not libyaml:  # the pure-Python parser: its words for a problem, and its marks
        problem = next((go for py, go in _LIBYAML_PROBLEMS if py in problem), problem)
        if mark is not None and "<stream end>" in str(err.problem) and mark.column != 0:
            mark = _Mark(mark.line + 1)  # libyaml ends a stream on a line of its own
        scanner = scanner and mark is not None and mark.line != 0
    line = 0
    if mark is not None and mark.line + first_line != 0:
        line = mark.line + first_line + (1 if scanner else 0)
    elif context is not None and context.line + first_line != 0:
        line = context.line + first_line
    problem = problem or "unknown problem parsing YAML content"
    return f"yaml: line {line}: {problem}" if line else f"yaml: {problem}"


class _Mark:
    def __init__(self, line: int) -> None:
        self.line = line


# PyYAML's pure-Python words for a problem -> libyaml's, which go-yaml prints
_LIBYAML_PROBLEMS = (
    ("mapping values are not allowed here", "mapping values are not allowed in this context"),
    ("that cannot start any token", "found character that cannot start any token"),
    ("expected the node content", "did not find expected node content"),
    ("expected ',' or '}'", "did not find expected ',' or '}'"),
    ("expected ',' or ']'", "did not find expected ',' or ']'"),
    ("expected <block end>, but found '-'", "did not find expected '-' indicator"),
    ("expected <block end>", "did not find expected key"),
    ("could not find expected ':'", "could not find expected ':'"),
    ("found unexpected end of stream", "found unexpected end of stream"),
)


# --- nodes -> Go values (decode.go's decoder) -------------------------------------------------


class _GoMap(dict[tuple[str, Any], list[Any]]):
    """map[interface{}]interface{}: Go's key identity (type and value) -> [key, value]."""


def _go_key(key: Any) -> tuple[str, Any]:
    if isinstance(key, float) and key != key:
        return ("nan", id(key))  # NaN never equals itself, so each is its own key
    return (type(key).__name__, key)


class _Decoder:
    """d.unmarshal over a node tree, without recursion; counts decodes as go-yaml does."""

    def __init__(self) -> None:
        self.decode_count = 0
        self.alias_count = 0
        self.alias_depth = 0
        self.active: set[int] = set()

    def count(self) -> None:
        self.decode_count += 1
        if self.alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > _allowed_alias_ratio(self.decode_count)
        ):
            raise _Fail("yaml: document contains excessive aliasing")

    def decode(self, root: _Node) -> Any:
        """The node's value. Work is a stack of tasks, run in go-yaml's order: ("value", node,
        slot) decodes into slot[0]; ("into", node, map) decodes a merge source into a map;
        ("key", slot) refuses a map or list key; ("set", map, key slot, value slot);
        ("list", slots, list) collects a sequence; ("unalias", node) leaves an alias."""
        result: list[Any] = [None]
        tasks: list[tuple[Any, ...]] = [("value", root, result)]
        while tasks:
            task = tasks.pop()
            op = task[0]
            if op == "value":
                self.value(task[1], task[2], tasks)
            elif op == "into":
                self.into(task[1], task[2], tasks)
            elif op == "key":
                if isinstance(task[1][0], list | _GoMap):
                    raise _Fail(f"yaml: invalid map key: {go_syntax(task[1][0])}")
            elif op == "set":
                key = task[2][0]
                task[1][_go_key(key)] = [key, task[3][0]]
            elif op == "list":
                task[2][:] = [slot[0] for slot in task[1]]
            else:  # "unalias"
                self.alias_depth -= 1
                self.active.discard(id(task[1]))
        return result[0]

    def value(self, node: _Node, slot: list[Any], tasks: list[tuple[Any, ...]]) -> None:
        self.count()
        if node.kind == "document":
            if len(node.children) == 1:
                tasks.append(("value", node.children[0], slot))
        elif node.kind == "alias":
            self.enter_alias(node, tasks)
            tasks.append(("value", node.alias, slot))
        elif node.kind == "scalar":
            slot[0] = _scalar(node)
        elif node.kind == "sequence":
            out: list[Any] = []
            slot[0] = out
            slots: list[list[Any]] = [[None] for _ in node.children]
            tasks.append(("list", slots, out))
            tasks += [("value", c, s) for c, s in zip(node.children, slots, strict=True)][::-1]
        else:
            gomap = _GoMap()
            slot[0] = gomap
            self.pairs(node, gomap, tasks)

    def into(self, node: _Node, gomap: _GoMap, tasks: list[tuple[Any, ...]]) -> None:
        """unmarshal(n, out) with `out` an existing map: a merge's source."""
        self.count()
        if node.kind == "alias":
            self.enter_alias(node, tasks)
            tasks.append(("into", node.alias, gomap))
        elif node.kind == "mapping":
            self.pairs(node, gomap, tasks)

    def enter_alias(self, node: _Node, tasks: list[tuple[Any, ...]]) -> None:
        if id(node) in self.active:
            raise _Fail(f"yaml: anchor '{node.value}' value contains itself")
        self.active.add(id(node))
        self.alias_depth += 1
        tasks.append(("unalias", node))

    def pairs(self, node: _Node, gomap: _GoMap, tasks: list[tuple[Any, ...]]) -> None:
        children = node.children
        work: list[tuple[Any, ...]] = []
        for i in range(0, len(children) - 1, 2):
            key, value = children[i], children[i + 1]
            if key.kind == "scalar" and key.value == "<<" and (key.implicit or key.tag == MERGE):
                work += _merge(value, gomap)
                continue
            key_slot: list[Any] = [None]
            value_slot: list[Any] = [None]
            work += [
                ("value", key, key_slot),
                ("key", key_slot),
                ("value", value, value_slot),
                ("set", gomap, key_slot, value_slot),
            ]
        tasks += work[::-1]


def _merge(node: _Node, gomap: _GoMap) -> list[tuple[Any, ...]]:
    """d.merge: a map, an alias of one, or a sequence of them, the last merged first so that
    the earlier ones win."""
    sources = [node] if node.kind in ("mapping", "alias") else node.children[::-1]
    if node.kind not in ("mapping", "alias", "sequence"):
        raise _Fail(_WANT_MAP)
    for source in sources:
        target = source.alias if source.kind == "alias" else source
        if target is None or target.kind != "mapping":
            raise _Fail(_WANT_MAP)
    return [("into", source, gomap) for source in sources]


_WANT_MAP = "yaml: map merge requires map or sequence of maps as the value"


def _allowed_alias_ratio(decode_count: int) -> float:
    if decode_count <= _ALIAS_RATIO_LOW:
        return 0.99  # 99% may come from alias expansion in small and medium documents
    if decode_count >= _ALIAS_RATIO_HIGH:
        return 0.10
    span = _ALIAS_RATIO_HIGH - _ALIAS_RATIO_LOW
    return 0.99 - 0.89 * ((decode_count - _ALIAS_RATIO_LOW) / span)


def _scalar(node: _Node) -> Any:
    """d.scalar into an interface{}: quoted text is a string, the rest resolves."""
    if node.tag == "" and not node.implicit:
        return node.value
    tag, resolved = resolve(node.tag, node.value)
    if tag == BINARY:
        data = "".join(c for c in str(resolved) if c not in "\r\n")
        try:
            decoded = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise _Fail("yaml: !!binary value contains invalid base64 data") from None
        return decoded.decode("utf-8", "replace")  # Go's string(data), as JSON writes it
    if tag == TIMESTAMP:
        return node.value  # kept as the text, for code that reads interface{}
    return resolved


def short_tag(tag: str) -> str:
    return "!!" + tag[len(LONG_TAG) :] if tag.startswith(LONG_TAG) else tag


_RESOLVE_MAP: dict[str, tuple[str, Any]] = {}
for _value, _tag, _words in (
    (True, BOOL, ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")),
    (False, BOOL, ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")),
    (None, NULL, ("", "~", "null", "Null", "NULL")),
    (math.nan, FLOAT, (".nan", ".NaN", ".NAN")),
    (math.inf, FLOAT, (".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF")),
    (-math.inf, FLOAT, ("-.inf", "-.Inf", "-.INF")),
    ("<<", MERGE, ("<<",)),
):
    for _word in _words:
        _RESOLVE_MAP[_word] = (_tag, _value)

_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_DOT_FLOAT = re.compile(r"\.[0-9]+([eE][-+]?[0-9]+)?")


def resolve(tag: str, text: str) -> tuple[str, Any]:
    """resolve.go's resolve(): the tag and value of a plain or tagged scalar."""
    if tag not in _RESOLVABLE:
        return tag, text
    rtag, out = _resolve(tag, text)
    if tag in ("", rtag, STR, BINARY):
        return rtag, out
    if tag == FLOAT and rtag == INT:
        return FLOAT, float(out)
    raise _Fail(f"yaml: cannot decode {short_tag(rtag)} `{text}` as a {short_tag(tag)}")


def _resolve(tag: str, text: str) -> tuple[str, Any]:
    from kubesim.api import gostrconv

    hint = _hint(text[0]) if text else "N"
    if not hint or tag in (STR, BINARY):
        return STR, text
    if text in _RESOLVE_MAP:
        return _RESOLVE_MAP[text]
    if hint == ".":
        if _DOT_FLOAT.fullmatch(text):
            value = float(text)
            if not math.isinf(value):
                return FLOAT, value
    elif hint in "DS":
        if tag in ("", TIMESTAMP) and _is_timestamp(text):
            return TIMESTAMP, text
        plain = text.replace("_", "")
        for parse, kind in ((gostrconv.parse_int, int), (gostrconv.parse_uint, GoUint)):
            try:
                return INT, kind(parse(plain))
            except gostrconv.NumError:
                pass
        if _YAML_FLOAT.fullmatch(plain):
            value = float(plain)
            if not math.isinf(value):
                return FLOAT, value
        binary = plain[3:] if plain.startswith("-0b") else plain[2:]
        if plain.startswith(("0b", "-0b")) and binary and set(binary) <= {"0", "1"}:
            number = int(binary, 2) * (-1 if plain[0] == "-" else 1)
            if _INT64[0] <= number <= _INT64[1]:
                return INT, number
            if number > 0 and number < 1 << 64:
                return INT, GoUint(number)
    return STR, text


def _hint(first: str) -> str:
    if first in "+-":
        return "S"
    if first in "0123456789":
        return "D"
    if first in "yYnNtTfFoO~":
        return "M"
    return "." if first == "." else ""


# the layouts go-yaml tries (allowedTimestampFormats)
_TIMESTAMP = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d+)?))?"
)


def _is_timestamp(text: str) -> bool:
    import datetime

    match = _TIMESTAMP.fullmatch(text)
    if match is None:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    clock = [int(g) for g in match.groups()[3:] if g is not None]
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    return not clock or (clock[0] < 24 and clock[1] < 60 and clock[2] < 60)


# --- Go values -> JSON (sigs.k8s.io/yaml's convertToJSONableObject, then encoding/json) --------


def _to_json(value: Any) -> Any:
    """The JSON value kubectl decodes from YAMLToJSON's output."""
    result: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, result, 0)]
    while stack:
        item, parent, index = stack.pop()
        if isinstance(item, _GoMap):
            children = {_json_key(key, child): child for key, child in item.values()}
            out: dict[str, Any] = dict.fromkeys(children)
            stack += [(child, out, name) for name, child in children.items()]
            parent[index] = out
        elif isinstance(item, list):
            items: list[Any] = [None] * len(item)
            for i, child in enumerate(item):
                stack.append((child, items, i))
            parent[index] = items
        else:
            parent[index] = _json_scalar(item)
    return result[0]


def _json_key(key: Any, value: Any) -> str:
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int) and not isinstance(key, GoUint):
        return str(key)
    if isinstance(key, float):
        return _float32_text(key)
    kind = "uint64" if isinstance(key, GoUint) else "%!s(<nil>)"
    raise _Fail(
        f"unsupported map key of type: {kind}, key: {go_syntax(key)}, value: {go_syntax(value)}"
    )


def _float32_text(value: float) -> str:
    """strconv.FormatFloat(key, 'g', -1, 32), with YAML's names for the specials."""
    from kubesim.api.gofmt import go_float

    if value != value:
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    single = struct.unpack("f", struct.pack("f", value))[0] if abs(value) < 3.5e38 else value
    if math.isinf(single):
        return ".inf" if value > 0 else "-.inf"
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            return go_float(float(text))
    return go_float(single)


def _json_scalar(value: Any) -> Any:
    """What a scalar becomes once written as JSON and read back by kubectl's decoder
    (util/json: int64 when it fits, else float64)."""
    from kubesim.api.gofmt import go_float

    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        return int(value) if _INT64[0] <= value <= _INT64[1] else float(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise _Fail(f"json: unsupported value: {go_float(value)}")
        if value.is_integer() and _INT64[0] <= value <= _INT64[1]:
            return int(value)
        return value
    return value


def go_syntax(value: Any, nested: bool = False) -> str:
    """fmt's %#v of a value go-yaml decoded into interface{}."""
    from kubesim.api.gofmt import go_float, go_quote

    if value is None:
        return "interface {}(nil)" if nested else "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GoUint):
        return hex(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, _GoMap):
        entries = sorted(value.values(), key=lambda kv: (type(kv[0]).__name__, str(kv[0])))
        body = ", ".join(f"{go_syntax(k, True)}:{go_syntax(v, True)}" for k, v in entries)
        return "map[interface {}]interface {}{" + body + "}"
    return "[]interface {}{" + ", ".join(go_syntax(v, True) for v in value) + "}"
