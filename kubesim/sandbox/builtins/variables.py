"""export, unset, readonly, local, set and shift: the builtins that change shell variables."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def _quote(value: str) -> str:
    return "'" + value.replace("'", "'\"'\"'") + "'"


def export(proc: Proc) -> int:
    state = proc.state
    names = [a for a in proc.args if a != "-p"]
    if not names:
        for name in sorted(state.exported):
            if name not in state.vars:
                continue
            if state.dialect == "bash":
                value = state.vars[name].replace("\\", "\\\\").replace('"', '\\"')
                proc.out(f'declare -x {name}="{value}"\n')
            else:
                proc.out(f"export {name}={_quote(state.vars[name])}\n")
        return 0
    for item in names:
        name, eq, value = item.partition("=")
        if eq:
            state.vars[name] = value
        state.exported.add(name)
    return 0


def unset(proc: Proc) -> int:
    args = list(proc.args)
    functions = bool(args) and args[0] == "-f"
    for name in (a for a in args if a not in ("-f", "-v")):
        if functions:
            proc.state.functions.pop(name, None)
        else:
            proc.state.vars.pop(name, None)
            proc.state.exported.discard(name)
    return 0


def local(proc: Proc) -> int:
    for item in proc.args:
        name, eq, value = item.partition("=")
        proc.state.vars[name] = value if eq else proc.state.vars.get(name, "")
    return 0


def set_(proc: Proc) -> int:
    state = proc.state
    args = list(proc.args)
    if not args:
        for name in sorted(state.vars):
            proc.out(f"{name}={_quote(state.vars[name])}\n")
        return 0
    while args and args[0][:1] in ("-", "+") and args[0] != "--":
        flag = args.pop(0)
        if flag in ("-o", "+o") and args:
            option = {"errexit": "e", "nounset": "u", "xtrace": "x"}.get(args.pop(0), "")
            flag = flag[0] + option
        letters = set(flag[1:])
        if flag[0] == "-":
            state.options |= letters
        else:
            state.options -= letters
    if args and args[0] == "--":
        args.pop(0)
        state.positional = args
    elif args:
        state.positional = args
    return 0


def shift(proc: Proc) -> int:
    count = int(proc.args[0]) if proc.args and proc.args[0].isdigit() else 1
    if count > len(proc.state.positional):
        return 1
    proc.state.positional = proc.state.positional[count:]
    return 0
