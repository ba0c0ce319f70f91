"""sleep: time is simulated. In a container's main process the seconds count against its
clock (so `sleep 3600` keeps it running an hour); in an exec session sleep returns at once."""

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
    total = 0.0
    for arg in proc.args:
        if arg in ("inf", "infinity"):
            total = float("inf")
            continue
        if not re.fullmatch(r"\d+(\.\d*)?[smhd]?|\.\d+[smhd]?", arg):
            if proc.image.userland == "gnu":
                proc.err(f"sleep: invalid time interval '{arg}'\n"
                         "Try 'sleep --help' for more information.\n")  # fmt: skip
            else:
                proc.err(f"sleep: invalid number '{arg}'\n")
            return 1
        unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(arg[-1], 1)
        total += float(arg.rstrip("smhd")) * unit
    if proc.container.clock is not None:
        proc.container.clock.sleep(total)  # a container's main process: time passes for it
    return 0
