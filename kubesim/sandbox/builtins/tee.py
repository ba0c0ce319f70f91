"""tee [-a] FILE...: copy stdin to stdout and to each file."""

from __future__ import annotations

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    append = "-a" in proc.args
    text = proc.stdin.read()
    status = 0
    for name in (a for a in proc.args if not a.startswith("-")):
        path = proc.path(name)
        parent = path.rsplit("/", 1)[0] or "/"
        if fs.is_dir(proc.container, path) or not fs.is_dir(proc.container, parent):
            proc.err(f"tee: {name}: No such file or directory\n")
            status = 1
            continue
        fs.write(proc.container, path, text, append=append)
    proc.out(text)
    return status
