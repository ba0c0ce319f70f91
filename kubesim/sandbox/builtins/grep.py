"""grep [-ivcnqlEFwxo] PATTERN [FILE...]: basic/extended regular expressions or fixed strings."""

from __future__ import annotations

import re

from kubesim.sandbox.builtins.inputs import operand_lines, warn
from kubesim.sandbox.proc import Proc


def _compile(pattern: str, flags: str) -> re.Pattern[str]:
    if "F" in flags:
        expression = re.escape(pattern)
    elif "E" in flags:
        expression = pattern
    else:
        # basic regular expressions: \( \) \{ \} \| are the operators, bare ones are literal
        expression = ""
        i = 0
        while i < len(pattern):
            c = pattern[i]
            if c == "\\" and i + 1 < len(pattern):
                nxt = pattern[i + 1]
                expression += nxt if nxt in "(){}|+?" else "\\" + nxt
                i += 2
                continue
            expression += "\\" + c if c in "(){}|+?" else c
            i += 1
    if "w" in flags:
        expression = rf"\b(?:{expression})\b"
    if "x" in flags:
        expression = rf"^(?:{expression})$"
    return re.compile(expression, re.IGNORECASE if "i" in flags else 0)


def main(proc: Proc) -> int:
    args = list(proc.args)
    flags = ""
    patterns: list[str] = []
    operands: list[str] = []
    while args:
        arg = args.pop(0)
        if arg == "-e" and args:
            patterns.append(args.pop(0))
        elif arg.startswith("-") and len(arg) > 1 and arg != "--":
            flags += arg[1:]
        else:
            operands.append(arg)
    if not patterns:
        if not operands:
            proc.err("grep: no pattern\n" if proc.image.userland == "busybox"
                     else "Usage: grep [OPTION]... PATTERNS [FILE]...\n")  # fmt: skip
            return 2
        patterns.append(operands.pop(0))
    regexes = [_compile(p, flags) for p in patterns]
    names = operands or ["-"]
    found = False
    status = 0
    for name in names:
        lines, reason = operand_lines(proc, name)
        if lines is None:
            if "s" not in flags:
                warn(proc, name, reason)
            status = 2
            continue
        prefix = f"{name}:" if len(names) > 1 else ""
        count = 0
        for number, line in enumerate(lines, 1):
            text = line.rstrip("\n")
            hit = any(r.search(text) for r in regexes) != ("v" in flags)
            if not hit:
                continue
            count += 1
            found = True
            if "q" in flags:
                return 0
            if "c" in flags or "l" in flags:
                continue
            numbered = f"{number}:" if "n" in flags else ""
            if "o" in flags and "v" not in flags:
                for r in regexes:
                    for m in r.finditer(text):
                        proc.out(f"{prefix}{numbered}{m.group(0)}\n")
            else:
                proc.out(f"{prefix}{numbered}{text}\n")
        if "c" in flags:
            proc.out(f"{prefix}{count}\n")
        if "l" in flags and count:
            proc.out(f"{name}\n")
    return status if status and not found else 0 if found else 1
