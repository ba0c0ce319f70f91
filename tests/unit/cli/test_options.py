"""Flag values parsed as kubectl's pflag and Go parse them."""

from __future__ import annotations

import pytest

from kubesim.cli.options import go_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("0", 0.0), ("30s", 30.0), ("1m30s", 90.0), ("1.5h", 5400.0), ("-2m", -120.0),
     ("500ms", 0.5), ("+1s", 1.0), ("1h2m3s4ms", 3723.004), (".5s", 0.5)],
)  # fmt: skip
def test_durations(text: str, seconds: float) -> None:
    assert go_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("5", 'time: missing unit in duration "5"'),
        ("", 'time: invalid duration ""'),
        ("s", 'time: invalid duration "s"'),
        ("5x", 'time: unknown unit "x" in duration "5x"'),
        ("1.2.3s", 'time: missing unit in duration "1.2.3s"'),
        ("-", 'time: invalid duration "-"'),
        ("1s ", 'time: unknown unit "s " in duration "1s "'),
    ],
)
def test_go_s_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace(".", r"\.") + "$"):
        go_duration(text)
