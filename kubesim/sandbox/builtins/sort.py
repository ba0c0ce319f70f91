"""sort [-rnu] [FILE...]: lines in byte order (the containers' C locale)."""

from __future__ import annotations

import re

from kubesim.sandbox.builtins.inputs import read_operand, split_lines, warn
from kubesim.sandbox.proc import Proc


def _number(line: str) -> float:
    match = re.match(r"\s*(-?\d+(\.\d+)?)", line)
    return float(match.group(1)) if match else 0.0


def main(proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args if a.startswith("-") and len(a) > 1)
    names = [a for a in proc.args if a == "-" or not a.startswith("-")] or ["-"]
    lines: list[str] = []
    status = 0
    for name in names:
        content, reason = read_operand(proc, name)
        if content is None:
            warn(proc, name, reason)
            status = 2
            continue
        lines += [line.rstrip("\n") for line in split_lines(content)]
    if "n" in flags:
        lines.sort(key=lambda line: (_number(line), line), reverse="r" in flags)
    else:
        lines.sort(reverse="r" in flags)
    if "u" in flags:
        lines = list(dict.fromkeys(lines))
    proc.out("".join(line + "\n" for line in lines))
    return status
