"""date [-u] [+FORMAT]: the simulated clock, always UTC (containers have no zoneinfo set)."""

from __future__ import annotations

import time

from kubesim.sandbox.proc import Proc

DEFAULT = "%a %b %e %H:%M:%S UTC %Y"


def main(proc: Proc) -> int:
    fmt = next((a[1:] for a in proc.args if a.startswith("+")), DEFAULT)
    proc.out(time.strftime(fmt.replace("%Z", "UTC"), time.gmtime(proc.container.now)) + "\n")
    return 0
