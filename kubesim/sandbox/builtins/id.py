"""id: the container runs as root."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    if "-u" in proc.args:
        proc.out("0\n")
    elif "-un" in proc.args or "-nu" in proc.args:
        proc.out("root\n")
    elif proc.image.userland == "busybox":
        proc.out("uid=0(root) gid=0(root) groups=0(root),10(wheel)\n")
    else:
        proc.out("uid=0(root) gid=0(root) groups=0(root)\n")
    return 0
