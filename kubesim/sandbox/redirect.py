"""Redirections: `<`, `>`, `>>`, `>&`, here-documents, rebinding a command's file descriptors.

Messages follow each shell (messages.py); /dev/null, /dev/stdout and /dev/stderr are
special, everything else is a file in the container's overlay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubesim.sandbox import fs, messages
from kubesim.sandbox.expand import expand_string
from kubesim.sandbox.proc import FileSink, Input, Io, Null, Sink
from kubesim.sandbox.syntax import Redirect

if TYPE_CHECKING:
    from kubesim.sandbox.interp import Shell


def apply(shell: Shell, redirects: tuple[Redirect, ...], io: Io) -> Io | None:
    """The fds and stdin after `redirects`, or None after printing why one failed."""
    if not redirects:
        return io
    fds, stdin = dict(io.fds), io.stdin
    shell._io = io
    for r in redirects:
        if r.heredoc is not None:
            text = expand_string(r.heredoc.body, shell)
            if r.fd == 0:
                stdin = Input(text)
            continue
        assert r.target is not None
        target = expand_string(r.target, shell)
        if r.op in (">&", "<&"):
            if target == "-":
                fds[r.fd] = Null()
            elif target.isdigit() and int(target) in fds:
                fds[r.fd] = fds[int(target)]
            elif target.isdigit() and int(target) == 0:
                continue
            else:
                message = f"{target}: Bad file descriptor"
                io.fds[2].write(messages.diagnostic(shell.state, message))
                return None
            continue
        path = fs.absolute(shell.state.cwd, target)
        if r.op in ("<", "<>"):
            content = "" if path == "/dev/null" else fs.read(shell.container, path)
            if content is None:
                io.fds[2].write(messages.cannot_open(shell.state, target))
                return None
            if r.fd == 0:
                stdin = Input(content)
            continue
        sink = _output(shell, path, target, append=r.op == ">>", io=io)
        if sink is None:
            return None
        fds[r.fd] = sink
    return Io(fds, stdin)


def _output(shell: Shell, path: str, target: str, append: bool, io: Io) -> Sink | None:
    if path == "/dev/null":
        return Null()
    if path in ("/dev/stdout", "/dev/stderr"):
        return io.fds[1 if path == "/dev/stdout" else 2]
    parent = path.rsplit("/", 1)[0] or "/"
    if fs.is_dir(shell.container, path) or not fs.is_dir(shell.container, parent):
        is_dir = fs.is_dir(shell.container, path)
        io.fds[2].write(messages.cannot_create(shell.state, target, is_dir))
        return None
    if fs.read_only(shell.container, path):
        io.fds[2].write(messages.cannot_create(shell.state, target, False, fs.READ_ONLY))
        return None
    if not append:
        fs.write(shell.container, path, "")
    elif fs.read(shell.container, path) is None:
        fs.write(shell.container, path, "")
    return FileSink(shell.container, path)
