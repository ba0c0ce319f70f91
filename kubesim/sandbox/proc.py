"""What a running command sees: its argv, environment, file descriptors and the shell around it.

Output goes through sinks bound to file descriptors, so redirections (`>f`, `2>&1`,
`2>/dev/null`) are dup2-like rebindings of the fd table. Control flow that crosses commands
(exit, break, continue, return) travels as exceptions.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from kubesim.sandbox import fs
from kubesim.sandbox.container import Container
from kubesim.sandbox.images import Dialect, Image
from kubesim.sandbox.limits import PIPE_CAPACITY, BrokenPipe, Limits, Variables

SHELL_PID = 7  # $$: the exec'd shell is a young process next to PID 1


class Sink(Protocol):
    def write(self, text: str) -> None: ...


class Buffer:
    """Collects what is written (a command substitution, Result.stdout). With `limits`, what
    it holds is charged to the container's memory until `release`."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.parts: list[str] = []
        self.limits = limits
        self.size = 0

    def write(self, text: str) -> None:
        if self.limits is not None:
            self.limits.charge(len(text))
            self.size += len(text)
        self.parts.append(text)

    def text(self) -> str:
        return "".join(self.parts)

    def release(self) -> None:
        if self.limits is not None and self.size:
            self.limits.charge(-self.size)
            self.size = 0


class Pipe:
    """A pipe between two processes of a pipeline, which run at once: it holds PIPE_CAPACITY
    bytes, its writer waits while it is full and its reader while it is empty. The reader sees
    the end of input once the writer is gone; a writer whose reader is gone dies of SIGPIPE."""

    def __init__(self) -> None:
        self._chunks: deque[str] = deque()
        self._size = 0
        self._changed = threading.Condition()
        self._writing = True
        self._reading = True

    def write(self, text: str) -> None:
        if not text:
            return
        with self._changed:
            if not self._reading:
                raise BrokenPipe()
            self._chunks.append(text)
            self._size += len(text)
            self._changed.notify_all()
            while self._size > PIPE_CAPACITY and self._reading:
                self._changed.wait()
            if not self._reading and self._size:
                raise BrokenPipe()

    def read(self) -> str | None:
        """What is in the pipe (waiting for some), or None at the end of input."""
        with self._changed:
            while not self._chunks and self._writing:
                self._changed.wait()
            if not self._chunks:
                return None
            text = "".join(self._chunks)
            self._chunks.clear()
            self._size = 0
            self._changed.notify_all()
            return text

    def close_writer(self) -> None:
        with self._changed:
            self._writing = False
            self._changed.notify_all()

    def close_reader(self) -> None:
        with self._changed:
            self._reading = False
            self._chunks.clear()
            self._size = 0
            self._changed.notify_all()


class Null:
    """/dev/null."""

    def write(self, text: str) -> None:
        return None


class Forward:
    """Passes writes to a callback (the terminal of an interactive session)."""

    def __init__(self, write: Callable[[str], None]) -> None:
        self._write = write

    def write(self, text: str) -> None:
        self._write(text)


class Terminal:
    """The session's terminal (a pty): writes go to `sink`, and a program asking isatty(fd)
    of a descriptor bound to it is told yes (curl drops its meter, ls prints columns)."""

    def __init__(self, sink: Sink) -> None:
        self._sink = sink

    def write(self, text: str) -> None:
        self._sink.write(text)


class FileSink:
    """An open file in the container: each write appends to its overlay copy."""

    def __init__(self, container: Container, path: str) -> None:
        self.container = container
        self.path = path

    def write(self, text: str) -> None:
        fs.write(self.container, self.path, text, append=True)


class Input:
    """A readable stream (fd 0): text given up front, then what `source` yields as it is read.

    `source` returns the next chunk (a line as typed, or what a pipe holds) or None at end of
    input; it is only called when a program reads, so a program that never reads stdin never
    waits for it. `tty` says the stream is a terminal.
    """

    def __init__(
        self, text: str = "", source: Callable[[], str | None] | None = None, tty: bool = False
    ) -> None:
        self._text = text
        self._at = 0  # how much of _text has been read
        self._source = source
        self.tty = tty

    def _more(self) -> bool:
        """Read the next chunk from the source; False at the end of input."""
        if self._source is None:
            return False
        chunk = self._source()
        if chunk is None:
            self._source = None
            return False
        self._text = self._text[self._at :] + chunk
        self._at = 0
        return True

    def readline(self) -> str | None:
        """The next line with its newline (the last may lack one), None at end of input."""
        while True:
            end = self._text.find("\n", self._at)
            if end >= 0:
                line = self._text[self._at : end + 1]
                self._at = end + 1
                return line
            if not self._more():
                break
        if self._at >= len(self._text):
            return None
        line = self._text[self._at :]
        self._text, self._at = "", 0
        return line

    def lines(self) -> Iterator[str]:
        """The lines up to the end of input, each read only when the caller asks for it."""
        while (line := self.readline()) is not None:
            yield line

    def chunks(self) -> Iterator[str]:
        """What there is to read, a piece at a time, up to the end of input (for programs
        that do not care about lines: cat, wc -c)."""
        while True:
            if self._at < len(self._text):
                text = self._text[self._at :]
                self._text, self._at = "", 0
                yield text
            if not self._more():
                return

    def read(self) -> str:
        """Everything up to the end of input."""
        return "".join(self.chunks())


@dataclass
class Io:
    """A command's file descriptors and standard input."""

    fds: dict[int, Sink]
    stdin: Input


class ExitShell(Exception):
    """`exit N` (or a fatal error): unwinds to the shell or subshell boundary."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


class Serving(Exception):
    """Raised by a server program once it is up (its start-up lines written, its settings
    checked): from then on the process serves `ports` until it is stopped. Connections to those
    ports are answered by the program's handler (kubesim.sandbox.programs)."""

    def __init__(self, program: str, ports: tuple[int, ...]) -> None:
        super().__init__(program, ports)
        self.program = program
        self.ports = ports


class Interrupt(Exception):
    """Ctrl-C typed on the session's terminal (SIGINT): ends the program reading it, while an
    interactive shell abandons the line and prompts again."""


class LoopControl(Exception):
    """`break N` / `continue N`."""

    def __init__(self, kind: str, levels: int) -> None:
        super().__init__(kind, levels)
        self.kind = kind
        self.levels = levels


class ReturnFromFunction(Exception):
    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


@dataclass
class ShellState:
    """The state a shell keeps between commands; copied for subshells."""

    dialect: Dialect
    arg0: str
    cwd: str = "/"
    vars: dict[str, str] = field(default_factory=dict)
    exported: set[str] = field(default_factory=set)
    positional: list[str] = field(default_factory=list)
    functions: dict[str, Any] = field(default_factory=dict)
    status: int = 0
    line: int = 1  # line of the command running now (dash and bash print it)
    interactive: bool = False
    options: set[str] = field(default_factory=set)  # set -e, set -x ...
    loop_depth: int = 0
    function_depth: int = 0

    def environment(self) -> dict[str, str]:
        """The exported variables, as a child process receives them."""
        return {k: v for k, v in self.vars.items() if k in self.exported}

    def copy(self) -> ShellState:
        return ShellState(
            dialect=self.dialect, arg0=self.arg0, cwd=self.cwd,
            vars=self.vars.fork() if isinstance(self.vars, Variables) else dict(self.vars),
            exported=set(self.exported), positional=list(self.positional),
            functions=dict(self.functions), status=self.status, line=self.line,
            interactive=False, options=set(self.options), loop_depth=self.loop_depth,
            function_depth=self.function_depth,
        )  # fmt: skip


@dataclass
class Proc:
    """One command invocation. Builtins read `argv`/`stdin` and write to fds 1 and 2."""

    argv: list[str]
    container: Container
    image: Image
    state: ShellState
    env: dict[str, str]
    stdin: Input
    fds: dict[int, Sink]
    # runs a program with the given process's fds and env (env CMD, busybox APPLET);
    # None when there is no such program
    spawn: Callable[[Proc, list[str]], int | None] | None = None
    # runs shell source in the calling shell (eval, .); None outside a shell
    run_source: Callable[[str], int] | None = None

    @property
    def name(self) -> str:
        return self.argv[0].rsplit("/", 1)[-1] if self.argv else ""

    @property
    def in_shell(self) -> bool:
        """True for a shell builtin (it runs inside the shell and may change its state)."""
        return self.run_source is not None

    @property
    def args(self) -> list[str]:
        return self.argv[1:]

    def isatty(self, fd: int) -> bool:
        """True if descriptor `fd` is the session's terminal (not a pipe, file or /dev/null)."""
        if fd == 0:
            return self.stdin.tty
        return isinstance(self.fds.get(fd), Terminal)

    def out(self, text: str) -> None:
        self.fds[1].write(text)

    def err(self, text: str) -> None:
        self.fds[2].write(text)

    def path(self, path: str) -> str:
        """`path` made absolute against the current directory."""
        return fs.absolute(self.state.cwd, path)

    def child(self, argv: list[str], stdin: Input | None = None) -> Proc:
        """A process for `argv` sharing this one's fds, environment and directory."""
        return Proc(
            argv=argv, container=self.container, image=self.image, state=self.state,
            env=self.env, stdin=self.stdin if stdin is None else stdin, fds=self.fds,
            spawn=self.spawn, run_source=self.run_source,
        )  # fmt: skip


Builtin = Callable[[Proc], int]
