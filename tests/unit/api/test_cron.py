"""robfig/cron's standard parser and SpecSchedule.Next, as the CronJob controller reads a
schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from kubesim.api import cron


def at(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def iso(stamp: float) -> str:
    return datetime.fromtimestamp(stamp, UTC).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("spec", "after", "expected"),
    [
        ("* * * * *", "2024-05-06 10:00:00", "2024-05-06 10:01"),
        ("* * * * *", "2024-05-06 10:00:30", "2024-05-06 10:01"),
        ("*/15 * * * *", "2024-05-06 10:07:00", "2024-05-06 10:15"),
        ("@hourly", "2024-05-06 10:00:00", "2024-05-06 11:00"),
        ("@daily", "2024-05-06 10:00:00", "2024-05-07 00:00"),
        ("@weekly", "2024-05-06 10:00:00", "2024-05-12 00:00"),  # Sunday
        ("@monthly", "2024-05-06 10:00:00", "2024-06-01 00:00"),
        ("@yearly", "2024-05-06 10:00:00", "2025-01-01 00:00"),
        ("0 9 * * MON-FRI", "2024-05-10 09:00:00", "2024-05-13 09:00"),  # Friday -> Monday
        ("30 4 1 * 5", "2024-05-06 00:00:00", "2024-05-10 04:30"),  # day 1 or a Friday
        ("0 0 29 2 *", "2024-03-01 00:00:00", "2028-02-29 00:00"),
        ("0 0-23/6 * * *", "2024-05-06 07:00:00", "2024-05-06 12:00"),
        ("5 ? * jan,jul *", "2024-05-06 00:00:00", "2024-07-01 00:05"),
    ],
)
def test_next_activation(spec: str, after: str, expected: str) -> None:
    assert iso(cron.parse_standard(spec).next(at(after))) == expected


def test_a_zone_moves_the_hours() -> None:
    tokyo = cron.load_location("Asia/Tokyo")
    schedule = cron.parse_standard("0 9 * * *", tokyo)
    assert iso(schedule.next(at("2024-05-06 00:00:00"))) == "2024-05-07 00:00"
    assert iso(cron.parse_standard("TZ=Asia/Tokyo 0 9 * * *").next(at("2024-05-06 01:00:00"))) == (
        "2024-05-07 00:00"
    )


def test_every() -> None:
    assert cron.parse_standard("@every 90s").next(100.0) == 190.0
    assert cron.parse_standard("@every 1h30m").next(0.0) == 5400.0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty spec string"),
        ("bad", "expected exactly 5 fields, found 1: [bad]"),
        ("* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"),
        ("60 * * * *", "end of range (60) above maximum (59): 60"),
        ("* 0 0 * *", "beginning of range (0) below minimum (1): 0"),
        ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
        ("*/0 * * * *", "step of range should be a positive number: */0"),
        ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
        ("1/2/3 * * * *", "too many slashes: 1/2/3"),
        ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
        ("@sometimes", "unrecognized descriptor: @sometimes"),
        (
            "@every 5x",
            'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"',
        ),
        ("TZ=Mars/Base * * * * *", "provided bad location Mars/Base: unknown time zone Mars/Base"),
    ],
)
def test_errors_in_robfigs_words(spec: str, message: str) -> None:
    with pytest.raises(cron.CronError) as raised:
        cron.parse_standard(spec)
    assert str(raised.value) == message
