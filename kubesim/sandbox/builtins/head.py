"""head [-n N | -N | -c BYTES] [FILE...]: the first lines (10 by default), or bytes."""

from __future__ import annotations

from itertools import islice

from kubesim.sandbox.builtins.inputs import operand_lines
from kubesim.sandbox.proc import Proc


def parse_count(args: list[str], default: int = 10) -> tuple[int, list[str], bool]:
    """(line count, file operands, count given as +N) from head/tail style arguments."""
    count, names, plus = default, [], False
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-n" and i + 1 < len(args):
            value = args[i + 1]
            plus = value.startswith("+")
            count = int(value.lstrip("+-"))
            i += 2
            continue
        if arg.startswith("-n") and len(arg) > 2:
            plus = arg[2:].startswith("+")
            count = int(arg[2:].lstrip("+-"))
        elif arg.startswith("-") and arg[1:].isdigit():
            count = int(arg[1:])
        elif arg == "-" or not arg.startswith("-"):
            names.append(arg)
        i += 1
    return count, names or ["-"], plus


def open_error(proc: Proc, name: str, reason: str) -> None:
    if proc.image.userland == "gnu":
        proc.err(f"{proc.name}: cannot open '{name}' for reading: {reason}\n")
    else:
        proc.err(f"{proc.name}: {name}: {reason}\n")


def _byte_count(args: list[str]) -> tuple[int | None, list[str]]:
    """`-c N` / `-cN`, taken out of the arguments; None when not given."""
    rest: list[str] = []
    count: int | None = None
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "-c" and i + 1 < len(args) and args[i + 1].isdigit():
            count = int(args[i + 1])
            i += 2
            continue
        if arg.startswith("-c") and arg[2:].isdigit():
            count = int(arg[2:])
        else:
            rest.append(arg)
        i += 1
    return count, rest


def main(proc: Proc) -> int:
    byte_count, args = _byte_count(proc.args)
    count, names, _ = parse_count(args)
    status = 0
    for index, name in enumerate(names):
        lines, reason = operand_lines(proc, name)
        if lines is None:
            open_error(proc, name, reason)
            status = 1
            continue
        if len(names) > 1:
            proc.out(("\n" if index else "") + f"==> {name} <==\n")
        if byte_count is not None:
            proc.out("".join(lines)[:byte_count])
            continue
        for line in islice(lines, count):  # stdin: no line past the last one shown is read
            proc.out(line)
    return status
