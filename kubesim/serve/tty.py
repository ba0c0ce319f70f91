"""The terminal a `-t` session gets: what a pty's line discipline does between the client's
keystrokes and the program (kubectl puts the user's terminal in raw mode and sends each key as
it is typed, so the remote side echoes, edits and signals, as a real pty would).

Canonical mode with echo, as a login shell's terminal is set up: typed characters are echoed
and collected into a line, Enter (CR) ends it as a newline, backspace erases, Ctrl-U kills the
line, Ctrl-C interrupts (^C) and drops what was typed ahead, Ctrl-D on an empty line is the
end of input; output newlines become CR LF (onlcr). Escape sequences (arrow keys) are
dropped: busybox's line editing is not simulated.
"""

from __future__ import annotations

from collections.abc import Callable


class Interrupted(Exception):
    """Ctrl-C was typed: the line being read is dropped and the program is interrupted."""


class LineDiscipline:
    """Turns raw keystrokes into lines, echoing them through `echo`."""

    def __init__(self, echo: Callable[[str], None]) -> None:
        self.echo = echo
        self.line = ""
        self.escape = ""  # an escape sequence being skipped
        self.lines: list[str | None] = []  # complete lines; None is the end of input
        self.interrupts = 0

    def feed(self, text: str) -> None:
        for char in text:
            if self.escape:
                self.escape += char
                if len(self.escape) > 1 and (char.isalpha() or char == "~"):
                    self.escape = ""
                continue
            if char == "\x1b":
                self.escape = char
            elif char in ("\r", "\n"):
                self.echo("\r\n")
                self.lines.append(self.line + "\n")
                self.line = ""
            elif char in ("\x7f", "\x08"):
                if self.line:
                    self.line = self.line[:-1]
                    self.echo("\b \b")
            elif char == "\x15":  # Ctrl-U
                self.echo("\b \b" * len(self.line))
                self.line = ""
            elif char == "\x03":  # Ctrl-C: SIGINT, and the input typed ahead is flushed
                self.echo("^C")
                self.line = ""
                self.lines.clear()
                self.interrupts += 1
            elif char == "\x04":  # Ctrl-D
                if self.line:
                    self.lines.append(self.line)
                    self.line = ""
                else:
                    self.lines.append(None)
            elif char >= " " or char == "\t":
                self.line += char
                self.echo(char)

    def take(self) -> str | None:
        """The next complete line (None at end of input); Interrupted if Ctrl-C came first."""
        if self.interrupts:
            self.interrupts -= 1
            raise Interrupted()
        return self.lines.pop(0)

    @property
    def ready(self) -> bool:
        return bool(self.lines) or self.interrupts > 0


def onlcr(text: str) -> str:
    """Output post-processing: every newline reaches the terminal as CR LF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")
