"""chmod [-Rcvf] MODE[,MODE]... FILE...: busybox's chmod.c and GNU coreutils' chmod.c, their
messages and exit codes. The modes are kept (fs.set_mode): ls -l shows them, nginx obeys them."""

from __future__ import annotations

import posixpath

from kubesim.sandbox import fs
from kubesim.sandbox.modes import mode_string, parse_mode
from kubesim.sandbox.proc import Proc

BUSYBOX_USAGE = (
    "Usage: chmod [-Rcvf] MODE[,MODE]... FILE...\n\n"
    "Each MODE is one or more of the letters ugoa, one of the\n"
    "symbols +-= and one or more of the letters rwxst\n\n"
    "\t-R\tRecurse\n\t-c\tList changed files\n\t-v\tList all files\n\t-f\tHide errors\n"
)
GNU_TRY = "Try 'chmod --help' for more information.\n"
GNU_LONG = {"--recursive": "R", "--changes": "c", "--verbose": "v", "--silent": "f",
            "--quiet": "f"}  # fmt: skip


def main(proc: Proc) -> int:
    gnu = proc.image.userland == "gnu"
    flags, operands = _parse_args(proc.args, "RcvfhHLP" if gnu else "Rcvf", gnu)
    if len(operands) < 2:
        if not gnu:
            proc.err(f"{proc.image.busybox_banner()} multi-call binary.\n\n{BUSYBOX_USAGE}")
        elif operands:
            proc.err(f"chmod: missing operand after '{operands[0]}'\n{GNU_TRY}")
        else:
            proc.err(f"chmod: missing operand\n{GNU_TRY}")
        return 1
    text, names = operands[0], operands[1:]
    if gnu and parse_mode(text, 0, is_dir=False) is None:
        proc.err(f"chmod: invalid mode: '{text}'\n{GNU_TRY}")
        return 1
    status = 0
    for name in names:
        path = proc.path(name)
        if not fs.exists(proc.container, path):
            if "f" not in flags:
                reason = "No such file or directory"
                proc.err(f"chmod: cannot access '{name}': {reason}\n" if gnu
                         else f"chmod: {name}: {reason}\n")  # fmt: skip
            status = 1
            continue
        for shown, target in _walk(proc, name, path, recursive="R" in flags):
            if fs.read_only(proc.container, target):
                if "f" not in flags:
                    proc.err(f"chmod: changing permissions of '{shown}': {fs.READ_ONLY}\n" if gnu
                             else f"chmod: {shown}: {fs.READ_ONLY}\n")  # fmt: skip
                status = 1
                continue
            if not _change(proc, shown, target, text, flags, gnu):
                # busybox parses the mode per file (after stat): bb_error_msg_and_die
                proc.err(f"chmod: invalid mode '{text}'\n")
                return 1
    return status


def _parse_args(args: list[str], letters: str, gnu: bool) -> tuple[str, list[str]]:
    """(option letters, operands); `-w`-like words are modes, as both chmods allow."""
    flags, operands = "", []
    options_done = False
    for arg in args:
        if options_done or arg == "-" or not arg.startswith("-"):
            operands.append(arg)
        elif arg == "--":
            options_done = True
        elif gnu and arg in GNU_LONG:
            flags += GNU_LONG[arg]
        elif all(c in letters for c in arg[1:]):
            flags += arg[1:]
        else:
            operands.append(arg)  # a mode such as -w or -x,o+r
    return flags, operands


def _walk(proc: Proc, shown: str, path: str, *, recursive: bool) -> list[tuple[str, str]]:
    """`path` and, with -R, everything below it (a directory before its entries)."""
    found = [(shown, path)]
    if recursive and fs.is_dir(proc.container, path):
        for entry in fs.list_dir(proc.container, path):
            child = posixpath.join(path, entry)
            found += _walk(proc, posixpath.join(shown, entry), child, recursive=True)
    return found


def _change(proc: Proc, shown: str, path: str, text: str, flags: str, gnu: bool) -> bool:
    """Apply the mode to one path and report it as -v/-c ask; False if the mode is invalid."""
    old = fs.mode(proc.container, path)
    new = parse_mode(text, old, is_dir=fs.is_dir(proc.container, path))
    if new is None:
        return False
    fs.set_mode(proc.container, path, new)
    changed = new != old
    if gnu and ("v" in flags or ("c" in flags and changed)):
        if changed:
            proc.out(f"mode of '{shown}' changed from {old:04o} ({mode_string(old)}) "
                     f"to {new:04o} ({mode_string(new)})\n")  # fmt: skip
        else:
            proc.out(f"mode of '{shown}' retained as {new:04o} ({mode_string(new)})\n")
    elif not gnu and ("v" in flags or ("c" in flags and changed)):
        proc.out(f"mode of '{shown}' changed to {new:04o} ({mode_string(new)})\n")
    return True
