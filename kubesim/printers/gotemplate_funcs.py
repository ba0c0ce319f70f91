"""The functions a kubectl go-template can call: text/template's builtins (funcs.go, Go 1.23)
and the two kubectl adds (exists, base64decode; cli-runtime/pkg/printers/template.go).

Values follow reflect's model, in Python: MISSING is the invalid reflect.Value (a missing map
key), Iface(x) is x held in an interface{} (an element of a decoded map or list, None being
the nil interface), anything else a concrete value. Each function declares its parameters as
Go types ("value" for reflect.Value, "any" for interface{}, "string") so that the executor can
check arguments as Go does; a function fails by raising CallError.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.api import goprintf
from kubesim.api.gofmt import GoInt, GoUint8, go_kind


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Iface:
    """A value held in an interface{}; None is the nil interface."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value


class CallError(Exception):
    """Raised by a function; the executor reports `error calling <name>: <message>`."""


def indirect_interface(value: Any) -> Any:
    """The concrete value in an interface (MISSING for the nil interface)."""
    if isinstance(value, Iface):
        return MISSING if value.value is None else value.value
    return value


def type_name(value: Any) -> str:
    """reflect.Value.Type().String() of a valid value."""
    return "interface {}" if isinstance(value, Iface) else go_kind(value)


def is_true(value: Any) -> bool:
    """text/template's truth: not the zero value of its type; nil and MISSING are false."""
    if value is MISSING or value is None:
        return False
    if isinstance(value, Iface):
        return value.value is not None
    if isinstance(value, bool | int | float | complex):
        return value != 0
    return len(value) > 0


def _interface(value: Any) -> Any:
    """What a function declared with interface{} parameters receives (nil is None)."""
    if isinstance(value, Iface):
        return value.value
    return None if value is MISSING else value


class Func:
    """A function's Go signature (the last parameter repeats when variadic) and body."""

    __slots__ = ("params", "variadic", "call")

    def __init__(
        self, params: tuple[str, ...], variadic: bool, call: Callable[[list[Any]], Any]
    ) -> None:
        self.params, self.variadic, self.call = params, variadic, call


# Indexing and slicing


def _index_arg(index: Any, cap: int) -> int:
    if index is MISSING:
        raise CallError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise CallError(f"cannot index slice/array with type {type_name(index)}")
    if index < 0 or index > cap:
        raise CallError(f"index out of range: {index}")
    return int(index)


def _index(args: list[Any]) -> Any:
    item = indirect_interface(args[0])
    if item is MISSING:
        raise CallError("index of untyped nil")
    for index in args[1:]:
        index = indirect_interface(index)
        if isinstance(item, Iface):
            if item.value is None:
                raise CallError("index of nil pointer")
            item = item.value
        if isinstance(item, list | str):
            size = len(item) if isinstance(item, list) else len(item.encode())
            position = _index_arg(index, size)
            if position == size:  # indexArg allows it; reflect's Index panics
                kind = "slice" if isinstance(item, list) else "string"
                raise CallError(f"reflect: {kind} index out of range")
            if isinstance(item, list):
                item = Iface(item[position])
            else:
                item = GoUint8(item.encode("utf-8", "surrogateescape")[position])
        elif isinstance(item, dict):
            if index is MISSING:
                raise CallError("value is nil; should be of type string")
            if not isinstance(index, str):
                raise CallError(f"value has type {type_name(index)}; should be string")
            item = Iface(item.get(index))
        else:
            raise CallError(f"can't index item of type {type_name(item)}")
    return item


def _slice(args: list[Any]) -> Any:
    item = indirect_interface(args[0])
    indexes = args[1:]
    if item is MISSING:
        raise CallError("slice of untyped nil")
    if len(indexes) > 3:
        raise CallError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise CallError("cannot 3-index slice a string")
        data = item.encode("utf-8", "surrogateescape")
        cap = len(data)
    elif isinstance(item, list):
        cap = len(item)
    else:
        raise CallError(f"can't slice item of type {type_name(item)}")
    bounds = [0, cap, cap]
    for number, index in enumerate(indexes):
        bounds[number] = _index_arg(indirect_interface(index), cap)
    if bounds[0] > bounds[1]:
        raise CallError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and bounds[1] > bounds[2]:
        raise CallError(f"invalid slice index: {bounds[1]} > {bounds[2]}")
    if isinstance(item, str):
        return data[bounds[0] : bounds[1]].decode("utf-8", "surrogateescape")
    return item[bounds[0] : bounds[1]]


def _len(args: list[Any]) -> Any:
    item = args[0]
    if isinstance(item, Iface):
        if item.value is None:
            raise CallError("len of nil pointer")
        item = item.value
    if item is MISSING:  # length() asks the invalid value its type, and reflect panics
        raise CallError("reflect: call of reflect.Value.Type on zero Value")
    if isinstance(item, str):
        return GoInt(len(item.encode("utf-8", "surrogateescape")))
    if isinstance(item, list | dict):
        return GoInt(len(item))
    raise CallError(f"len of type {type_name(item)}")


# Comparison


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoUint8):
        return "uint"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, complex):
        return "complex"
    if isinstance(value, str):
        return "string"
    return "invalid"


def _eq(args: list[Any]) -> bool:
    first = indirect_interface(args[0])
    if len(args) == 1:
        raise CallError("missing argument for comparison")
    kind1 = _basic_kind(first)
    for arg in args[1:]:
        arg = indirect_interface(arg)
        kind2 = _basic_kind(arg)
        if kind1 != kind2:
            if {kind1, kind2} == {"int", "uint"}:
                truth = first == arg
            elif first is not MISSING and arg is not MISSING:
                raise CallError("incompatible types for comparison")
            else:
                truth = False
        elif kind1 != "invalid":
            truth = first == arg
        else:
            truth = _eq_other(first, arg)
        if truth:
            return True
    return False


def _eq_other(first: Any, arg: Any) -> bool:
    """eq for values of no basic kind: nil, MISSING, maps and lists."""
    nil1, nil2 = first is MISSING, arg is MISSING
    if not nil1 and not nil2 and type(first) is not type(arg):
        raise CallError(
            f"non-comparable types {goprintf.sprintf('%s', [first])}: {type_name(first)}, "
            f"{type_name(arg)}: {goprintf.sprintf('%v', [arg])}"
        )
    if nil1 or nil2:
        return nil1 == nil2
    raise CallError(f"non-comparable type {goprintf.sprintf('%s', [arg])}: {type_name(arg)}")


def _lt(args: list[Any]) -> bool:
    first, second = indirect_interface(args[0]), indirect_interface(args[1])
    kind1, kind2 = _basic_kind(first), _basic_kind(second)
    if "invalid" in (kind1, kind2):
        raise CallError("invalid type for comparison")
    if kind1 != kind2:
        if {kind1, kind2} == {"int", "uint"}:
            return bool(first < second)
        raise CallError("incompatible types for comparison")
    if kind1 in ("bool", "complex"):
        raise CallError("invalid type for comparison")
    return bool(first < second)


def _le(args: list[Any]) -> bool:
    return _lt(args) or _eq(args)


def _not(args: list[Any]) -> bool:
    return not is_true(indirect_interface(args[0]))


# Printing and escaping


def _eval_args(args: list[Any]) -> str:
    """evalArgs: fmt.Sprint, with a nil argument printed as <no value>."""
    values = [_interface(arg) for arg in args]
    if len(values) == 1 and isinstance(values[0], str):
        return values[0]
    return goprintf.sprint(["<no value>" if v is None else v for v in values])


def _html(args: list[Any]) -> str:
    text = _eval_args(args)
    for char, escaped in (
        ("&", "&amp;"), ("\0", "\ufffd"), ('"', "&#34;"), ("'", "&#39;"), ("<", "&lt;"),
        (">", "&gt;"),
    ):  # fmt: skip
        text = text.replace(char, escaped)
    return text


_JS_ESCAPES = {
    "\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E", "&": "\\u0026",
    "=": "\\u003D",
}  # fmt: skip


def _js(args: list[Any]) -> str:
    out = []
    for char in _eval_args(args):
        if char in _JS_ESCAPES:
            out.append(_JS_ESCAPES[char])
        elif char < " ":
            out.append(f"\\u00{ord(char):02X}")
        elif char < "\x80" or char.isprintable():
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04X}")
    return "".join(out)


def _urlquery(args: list[Any]) -> str:
    import urllib.parse

    return urllib.parse.quote_plus(_eval_args(args), safe="")


# kubectl's own


def _exists(args: list[Any]) -> bool:
    """exists: whether `index item indices...` would find something that is not nil."""
    if len(args) == 1:
        return True  # reflect.ValueOf(nil) is the invalid Value, which indirect finds not nil
    item = _interface(args[0])
    for index in (_interface(i) for i in args[1:]):
        if item is None:
            return False
        if isinstance(item, list | str):
            if isinstance(index, bool) or not isinstance(index, int):
                return False
            size = len(item) if isinstance(item, list) else len(item.encode())
            if not 0 <= index < size:
                return False
            item = item[index] if isinstance(item, list) else GoUint8(item.encode()[index])
        elif isinstance(item, dict):
            if not isinstance(index, str | None):
                return False
            item = item.get(index or "")
        else:
            return False
    return item is not None


_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _base64decode(args: list[Any]) -> str:
    """base64.StdEncoding.DecodeString, failing as kubectl's base64decode does."""
    source = args[0].encode("utf-8", "surrogateescape")
    try:
        return _b64decode(source).decode("utf-8", "surrogateescape")
    except ValueError as err:
        raise CallError(f"base64 decode failed: illegal base64 data at input byte {err}") from None


def _b64decode(src: bytes) -> bytes:
    """encoding/base64's decodeQuantum loop; ValueError(offset) where the input is corrupt."""
    out = bytearray()
    si = 0
    while True:
        quantum: list[int] = []
        dlen = 4
        while len(quantum) < 4:
            if si == len(src):
                if not quantum:
                    return bytes(out)
                raise ValueError(si - len(quantum))
            char = src[si]
            si += 1
            if char in b"\r\n":
                continue
            value = _B64.find(chr(char)) if char < 0x80 else -1
            if value >= 0:
                quantum.append(value)
                continue
            if char != ord("=") or len(quantum) < 2:
                raise ValueError(si - 1)
            if len(quantum) == 2:  # "==" is expected; the first "=" is already read
                while si < len(src) and src[si] in b"\r\n":
                    si += 1
                if si == len(src):
                    raise ValueError(len(src))
                if src[si] != ord("="):
                    raise ValueError(si - 1)
                si += 1
            while si < len(src) and src[si] in b"\r\n":
                si += 1
            if si < len(src):
                raise ValueError(si)  # trailing garbage
            dlen = len(quantum)
            quantum += [0] * (4 - len(quantum))
        value = quantum[0] << 18 | quantum[1] << 12 | quantum[2] << 6 | quantum[3]
        out += value.to_bytes(3, "big")[: dlen - 1]
        if dlen < 4:
            return bytes(out)


_VALUE, _ANY, _STRING = "value", "any", "string"

FUNCS: dict[str, Func] = {
    "and": Func((_VALUE, _VALUE), True, lambda args: args[-1]),  # short-circuits in the executor
    "or": Func((_VALUE, _VALUE), True, lambda args: args[-1]),
    "call": Func((_VALUE, _VALUE), True, lambda args: MISSING),  # in the executor too
    "html": Func((_ANY,), True, _html),
    "index": Func((_VALUE, _VALUE), True, _index),
    "slice": Func((_VALUE, _VALUE), True, _slice),
    "js": Func((_ANY,), True, _js),
    "len": Func((_VALUE,), False, _len),
    "not": Func((_VALUE,), False, _not),
    "print": Func((_ANY,), True, lambda args: goprintf.sprint([_interface(a) for a in args])),
    "printf": Func(
        (_STRING, _ANY), True, lambda a: goprintf.sprintf(a[0], [_interface(x) for x in a[1:]])
    ),
    "println": Func((_ANY,), True, lambda args: goprintf.sprintln([_interface(a) for a in args])),
    "urlquery": Func((_ANY,), True, _urlquery),
    "eq": Func((_VALUE, _VALUE), True, _eq),
    "ge": Func((_VALUE, _VALUE), False, lambda args: not _lt(args)),
    "gt": Func((_VALUE, _VALUE), False, lambda args: not _le(args)),
    "le": Func((_VALUE, _VALUE), False, _le),
    "lt": Func((_VALUE, _VALUE), False, _lt),
    "ne": Func((_VALUE, _VALUE), False, lambda args: not _eq(args)),
    "exists": Func((_ANY, _ANY), True, _exists),
    "base64decode": Func((_STRING,), False, _base64decode),
}
