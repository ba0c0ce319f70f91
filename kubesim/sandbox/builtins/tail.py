"""tail [-n N | -n +N | -N] [-f] [FILE...]: the last lines; -f does not wait (time is simulated)."""

from __future__ import annotations

from kubesim.sandbox.builtins.head import open_error, parse_count
from kubesim.sandbox.builtins.inputs import read_operand, split_lines
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    count, names, plus = parse_count([a for a in proc.args if a not in ("-f", "-F")])
    status = 0
    for index, name in enumerate(names):
        if name == "-" and len(names) == 1:
            _stream(proc, count, plus)
            continue
        content, reason = read_operand(proc, name)
        if content is None:
            if proc.image.userland == "gnu":
                open_error(proc, name, reason)
            else:  # tail.c's open_or_warn_stdin, unlike head's fopen_or_warn
                proc.err(f"tail: can't open '{name}': {reason}\n")
            status = 1
            continue
        if len(names) > 1:
            proc.out(("\n" if index else "") + f"==> {name} <==\n")
        lines = split_lines(content)
        selected = lines[max(count - 1, 0) :] if plus else lines[-count:] if count else []
        proc.out("".join(selected))
    return status


def _stream(proc: Proc, count: int, plus: bool) -> None:
    """Standard input, read line by line: only the last `count` lines are held."""
    from collections import deque
    from itertools import islice

    lines = proc.stdin.lines()
    if plus:
        for line in islice(lines, max(count - 1, 0), None):
            proc.out(line)
        return
    proc.out("".join(deque(lines, maxlen=count)) if count else "")
    for _ in lines:  # tail -n 0 still reads to the end
        pass
