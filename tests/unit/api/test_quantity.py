"""resource.Quantity parsing and canonical printing."""

from __future__ import annotations

import pytest

from kubesim.api import quantity


@pytest.mark.parametrize(
    ("written", "printed"),
    [
        ("0.5", "500m"),
        ("1.5", "1500m"),
        ("250m", "250m"),
        ("2", "2"),
        ("1000", "1k"),
        ("100Gi", "100Gi"),
        ("1024Mi", "1Gi"),
        ("1536Mi", "1536Mi"),
        ("512", "512"),
        ("128974848", "128974848"),
        ("12e6", "12e6"),
        ("1G", "1G"),
        ("0", "0"),
        (None, "0"),
        (110, "110"),
    ],
)
def test_canonical_form(written: str | int | None, printed: str) -> None:
    assert quantity.canonical(written) == printed


def test_sum_keeps_the_first_format_and_values_round_up() -> None:
    total = quantity.parse("70Mi") + quantity.parse("100M")
    assert str(total) == "173400320"  # not a whole number of Ki: printed as a decimal
    assert str(quantity.parse("1Gi") + quantity.parse("1Gi")) == "2Gi"
    assert quantity.parse("100m").milli_value() == 100
    assert quantity.parse("100m").int_value() == 1
