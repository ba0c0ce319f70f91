"""cd: change the shell's directory (HOME by default, `-` for OLDPWD)."""

from __future__ import annotations

from kubesim.sandbox import fs, messages
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    state = proc.state
    args = [a for a in proc.args if a not in ("-L", "-P")]
    target = args[0] if args else state.vars.get("HOME", "/")
    if target == "-":
        target = state.vars.get("OLDPWD", state.cwd)
        proc.out(target + "\n")
    path = fs.absolute(state.cwd, target)
    if not fs.is_dir(proc.container, path):
        exists = fs.is_file(proc.container, path)
        reason = "Not a directory" if exists else "No such file or directory"
        if state.dialect == "bash":
            proc.err(messages.diagnostic(state, f"{target}: {reason}", "cd"))
            return 1
        if state.dialect == "dash":
            proc.err(messages.diagnostic(state, f"can't cd to {target}", "cd"))
        else:
            proc.err(messages.diagnostic(state, f"can't cd to {target}: {reason}", "cd"))
        return 2
    state.vars["OLDPWD"] = state.cwd
    state.cwd = path
    state.vars["PWD"] = path
    state.exported.update(("OLDPWD", "PWD"))  # setpwd exports both
    return 0
