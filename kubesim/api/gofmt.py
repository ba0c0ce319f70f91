"""Go's text for JSON-shaped values: fmt's %v, encoding/json's compact form, reflect kinds.

kubectl and the apiserver compare, sort and print decoded JSON through these, so kubesim uses
the same rules wherever such text reaches the user (error messages, custom columns, the
last-applied-configuration annotation, go-templates).

Decoded JSON holds int64 numbers; a template also makes Go `int`s (literals, len) and `uint8`s
(indexing a string), which print alike but name their type differently: GoInt and GoUint8.
"""

from __future__ import annotations

import json
from typing import Any


class GoInt(int):
    """An integer whose Go type is int, not the int64 of decoded JSON."""


class GoUint8(int):
    """A byte, as text/template's index yields for a string."""


def go_kind(value: Any) -> str:
    """reflect.TypeOf of a value decoded by k8s.io/apimachinery/pkg/util/json."""
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return "int"
    if isinstance(value, GoUint8):
        return "uint8"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, complex):
        return "complex128"
    if isinstance(value, str):
        return "string"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "[]interface {}"


def json_kind(value: Any) -> str:
    """What encoding/json calls a decoded value in its errors: object, array, string, number,
    bool or null."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "null"


def go_sprint(value: Any) -> str:
    """fmt.Sprint / %v of a decoded JSON value: `map[a:1 b:[x y]]`, `<nil>`, `1e+06`."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return go_float(value)
    if isinstance(value, complex):
        imag = go_float(value.imag)
        sign = "" if imag[0] in "+-" else "+"
        return f"({go_float(value.real)}{sign}{imag}i)"
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "map[" + " ".join(f"{k}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
    return "[" + " ".join(go_sprint(v) for v in value) + "]"


def go_float(value: float) -> str:
    """strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form from 1e+06 on."""
    if value != value:
        return "NaN"
    if value in (float("inf"), float("-inf")):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = repr(abs(value)).partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # the decimal exponent of the first significant digit
    exp = int(exponent or 0) + len(whole) - 1 - (len(whole + fraction) - len(digits))
    digits = digits.rstrip("0") or "0"
    if exp < -4 or exp >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp >= 0:
        head = digits[: exp + 1].ljust(exp + 1, "0")
        tail = digits[exp + 1 :]
        return sign + head + ("." + tail if tail else "")
    return sign + "0." + "0" * (-exp - 1) + digits


def go_json(value: Any) -> str:
    """encoding/json's compact form: sorted keys, UTF-8, and <, >, & escaped as \\u003c..."""
    text = json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    return _escape_html(text)


def go_json_indent(value: Any) -> str:
    """encoding/json's MarshalIndent(value, "", "    "), escaped as go_json is."""
    return _escape_html(json.dumps(value, indent=4, sort_keys=True, ensure_ascii=False))


def _escape_html(text: str) -> str:
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


_ESCAPES = {
    "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v",
}  # fmt: skip


def go_quote(text: str, *, ascii_only: bool = False) -> str:
    """strconv.Quote (QuoteToASCII with ascii_only): a double-quoted Go string literal."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, kept by surrogateescape
            out.append(f"\\x{code - 0xDC00:02x}")
        elif char.isprintable() and (code < 0x80 or not ascii_only):
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    return "".join(out) + '"'
