"""cat: busybox (`can't open 'x'`) or GNU coreutils (`cat: x: ...`) wording."""

from __future__ import annotations

from kubesim.sandbox.builtins.inputs import IS_A_DIRECTORY, read_operand
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    names = [a for a in proc.args if a == "-" or not a.startswith("-")] or ["-"]
    number = "-n" in proc.args
    status = 0
    line_no = 0
    for name in names:
        content, reason = read_operand(proc, name)
        if content is None:
            status = 1
            if proc.image.userland == "gnu":
                proc.err(f"cat: {name}: {reason}\n")
            elif reason == IS_A_DIRECTORY:
                proc.err("cat: read error: Is a directory\n")
            else:
                proc.err(f"cat: can't open '{name}': {reason}\n")
            continue
        if number:
            lines = content.splitlines(keepends=True)
            for line in lines:
                line_no += 1
                proc.out(f"{line_no:6d}\t{line}")
        else:
            proc.out(content)
    return status
