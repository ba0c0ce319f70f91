"""How a shell is started: `sh -c SCRIPT`, `sh FILE`, or commands read line by line from stdin
(a terminal or a pipe), one complete command at a time as ash and dash parse them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kubesim.sandbox import fs, messages
from kubesim.sandbox.parser import Parser
from kubesim.sandbox.proc import ExitShell, Io
from kubesim.sandbox.syntax import CommandList, Incomplete, ShellSyntaxError

if TYPE_CHECKING:
    from kubesim.sandbox.interp import Shell


# --- shell invocation -------------------------------------------------------------------


def main(shell: Shell, argv: list[str], io: Io) -> int:
    """`sh [-ex] -c SCRIPT [ARG0 [ARGS]]`, `sh FILE [ARGS]` or `sh` reading stdin."""
    args = argv[1:]
    command_mode = False
    while args and args[0].startswith(("-", "+")) and args[0] not in ("-", "--", "+"):
        flags = args.pop(0)
        if flags.startswith("--"):
            continue  # --login, --norc ...
        command_mode = command_mode or "c" in flags
        shell.state.options.update(f for f in flags[1:] if f in "eux")
    if args and args[0] == "--":
        args.pop(0)
    try:
        if command_mode:
            if not args:
                io.fds[2].write(_missing_c_argument(shell))
                return 2
            if len(args) > 1:
                shell.state.arg0 = args[1]
            shell.state.positional = args[2:]
            shell.run_source(args[0], io)
        elif args:
            script = fs.read(shell.container, fs.absolute(shell.state.cwd, args[0]))
            if script is None:
                io.fds[2].write(messages.cannot_open(shell.state, args[0]))
                return 127 if shell.state.dialect == "bash" else 2
            shell.state.arg0, shell.state.positional = args[0], args[1:]
            shell.run_source(script, io)
        else:
            repl(shell, io)
    except ExitShell as exit_:
        return exit_.status
    return shell.state.status


def _missing_c_argument(shell: Shell) -> str:
    if shell.state.dialect == "bash":
        return f"{shell.state.arg0}: -c: option requires an argument\n"
    if shell.state.dialect == "dash":
        return f"{shell.state.arg0}: 0: -c requires an argument\n"
    return f"{shell.state.arg0}: -c requires an argument\n"


def repl(shell: Shell, io: Io, prompt: Callable[[bool], None] | None = None) -> int:
    """Read and run commands line by line from stdin; `prompt(continuation)` shows PS1/PS2.

    Commands share stdin with the shell, so `read` in a piped script consumes the lines
    that follow it. At end of input inside a construct, the syntax error is reported.
    """
    buffer = ""
    line = 1
    while True:
        if prompt is not None:
            prompt(bool(buffer))
        text = io.stdin.readline()
        if text is None and not buffer:
            return shell.state.status
        buffer += text or ""
        try:
            commands = _parse_all(buffer, line, final=text is None)
        except ShellSyntaxError as error:
            if isinstance(error, Incomplete) and text is not None:
                continue  # read another line (PS2)
            io.fds[2].write(messages.syntax_error(shell.state, error))
            shell.state.status = 2
            if not shell.state.interactive or text is None:
                raise ExitShell(2) from None
            commands = []
        line += buffer.count("\n")
        buffer = ""
        for command in commands:
            shell.state.status = shell.run_list(command, io)
        if text is None:
            return shell.state.status


def _parse_all(source: str, line: int, final: bool) -> list[CommandList]:
    """Every complete command in `source`; Incomplete if more input could complete it."""
    parser = Parser(source, line=line, final=final)
    commands = []
    while (command := parser.next_command()) is not None:
        commands.append(command)
    return commands
