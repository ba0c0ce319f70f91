"""Go's strconv for Go literals: Unquote, UnquoteChar, and ParseInt/ParseUint/ParseFloat with
base 0 (prefixes 0x, 0o, 0b and a leading 0 for octal, `_` between digits).

Each raises SyntaxError_ or RangeError_, whose text is strconv's ("invalid syntax",
"value out of range"); Go strings may hold any bytes, so unquoted bytes that are not UTF-8 are
kept as surrogate escapes.
"""

from __future__ import annotations


class NumError(ValueError):
    """strconv's *NumError and ErrSyntax: str() is the bare reason, as Go's errors print."""


class SyntaxError_(NumError):
    def __init__(self) -> None:
        super().__init__("invalid syntax")


class RangeError_(NumError):
    def __init__(self) -> None:
        super().__init__("value out of range")


_SIMPLE_ESCAPES = {"a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9, "v": 11, "\\": 92}


def unquote_char(text: str, quote: str) -> tuple[int, bool, str]:
    """strconv.UnquoteChar: the first character of text (a rune, or a byte when the flag says
    so), and the rest of text."""
    if not text:
        raise SyntaxError_()
    char = text[0]
    if char == quote and quote in "'\"":
        raise SyntaxError_()
    if char != "\\":
        return ord(char), False, text[1:]
    if len(text) <= 1:
        raise SyntaxError_()
    escape, rest = text[1], text[2:]
    if escape in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[escape], False, rest
    if escape in "xuU":
        size = {"x": 2, "u": 4, "U": 8}[escape]
        digits = rest[:size]
        if len(digits) < size or any(c not in "0123456789abcdefABCDEF" for c in digits):
            raise SyntaxError_()
        value = int(digits, 16)
        if escape == "x":
            return value, True, rest[size:]
        if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
            raise SyntaxError_()
        return value, False, rest[size:]
    if escape in "01234567":
        digits = text[1:4]
        if len(digits) < 3 or any(c not in "01234567" for c in digits):
            raise SyntaxError_()
        value = int(digits, 8)
        if value > 255:
            raise SyntaxError_()
        return value, True, text[4:]
    if escape in "'\"":
        if escape != quote:
            raise SyntaxError_()
        return ord(escape), False, rest
    raise SyntaxError_()


def unquote(literal: str) -> str:
    """strconv.Unquote of a "double-quoted" or `raw` Go string literal."""
    if len(literal) < 2 or literal[0] != literal[-1] or literal[0] not in '"`':
        raise SyntaxError_()
    body = literal[1:-1]
    if literal[0] == "`":
        if "`" in body:
            raise SyntaxError_()
        return body.replace("\r", "")  # raw strings drop carriage returns
    if "\n" in body:
        raise SyntaxError_()
    out = bytearray()
    while body:
        value, is_byte, body = unquote_char(body, '"')
        out += bytes([value]) if is_byte else chr(value).encode("utf-8", "surrogatepass")
    return out.decode("utf-8", "surrogateescape")


def parse_uint(text: str) -> int:
    """strconv.ParseUint(text, 0, 64)."""
    if not text:
        raise SyntaxError_()
    base, body = 10, text
    if text[0] == "0":
        prefix = text[1:2].lower()
        if len(text) >= 3 and prefix in ("b", "o", "x"):
            base, body = {"b": 2, "o": 8, "x": 16}[prefix], text[2:]
        else:
            base, body = 8, text[1:]
    value = 0
    underscores = False
    for char in body:
        if char == "_":
            underscores = True
            continue
        digit = int(char, 36) if char.isascii() and char.isalnum() else 99
        if digit >= base:
            raise SyntaxError_()
        value = value * base + digit
    if underscores and not _underscore_ok(text):
        raise SyntaxError_()
    if value >= 1 << 64:
        raise RangeError_()
    return value


def parse_int(text: str) -> int:
    """strconv.ParseInt(text, 0, 64)."""
    if not text:
        raise SyntaxError_()
    negative = text[0] == "-"
    magnitude = parse_uint(text[1:] if text[0] in "+-" else text)
    if magnitude > (1 << 63) - (0 if negative else 1):
        raise RangeError_()
    return -magnitude if negative else magnitude


def parse_float(text: str) -> float:
    """strconv.ParseFloat(text, 64), for the numbers Go's template lexer lets through."""
    body = text.lstrip("+-")
    sign = -1.0 if text.startswith("-") else 1.0
    if "_" in body and not _underscore_ok(body):
        raise SyntaxError_()
    body = body.replace("_", "")
    try:
        if body[:2].lower() == "0x":
            if "p" not in body.lower():
                raise SyntaxError_()
            value = float.fromhex(body)
        else:
            if not body or body.lower().startswith(("i", "n")) or not body.isascii():
                raise SyntaxError_()
            value = float(body)
    except ValueError:
        raise SyntaxError_() from None
    if value in (float("inf"), float("-inf")):
        raise RangeError_()
    return sign * value


def _underscore_ok(text: str) -> bool:
    """strconv's underscoreOK: underscores only between digits or after a base prefix."""
    saw = "^"
    if text[:1] in ("+", "-"):
        text = text[1:]
    i = 0
    hex_digits = False
    if len(text) >= 2 and text[0] == "0" and text[1].lower() in "box":
        i, saw, hex_digits = 2, "0", text[1].lower() == "x"
    for char in text[i:]:
        if "0" <= char <= "9" or (hex_digits and char.lower() in "abcdef"):
            saw = "0"
        elif char == "_":
            if saw != "0":
                return False
            saw = "_"
        elif saw == "_":
            return False
        else:
            saw = "!"
    return saw != "_"
