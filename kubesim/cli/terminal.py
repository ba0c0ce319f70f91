"""The user's terminal: whether stdin can be a TTY, and the streams a session uses."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager


def tty_for(tty: bool, stdin: bool, quiet: bool) -> bool:
    """Whether a session gets a TTY, as kubectl's SetupTTY decides: -t without -i is quietly
    dropped (no stdin stream, so no TTY); -i -t with stdin not a terminal warns and goes on."""
    if not tty or not stdin:
        return False
    if not sys.stdin.isatty():
        if not quiet:
            sys.stderr.write(
                "Unable to use a TTY - input is not a terminal or the right kind of file\n"
            )
        return False
    return True


def read_line() -> str | None:
    """The next line of input with its newline (the last may lack one), None at end of input.
    On a terminal it returns as soon as a line is typed."""
    return sys.stdin.readline() or None


def write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def write_err(text: str) -> None:
    sys.stderr.write(text)
    sys.stderr.flush()


@contextmanager
def ctrl_c_raises(exception: type[BaseException]) -> Iterator[None]:
    """Within the block Ctrl-C raises `exception`, not KeyboardInterrupt: with a TTY, kubectl
    puts the terminal in raw mode and ^C reaches the container as SIGINT."""

    def deliver(signum: int, frame: object) -> None:
        raise exception()

    previous = signal.signal(signal.SIGINT, deliver)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
