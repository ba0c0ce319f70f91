"""ls [-1aAdl] [PATH...]: one name per line, or columns on a terminal (80 wide)."""

from __future__ import annotations

import time

from kubesim.sandbox import fs
from kubesim.sandbox.modes import mode_string
from kubesim.sandbox.proc import Proc

WIDTH = 80


def main(proc: Proc) -> int:
    flags = "".join(a[1:] for a in proc.args if a.startswith("-") and len(a) > 1)
    names = [a for a in proc.args if not a.startswith("-") or a == "-"] or ["."]
    gnu = proc.image.userland == "gnu"
    status = 0
    files: list[str] = []
    dirs: list[str] = []
    for name in names:
        path = proc.path(name)
        if not fs.exists(proc.container, path):
            if gnu:
                proc.err(f"ls: cannot access '{name}': No such file or directory\n")
                status = 2
            else:
                proc.err(f"ls: {name}: No such file or directory\n")
                status = 1
        elif fs.is_dir(proc.container, path) and "d" not in flags:
            dirs.append(name)
        else:
            files.append(name)
    blocks = []
    if files:
        blocks.append(_render(proc, sorted(files), flags, base=None))
    for name in sorted(dirs):
        entries = fs.list_dir(proc.container, proc.path(name))
        if "a" in flags:
            entries = [".", "..", *entries]
        elif "A" not in flags:
            entries = [e for e in entries if not e.startswith(".")]
        listing = _render(proc, entries, flags, base=proc.path(name))
        if "l" in flags:
            listing = f"total {len(entries) * 4}\n" + listing
        header = f"{name}:\n" if len(names) > 1 else ""
        blocks.append(header + listing)
    proc.out("\n".join(blocks))
    return status


def _render(proc: Proc, entries: list[str], flags: str, base: str | None) -> str:
    if not entries:
        return ""
    if "l" in flags:
        return "".join(_long(proc, name, base) + "\n" for name in entries)
    if "1" in flags or not proc.isatty(1):
        return "".join(name + "\n" for name in entries)
    width = max(len(e) for e in entries) + 2
    columns = max(1, WIDTH // width)
    rows = -(-len(entries) // columns)
    lines = []
    for row in range(rows):
        cells = [entries[i] for i in range(row, len(entries), rows)]
        lines.append("".join(c.ljust(width) for c in cells[:-1]) + cells[-1])
    return "\n".join(lines) + "\n"


def _long(proc: Proc, name: str, base: str | None) -> str:
    path = fs.absolute(base, name) if base else proc.path(name)
    directory = fs.is_dir(proc.container, path)
    mode = ("d" if directory else "-") + mode_string(fs.mode(proc.container, path))
    size = 4096 if directory else len((fs.read(proc.container, path) or "").encode())
    stamp = time.strftime("%b %e %H:%M", time.gmtime(proc.container.now))
    links = 2 if directory else 1
    if proc.image.userland == "gnu":
        return f"{mode} {links} root root {size:>5} {stamp} {name}"
    return f"{mode} {links:>4} root     root     {size:>10} {stamp} {name}"
