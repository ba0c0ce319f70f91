"""How each shell words its own errors.

ash (busybox shell/ash.c ash_vmsg): `arg0: ` then, for a builtin, `name: ` and, when not
interactive, `line N: `. dash (error.c): `arg0: N: ` always. bash 5: `arg0: ` then
`line N: ` when not interactive. Syntax errors use the parsers' tokname forms.
"""

from __future__ import annotations

from kubesim.sandbox.proc import ShellState
from kubesim.sandbox.syntax import ShellSyntaxError


def diagnostic(state: ShellState, message: str, command: str | None = None) -> str:
    """A shell error line, e.g. `sh: cd: line 1: can't cd to /x` (ash), `sh: 1: cd: ...` (dash)."""
    named = f"{command}: " if command else ""
    if state.dialect == "dash":
        return f"{state.arg0}: {state.line}: {named}{message}\n"
    if state.dialect == "bash":
        where = "" if state.interactive else f"line {state.line}: "
        return f"{state.arg0}: {where}{named}{message}\n"
    where = f"line {state.line}: " if command and not state.interactive else ""
    return f"{state.arg0}: {named}{where}{message}\n"


def not_found(state: ShellState, name: str) -> str:
    """`sh: foo: not found` (ash), `sh: 1: foo: not found` (dash), `bash: foo: command not found`
    (bash)."""
    if state.dialect == "bash":
        if "/" in name:
            return diagnostic(state, "No such file or directory", name)
        return diagnostic(state, "command not found", name)
    if state.dialect == "dash":
        return diagnostic(state, f"{name}: not found")
    return f"{state.arg0}: {name}: not found\n"


def not_executable(state: ShellState, name: str) -> str:
    if state.dialect == "bash":
        return diagnostic(state, "Permission denied", name)
    return diagnostic(state, f"{name}: Permission denied")


def cannot_create(state: ShellState, path: str, is_dir: bool, reason: str = "") -> str:
    """A redirection's target that cannot be opened: a directory, a missing parent, or
    `reason` as strerror words it (Read-only file system)."""
    if state.dialect == "bash":
        shown = reason or ("Is a directory" if is_dir else "No such file or directory")
        return diagnostic(state, shown, path)
    if state.dialect == "dash":
        reason = reason or ("Is a directory" if is_dir else "Directory nonexistent")
        return diagnostic(state, f"cannot create {path}: {reason}")
    reason = reason or ("Is a directory" if is_dir else "nonexistent directory")
    return diagnostic(state, f"can't create {path}: {reason}")


def cannot_open(state: ShellState, path: str) -> str:
    if state.dialect == "bash":
        return diagnostic(state, "No such file or directory", path)
    if state.dialect == "dash":
        return diagnostic(state, f"cannot open {path}: No such file")
    return diagnostic(state, f"can't open {path}: no such file")


_DASH = {
    "unterminated": "Unterminated quoted string",
    "backquote": "EOF in backquote substitution",
    "bad-substitution": "Bad substitution",
    "for-variable": "Bad for loop variable",
}
_ASH = {
    "unterminated": "unterminated quoted string",
    "backquote": "EOF in backquote substitution",
    "bad-substitution": "bad substitution",
    "for-variable": "bad for loop variable",
}


def syntax_error(state: ShellState, error: ShellSyntaxError) -> str:
    """The message a syntax error prints (status 2 follows)."""
    saved, state.line = state.line, error.line
    try:
        expecting = f" (expecting {error.expecting})" if error.expecting else ""
        if state.dialect == "dash":
            text = _DASH.get(error.kind) or f"{error.token} unexpected{expecting}"
            return diagnostic(state, f"Syntax error: {text}")
        if state.dialect == "bash":
            if error.kind == "unexpected" and error.token != "end of file":
                return diagnostic(state, f"syntax error near unexpected token `{error.near}'")
            if error.kind == "unterminated":
                return diagnostic(state, "unexpected EOF while looking for matching `''")
            return diagnostic(state, "syntax error: unexpected end of file")
        text = _ASH.get(error.kind) or f"unexpected {error.token}{expecting}"
        return f"{state.arg0}: syntax error: {text}\n"
    finally:
        state.line = saved
