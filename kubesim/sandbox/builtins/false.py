"""false: exit status 1."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    return 1
