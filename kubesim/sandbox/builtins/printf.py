"""printf FORMAT [ARG...]: C-style conversions, the format reused while arguments remain."""

from __future__ import annotations

import re

from kubesim.sandbox.builtins.echo import expand_escapes
from kubesim.sandbox.proc import Proc

CHUNK = 65536  # a pipe's worth: wider conversions are written in pieces
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
            wide = width is not None and width.lstrip("-").isdigit() and int(width) > CHUNK
            text, ok = _convert(kind, flags, None if wide else width, precision, arg)
            if not ok:
                proc.err(f"printf: invalid number '{arg}'\n" if proc.image.userland == "busybox"
                         else f"printf: '{arg}': expected a numeric value\n")  # fmt: skip
                status = 1
            if wide:
                assert width is not None
                proc.out("".join(out))
                out = []
                _pad(proc, text, int(width), flags, numeric=kind not in "sbc")
            else:
                out.append(text)
        out.append(_escapes(fmt[position:]))
        proc.out("".join(out))
        if not args or not consumed:
            return status


def _pad(proc: Proc, text: str, width: int, flags: str, numeric: bool) -> None:
    """A conversion wider than CHUNK, written a piece at a time, as printf(3) streams it (so
    `printf "%999999999d" 1` writes a gigabyte without holding one)."""
    fill = "0" if "0" in flags and "-" not in flags and numeric else " "
    left = width - len(text)
    if "-" in flags:
        proc.out(text)
    elif fill == "0" and text[:1] in "+- ":
        proc.out(text[:1])
        text = text[1:]
    while left > 0:
        piece = min(left, CHUNK)
        proc.out(fill * piece)
        left -= piece
    if "-" not in flags:
        proc.out(text)


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
