"""Shell builtins that query or replace the shell: type, command, exec, and those with nothing
to simulate (trap, wait, umask, hash).
"""

from __future__ import annotations

from kubesim.sandbox import messages
from kubesim.sandbox.builtins.which import location
from kubesim.sandbox.proc import ExitShell, Proc


def noop(proc: Proc) -> int:
    return 0


def umask(proc: Proc) -> int:
    if not proc.args:
        proc.out("0022\n")
    return 0


def type_(proc: Proc) -> int:
    from kubesim.sandbox.builtins import SHELL_UTILITIES, SPECIAL  # the registry imports us

    status = 0
    for name in proc.args:
        if name in proc.state.functions:
            proc.out(f"{name} is a function\n")
        elif name in SPECIAL:
            proc.out(f"{name} is a special shell builtin\n")
        elif name in SHELL_UTILITIES:
            proc.out(f"{name} is a shell builtin\n")
        elif (path := location(proc, name)) is not None:
            proc.out(f"{name} is {path}\n")
        else:
            proc.out(f"{name}: not found\n")
            status = 1
    return status


def command(proc: Proc) -> int:
    """`command -v NAME`: how NAME would run; `command NAME ARGS` runs the program itself."""
    args = list(proc.args)
    if args and args[0] in ("-v", "-V"):
        from kubesim.sandbox.builtins import SHELL_UTILITIES, SPECIAL  # the registry imports us

        status = 0
        for name in args[1:]:
            if name in proc.state.functions or name in SPECIAL or name in SHELL_UTILITIES:
                proc.out(name + "\n")
            elif (path := location(proc, name)) is not None:
                proc.out(path + "\n")
            else:
                status = 127 if proc.state.dialect == "dash" else 1
        return status
    if not args or proc.spawn is None:
        return 0
    ran = proc.spawn(proc.child(args), args)
    if ran is None:
        proc.err(messages.not_found(proc.state, args[0]))
        return 127
    return ran


def exec_(proc: Proc) -> int:
    """`exec CMD`: the program replaces the shell, whose exit status becomes the program's."""
    if not proc.args or proc.spawn is None:
        return 0  # TODO: `exec >file` should redirect the rest of the shell
    status = proc.spawn(proc.child(proc.args), proc.args)
    if status is None:
        proc.err(messages.diagnostic(proc.state, f"{proc.args[0]}: not found", "exec"))
        raise ExitShell(127)
    raise ExitShell(status)
