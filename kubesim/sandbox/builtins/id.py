"""id [-u|-g|-G] [-n]: the identity the container's processes run as (the image's USER and
the securityContext), as busybox and GNU coreutils print it."""

from __future__ import annotations

from kubesim.sandbox.identity import identity, labelled
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    who = identity(proc.container)
    flags = "".join(a[1:] for a in proc.args if a.startswith("-"))
    names = "n" in flags
    if "u" in flags:
        proc.out(f"{who.user if names and who.user else who.uid}\n")
    elif "g" in flags:
        proc.out(f"{who.group if names and who.group else who.gid}\n")
    elif "G" in flags:
        proc.out(" ".join(n if names and n else str(g) for g, n in who.groups) + "\n")
    else:
        groups = ",".join(labelled(g, n) for g, n in who.groups)
        proc.out(f"uid={labelled(who.uid, who.user)} gid={labelled(who.gid, who.group)} "
                 f"groups={groups}\n")  # fmt: skip
    return 0
