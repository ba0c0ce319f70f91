"""Reporting several errors from one command, as kubectl's aggregate errors do.

kubectl collects errors in utilerrors aggregates and prints them with cmdutil.CheckErr: one
error as itself (`error: ...`, `Error from server (NotFound): ...`), several one per line,
each with StandardErrorMessage or else bare, and an aggregate inside another on one line,
in brackets (`[a, b]`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kubesim.api.errors import ApiError, KubesimError


def raise_all(errors: Sequence[KubesimError]) -> None:
    """Print every error but the last on stderr, then raise the last (which sets the exit code)."""
    if not errors:
        return
    sys.stdout.flush()
    for error in errors[:-1]:
        sys.stderr.write(error.render() + "\n")
    raise errors[-1]


def print_warnings(warnings: list[str]) -> None:
    """The apiserver's warnings for the last request, as kubectl's warning handler prints them,
    and clear them."""
    for warning in warnings:
        sys.stderr.write(f"Warning: {warning}\n")
    warnings.clear()


class ErrorList(KubesimError):
    """utilerrors.Aggregate: several errors reported as one."""

    def __init__(self, errors: Sequence[KubesimError]) -> None:
        self.errors = list(errors)
        super().__init__(go_error(self))

    def render(self) -> str:
        # checkErr: an aggregate of one is unwrapped once, then printed as itself
        errors = self.errors
        if len(errors) == 1:
            inner = errors[0]
            return _multiple(inner.errors) if isinstance(inner, ErrorList) else inner.render()
        return _multiple(errors)


def aggregate(errors: Sequence[KubesimError]) -> ErrorList:
    return ErrorList(errors)


def go_error(err: KubesimError) -> str:
    """err.Error() in Go: an aggregate flattens its errors, drops repeated messages, and
    brackets them when more than one is left."""
    if not isinstance(err, ErrorList):
        return err.message
    messages: list[str] = []
    stack = list(reversed(err.errors))
    while stack:
        item = stack.pop()
        if isinstance(item, ErrorList):
            stack += reversed(item.errors)
        elif item.message not in messages:
            messages.append(item.message)
    if len(messages) == 1:
        return messages[0]
    return "[" + ", ".join(messages) + "]" if messages else ""


def message_for_error(err: KubesimError) -> str:
    """One line of MultipleErrors: StandardErrorMessage for the server's errors (with the
    server's own message, never an Invalid error's rebuilt one), else Error()."""
    if isinstance(err, ApiError):
        if not err.reason:
            return f"Error from server: {err.message}"
        return f"Error from server ({err.reason}): {err.message}"
    return go_error(err)


def _multiple(errors: Sequence[KubesimError]) -> str:
    return "".join(message_for_error(e) + "\n" for e in errors)


def visit_result(
    errors: Sequence[KubesimError], builder: Sequence[KubesimError]
) -> KubesimError | None:
    """What a builder's Visit returns with ContinueOnError: the errors met on each object,
    then the readers' own as one aggregate; one error alone, several as an aggregate."""
    found = list(errors)
    if builder:
        found.append(aggregate(builder))
    if not found:
        return None
    return found[0] if len(found) == 1 else aggregate(found)


def finish(errors: Sequence[KubesimError], builder: Sequence[KubesimError]) -> None:
    """Raise what a command that visits -f objects reports at the end (create's Visit)."""
    result = visit_result(errors, builder)
    if result is not None:
        sys.stdout.flush()
        raise result


def reduce(err: KubesimError | None) -> KubesimError | None:
    """utilerrors.Reduce: an aggregate of one is its error."""
    if isinstance(err, ErrorList) and len(err.errors) == 1:
        return err.errors[0]
    return err
