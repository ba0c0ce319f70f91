"""kill [-s SIG | -SIG | -N] PID...: the container's own processes exist. A signal to the shell
itself (`kill -TERM $$`) runs its trap, is ignored (`trap '' TERM`, or a PID 1 without a
handler), or ends the shell as the signal's default action does. TODO: a signal to another
process of the container (PID 1 from an exec session) has no effect yet."""

from __future__ import annotations

from kubesim.sandbox.builtins.trap import SIGNALS, condition
from kubesim.sandbox.proc import SHELL_PID, ExitShell, Proc

# signals whose default action is to do nothing (signal(7))
IGNORED_BY_DEFAULT = frozenset({"CHLD", "CONT", "URG", "WINCH"})


def main(proc: Proc) -> int:
    args = list(proc.args)
    if "-l" in args:
        proc.out("HUP INT QUIT ILL TRAP ABRT BUS FPE KILL USR1 SEGV USR2 PIPE ALRM TERM\n")
        return 0
    name = "TERM"
    if args and args[0] == "-s" and len(args) > 1:
        name = condition(args[1]) or ""
        args = args[2:]
    elif args and args[0].startswith("-") and len(args[0]) > 1 and args[0] != "--":
        name = condition(args[0][1:]) or ""
        args = args[1:]
    if args and args[0] == "--":
        args.pop(0)
    if not name:
        proc.err(f"kill: bad signal name '{proc.args[0].lstrip('-')}'\n")
        return 1
    status = 0
    own = str(proc.state.pid or SHELL_PID)
    for pid in args:
        if pid == own and proc.in_shell:
            _to_self(proc, name)
        elif pid not in ("1", own):
            proc.err(f"kill: can't kill pid {pid}: No such process\n")
            status = 1
    return status


def _to_self(proc: Proc, name: str) -> None:
    """The shell signals itself: its trap, or the signal's default action."""
    action = proc.state.traps.get(name)
    if action is not None:
        if action and proc.run_source is not None:
            saved = proc.state.status
            proc.run_source(action)
            proc.state.status = saved
        return
    if proc.state.pid == 1 or name in IGNORED_BY_DEFAULT:
        return  # PID 1 gets no signal it has no handler for
    raise ExitShell(128 + SIGNALS[name])
