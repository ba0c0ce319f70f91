"""whoami: the name of the user the container runs as."""

from __future__ import annotations

from kubesim.sandbox.identity import identity
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    who = identity(proc.container)
    if who.user is None:
        if proc.image.userland == "gnu":
            proc.err(f"whoami: cannot find name for user ID {who.uid}\n")
        else:
            proc.err(f"whoami: unknown uid {who.uid}\n")
        return 1
    proc.out(who.user + "\n")
    return 0
