"""cp [-r] SOURCE... DEST and mv SOURCE... DEST: copy or move files in the container."""

from __future__ import annotations

import posixpath

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    operands = [a for a in proc.args if not a.startswith("-")]
    recursive = any(a.startswith("-") and ("r" in a or "R" in a or "a" in a) for a in proc.args)
    move = proc.name == "mv"
    gnu = proc.image.userland == "gnu"
    if len(operands) < 2:
        proc.err(f"{proc.name}: missing file operand\n")
        return 1
    *sources, dest = operands
    target_dir = fs.is_dir(proc.container, proc.path(dest))
    status = 0
    for source in sources:
        path = proc.path(source)
        target = (
            posixpath.join(proc.path(dest), posixpath.basename(path))
            if target_dir
            else (proc.path(dest))
        )
        if not fs.exists(proc.container, path):
            verb = "cannot stat" if gnu else "can't stat"
            proc.err(f"{proc.name}: {verb} '{source}': No such file or directory\n")
            status = 1
            continue
        if fs.read_only(proc.container, target) or (move and fs.read_only(proc.container, path)):
            shown = dest if fs.read_only(proc.container, target) else source
            if gnu:
                what = "cannot create regular file" if not move else "cannot move"
                proc.err(f"{proc.name}: {what} '{shown}': {fs.READ_ONLY}\n")
            else:
                proc.err(f"{proc.name}: can't create '{shown}': {fs.READ_ONLY}\n")
            status = 1
            continue
        if fs.is_dir(proc.container, path):
            if not (recursive or move):
                proc.err(f"{proc.name}: -r not specified; omitting directory '{source}'\n")
                status = 1
                continue
            _copy_tree(proc, path, target)
        else:
            fs.write(proc.container, target, fs.read(proc.container, path) or "")
        if move:
            fs.remove(proc.container, path)
    return status


def _copy_tree(proc: Proc, source: str, target: str) -> None:
    fs.make_dir(proc.container, target)
    for name in fs.list_dir(proc.container, source):
        child = posixpath.join(source, name)
        if fs.is_dir(proc.container, child):
            _copy_tree(proc, child, posixpath.join(target, name))
        else:
            fs.write(
                proc.container, posixpath.join(target, name), fs.read(proc.container, child) or ""
            )
