"""eval and `.` (source): run text in the current shell."""

from __future__ import annotations

from kubesim.sandbox import fs, messages
from kubesim.sandbox.proc import Proc


def eval_(proc: Proc) -> int:
    if not proc.args or proc.run_source is None:
        return 0
    return proc.run_source(" ".join(proc.args))


def dot(proc: Proc) -> int:
    if not proc.args or proc.run_source is None:
        return 0
    script = fs.read(proc.container, proc.path(proc.args[0]))
    if script is None:
        proc.err(messages.cannot_open(proc.state, proc.args[0]))
        return 1 if proc.state.dialect == "bash" else 2
    return proc.run_source(script)
