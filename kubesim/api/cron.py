"""Cron schedules as the CronJob controller reads them: robfig/cron v3's ParseStandard (five
fields or a descriptor, optionally after `TZ=` / `CRON_TZ=`) and SpecSchedule.Next.

Errors carry robfig's own text, which the apiserver puts in its Invalid error
(`spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]`).
Times are Unix seconds; the controller-manager of a kind cluster runs in UTC, so a schedule
without a zone is read in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from functools import lru_cache

STAR = 1 << 63
_MONTHS = {name: i + 1 for i, name in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}  # fmt: skip
_DAYS = {name: i for i, name in enumerate("sun mon tue wed thu fri sat".split())}


@dataclass(frozen=True)
class _Bounds:
    low: int
    high: int
    names: dict[str, int] | None = None


MINUTES, HOURS = _Bounds(0, 59), _Bounds(0, 23)
DOM, MONTHS, DOW = _Bounds(1, 31), _Bounds(1, 12, _MONTHS), _Bounds(0, 6, _DAYS)


class CronError(ValueError):
    """Raised with robfig/cron's message for a schedule it cannot parse."""


class Schedule:
    """A parsed schedule: `next(t)` is the first activation strictly after `t`."""

    def next(self, t: float) -> float:
        raise NotImplementedError


@dataclass(frozen=True)
class SpecSchedule(Schedule):
    minute: int
    hour: int
    dom: int
    month: int
    dow: int
    zone: tzinfo

    def next(self, t: float) -> float:
        """SpecSchedule.Next: the next whole minute after `t` whose fields all match, in the
        schedule's zone; 0 when none within five years (robfig gives the zero time)."""
        start = datetime.fromtimestamp(int(t) // 60 * 60 + 60, self.zone)
        day = start.date()
        for _ in range(366 * 5 + 2):
            if self.month >> day.month & 1 and self._day_matches(day.day, day.weekday()):
                for hour in range(24):
                    if not self.hour >> hour & 1:
                        continue
                    for minute in range(60):
                        if not self.minute >> minute & 1:
                            continue
                        local = datetime(
                            day.year, day.month, day.day, hour, minute, tzinfo=self.zone
                        )
                        stamp = local.timestamp()
                        if stamp > t:
                            return stamp
            day += timedelta(days=1)
        return 0.0

    def _day_matches(self, day: int, weekday: int) -> bool:
        """dayMatches: with either field restricted (no star), one of them matching is enough."""
        dom_match = bool(self.dom >> day & 1)
        dow_match = bool(self.dow >> ((weekday + 1) % 7) & 1)
        if self.dom & STAR or self.dow & STAR:
            return dom_match and dow_match
        return dom_match or dow_match


@dataclass(frozen=True)
class EverySchedule(Schedule):
    """ConstantDelaySchedule (`@every 90s`): whole seconds, one at least."""

    delay: int

    def next(self, t: float) -> float:
        return float(int(t) + self.delay)


def parse_standard(spec: str, default_zone: tzinfo = UTC) -> Schedule:
    """cron.ParseStandard; raises CronError with robfig's message."""
    if not spec:
        raise CronError("empty spec string")
    zone = default_zone
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        space, equals = spec.find(" "), spec.find("=")
        name = spec[equals + 1 : space] if space >= 0 else spec[equals + 1 : -1]
        try:
            zone = load_location(name)
        except CronError as err:
            raise CronError(f"provided bad location {name}: {err}") from None
        spec = spec[space:].strip() if space >= 0 else ""
    if spec.startswith("@"):
        return _descriptor(spec, zone)
    fields = spec.split()
    if len(fields) != 5:
        raise CronError(f"expected exactly 5 fields, found {len(fields)}: [{' '.join(fields)}]")
    minute, hour, dom, month, dow = (
        _field(text, bounds)
        for text, bounds in zip(fields, (MINUTES, HOURS, DOM, MONTHS, DOW), strict=True)
    )
    return SpecSchedule(minute, hour, dom, month, dow, zone)


def _all(bounds: _Bounds) -> int:
    return _bits(bounds.low, bounds.high, 1) | STAR


def _descriptor(spec: str, zone: tzinfo) -> Schedule:
    hours, dom, months, dow = _all(HOURS), _all(DOM), _all(MONTHS), _all(DOW)
    if spec in ("@yearly", "@annually"):
        return SpecSchedule(1, 1, 1 << 1, 1 << 1, dow, zone)
    if spec == "@monthly":
        return SpecSchedule(1, 1, 1 << 1, months, dow, zone)
    if spec == "@weekly":
        return SpecSchedule(1, 1, dom, months, 1, zone)
    if spec in ("@daily", "@midnight"):
        return SpecSchedule(1, 1, dom, months, dow, zone)
    if spec == "@hourly":
        return SpecSchedule(1, hours, dom, months, dow, zone)
    if spec.startswith("@every "):
        from kubesim.api.gotime import go_duration

        try:
            seconds = go_duration(spec[len("@every ") :])
        except ValueError as err:
            raise CronError(f"failed to parse duration {spec}: {err}") from None
        return EverySchedule(max(1, int(seconds)))  # Every rounds down, to a second at least
    raise CronError(f"unrecognized descriptor: {spec}")


def _field(text: str, bounds: _Bounds) -> int:
    bits = 0
    for expr in (part for part in text.split(",") if part):
        bits |= _range(expr, bounds)
    return bits


def _range(expr: str, bounds: _Bounds) -> int:
    """getRange: `*`, `?`, `n`, `a-b`, each with an optional `/step`."""
    range_and_step = expr.split("/")
    low_and_high = range_and_step[0].split("-")
    extra = 0
    if low_and_high[0] in ("*", "?"):
        start, end, extra = bounds.low, bounds.high, STAR
    else:
        start = _int_or_name(low_and_high[0], bounds.names)
        if len(low_and_high) == 1:
            end = start
        elif len(low_and_high) == 2:
            end = _int_or_name(low_and_high[1], bounds.names)
        else:
            raise CronError(f"too many hyphens: {expr}")
    if len(range_and_step) == 1:
        step = 1
    elif len(range_and_step) == 2:
        step = _int(range_and_step[1])
        if len(low_and_high) == 1:
            end = bounds.high
        if step > 1:
            extra = 0
    else:
        raise CronError(f"too many slashes: {expr}")
    if start < bounds.low:
        raise CronError(f"beginning of range ({start}) below minimum ({bounds.low}): {expr}")
    if end > bounds.high:
        raise CronError(f"end of range ({end}) above maximum ({bounds.high}): {expr}")
    if start > end:
        raise CronError(f"beginning of range ({start}) beyond end of range ({end}): {expr}")
    if step == 0:
        raise CronError(f"step of range should be a positive number: {expr}")
    return _bits(start, end, step) | extra


def _int_or_name(expr: str, names: dict[str, int] | None) -> int:
    if names is not None and expr.lower() in names:
        return names[expr.lower()]
    return _int(expr)


_GO_INT = re.compile(r"[+-]?[0-9]+")


def _int(expr: str) -> int:
    """mustParseInt, with strconv.Atoi's error text."""
    if not _GO_INT.fullmatch(expr):
        raise CronError(
            f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": invalid syntax'
        )
    number = int(expr)
    if not -(2**63) <= number < 2**63:
        raise CronError(
            f'failed to parse int from {expr}: strconv.Atoi: parsing "{expr}": value out of range'
        )
    if number < 0:
        raise CronError(f"negative number ({number}) not allowed: {expr}")
    return number


def _bits(low: int, high: int, step: int) -> int:
    bits = 0
    for i in range(low, min(high, 63) + 1, step):
        bits |= 1 << i
    return bits


@lru_cache(maxsize=64)
def load_location(name: str) -> tzinfo:
    """time.LoadLocation: "" and "UTC" are UTC; otherwise an IANA zone, else Go's error."""
    if name in ("", "UTC"):
        return UTC
    if name == "Local":
        return UTC  # the controller-manager's local zone in a kind cluster
    from zoneinfo import ZoneInfo

    try:
        if name.startswith("/") or ".." in name.split("/"):
            raise ValueError(name)
        return ZoneInfo(name)
    except (ValueError, OSError, LookupError):
        raise CronError(f"unknown time zone {name}") from None
