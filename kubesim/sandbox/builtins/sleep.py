"""sleep: time is simulated, so it returns at once once its operand is valid."""

from __future__ import annotations

import re

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    if not proc.args:
        if proc.image.userland == "gnu":
            proc.err("sleep: missing operand\nTry 'sleep --help' for more information.\n")
        else:
            proc.err(f"{proc.image.busybox_banner()} multi-call binary.\n\n"
                     "Usage: sleep [N]...\n\nPause for a time equal to the total of the args given,"
                     " where each arg can\nhave an optional suffix of (s)econds, (m)inutes, "
                     "(h)ours, or (d)ays\n\n")  # fmt: skip
        return 1
    for arg in proc.args:
        if arg in ("inf", "infinity"):
            continue
        if not re.fullmatch(r"\d+(\.\d*)?[smhd]?|\.\d+[smhd]?", arg):
            if proc.image.userland == "gnu":
                proc.err(f"sleep: invalid time interval '{arg}'\n"
                         "Try 'sleep --help' for more information.\n")  # fmt: skip
            else:
                proc.err(f"sleep: invalid number '{arg}'\n")
            return 1
    return 0
