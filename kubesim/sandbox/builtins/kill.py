"""kill [-SIG] PID...: only the container's own processes exist (TODO: signals have no effect)."""

from __future__ import annotations

from kubesim.sandbox.proc import SHELL_PID, Proc


def main(proc: Proc) -> int:
    pids = [a for a in proc.args if not a.startswith("-")]
    if "-l" in proc.args:
        proc.out("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n")
        return 0
    status = 0
    for pid in pids:
        if pid not in ("1", str(SHELL_PID)):
            proc.err(f"kill: can't kill pid {pid}: No such process\n")
            status = 1
    return status
