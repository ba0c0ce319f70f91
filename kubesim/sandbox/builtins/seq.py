"""seq [FIRST [INCREMENT]] LAST: integers, one per line."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc

BATCH = 8192  # numbers per write


def main(proc: Proc) -> int:
    numbers = [a for a in proc.args if a.lstrip("-").isdigit()]
    if not numbers or len(numbers) != len(proc.args) or len(numbers) > 3:
        proc.err("seq: invalid arguments\n" if proc.args else "seq: missing operand\n")
        return 1
    values = [int(n) for n in numbers]
    first, step, last = (1, 1, values[0]) if len(values) == 1 else (values[0], 1, values[1])
    if len(values) == 3:
        first, step, last = values
    if step == 0:
        return 1
    stop = last + (1 if step > 0 else -1)
    sequence = range(first, stop, step)
    for at in range(0, len(sequence), BATCH):  # a pipe's worth at a time
        proc.out("\n".join(map(str, sequence[at : at + BATCH])) + "\n")
    return 0
