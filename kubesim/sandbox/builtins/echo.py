"""echo: -n and -e/-E (busybox, GNU and bash); dash's builtin always expands escapes."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc

ESCAPES = {"a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "n": "\n", "r": "\r", "t": "\t",
           "v": "\v", "\\": "\\"}  # fmt: skip


def expand_escapes(text: str) -> tuple[str, bool]:
    """(text with backslash escapes replaced, whether \\c asked to stop output)."""
    out: list[str] = []
    i = 0
    while i < len(text):
        c = text[i]
        if c != "\\" or i + 1 >= len(text):
            out.append(c)
            i += 1
            continue
        nxt = text[i + 1]
        if nxt == "c":
            return "".join(out), True
        if nxt in ESCAPES:
            out.append(ESCAPES[nxt])
            i += 2
        elif nxt == "0" or nxt.isdigit():
            digits = text[i + 1 : i + 5] if nxt == "0" else text[i + 1 : i + 4]
            octal = "".join(d for d in _prefix(digits, "01234567"))
            out.append(chr(int(octal or "0", 8) & 0xFF))
            i += 1 + len(octal)
        else:
            out.append(c)
            i += 1
    return "".join(out), False


def _prefix(text: str, allowed: str) -> str:
    result = ""
    for c in text:
        if c not in allowed:
            break
        result += c
    return result


def main(proc: Proc) -> int:
    args = proc.args
    newline, escapes = True, False
    dash = proc.state.dialect == "dash" and proc.in_shell
    while args and args[0].startswith("-") and len(args[0]) > 1:
        flags = args[0][1:]
        allowed = "n" if dash else "neE"
        if any(f not in allowed for f in flags):
            break
        newline = newline and "n" not in flags
        for f in flags:
            escapes = {"e": True, "E": False}.get(f, escapes)
        args = args[1:]
    text = " ".join(args)
    if escapes or dash:
        text, stop = expand_escapes(text)
        newline = newline and not stop
    proc.out(text + ("\n" if newline else ""))
    return 0
