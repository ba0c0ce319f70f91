"""tee [-a] FILE...: copy stdin to stdout and to each file."""

from __future__ import annotations

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    append = "-a" in proc.args
    status = 0
    paths = []
    for name in (a for a in proc.args if not a.startswith("-")):
        path = proc.path(name)
        parent = path.rsplit("/", 1)[0] or "/"
        if fs.is_dir(proc.container, path) or not fs.is_dir(proc.container, parent):
            proc.err(f"tee: {name}: No such file or directory\n")
            status = 1
            continue
        if fs.read_only(proc.container, path):
            proc.err(f"tee: {name}: {fs.READ_ONLY}\n")
            status = 1
            continue
        if not append or fs.read(proc.container, path) is None:
            fs.write(proc.container, path, "")
        paths.append(path)
    for line in proc.stdin.lines():  # copied as it is read, as tee does
        for path in paths:
            fs.write(proc.container, path, line, append=True)
        proc.out(line)
    return status
