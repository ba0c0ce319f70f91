"""YAML as kustomize reads and writes it.

Reading: kyaml parses with gopkg.in/yaml.v3, which follows YAML 1.2's core schema (`yes`, `on`
and `y` stay strings; `0o17` and `017` are octal ints; dates stay strings when decoded into an
interface, as kustomize does).

Writing: `kubectl kustomize` prints each resource as sigs.k8s.io/yaml's JSONToYAML does: the
object through encoding/json (so 2.0 becomes 2), then go-yaml v2's encoder: keys in v2's
"natural" order (keyList.Less), a string quoted only where it would read back as something
else, literal blocks for text with newlines, and lines folded at 80 columns. PyYAML's emitter
is a port of the same libyaml code, so the layout is delegated to it and only go-yaml's
choices (resolution, printable runes, key order) are made here.
"""

from __future__ import annotations

import math
import re
from typing import Any

Object = dict[str, Any]


class YamlError(ValueError):
    """A document kyaml cannot read; the text is go-yaml's (`yaml: line 3: ...`)."""


# --- reading: yaml.v3 -------------------------------------------------------------------------

_V3_NULL = ("", "~", "null", "Null", "NULL")
_V3_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False,
            "FALSE": False}  # fmt: skip
_V3_FLOAT_WORDS = {
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
_YAML_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")


def _go_parse_int(text: str) -> int | None:
    """strconv.ParseInt(text, 0, 64) (and ParseUint's range): None when it does not parse."""
    sign = 1
    body = text
    if body[:1] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    base = 10
    lowered = body.lower()
    if lowered.startswith("0x"):
        base, body = 16, body[2:]
    elif lowered.startswith("0o"):
        base, body = 8, body[2:]
    elif lowered.startswith("0b"):
        base, body = 2, body[2:]
    elif body.startswith("0") and len(body) > 1:
        base, body = 8, body[1:]
    if not body or not all(c in "0123456789abcdef"[:base] for c in body.lower()):
        return None
    value = sign * int(body, base)
    if not -(1 << 63) <= value < (1 << 64):
        return None
    return value


def resolve_v3(text: str) -> Any:
    """The value yaml.v3 gives a plain (unquoted) scalar when decoding into interface{}."""
    if text in _V3_NULL:
        return None
    if text in _V3_BOOL:
        return _V3_BOOL[text]
    if text in _V3_FLOAT_WORDS:
        return _V3_FLOAT_WORDS[text]
    if not text or text[0] not in "+-.0123456789":
        return text
    stamp = _v3_timestamp(text)
    if stamp is not None:
        return stamp
    plain = text.replace("_", "")
    if text[0] != ".":
        integer = _go_parse_int(plain)
        if integer is not None:
            return integer
    if _YAML_STYLE_FLOAT.match(plain):
        try:
            return float(plain)
        except ValueError:
            return text
    for prefix, sign in (("0b", 1), ("-0b", -1)):
        if (
            plain.startswith(prefix)
            and plain[len(prefix) :]
            and set(plain[len(prefix) :])
            <= {
                "0",
                "1",
            }
        ):
            return sign * int(plain[len(prefix) :], 2)
    return text


_V3_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]|[ ])(\d{1,2}):(\d{1,2}):(\d{1,2})(\.\d+)?"
    r"(Z|[-+]\d{2}:\d{2})?)?$"
)


def _v3_timestamp(text: str) -> str | None:
    """A plain scalar yaml.v3 reads as a time.Time (its four layouts), in the RFC 3339 form
    encoding/json gives it; None for anything else."""
    import datetime

    match = _V3_TIMESTAMP.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    if hour is not None and text[10] == " " and zone is not None:
        return None  # the layout with a space has no zone
    if hour is not None and text[10] in "Tt" and zone is None:
        return None  # the T layouts need one
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    clock = "00:00:00"
    if hour is not None:
        if int(hour) > 23 or int(minute) > 59 or int(second) > 59:
            return None
        clock = f"{int(hour):02d}:{int(minute):02d}:{int(second):02d}"
    digits = (fraction or "")[1:10].rstrip("0")
    suffix = "Z" if zone in (None, "Z", "+00:00") else zone
    return (
        f"{int(year):04d}-{int(month):02d}-{int(day):02d}T{clock}"
        + (f".{digits}" if digits else "")
        + suffix
    )


class DuplicateKeys(dict):  # type: ignore[type-arg]
    """A document with a key given twice in one of its maps: kyaml reads it, but cannot turn it
    into JSON, so the build fails when it prints it (`problems` are yaml.v3's lines)."""

    problems: list[str]


def duplicate_keys_error(obj: Any) -> str | None:
    """The error kustomize prints for an object read with repeated keys, or None."""
    if isinstance(obj, DuplicateKeys):
        lines = "\n".join(f"  {p}" for p in obj.problems)
        return f"map[string]interface {{}}(nil): yaml: unmarshal errors:\n{lines}"
    return None


_LOADER: Any = None


def _loader() -> Any:
    """A SafeLoader resolving plain scalars as yaml.v3 does (see resolve_v3)."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    class V3Loader(yaml.SafeLoader):
        def construct_document(self, node: Any) -> Any:
            self.root_line = node.start_mark.line
            self.duplicates: list[str] = []
            document = super().construct_document(node)
            if self.duplicates and isinstance(document, dict):
                document = DuplicateKeys(document)
                document.problems = self.duplicates
            return document

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                key = key_node.value
                line = key_node.start_mark.line - self.root_line + 1
                if key in seen:
                    self.duplicates.append(
                        f'line {line}: mapping key "{key}" already defined at line {seen[key]}'
                    )
                else:
                    seen[key] = line
            return super().construct_mapping(node, deep=deep)

    V3Loader.yaml_implicit_resolvers = {}

    def construct_plain(loader: Any, node: Any) -> Any:
        if node.style in ("'", '"', "|", ">"):
            return node.value
        return resolve_v3(node.value)

    def construct_str(loader: Any, node: Any) -> Any:
        # an untagged plain scalar reaches here with the str tag only when quoted
        return node.value

    # every scalar is resolved to "plain" first, then given its value by resolve_v3
    V3Loader.add_implicit_resolver("tag:kustomize:plain", re.compile(r"(?s).*"), None)
    V3Loader.add_constructor("tag:kustomize:plain", construct_plain)
    V3Loader.add_constructor("tag:yaml.org,2002:str", construct_str)
    _LOADER = V3Loader
    return _LOADER


def load_all(text: str) -> list[Any]:
    """The documents of a YAML stream, empty ones dropped; YamlError if it cannot be read."""
    import yaml

    try:
        return [d for d in yaml.load_all(text, Loader=_loader()) if d is not None]
    except yaml.YAMLError as err:
        raise YamlError(_go_yaml_error(err)) from None


def load(text: str) -> Any:
    """One YAML document (None when empty); YamlError if it cannot be read."""
    import yaml

    try:
        return yaml.load(text, Loader=_loader())
    except yaml.YAMLError as err:
        raise YamlError(_go_yaml_error(err)) from None


# PyYAML's words for a problem -> libyaml's, which go-yaml prints
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
    ("found undefined alias", "unknown anchor"),
)


def _go_yaml_error(err: Any) -> str:
    """go-yaml's "yaml: line N: <problem>" for a PyYAML error (lines are libyaml's)."""
    import yaml

    problem = str(getattr(err, "problem", None) or err)
    text = next((go for py, go in _LIBYAML_PROBLEMS if py in problem), problem)
    mark = getattr(err, "problem_mark", None)
    context = getattr(err, "context_mark", None)
    line = 0
    if mark is not None:
        line = mark.line
        if "<stream end>" in problem and mark.column != 0:
            line += 1
        if isinstance(err, yaml.scanner.ScannerError):
            line += 1 if line else 0
    if not line and context is not None:
        line = context.line
    return f"yaml: line {line}: {text}" if line else f"yaml: {text}"


# --- writing: encoding/json, then go-yaml v2 ----------------------------------------------------


def go_json_number(value: float) -> str:
    """encoding/json's text for a float64: %f-like, or %e from 1e21 and below 1e-6."""
    from kubesim.api.goprintf import _shortest_e, _shortest_f

    if value == 0:
        return "0" if math.copysign(1, value) > 0 else "-0"
    magnitude = abs(value)
    if magnitude < 1e-6 or magnitude >= 1e21:
        text = _shortest_e(value)
        # clean up e-09 to e-9, as encoding/json does
        return re.sub(r"e([-+])0(\d)$", r"e\1\2", text)
    return _shortest_f(value)


def _through_json(value: Any) -> Any:
    """A float as it reads back after encoding/json and go-yaml v2: an int when it has no
    fraction or exponent, else a float."""
    if isinstance(value, bool) or not isinstance(value, float):
        return value
    text = go_json_number(value)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return float(text)


def _key_less(a: str, b: str) -> bool:
    """go-yaml v2's keyList.Less for two string keys: letters after other runes, runs of digits
    compared as numbers."""
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + int(ar[ai]) if ar[ai] in "0123456789" else an
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + int(br[bi]) if br[bi] in "0123456789" else bn
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def sorted_keys(keys: list[str]) -> list[str]:
    """Keys in the order go-yaml v2 prints a map's."""
    import functools

    def compare(a: str, b: str) -> int:
        return -1 if _key_less(a, b) else (1 if _key_less(b, a) else 0)

    return sorted(keys, key=functools.cmp_to_key(compare))


def _prepare(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _prepare(value[k]) for k in sorted_keys([str(k) for k in value])}
    if isinstance(value, list):
        return [_prepare(v) for v in value]
    return _through_json(value)


_V2_BOOL_NULL = frozenset(
    "y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF "
    "~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF -.inf -.Inf -.INF".split()
)
_BASE60 = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:(?:[Tt](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?(?:Z|[-+]\d{2}:\d{2}))"
    r"|(?: (\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.\d{1,9})?))?$"
)


def _is_timestamp(text: str) -> bool:
    """go-yaml's parseTimestamp: time.Parse with its four layouts (dates must exist)."""
    import datetime

    match = _TIMESTAMP.match(text)
    if not match:
        return False
    year, month, day = (int(g) for g in match.groups()[:3])
    try:
        datetime.date(year, month, day)
    except ValueError:
        return False
    clock = [g for g in match.groups()[3:] if g is not None]
    if clock:
        hour, minute, second = (int(g) for g in clock)
        return hour < 24 and minute < 60 and second < 60
    return True


def v2_plain_is_string(text: str) -> bool:
    """True when go-yaml v2 would read `text`, unquoted, back as the same string (its encoder's
    canUsePlain: resolve gives !!str and it is not a base-60 float)."""
    if text == "" or text in _V2_BOOL_NULL:
        return False
    first = text[0]
    if first == ".":
        try:
            float(text)
            return False
        except ValueError:
            return True
    if first in "+-0123456789":
        if _is_timestamp(text):
            return False
        plain = text.replace("_", "")
        if _go_parse_int(plain) is not None:
            return False
        if _YAML_STYLE_FLOAT.match(plain):
            return False
        if plain.startswith("0b") and plain[2:] and set(plain[2:]) <= {"0", "1"}:
            return False
        if plain.startswith("-0b") and plain[3:] and set(plain[3:]) <= {"0", "1"}:
            return False
        if _BASE60.match(text):
            return False
    return True


def _v2_tag(text: str) -> str:
    if v2_plain_is_string(text):
        return "tag:yaml.org,2002:str"
    if text in ("~", "null", "Null", "NULL", ""):
        return "tag:yaml.org,2002:null"
    if text in _V2_BOOL_NULL and not text.lstrip("+-").startswith("."):
        return "tag:yaml.org,2002:bool"
    if _go_parse_int(text.replace("_", "")) is not None:
        return "tag:yaml.org,2002:int"
    return "tag:yaml.org,2002:float"


_DUMPER: Any = None


def _dumper() -> Any:
    global _DUMPER
    if _DUMPER is not None:
        return _DUMPER
    import yaml

    class GoYamlV2Dumper(yaml.SafeDumper):
        def analyze_scalar(self, scalar: str) -> Any:
            analysis = super().analyze_scalar(scalar)
            # libyaml counts runes beyond the BMP as unprintable: only double quotes, escaped
            if any(ord(c) > 0xFFFF for c in scalar):
                analysis.allow_flow_plain = analysis.allow_block_plain = False
                analysis.allow_single_quoted = analysis.allow_block = False
            return analysis

        def write_double_quoted(self, text: str, split: bool = True) -> None:
            if any(ord(c) > 0xFFFF for c in text):
                self.allow_unicode = False
                try:
                    super().write_double_quoted(text, split)
                finally:
                    self.allow_unicode = True
                return
            super().write_double_quoted(text, split)

    def represent_str(dumper: Any, value: str) -> Any:
        if "\n" in value:
            style: str | None = "|"
        elif v2_plain_is_string(value):
            style = None
        else:
            style = '"'
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    def represent_float(dumper: Any, value: float) -> Any:
        from kubesim.api.gofmt import go_float

        text = {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(go_float(value))
        return dumper.represent_scalar("tag:yaml.org,2002:float", text or go_float(value))

    def represent_dict(dumper: Any, value: dict[str, Any]) -> Any:
        return dumper.represent_mapping("tag:yaml.org,2002:map", value.items())

    GoYamlV2Dumper.add_representer(str, represent_str)
    GoYamlV2Dumper.add_representer(float, represent_float)
    GoYamlV2Dumper.add_representer(dict, represent_dict)

    def resolve(self: Any, kind: Any, value: Any, implicit: Any) -> str:
        # the tag go-yaml v2 gives a plain scalar: a string is left unquoted only when it
        # would read back as one
        if kind is yaml.ScalarNode and implicit[0]:
            return _v2_tag(value)
        return (
            "tag:yaml.org,2002:str"
            if kind is yaml.ScalarNode
            else str(yaml.SafeDumper.resolve(self, kind, value, implicit))  # type: ignore[no-untyped-call]
        )

    GoYamlV2Dumper.resolve = resolve  # type: ignore[method-assign]
    _DUMPER = GoYamlV2Dumper
    return _DUMPER


def to_yaml(obj: Any) -> str:
    """`obj` as sigs.k8s.io/yaml's Marshal prints it (go-yaml v2 over the JSON form)."""
    import yaml

    text: str = yaml.dump(
        _prepare(obj),
        Dumper=_dumper(),
        default_flow_style=False,
        allow_unicode=True,
        width=80,
        indent=2,
        sort_keys=False,
    )
    return text
