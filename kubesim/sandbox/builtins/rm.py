"""rm [-rf] PATH...: remove files (and trees with -r)."""

from __future__ import annotations

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args if a.startswith("-") and a != "-")
    recursive = "r" in flags or "R" in flags
    force = "f" in flags
    gnu = proc.image.userland == "gnu"
    status = 0
    for name in (a for a in proc.args if not a.startswith("-") or a == "-"):
        path = proc.path(name)
        if not fs.exists(proc.container, path):
            if not force:
                verb = "cannot remove" if gnu else "can't remove"
                proc.err(f"rm: {verb} '{name}': No such file or directory\n")
                status = 1
            continue
        if fs.is_dir(proc.container, path) and not recursive:
            proc.err(f"rm: cannot remove '{name}': Is a directory\n" if gnu
                     else f"rm: '{name}' is a directory\n")  # fmt: skip
            status = 1
            continue
        if fs.read_only(proc.container, path):
            verb = "cannot remove" if gnu else "can't remove"
            proc.err(f"rm: {verb} '{name}': {fs.READ_ONLY}\n")
            status = 1
            continue
        fs.remove(proc.container, path)
    return status
