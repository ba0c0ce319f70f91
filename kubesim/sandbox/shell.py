"""Entry points: run a command in a container as `kubectl exec` does, or attach a shell to it.

`run` plays the container runtime: it execs argv[0] from the image (no shell involved unless
argv[0] is one), and fails the way runc does when there is no such program. `interactive`
is `run` attached to a terminal a user types into (`-i`, and `-t`): input is read one line
at a time as programs ask for it, line editing is left to the caller.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kubesim.sandbox.container import Container
from kubesim.sandbox.images import Image, personality
from kubesim.sandbox.interp import Shell
from kubesim.sandbox.limits import SIGPIPE, BrokenPipe, Killed, LeftRunning
from kubesim.sandbox.proc import (
    Buffer,
    Forward,
    Input,
    Interrupt,
    Io,
    Serving,
    ShellState,
    Sink,
    Terminal,
)

HOME = "/root"


@dataclass(frozen=True)
class Result:
    stdout: str
    stderr: str
    exit_code: int
    killed: str = ""  # "OOMKilled" when the kernel killed the container's processes


def exec_failed(argv0: str) -> str:
    """runc's error for a missing program (kubectl adds `command terminated with exit code 126`)."""
    # runc >= 1.1 wording, as printed through kubectl exec on docker/cri-dockerd nodes;
    # containerd nodes wrap it in `error: Internal error occurred: ... failed to start exec`
    if "/" in argv0:
        reason = f"stat {argv0}: no such file or directory"
    else:
        reason = "executable file not found in $PATH"
    return (f'OCI runtime exec failed: exec failed: unable to start container process: '
            f'exec: "{argv0}": {reason}: unknown\n')  # fmt: skip


def can_exec(container: Container, argv0: str) -> bool:
    """True if the runtime finds `argv0` in the image (on its PATH, or at that path)."""
    shell = _runtime(container)
    return shell.find(argv0, shell.state.environment()) is not None


def runtime_env(container: Container, image: Image) -> dict[str, str]:
    """The environment a process starts with: PATH, HOSTNAME, the image's ENV and the
    container's (containerd's order), then HOME, which runc sets from the user's passwd entry
    when nothing else does."""
    from kubesim.sandbox.identity import identity

    env = dict(image.env[:1])  # PATH leads, as the runtime writes the image's ENV first
    env.update(container.env)
    for key, value in image.env[1:]:
        env.setdefault(key, value)
    if "HOME" not in env:
        env["HOME"] = identity(container).home if image.known else HOME
    return env


def _runtime(container: Container) -> Shell:
    """The runtime's view of a fresh process: the image's environment and workdir (arg0 ""
    marks that no shell is involved)."""
    image = personality(container.image)
    env = runtime_env(container, image)
    state = ShellState(
        dialect=image.shells.get("sh", "ash"), arg0="", cwd=image.workdir, vars=dict(env),
        exported=set(env),
    )  # fmt: skip
    return Shell(container, state)


def run(
    container: Container,
    argv: list[str],
    stdin: str | Input = "",
    *,
    tty: bool = False,
    sinks: tuple[Sink, Sink] | None = None,
    main: bool = False,
) -> Result:
    """Exec `argv` in the container; stdout, stderr and the exit code it ends with (with
    `sinks`, the output goes there as it is written, and the Result holds none of it).

    `stdin` is text, or an Input the program pulls from only as it reads. With `tty` the
    program's stdin and output are a terminal: stderr is shown on stdout, as a pty has one
    output stream, and a shell reading commands from it is interactive.

    A server program started here runs until it is stopped: for a container's `main` process
    its Serving propagates to the runtime; in an exec session it holds the session until the
    terminal sends Ctrl-C or closes (at once without a terminal: nothing could stop it).
    """
    out, err = Buffer(), Buffer()
    fds: dict[int, Sink] = {1: sinks[0], 2: sinks[1]} if sinks else {1: out, 2: err}
    if tty:
        terminal = Terminal(fds[1])
        fds = {1: terminal, 2: terminal}
    stream = stdin if isinstance(stdin, Input) else Input(stdin)
    stream.tty = tty
    io = Io(fds, stream)
    if not argv:
        io.fds[2].write(exec_failed(""))
        return Result(out.text(), err.text(), 126)
    # the runtime execs argv itself: no shell around it
    shell = _runtime(container)
    if shell.find(argv[0], shell.state.environment()) is None:
        io.fds[2].write(exec_failed(argv[0]))
        return Result(out.text(), err.text(), 126)
    try:
        code = shell.external(argv, io, shell.state.environment())
    except Interrupt:
        code = 130  # Ctrl-C on the terminal: SIGINT ends the program
    except Killed as killed:
        return Result(out.text(), err.text(), killed.status, killed.reason)
    except (BrokenPipe, LeftRunning):
        code = 128 + SIGPIPE
    except Serving:
        if main:
            raise
        code = _serve_until_interrupted(io)
    return Result(out.text(), err.text(), code)


def _serve_until_interrupted(io: Io) -> int:
    """A server in the foreground of an exec session: it reads nothing, and ends with the
    session (130 when Ctrl-C interrupts it)."""
    if not io.stdin.tty:
        return 0
    try:
        while io.stdin.readline() is not None:
            pass
    except Interrupt:
        return 130
    return 0


def interactive(
    container: Container,
    read_line: Callable[[], str | None],
    write: Callable[[str], None],
    tty: bool,
    argv: list[str] | None = None,
) -> int:
    """Run `argv` (default: the image's sh) attached to a terminal; returns its exit status.

    `read_line` returns the next line typed, with its newline (None at end of input);
    `write` receives stdout and stderr as the terminal shows them. With a tty a shell is
    interactive: it prints its prompt before each line and survives syntax errors. Without
    one it reads a script from stdin: no prompt, and a syntax error ends it.
    """
    sink = Forward(write)
    stdin = Input(source=read_line)
    return run(container, argv or ["sh"], stdin, tty=tty, sinks=(sink, sink)).exit_code
