"""AGE as kubectl prints it: apimachinery's duration.HumanDuration."""

from __future__ import annotations

from kubesim.api.meta import parse_time


def human_duration(seconds: float) -> str:
    """HumanDuration: `0s`, `9s`, `3m21s`, `10m`, `5h12m`, `2d3h`, `364d`, `3y45d`..."""
    s = int(seconds)  # truncates toward zero, as Go's int(d.Seconds())
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 120:
        return f"{s}s"
    minutes = s // 60
    if minutes < 10:
        rest = s % 60
        return f"{minutes}m{rest}s" if rest else f"{minutes}m"
    if minutes < 180:
        return f"{minutes}m"
    hours = s // 3600
    if hours < 8:
        rest = (s % 3600) // 60
        return f"{hours}h{rest}m" if rest else f"{hours}h"
    if hours < 48:
        return f"{hours}h"
    if hours < 192:
        rest = hours % 24
        return f"{hours // 24}d{rest}h" if rest else f"{hours // 24}d"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    years = hours // (24 * 365)
    if years < 8:
        days = (hours // 24) % 365
        return f"{years}y{days}d" if days else f"{years}y"
    return f"{years}y"


def age(timestamp: str | None, now: float) -> str:
    """translateTimestampSince: `<unknown>` for a missing timestamp."""
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_time(timestamp))
