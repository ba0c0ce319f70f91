"""read [-r] [-p PROMPT] NAME...: one line of stdin split into variables."""

from __future__ import annotations

from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    args = list(proc.args)
    raw = False
    while args and args[0].startswith("-"):
        flag = args.pop(0)
        if flag == "-r":
            raw = True
        elif flag == "-p" and args:
            proc.err(args.pop(0))
    names = args or ["REPLY"]
    line = proc.stdin.readline()
    if line is None:
        for name in names:
            proc.state.vars[name] = ""
        return 1
    text = line[:-1] if line.endswith("\n") else line
    if not raw:
        text = text.replace("\\", "")
    ifs = proc.state.vars.get("IFS", " \t\n")
    fields = text.split(None if ifs == " \t\n" else ifs[:1], len(names) - 1) if text.strip() else []
    for index, name in enumerate(names):
        value = fields[index] if index < len(fields) else ""
        proc.state.vars[name] = value.strip(" \t") if index == len(names) - 1 else value
    return 0
