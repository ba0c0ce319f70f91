"""wc [-lwcm] [FILE...]: lines, words and bytes (a lone count is printed unpadded)."""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.sandbox.builtins.inputs import operand_chunks, warn
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args if a.startswith("-") and len(a) > 1)
    names = [a for a in proc.args if a == "-" or not a.startswith("-")]
    kinds = [k for k in "lwc" if k in flags.replace("m", "c")] or ["l", "w", "c"]
    rows: list[tuple[list[int], str]] = []
    status = 0
    for name in names or ["-"]:
        chunks, reason = operand_chunks(proc, name)
        if chunks is None:
            warn(proc, name, reason)
            status = 1
            continue
        measured = _count(chunks)
        rows.append(([measured[k] for k in kinds], "" if not names else name))
    if len(rows) > 1:
        totals = [sum(r[0][i] for r in rows) for i in range(len(kinds))]
        rows.append((totals, "total"))
    single = len(kinds) == 1 and len(rows) <= 1
    for counts, name in rows:
        cells = [str(c) if single else f"{c:7d}" for c in counts]
        proc.out(" ".join(cells) + (f" {name}" if name else "") + "\n")
    return status


def _count(chunks: Iterable[str]) -> dict[str, int]:
    """Lines, words and bytes of the text, read a piece at a time (a word may span pieces)."""
    lines = words = size = 0
    in_word = False
    for chunk in chunks:
        lines += chunk.count("\n")
        size += len(chunk.encode())
        words += len(chunk.split())
        if in_word and chunk[:1] and not chunk[:1].isspace():
            words -= 1  # the word the last piece ended in goes on here
        in_word = bool(chunk) and not chunk[-1:].isspace()
    return {"l": lines, "w": words, "c": size}
