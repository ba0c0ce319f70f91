"""exit [N]: leave the shell with status N (default: the last command's)."""

from __future__ import annotations

from kubesim.sandbox import messages
from kubesim.sandbox.proc import ExitShell, Proc


def main(proc: Proc) -> int:
    if not proc.args:
        raise ExitShell(proc.state.status)
    arg = proc.args[0]
    if not arg.lstrip("-").isdigit():
        if proc.state.dialect == "bash":
            proc.err(messages.diagnostic(proc.state, f"{arg}: numeric argument required", "exit"))
        else:
            proc.err(messages.diagnostic(proc.state, f"Illegal number: {arg}", "exit"))
        raise ExitShell(2)
    raise ExitShell(int(arg) & 0xFF)
