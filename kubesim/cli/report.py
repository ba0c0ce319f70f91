"""Reporting several errors from one command, as kubectl's aggregate errors do.

kubectl collects errors in utilerrors aggregates and prints them with cmdutil.CheckErr: one
error as itself (`error: ...`, `Error from server (NotFound): ...`), several one per line,
each with StandardErrorMessage or else bare, and an aggregate inside another on one line,
in brackets (`[a, b]`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kubesim.api.errors import ErrorList, KubesimError, aggregate


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
