"""uname [-asnrm]: a Linux node (the kernel release is kubesim's own, not a real one)."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc

KERNEL = "6.8.0-kubesim"
VERSION = "#1 SMP PREEMPT_DYNAMIC"


def main(proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args if a.startswith("-"))
    fields = {"s": "Linux", "n": proc.container.hostname, "r": KERNEL, "v": VERSION,
              "m": "x86_64", "o": "GNU/Linux"}  # fmt: skip
    if "a" in flags:
        flags = "snrvmo"
    selected = [fields[f] for f in "snrvmo" if f in flags] or [fields["s"]]
    proc.out(" ".join(selected) + "\n")
    return 0
