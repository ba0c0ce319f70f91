"""mkdir [-p] DIR...: busybox `can't create directory`, GNU `cannot create directory`."""

from __future__ import annotations

import posixpath

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc


def main(proc: Proc) -> int:
    parents = any(a.startswith("-") and "p" in a for a in proc.args)
    status = 0
    for name in (a for a in proc.args if not a.startswith("-")):
        path = proc.path(name)
        reason = ""
        if fs.exists(proc.container, path):
            reason = "" if parents and fs.is_dir(proc.container, path) else "File exists"
        elif not parents and not fs.is_dir(proc.container, posixpath.dirname(path)):
            reason = "No such file or directory"
        elif fs.read_only(proc.container, path):
            reason = fs.READ_ONLY
        if reason:
            verb = "cannot" if proc.image.userland == "gnu" else "can't"
            proc.err(f"mkdir: {verb} create directory '{name}': {reason}\n")
            status = 1
            continue
        if parents:
            probe = path
            missing = []
            while not fs.is_dir(proc.container, probe):
                missing.append(probe)
                probe = posixpath.dirname(probe)
            for directory in reversed(missing):
                fs.make_dir(proc.container, directory)
        elif not fs.exists(proc.container, path):
            fs.make_dir(proc.container, path)
    return status
