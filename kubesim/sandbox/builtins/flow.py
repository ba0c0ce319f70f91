"""break, continue and return: the shell builtins that leave loops and functions."""

from __future__ import annotations

from kubesim.sandbox.proc import LoopControl, Proc, ReturnFromFunction


def _levels(proc: Proc) -> int:
    arg = proc.args[0] if proc.args else "1"
    return max(1, int(arg)) if arg.isdigit() else 1


def break_(proc: Proc) -> int:
    if proc.state.loop_depth:
        raise LoopControl("break", min(_levels(proc), proc.state.loop_depth))
    return 0


def continue_(proc: Proc) -> int:
    if proc.state.loop_depth:
        raise LoopControl("continue", min(_levels(proc), proc.state.loop_depth))
    return 0


def return_(proc: Proc) -> int:
    status = int(proc.args[0]) & 0xFF if proc.args and proc.args[0].isdigit() else proc.state.status
    raise ReturnFromFunction(status)
