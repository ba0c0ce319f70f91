"""cat: busybox (`can't open 'x'`) or GNU coreutils (`cat: x: ...`) wording."""

from __future__ import annotations

from kubesim.sandbox.builtins.inputs import IS_A_DIRECTORY, operand_lines
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    names = [a for a in proc.args if a == "-" or not a.startswith("-")] or ["-"]
    number = "-n" in proc.args
    status = 0
    line_no = 0
    for name in names:
        lines, reason = operand_lines(proc, name)
        if lines is None:
            status = 1
            if proc.image.userland == "gnu":
                proc.err(f"cat: {name}: {reason}\n")
            elif reason == IS_A_DIRECTORY:
                proc.err("cat: read error: Is a directory\n")
            else:
                proc.err(f"cat: can't open '{name}': {reason}\n")
            continue
        for line in lines:
            if number:
                line_no += 1
                line = f"{line_no:6d}\t{line}"
            proc.out(line)
    return status
