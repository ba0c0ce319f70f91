"""env: print the environment, or run a command with a modified one (env [-i] [K=V]... [CMD])."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    args = list(proc.args)
    env = dict(proc.env)
    while args and args[0] in ("-i", "-", "--ignore-environment"):
        env = {}
        args.pop(0)
    while args and args[0] == "-u" and len(args) > 1:
        env.pop(args[1], None)
        args = args[2:]
    while args and "=" in args[0] and not args[0].startswith("="):
        key, _, value = args.pop(0).partition("=")
        env[key] = value
    if not args:
        proc.out("".join(f"{k}={v}\n" for k, v in env.items()))
        return 0
    child = proc.child(args)
    child.env = env
    status = proc.spawn(child, args) if proc.spawn else None
    if status is None:
        if proc.image.userland == "gnu":
            proc.err(f"env: '{args[0]}': No such file or directory\n")
        else:
            proc.err(f"env: can't execute '{args[0]}': No such file or directory\n")
        return 127
    return status
