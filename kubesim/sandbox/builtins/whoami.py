"""whoami: root."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    proc.out("root\n")
    return 0
