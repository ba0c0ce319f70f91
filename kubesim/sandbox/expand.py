"""Word expansion in POSIX order: tilde, parameters, command substitution, arithmetic, then
field splitting on IFS and pathname expansion of the unquoted parts.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kubesim.sandbox.lexer import parse_parts
from kubesim.sandbox.syntax import Arith, CommandSub, Lit, Param, Part, Word

DEFAULT_IFS = " \t\n"


class ExpansionError(Exception):
    """${x?message}, bad arithmetic: the shell prints the message and the command fails."""


class Context(Protocol):
    def lookup(self, name: str) -> str | None: ...
    def assign(self, name: str, value: str) -> None: ...
    def positional(self) -> list[str]: ...
    def substitute(self, source: str) -> str: ...
    def glob(self, pattern: str) -> list[str]: ...


@dataclass
class _Field:
    chars: list[tuple[str, bool]]  # (character, quoted)
    present: bool = False  # a quoted empty string still makes a field


def expand_fields(words: tuple[Word, ...] | list[Word], ctx: Context) -> list[str]:
    """The argument list the words expand to (split and globbed)."""
    result: list[str] = []
    for word in words:
        result += _fields(word, ctx)
    return result


def expand_string(word: Word | tuple[Part, ...], ctx: Context) -> str:
    """One string, no splitting or globbing (assignments, redirection targets, case words)."""
    parts = word.parts if isinstance(word, Word) else word
    pieces: list[str] = []
    for index, part in enumerate(parts):
        value = _part_value(part, ctx, first=index == 0)
        pieces.append(" ".join(value) if isinstance(value, list) else value)
    return "".join(pieces)


def _fields(word: Word, ctx: Context) -> list[str]:
    ifs = ctx.lookup("IFS")
    ifs = DEFAULT_IFS if ifs is None else ifs
    fields: list[_Field] = []
    current = _Field([])

    def finish() -> None:
        nonlocal current
        if current.chars or current.present:
            fields.append(current)
        current = _Field([])

    for index, part in enumerate(word.parts):
        following = word.parts[index + 1] if index + 1 < len(word.parts) else None
        if part == Lit("", quoted=True) and following == Param("@", quoted=True):
            continue  # the opening quote of "$@" makes no field by itself
        value = _part_value(part, ctx, first=index == 0)
        quoted = getattr(part, "quoted", False)
        if isinstance(value, list):  # "$@": one field per positional parameter
            for i, item in enumerate(value):
                if i:
                    finish()
                current.chars += [(c, True) for c in item]
                current.present = True
            continue
        if isinstance(part, Lit) or quoted:
            current.chars += [(c, quoted) for c in value]
            current.present = current.present or quoted
            continue
        for c in value:  # unquoted expansion: split on IFS
            if c in ifs:
                finish()
            else:
                current.chars.append((c, False))
    finish()
    result: list[str] = []
    for f in fields:
        text = "".join(c for c, _ in f.chars)
        if any(c in "*?[" and not q for c, q in f.chars):
            pattern = "".join(_escape(c) if q else c for c, q in f.chars)
            matches = ctx.glob(pattern)
            result += matches if matches else [text]
        else:
            result.append(text)
    return result


def _escape(c: str) -> str:
    return f"[{c}]" if c in "*?[" else c


def _part_value(part: Part, ctx: Context, first: bool = False) -> str | list[str]:
    if isinstance(part, Lit):
        if first and not part.quoted and part.text.startswith("~"):
            return _tilde(part.text, ctx)
        return part.text
    if isinstance(part, CommandSub):
        # trailing newlines are removed from command substitutions
        return ctx.substitute(part.source).rstrip("\n")
    if isinstance(part, Arith):
        return str(arithmetic(expand_string(parse_parts(part.source, True), ctx), ctx))
    return _param(part, ctx)


def _tilde(text: str, ctx: Context) -> str:
    head, sep, tail = text.partition("/")
    if head == "~":
        return (ctx.lookup("HOME") or "/") + sep + tail
    if head == "~root":
        return "/root" + sep + tail
    return text


def _param(part: Param, ctx: Context) -> str | list[str]:
    name, op = part.name, part.op
    if name in ("@", "*") and not op:
        values = ctx.positional()
        if name == "@" and part.quoted:
            return values
        return " ".join(values)
    value = ctx.lookup(name)
    if op == "":
        return value or ""
    if op == "len":
        return str(len(value or ""))
    unset = value is None or (op.startswith(":") and value == "")

    def arg() -> str:  # the word is expanded only when the operator uses it
        return expand_string(part.arg, ctx)

    if op in (":-", "-"):
        return arg() if unset else value or ""
    if op in (":=", "="):
        if unset:
            ctx.assign(name, arg())
            return ctx.lookup(name) or ""
        return value or ""
    if op in (":+", "+"):
        return "" if unset else arg()
    if op in (":?", "?"):
        if unset:
            message = arg() or ("parameter null or not set" if op == ":?" else "parameter not set")
            raise ExpansionError(f"{name}: {message}")
        return value or ""
    return _trim(value or "", op, arg())


def _trim(value: str, op: str, pattern: str) -> str:
    """${x#p} ${x##p} ${x%p} ${x%%p}: remove the shortest/longest matching prefix/suffix."""
    cuts = range(len(value) + 1)
    if op in ("#", "##"):
        order = reversed(cuts) if op == "##" else cuts
        for i in order:
            if fnmatch.fnmatchcase(value[:i], pattern):
                return value[i:]
    else:
        order = cuts if op == "%%" else reversed(cuts)
        for i in order:
            if fnmatch.fnmatchcase(value[i:], pattern):
                return value[:i]
    return value


# --- arithmetic ----------------------------------------------------------------------------

_BINARY: dict[type, Callable[[int, int], int]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: int(a / b),  # C division truncates toward zero
    ast.Mod: lambda a, b: a - int(a / b) * b,
    ast.Pow: lambda a, b: a**b,
    ast.LShift: lambda a, b: a << b,
    ast.RShift: lambda a, b: a >> b,
    ast.BitAnd: lambda a, b: a & b,
    ast.BitOr: lambda a, b: a | b,
    ast.BitXor: lambda a, b: a ^ b,
}
_COMPARE: dict[type, Callable[[int, int], bool]] = {
    ast.Lt: lambda a, b: a < b,
    ast.LtE: lambda a, b: a <= b,
    ast.Gt: lambda a, b: a > b,
    ast.GtE: lambda a, b: a >= b,
    ast.Eq: lambda a, b: a == b,
    ast.NotEq: lambda a, b: a != b,
}


def arithmetic(expression: str, ctx: Context) -> int:
    """$(( )) over integers; variables are read by name. Raises ExpansionError."""
    text = expression.replace("&&", " and ").replace("||", " or ")
    text = re.sub(r"!(?!=)", " not ", text)

    def variable(match: re.Match[str]) -> str:
        if match.group(0) in ("and", "or", "not"):
            return match.group(0)
        raw = (ctx.lookup(match.group(0)) or "0").strip() or "0"
        return str(_integer(raw))

    text = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", variable, text)
    try:
        return _evaluate(ast.parse(text.strip() or "0", mode="eval").body)
    except (SyntaxError, ZeroDivisionError, ValueError, TypeError) as exc:
        raise ExpansionError(f"arithmetic syntax error: {expression}") from exc


def _integer(text: str) -> int:
    if re.fullmatch(r"[-+]?0[xX][0-9a-fA-F]+", text):
        return int(text, 16)
    if re.fullmatch(r"[-+]?0[0-7]+", text):
        return int(text, 8)
    return int(text)


def _evaluate(node: ast.expr) -> int:
    if isinstance(node, ast.Constant) and isinstance(node.value, int):
        return int(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return _BINARY[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    if isinstance(node, ast.UnaryOp):
        value = _evaluate(node.operand)
        if isinstance(node.op, ast.USub):
            return -value
        if isinstance(node.op, ast.UAdd):
            return value
        if isinstance(node.op, ast.Not):
            return int(not value)
        if isinstance(node.op, ast.Invert):
            return ~value
    if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
        left = _evaluate(node.left)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = _evaluate(comparator)
            if not _COMPARE[type(op)](left, right):
                return 0
            left = right
        return 1
    if isinstance(node, ast.BoolOp):
        values = [_evaluate(v) for v in node.values]
        return int(all(values) if isinstance(node.op, ast.And) else any(values))
    raise ValueError("unsupported arithmetic")
