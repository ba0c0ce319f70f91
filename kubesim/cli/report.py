"""Reporting several errors from one command, as kubectl's aggregate errors do."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from kubesim.api.errors import KubesimError


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
