"""printenv [NAME...]: values of the named variables (exit 1 if one is unset), or all."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    if not proc.args:
        proc.out("".join(f"{k}={v}\n" for k, v in proc.env.items()))
        return 0
    status = 0
    for name in proc.args:
        if name in proc.env:
            proc.out(proc.env[name] + "\n")
        else:
            status = 1
    return status
