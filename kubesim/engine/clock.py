"""Simulated time. One tick is one simulated second and one pass of every controller.

The clock lives in the cluster document as {mode, tick, epoch, wall}: simulated now is
`epoch + tick`; `wall` is the wall-clock second that the current tick corresponds to. In auto
mode ticks accrue with wall time; in manual mode only `kubesim tick` moves them.
"""

from __future__ import annotations

import os
import time
from collections.abc import MutableMapping
from typing import Any

from kubesim.api.errors import UsageError

AUTO, MANUAL = "auto", "manual"
MODES = (AUTO, MANUAL)


class Clock:
    """A view over the clock section of the cluster document."""

    __slots__ = ("section",)

    def __init__(self, section: MutableMapping[str, Any]) -> None:
        self.section = section

    @property
    def tick(self) -> int:
        return int(self.section["tick"])

    @property
    def now(self) -> float:
        """Simulated seconds since the Unix epoch."""
        return float(self.section["epoch"]) + self.tick

    def advance(self, n: int = 1) -> None:
        self.section["tick"] = self.tick + n

    def due_ticks(self, wall: float) -> int:
        """Whole seconds of wall time not yet simulated (auto mode)."""
        return max(0, int(wall - float(self.section["wall"])))

    def mark_wall(self, wall: float, consumed: int | None = None) -> None:
        """Record that wall time up to `wall` is accounted for (or `consumed` seconds of it)."""
        if consumed is None:
            self.section["wall"] = wall
        else:
            self.section["wall"] = float(self.section["wall"]) + consumed


def new_clock_section(wall: float, mode: str = AUTO) -> dict[str, Any]:
    start = float(int(wall))
    return {"mode": mode, "tick": 0, "epoch": start, "wall": start}


def effective_mode(stored: str) -> str:
    """KUBESIM_CLOCK overrides the mode stored with the cluster (`kubesim clock`)."""
    env = os.environ.get("KUBESIM_CLOCK", "").strip().lower()
    if not env:
        return stored
    if env not in MODES:
        raise UsageError(f'KUBESIM_CLOCK must be "auto" or "manual", not "{env}"')
    return env


def wall_time() -> float:
    return time.time()
