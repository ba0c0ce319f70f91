"""Entry points: run a command in a container as `kubectl exec` does, or attach a shell to it.

`run` plays the container runtime: it execs argv[0] from the image (no shell involved unless
argv[0] is one), and fails the way runc does when there is no such program. `interactive`
is the shell a user attaches to with `-i` (and `-t`): prompts, line editing left to the
caller, one line read at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kubesim.sandbox import session
from kubesim.sandbox.container import Container
from kubesim.sandbox.images import Image, personality
from kubesim.sandbox.interp import Shell
from kubesim.sandbox.proc import Buffer, ExitShell, Forward, Input, Io, ShellState, Sink

HOME = "/root"


@dataclass(frozen=True)
class Result:
    stdout: str
    stderr: str
    exit_code: int


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
    shell = _shell(container, "sh", "", interactive=False, tty=False)
    return shell.find(argv0, shell.state.environment()) is not None


def runtime_env(container: Container, image: Image) -> dict[str, str]:
    """The environment a process starts with: image ENV, the container's env, then HOME."""
    env = dict(image.env[:1])  # PATH leads, as the runtime writes the image's ENV first
    env.update(container.env)
    for key, value in image.env[1:]:
        env.setdefault(key, value)
    env.setdefault("HOME", HOME)
    return env


def _shell(container: Container, dialect_of: str, arg0: str, interactive: bool,
           tty: bool) -> Shell:  # fmt: skip
    image = personality(container.image)
    env = runtime_env(container, image)
    state = ShellState(
        dialect=image.shells.get(dialect_of, "ash"), arg0=arg0, cwd=image.workdir,
        vars=dict(env), exported=set(env), interactive=interactive,
    )  # fmt: skip
    return Shell(container, state, tty)


def run(
    container: Container,
    argv: list[str],
    stdin: str = "",
    *,
    tty: bool = False,
    sinks: tuple[Sink, Sink] | None = None,
) -> Result:
    """Exec `argv` in the container; stdout, stderr and the exit code it ends with (with
    `sinks`, the output goes there as it is written, and the Result holds none of it)."""
    out, err = Buffer(), Buffer()
    io = Io({1: sinks[0], 2: sinks[1]} if sinks else {1: out, 2: err}, Input(stdin))
    if not argv:
        err.write(exec_failed(""))
        return Result("", err.text(), 126)
    # the runtime execs argv itself: no shell around it (arg0 "" marks that)
    shell = _shell(container, "sh", "", interactive=False, tty=tty)
    program = shell.find(argv[0], shell.state.environment())
    if program is None:
        io.fds[2].write(exec_failed(argv[0]))
        return Result("", err.text(), 126)
    code = shell.external(argv, io, shell.state.environment())
    return Result(out.text(), err.text(), code)


def prompt(shell: Shell, continuation: bool = False) -> str:
    """PS1/PS2 as each shell shows them to root (bash with Debian's /etc/bash.bashrc)."""
    if continuation:
        return "> "
    state = shell.state
    cwd = state.cwd
    home = state.vars.get("HOME", HOME)
    shown = "~" + cwd[len(home) :] if cwd == home or cwd.startswith(home + "/") else cwd
    if state.dialect == "bash":
        return f"root@{shell.container.hostname.split('.')[0]}:{shown}# "
    if state.dialect == "dash":
        return "# "
    return f"{shown} # "


def interactive(
    container: Container,
    read_line: Callable[[], str | None],
    write: Callable[[str], None],
    tty: bool,
    argv: list[str] | None = None,
) -> int:
    """Run `argv` (default: the image's sh) attached to a terminal; returns its exit status.

    `read_line` returns the next line typed (None at end of input); `write` receives stdout
    and stderr as the terminal shows them. With a tty a shell is interactive: it prints its
    prompt before each line and survives syntax errors. Without one it reads a script from
    stdin: no prompt, and a syntax error ends it.
    """
    argv = argv or ["sh"]
    shell = _shell(container, "sh", "", interactive=False, tty=tty)
    env = shell.state.environment()
    program = shell.find(argv[0], env)
    if program is None:
        write(exec_failed(argv[0]))
        return 126
    sink = Forward(write)
    io = Io({1: sink, 2: sink}, Input(source=read_line))
    image = personality(container.image)
    if program not in image.shells or len(argv) > 1:
        return shell.external(argv, io, env)
    shell = _shell(container, program, argv[0], interactive=tty, tty=tty)
    bash = tty and shell.state.dialect == "bash"
    try:
        status = session.repl(shell, io, (lambda more: write(prompt(shell, more))) if tty else None)
    except ExitShell as exit_:
        status = exit_.status
    if bash:
        write("exit\n")  # bash says so when an interactive shell ends
    return status
