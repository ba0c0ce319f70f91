"""How a shell is started: `sh -c SCRIPT`, `sh FILE`, or commands read line by line from stdin
(a terminal or a pipe), one complete command at a time as ash and dash parse them.

A shell reading commands from a terminal (or started with -i) is interactive: it prompts,
survives syntax errors and Ctrl-C, and bash says `exit` as it ends.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kubesim.sandbox import fs, messages
from kubesim.sandbox.parser import Parser
from kubesim.sandbox.proc import ExitShell, Interrupt, Io, Terminal
from kubesim.sandbox.syntax import CommandList, Incomplete, ShellSyntaxError

if TYPE_CHECKING:
    from kubesim.sandbox.interp import Shell


# --- shell invocation -------------------------------------------------------------------


def main(shell: Shell, argv: list[str], io: Io) -> int:
    """`sh [-ex] -c SCRIPT [ARG0 [ARGS]]`, `sh FILE [ARGS]` or `sh` reading stdin; the shell's
    EXIT trap runs as it ends."""
    status = _main(shell, argv, io)
    return shell.exit_trap(status, io) if shell.state.traps else status


def _main(shell: Shell, argv: list[str], io: Io) -> int:
    args = argv[1:]
    command_mode, asked_interactive = False, False
    while args and args[0].startswith(("-", "+")) and args[0] not in ("-", "--", "+"):
        flags = args.pop(0)
        if flags.startswith("--"):
            continue  # --login, --norc ...
        command_mode = command_mode or "c" in flags
        asked_interactive = asked_interactive or (flags[0] == "-" and "i" in flags)
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
            shell.oneshot = True
            shell.run_source(args[0], io)
        elif args:
            script = fs.read(shell.container, fs.absolute(shell.state.cwd, args[0]))
            if script is None:
                io.fds[2].write(messages.cannot_open(shell.state, args[0]))
                return 127 if shell.state.dialect == "bash" else 2
            shell.state.arg0, shell.state.positional = args[0], args[1:]
            shell.run_source(script, io)
        elif asked_interactive or _on_a_terminal(shell, io):
            return _interactive(shell, io)
        else:
            repl(shell, io)
    except ExitShell as exit_:
        return exit_.status
    return shell.state.status


def _on_a_terminal(shell: Shell, io: Io) -> bool:
    # ash and dash test isatty(0) && isatty(1); bash tests stdin and stderr
    out = 2 if shell.state.dialect == "bash" else 1
    return io.stdin.tty and isinstance(io.fds.get(out), Terminal)


def _interactive(shell: Shell, io: Io) -> int:
    """The shell a user types into: PS1/PS2 on stderr, and bash's `exit` as it ends."""
    shell.state.interactive = True
    profile = shell.state.vars.get("ENV") if shell.state.dialect == "ash" else None
    if profile:
        # ash reads $ENV as an interactive shell starts (read_profile: a missing file is fine)
        from kubesim.sandbox import fs

        text = fs.read(shell.container, profile)
        if text is not None:
            shell.run_source(text, io)
    try:
        status = repl(shell, io, lambda more: io.fds[2].write(prompt(shell, more)))
    except ExitShell as exit_:
        status = exit_.status
    if shell.state.dialect == "bash":
        io.fds[2].write("exit\n")
    return status


def prompt(shell: Shell, continuation: bool = False) -> str:
    """PS1/PS2 as each shell shows them to root (bash with Debian's /etc/bash.bashrc)."""
    if continuation:
        return "> "
    state = shell.state
    cwd = state.cwd
    home = state.vars.get("HOME", "/root")
    shown = "~" + cwd[len(home) :] if cwd == home or cwd.startswith(home + "/") else cwd
    if state.dialect == "bash":
        return f"root@{shell.container.hostname.split('.')[0]}:{shown}# "
    if state.dialect == "dash":
        return "# "
    custom = state.vars.get("PS1")
    if custom:
        return ash_prompt(custom, shell.container.hostname, shown)
    return f"{shown} # "


def ash_prompt(ps1: str, hostname: str, cwd: str) -> str:
    """A PS1 as busybox ash shows it to root (lineedit.c parse_and_put_prompt): \\u the user,
    \\h and \\H the host, \\w the directory, \\$ '#', \\[ \\] dropped, \\e and octal escapes."""
    out, i = [], 0
    while i < len(ps1):
        char = ps1[i]
        if char != "\\" or i + 1 == len(ps1):
            out.append(char)
            i += 1
            continue
        code = ps1[i + 1]
        i += 2
        if code == "u":
            out.append("root")
        elif code == "h":
            out.append(hostname.split(".")[0])
        elif code == "H":
            out.append(hostname)
        elif code == "w":
            out.append(cwd)
        elif code == "W":
            out.append(cwd.rstrip("/").rsplit("/", 1)[-1] or "/")
        elif code == "$":
            out.append("#")
        elif code == "e":
            out.append("\x1b")
        elif code == "n":
            out.append("\n")
        elif code in "01234567":
            digits = code
            while i < len(ps1) and len(digits) < 3 and ps1[i] in "01234567":
                digits += ps1[i]
                i += 1
            out.append(chr(int(digits, 8)))
        elif code not in "[]":
            out.append("\\" + code if code != "\\" else "\\")
    return "".join(out)


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
    Ctrl-C in an interactive shell drops the line being typed (or the command reading it).
    """
    buffer = ""
    line = 1
    while True:
        try:
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
        except Interrupt:
            if not shell.state.interactive:
                raise
            io.fds[2].write("\n")  # the terminal echoed ^C; the shell starts a new line
            shell.state.status, buffer, text = 130, "", ""
        if text is None:
            return shell.state.status


def _parse_all(source: str, line: int, final: bool) -> list[CommandList]:
    """Every complete command in `source`; Incomplete if more input could complete it."""
    parser = Parser(source, line=line, final=final)
    commands = []
    while (command := parser.next_command()) is not None:
        commands.append(command)
    return commands
