"""printf FORMAT [ARG...]: C-style conversions, the format reused while arguments remain."""

from __future__ import annotations

import re

from kubesim.sandbox.builtins.echo import expand_escapes
from kubesim.sandbox.proc import Proc

CONVERSION = re.compile(r"%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?([diouxXcsbfeEgG%])")


def main(proc: Proc) -> int:
    if not proc.args:
        proc.err("printf: usage: printf format [arguments]\n" if proc.in_shell
                 else "printf: missing operand\n")  # fmt: skip
        return 2 if proc.in_shell else 1
    fmt, args = proc.args[0], list(proc.args[1:])
    status = 0
    while True:
        consumed = 0
        out: list[str] = []
        position = 0
        for match in CONVERSION.finditer(fmt):
            out.append(_escapes(fmt[position : match.start()]))
            position = match.end()
            flags, width, precision, kind = match.groups()
            if kind == "%":
                out.append("%")
                continue
            if width == "*":
                width = args.pop(0) if args else "0"
                consumed += 1
            if precision == "*":
                precision = args.pop(0) if args else "0"
                consumed += 1
            arg = args.pop(0) if args else None
            consumed += arg is not None
            text, ok = _convert(kind, flags, width, precision, arg)
            if not ok:
                proc.err(f"printf: invalid number '{arg}'\n" if proc.image.userland == "busybox"
                         else f"printf: '{arg}': expected a numeric value\n")  # fmt: skip
                status = 1
            out.append(text)
        out.append(_escapes(fmt[position:]))
        proc.out("".join(out))
        if not args or not consumed:
            return status


def _escapes(text: str) -> str:
    return expand_escapes(text)[0]


def _convert(kind: str, flags: str, width: str | None, precision: str | None,
             arg: str | None) -> tuple[str, bool]:  # fmt: skip
    spec = "%" + flags + (width or "") + (f".{precision}" if precision is not None else "")
    if kind in "sb":
        value = arg or ""
        if kind == "b":
            value = expand_escapes(value)[0]
        return (spec + "s") % value, True
    if kind == "c":
        return (spec + "s") % (arg or "")[:1], True
    raw = (arg or "0").strip()
    if raw[:1] in ("'", '"') and len(raw) > 1:
        number: float = ord(raw[1])
    else:
        try:
            number = float(raw) if kind in "feEgG" else int(raw, 0)
        except ValueError:
            return (spec + ("f" if kind in "feEgG" else "d")) % 0, False
    if kind in "diu":
        return (spec + "d") % int(number), True
    return (spec + kind) % (number if kind in "feEgG" else int(number)), True
