"""wc [-lwcm] [FILE...]: lines, words and bytes (a lone count is printed unpadded)."""

from __future__ import annotations

from kubesim.sandbox.builtins.inputs import read_operand, warn
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args if a.startswith("-") and len(a) > 1)
    names = [a for a in proc.args if a == "-" or not a.startswith("-")]
    kinds = [k for k in "lwc" if k in flags.replace("m", "c")] or ["l", "w", "c"]
    rows: list[tuple[list[int], str]] = []
    status = 0
    for name in names or ["-"]:
        content, reason = read_operand(proc, name)
        if content is None:
            warn(proc, name, reason)
            status = 1
            continue
        measured = {"l": content.count("\n"), "w": len(content.split()), "c": len(content.encode())}
        rows.append(([measured[k] for k in kinds], "" if not names else name))
    if len(rows) > 1:
        totals = [sum(r[0][i] for r in rows) for i in range(len(kinds))]
        rows.append((totals, "total"))
    single = len(kinds) == 1 and len(rows) <= 1
    for counts, name in rows:
        cells = [str(c) if single else f"{c:7d}" for c in counts]
        proc.out(" ".join(cells) + (f" {name}" if name else "") + "\n")
    return status
