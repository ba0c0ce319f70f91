"""Go's time.Parse for the RFC 3339 layout, with its error messages.

kubectl reads `--since-time` with util.ParseRFC3339 (time.RFC3339Nano, then time.RFC3339) and
prints time.ParseError's text when neither parses: `parsing time "bad" as
"2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006"`. The walk below follows
time.parse chunk by chunk over that layout ("2006" "-" "01" "-" "02" "T" "15" ":" "04" ":"
"05" "Z07:00"), a fraction of a second being accepted after the seconds.
"""

from __future__ import annotations

import calendar

RFC3339 = "2006-01-02T15:04:05Z07:00"


class TimeParseError(ValueError):
    """time.ParseError; str() is Go's message."""


def quote(text: str) -> str:
    """time's own quote(): non-ASCII and control bytes as \\x escapes, `"` and `\\` escaped."""
    out = ['"']
    for char in text:
        if ord(char) >= 0x80 or char < " ":
            out += [f"\\x{byte:02x}" for byte in char.encode("utf-8", "surrogateescape")]
        else:
            out.append("\\" + char if char in '"\\' else char)
    return "".join(out) + '"'


def _cannot(value: str, value_elem: str, layout_elem: str) -> TimeParseError:
    return TimeParseError(
        f"parsing time {quote(value)} as {quote(RFC3339)}: cannot parse "
        f"{quote(value_elem)} as {quote(layout_elem)}"
    )


def _message(value: str, message: str) -> TimeParseError:
    return TimeParseError(f"parsing time {quote(value)}{message}")


def _getnum(rest: str, fixed: bool) -> tuple[int, str] | None:
    """time.getnum: one or two digits (two when `fixed`)."""
    if not rest[:1].isdigit() or not rest[:1].isascii():
        return None
    if not rest[1:2].isdigit() or not rest[1:2].isascii():
        return None if fixed else (int(rest[0]), rest[1:])
    return int(rest[:2]), rest[2:]


def parse_rfc3339(value: str) -> float:
    """Seconds since the epoch for an RFC 3339 time; TimeParseError with Go's text if not."""
    rest = value
    fields: dict[str, int] = {}
    nanos = 0
    offset = 0
    # (separator before the element, the element, the field it sets)
    numbers = (("", "2006", "year"), ("-", "01", "month"), ("-", "02", "day"),
               ("T", "15", "hour"), (":", "04", "minute"), (":", "05", "second"))  # fmt: skip
    for separator, element, name in numbers:
        if separator:
            if not rest.startswith(separator):
                raise _cannot(value, rest, separator)
            rest = rest[len(separator) :]
        if name == "year":
            digits = rest[:4]
            if len(digits) < 4 or not (digits.isdigit() and digits.isascii()):
                raise _cannot(value, rest, element)
            fields[name], rest = int(digits), rest[4:]
            continue
        got = _getnum(rest, fixed=name != "hour")
        if got is None:
            raise _cannot(value, rest, element)
        number, after = got
        limit = {"month": (1, 12), "day": (0, 99), "hour": (0, 23), "minute": (0, 59),
                 "second": (0, 59)}[name]  # fmt: skip
        if not limit[0] <= number <= limit[1]:
            raise _message(value, f": {name} out of range")
        fields[name], rest = number, after
        if name == "second" and len(rest) >= 2 and rest[0] in ".," and rest[1].isdigit():
            # a fraction the layout does not name is still read (stdSecond's special case)
            end = 1
            while end < len(rest) and rest[end].isdigit():
                end += 1
            digits = rest[1:end][:9]
            nanos = int(digits.ljust(9, "0"))
            rest = rest[end:]
    if rest.startswith("Z"):
        rest = rest[1:]
    else:
        zone = rest[:6]
        bad = len(zone) < 6 or zone[3] != ":" or zone[0] not in "+-"
        hours = _getnum(zone[1:3], fixed=True) if not bad else None
        minutes = _getnum(zone[4:6], fixed=True) if not bad else None
        if hours is None or minutes is None:
            raise _cannot(value, rest, "Z07:00")
        if hours[0] > 24:
            raise _message(value, ": time zone offset hour out of range")
        if minutes[0] > 60:
            raise _message(value, ": time zone offset minute out of range")
        offset = (hours[0] * 3600 + minutes[0] * 60) * (1 if zone[0] == "+" else -1)
        rest = rest[6:]
    if rest:
        raise _message(value, f": extra text: {quote(rest)}")
    year, month, day = fields["year"], fields["month"], fields["day"]
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        raise _message(value, ": day out of range")
    seconds = calendar.timegm(
        (year, month, day, fields["hour"], fields["minute"], fields["second"], 0, 0, 0)
    )
    return seconds - offset + nanos / 1e9


_UNIT_SECONDS = {
    "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0
}  # fmt: skip


def go_duration(text: str) -> float:
    """Seconds in Go's time.ParseDuration form ("30s", "1m30s", "0"); ValueError carries Go's
    message."""
    import json
    import re

    quoted = json.dumps(text, ensure_ascii=False)
    rest = text[1:] if text[:1] in ("+", "-") else text
    if rest == "0":
        return 0.0
    if not rest:
        raise ValueError(f"time: invalid duration {quoted}")
    total = 0.0
    while rest:
        number = re.match(r"\d*(\.\d*)?", rest)
        assert number is not None  # the pattern matches the empty string
        if number.group() in ("", "."):
            raise ValueError(f"time: invalid duration {quoted}")
        rest = rest[number.end() :]
        unit = re.match(r"[^\d.]*", rest)
        assert unit is not None
        if not unit.group():
            raise ValueError(f"time: missing unit in duration {quoted}")
        rest = rest[unit.end() :]
        if unit.group() not in _UNIT_SECONDS:
            name = json.dumps(unit.group(), ensure_ascii=False)
            raise ValueError(f"time: unknown unit {name} in duration {quoted}")
        total += float(number.group()) * _UNIT_SECONDS[unit.group()]
    return -total if text.startswith("-") else total
