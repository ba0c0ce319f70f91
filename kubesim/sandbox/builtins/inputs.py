"""Reading the file operands of cat, head, tail, wc and grep (`-` is standard input)."""

from __future__ import annotations

from collections.abc import Iterable

from kubesim.sandbox import fs
from kubesim.sandbox.proc import Proc

NO_SUCH_FILE = "No such file or directory"
IS_A_DIRECTORY = "Is a directory"


def read_operand(proc: Proc, name: str) -> tuple[str | None, str]:
    """(content, "") or (None, the strerror text) for one operand."""
    if name == "-":
        return proc.stdin.read(), ""
    path = proc.path(name)
    if fs.is_dir(proc.container, path):
        return None, IS_A_DIRECTORY
    content = fs.read(proc.container, path)
    if content is None:
        if fs.is_executable(proc.container, path):
            return "", ""  # a binary: kubesim keeps no bytes for programs
        return None, NO_SUCH_FILE
    return content, ""


def operand_lines(proc: Proc, name: str) -> tuple[Iterable[str] | None, str]:
    """Like read_operand, as lines; standard input is read as the lines are consumed, so a
    program answers each line as it arrives (typed on a terminal, or from kubectl -i)."""
    if name == "-":
        return proc.stdin.lines(), ""
    content, reason = read_operand(proc, name)
    return (None if content is None else split_lines(content)), reason


def operand_chunks(proc: Proc, name: str) -> tuple[Iterable[str] | None, str]:
    """Like read_operand, in pieces: standard input as it comes through its pipe, so a
    program that only counts or copies never holds all of it."""
    if name == "-":
        return proc.stdin.chunks(), ""
    content, reason = read_operand(proc, name)
    return (None if content is None else [content]), reason


def warn(proc: Proc, name: str, reason: str) -> None:
    """`head: x: No such file or directory`, the perror form most applets share."""
    proc.err(f"{proc.name}: {name}: {reason}\n")


def split_lines(text: str) -> list[str]:
    """Lines with their newlines kept (the last may lack one)."""
    return text.splitlines(keepends=True)
