"""The user's terminal: whether stdin can be a TTY, and reading lines from it."""

from __future__ import annotations

import sys


def tty_for(tty: bool, stdin: bool, quiet: bool) -> bool:
    """-t is honoured only when stdin is a terminal; otherwise kubectl warns and goes on."""
    if not tty:
        return False
    if not sys.stdin.isatty():
        if not quiet:
            sys.stderr.write(
                "Unable to use a TTY - input is not a terminal or the right kind of file\n"
            )
        return False
    return stdin


def read_line() -> str | None:
    """One line of input without its newline, or None at end of input."""
    line = sys.stdin.readline()
    if not line:
        return None
    return line.rstrip("\n")


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()
