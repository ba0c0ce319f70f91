"""A stream of JSON values as Go's encoding/json Decoder reads them (kubectl reads a manifest
that starts with `{` this way): each value's text and what it decodes to, or the error Go
reports, with its byte offset in the stream.

Python's json module does the decoding; Go's scanner (encoding/json/scanner.go) is replayed
only to word an error as Go does: `invalid character 'x' looking for beginning of value`,
`unexpected EOF`, and `exceeded max depth` past 10,000 nested arrays and objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from kubesim.api import recursion

MAX_DEPTH = 10000  # scanner.go maxNestingDepth
_INT64 = (-(1 << 63), (1 << 63) - 1)
_SPACE = " \t\r\n"


class JSONError(Exception):
    """A value cannot be read: str() is Go's error (`json: offset 7: invalid character ...`
    as YAMLOrJSONDecoder words a syntax error, or `unexpected EOF`)."""


def decode_stream(text: str) -> Iterator[tuple[str, Any]]:
    """Each JSON value in `text`: its text, and its value as kubectl's decoder holds it
    (integral numbers as int, others as float). JSONError ends the stream."""
    decoder = json.JSONDecoder(parse_constant=_refuse_constant)
    pos = 0
    length = len(text)
    while True:
        while pos < length and text[pos] in _SPACE:
            pos += 1
        if pos >= length:
            return
        end = None
        try:
            with recursion.at_most(MAX_DEPTH):  # the C decoder counts against Python's limit
                value, end = decoder.raw_decode(text, pos)
        except (ValueError, RecursionError):
            pass
        if end is None or recursion.nesting(value) > MAX_DEPTH:
            raise JSONError(_go_error(text, pos))
        yield text[pos:end], _normalize(value)
        pos = end


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and Infinity are not JSON to Go


def _normalize(value: Any) -> Any:
    """util/json's numbers: int64 when the text is an integer that fits, else float64; Go
    also writes every lone surrogate as U+FFFD."""
    result: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, result, 0)]
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, dict):
            out = {_clean(k): None for k in item}
            stack += [(v, out, _clean(k)) for k, v in item.items()]
            parent[key] = out
        elif isinstance(item, list):
            items: list[Any] = [None] * len(item)
            stack += [(v, items, i) for i, v in enumerate(item)]
            parent[key] = items
        elif isinstance(item, str):
            parent[key] = _clean(item)
        elif isinstance(item, int) and not isinstance(item, bool):
            parent[key] = item if _INT64[0] <= item <= _INT64[1] else float(item)
        else:
            parent[key] = item
    return result[0]


def _clean(text: str) -> str:
    if any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)
    return text


# --- Go's scanner, for the words of an error ------------------------------------------------


def _go_error(text: str, start: int) -> str:
    """The error json.Decoder gives for the value at `start`: a syntax error with the offset
    of the byte that caused it (counted from the start of the stream), or unexpected EOF."""
    scanner = _Scanner()
    for i in range(start, len(text)):
        problem = scanner.step(text[i])
        if problem == "end":
            break
        if problem:
            offset = len(text[: i + 1].encode("utf-8", "surrogatepass"))
            return f"json: offset {offset}: {problem}"
    return "unexpected EOF"


def _quote_char(char: str) -> str:
    """quoteChar in scanner.go."""
    if char == "'":
        return "'\\''"
    if char == '"':
        return "'\"'"
    from kubesim.api.gofmt import go_quote

    return "'" + go_quote(char)[1:-1] + "'"


class _Scanner:
    """scanner.go's state machine, one character at a time: step returns "" to go on, "end"
    once the value is complete, or the error text."""

    def __init__(self) -> None:
        self.state = "begin_value"
        self.stack: list[str] = []  # "key" or "value" for objects, "array" for arrays
        self.hex = 0

    def error(self, char: str, context: str) -> str:
        return f"invalid character {_quote_char(char)} {context}"

    def push(self, char: str, kind: str) -> str:
        self.stack.append(kind)
        if len(self.stack) > MAX_DEPTH:
            return self.error(char, "exceeded max depth")
        return ""

    def step(self, char: str) -> str:  # noqa: C901 - one branch per state, as scanner.go
        state = self.state
        if state == "begin_value_or_empty":
            if char in _SPACE:
                return ""
            if char == "]":
                return self.end_value(char)
            state = "begin_value"
        if state == "begin_value":
            if char in _SPACE:
                return ""
            if char == "{":
                self.state = "begin_string_or_empty"
                return self.push(char, "key")
            if char == "[":
                self.state = "begin_value_or_empty"
                return self.push(char, "array")
            if char == '"':
                self.state = "in_string"
                return ""
            if char == "-":
                self.state = "neg"
                return ""
            if char == "0":
                self.state = "zero"
                return ""
            if "1" <= char <= "9":
                self.state = "digits"
                return ""
            if char in "tfn":
                self.state = {"t": "rue", "f": "alse", "n": "ull"}[char]
                self.literal = {"t": "true", "f": "false", "n": "null"}[char]
                return ""
            return self.error(char, "looking for beginning of value")
        if state == "begin_string_or_empty":
            if char in _SPACE:
                return ""
            if char == "}":
                self.stack[-1] = "value"
                return self.end_value(char)
            state = "begin_string"
        if state == "begin_string":
            if char in _SPACE:
                return ""
            if char == '"':
                self.state = "in_string"
                return ""
            return self.error(char, "looking for beginning of object key string")
        if state == "in_string":
            if char == '"':
                self.state = "end_value"
                return ""
            if char == "\\":
                self.state = "in_string_esc"
                return ""
            if ord(char) < 0x20:
                return self.error(char, "in string literal")
            return ""
        if state == "in_string_esc":
            if char in 'bfnrt\\/"':
                self.state = "in_string"
                return ""
            if char == "u":
                self.state, self.hex = "in_string_esc_u", 0
                return ""
            return self.error(char, "in string escape code")
        if state == "in_string_esc_u":
            if char in "0123456789abcdefABCDEF":
                self.hex += 1
                if self.hex == 4:
                    self.state = "in_string"
                return ""
            return self.error(char, "in \\u hexadecimal character escape")
        if state == "neg":
            if char == "0":
                self.state = "zero"
                return ""
            if "1" <= char <= "9":
                self.state = "digits"
                return ""
            return self.error(char, "in numeric literal")
        if state == "digits" and "0" <= char <= "9":
            return ""
        if state in ("digits", "zero"):
            if char == ".":
                self.state = "dot"
                return ""
            if char in "eE":
                self.state = "e"
                return ""
            return self.end_value(char)
        if state == "dot":
            if "0" <= char <= "9":
                self.state = "dot0"
                return ""
            return self.error(char, "after decimal point in numeric literal")
        if state == "dot0":
            if "0" <= char <= "9":
                return ""
            if char in "eE":
                self.state = "e"
                return ""
            return self.end_value(char)
        if state == "e":
            if char in "+-":
                self.state = "e_sign"
                return ""
            state = "e_sign"
        if state == "e_sign":
            if "0" <= char <= "9":
                self.state = "e0"
                return ""
            return self.error(char, "in exponent of numeric literal")
        if state == "e0":
            if "0" <= char <= "9":
                return ""
            return self.end_value(char)
        if state in ("rue", "alse", "ull", "ue", "e_lit", "lse", "se", "ll", "l"):
            return self.literal_step(char)
        if state == "end_value":
            return self.end_value(char)
        return ""

    def literal_step(self, char: str) -> str:
        rest = self.state if self.state != "e_lit" else "e"
        if char == rest[0]:
            rest = rest[1:]
            self.state = {"": "end_value", "e": "e_lit"}.get(rest, rest)
            return ""
        return self.error(char, f"in literal {self.literal} (expecting {_quote_char(rest[0])})")

    def end_value(self, char: str) -> str:
        """stateEndValue: what may follow a complete value."""
        if not self.stack:
            return "end"
        if char in _SPACE:
            self.state = "end_value"
            return ""
        top = self.stack[-1]
        if top == "key":
            if char == ":":
                self.stack[-1] = "value"
                self.state = "begin_value"
                return ""
            return self.error(char, "after object key")
        if top == "value":
            if char == ",":
                self.stack[-1] = "key"
                self.state = "begin_string"
                return ""
            if char == "}":
                self.stack.pop()
                return self.closed()
            return self.error(char, "after object key:value pair")
        if char == ",":
            self.state = "begin_value"
            return ""
        if char == "]":
            self.stack.pop()
            return self.closed()
        return self.error(char, "after array element")

    def closed(self) -> str:
        self.state = "end_value"
        return "end" if not self.stack else ""


def unmarshal_object_error(text: str) -> str | None:
    """The error json.Unmarshal gives decoding `text` into a map[string]interface{}: a
    syntax error (without the decoder's offset), unexpected end of input, a value that is not
    an object; None when it decodes."""
    scanner = _Scanner()
    ended = False
    for char in text:
        if ended:
            if char not in _SPACE:
                return f"invalid character {_quote_char(char)} after top-level value"
            continue
        problem = scanner.step(char)
        if problem == "end":
            ended = True
        elif problem:
            return problem
    if not ended:
        # a lone number ends only at the end of the input
        try:
            value = json.loads(text)
        except ValueError:
            return "unexpected end of JSON input"
    else:
        value = json.loads(text)
    if isinstance(value, dict) or value is None:
        return None
    kinds = {bool: "bool", str: "string", list: "array", int: "number", float: "number"}
    return (
        f"json: cannot unmarshal {kinds.get(type(value), 'value')} into Go value of type "
        "map[string]interface {}"
    )
