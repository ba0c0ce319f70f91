"""touch FILE...: create empty files (times are not kept)."""

from __future__ import annotations

import posixpath

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    status = 0
    for name in (a for a in proc.args if not a.startswith("-")):
        path = proc.path(name)
        if fs.read_only(proc.container, path):  # even an existing file: its times would change
            if proc.image.userland == "gnu":
                proc.err(f"touch: cannot touch '{name}': {fs.READ_ONLY}\n")
            else:
                proc.err(f"touch: {name}: {fs.READ_ONLY}\n")
            status = 1
            continue
        if fs.exists(proc.container, path):
            continue
        if not fs.is_dir(proc.container, posixpath.dirname(path)):
            if proc.image.userland == "gnu":
                proc.err(f"touch: cannot touch '{name}': No such file or directory\n")
            else:
                proc.err(f"touch: {name}: No such file or directory\n")
            status = 1
            continue
        fs.write(proc.container, path, "")
    return status
