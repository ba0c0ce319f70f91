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
