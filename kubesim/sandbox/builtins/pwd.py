"""pwd: the current directory (-L and -P agree: there are no symlinks here)."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    proc.out(proc.state.cwd + "\n")
    return 0
