"""Go's time.Parse over the RFC 3339 layout, errors included (checked against kubectl 1.32)."""

from __future__ import annotations

import pytest

from kubesim.api.gotime import TimeParseError, parse_rfc3339

LAYOUT = '"2006-01-02T15:04:05Z07:00"'


def test_times_parse_with_fractions_and_offsets() -> None:
    assert parse_rfc3339("2024-08-30T06:00:00Z") == 1724997600.0
    assert parse_rfc3339("2024-08-30T06:00:00.5+01:00") == 1724994000.5
    assert parse_rfc3339("2024-08-30T6:00:00Z") == 1724997600.0  # stdHour takes one digit


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("bad", f'parsing time "bad" as {LAYOUT}: cannot parse "bad" as "2006"'),
        ("2024-08-30", f'parsing time "2024-08-30" as {LAYOUT}: cannot parse "" as "T"'),
        ("2024/08/30", f'parsing time "2024/08/30" as {LAYOUT}: cannot parse "/08/30" as "-"'),
        ("2024-13-01T00:00:00Z", 'parsing time "2024-13-01T00:00:00Z": month out of range'),
        ("2024-02-30T00:00:00Z", 'parsing time "2024-02-30T00:00:00Z": day out of range'),
        ("2024-08-30T25:00:00Z", 'parsing time "2024-08-30T25:00:00Z": hour out of range'),
        ("2024-08-30T06:00:00Zx", 'parsing time "2024-08-30T06:00:00Zx": extra text: "x"'),
        (
            "2024-08-30T06:00:00+0100",
            f'parsing time "2024-08-30T06:00:00+0100" as {LAYOUT}: cannot parse "+0100" as '
            '"Z07:00"',
        ),
        (
            "2024-08-30T06:00:00+25:00",
            'parsing time "2024-08-30T06:00:00+25:00": time zone offset hour out of range',
        ),
        ("é", f'parsing time "\\xc3\\xa9" as {LAYOUT}: cannot parse "\\xc3\\xa9" as "2006"'),
    ],
)
def test_errors_are_gos(text: str, message: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_rfc3339(text)
    assert str(caught.value) == message
