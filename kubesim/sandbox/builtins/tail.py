"""tail [-n N | -n +N | -N] [-f] [FILE...]: the last lines; -f does not wait (time is simulated)."""

from __future__ import annotations

from kubesim.sandbox.builtins.head import open_error, parse_count
from kubesim.sandbox.builtins.inputs import read_operand, split_lines
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    count, names, plus = parse_count([a for a in proc.args if a not in ("-f", "-F")])
    status = 0
    for index, name in enumerate(names):
        content, reason = read_operand(proc, name)
        if content is None:
            open_error(proc, name, reason)
            status = 1
            continue
        if len(names) > 1:
            proc.out(("\n" if index else "") + f"==> {name} <==\n")
        lines = split_lines(content)
        selected = lines[max(count - 1, 0) :] if plus else lines[-count:] if count else []
        proc.out("".join(selected))
    return status
