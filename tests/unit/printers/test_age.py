"""AGE as apimachinery's duration.HumanDuration formats it."""

from __future__ import annotations

import pytest

from kubesim.printers.age import human_duration


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "<invalid>"),
        (-0.5, "0s"),
        (0, "0s"),
        (9, "9s"),
        (119, "119s"),
        (120, "2m"),
        (201, "3m21s"),
        (599, "9m59s"),
        (600, "10m"),
        (179 * 60, "179m"),
        (3 * 3600, "3h"),
        (5 * 3600 + 12 * 60, "5h12m"),
        (47 * 3600, "47h"),
        (2 * 86400, "2d"),
        (2 * 86400 + 3 * 3600, "2d3h"),
        (364 * 86400, "364d"),
        (3 * 365 * 86400 + 45 * 86400, "3y45d"),
        (9 * 365 * 86400, "9y"),
    ],
)
def test_human_duration(seconds: float, text: str) -> None:
    assert human_duration(seconds) == text
