"""resource.Quantity as the API reads and prints it: parsed from `500m`, `1Gi`, `12e6`, summed,
compared, and written back in canonical form (`Quantity.String()`: `0.5` -> `500m`,
`1024Mi` -> `1Gi`).

Source: apimachinery pkg/api/resource (quantity.go ParseQuantity / CanonicalizeBytes, amount.go
AsCanonicalBytes and AsCanonicalBase1024Bytes, suffix.go).
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

Object = dict[str, Any]

# ParseQuantity's splitREString, and its ErrFormatWrong
PATTERN = r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$"
FORMAT_ERROR = f"quantities must match the regular expression '{PATTERN}'"


def well_formed(text: str) -> bool:
    return re.match(PATTERN, text) is not None


BINARY_SI, DECIMAL_SI, DECIMAL_EXPONENT = "BinarySI", "DecimalSI", "DecimalExponent"

_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {exp: suffix for suffix, exp in _DECIMAL.items()}
_BINARY_SUFFIX = {bits // 10: suffix for suffix, bits in _BINARY.items()}
_PATTERN = re.compile(r"^([+-]?)(\d*)(?:\.(\d*))?(.*)$")


class Quantity:
    """An exact amount and the format it was written in (which decides how it prints)."""

    __slots__ = ("value", "format")

    def __init__(self, value: Fraction | int = 0, format: str = DECIMAL_SI) -> None:
        self.value = Fraction(value)
        self.format = format

    def __repr__(self) -> str:
        return f"Quantity({self})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def __lt__(self, other: Quantity) -> bool:
        return self.value < other.value

    def __add__(self, other: Quantity) -> Quantity:
        # Quantity.Add keeps the receiver's format
        return Quantity(self.value + other.value, self.format)

    def is_zero(self) -> bool:
        return self.value == 0

    def milli_value(self) -> int:
        """MilliValue: the amount in thousandths, rounded up."""
        return math.ceil(self.value * 1000)

    def int_value(self) -> int:
        """Value: the amount rounded up to an integer."""
        return math.ceil(self.value)

    def __str__(self) -> str:
        if self.value == 0:
            return "0"
        fmt = self.format
        if fmt == BINARY_SI and (abs(self.value) < 1024 or self.value.denominator != 1):
            fmt = DECIMAL_SI  # CanonicalizeBytes: small or fractional amounts print decimal
        if fmt == BINARY_SI:
            return _base1024(int(self.value))
        return _base10(self.value, fmt)


def _base1024(amount: int) -> str:
    """AsCanonicalBase1024Bytes: the largest power of 1024 that divides the amount exactly."""
    exponent = 0
    while amount % 1024 == 0 and exponent < 6:
        amount //= 1024
        exponent += 1
    return f"{amount}{_BINARY_SUFFIX.get(exponent, '')}"


def _base10(value: Fraction, fmt: str) -> str:
    """AsCanonicalBytes: strip factors of ten, then lower the exponent to a multiple of 3."""
    # amounts are held to nano precision (ParseQuantity rounds finer values up)
    mantissa, exponent = math.ceil(value * 10**9), -9
    while mantissa % 10 == 0:
        mantissa //= 10
        exponent += 1
    shift = exponent % 3
    mantissa *= 10**shift
    exponent -= shift
    if fmt == DECIMAL_SI and exponent in _DECIMAL_SUFFIX:
        return f"{mantissa}{_DECIMAL_SUFFIX[exponent]}"
    return f"{mantissa}e{exponent}" if exponent else str(mantissa)


def parse(text: str | int | float | None) -> Quantity:
    """ParseQuantity, leniently: a value the apiserver would have rejected parses as zero."""
    if text is None:
        return Quantity()
    if isinstance(text, bool):
        return Quantity()
    if isinstance(text, int):
        return Quantity(text)
    if isinstance(text, float):
        return Quantity(Fraction(str(text)))
    match = _PATTERN.match(text.strip())
    if match is None:
        return Quantity()
    sign, whole, fraction, suffix = match.groups()
    if not whole and not fraction:
        return Quantity()
    number = Fraction(int(whole or "0")) + (
        Fraction(int(fraction), 10 ** len(fraction)) if fraction else 0
    )
    if sign == "-":
        number = -number
    if suffix in _BINARY:
        return Quantity(number * 2 ** _BINARY[suffix], BINARY_SI)
    if suffix in _DECIMAL:
        return Quantity(number * Fraction(10) ** _DECIMAL[suffix], DECIMAL_SI)
    if suffix[:1] in ("e", "E") and re.fullmatch(r"[+-]?\d+", suffix[1:]):
        return Quantity(number * Fraction(10) ** int(suffix[1:]), DECIMAL_EXPONENT)
    return Quantity()


def canonical(text: str | int | float | None) -> str:
    """The string kubectl prints for a quantity found in an object."""
    return str(parse(text))


# --- a pod's requests and limits -------------------------------------------------------------


def pod_requests_and_limits(
    pod: Object,
) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """kubectl util/resource PodRequestsAndLimits: containers summed, init containers as a
    floor, pod overhead added (to limits only where they are set)."""
    spec = pod.get("spec") or {}
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    for container in spec.get("containers") or []:
        resources = container.get("resources") or {}
        _add(requests, resources.get("requests"))
        _add(limits, resources.get("limits"))
    for container in spec.get("initContainers") or []:
        resources = container.get("resources") or {}
        _max(requests, resources.get("requests"))
        _max(limits, resources.get("limits"))
    overhead = spec.get("overhead")
    if overhead:
        _add(requests, overhead)
        for name, value in overhead.items():
            if name in limits and not limits[name].is_zero():
                limits[name] = limits[name] + parse(value)
    return requests, limits


def _add(total: dict[str, Quantity], values: Object | None) -> None:
    for name, value in (values or {}).items():
        amount = parse(value)
        total[name] = total[name] + amount if name in total else amount


def _max(total: dict[str, Quantity], values: Object | None) -> None:
    for name, value in (values or {}).items():
        amount = parse(value)
        if name not in total or total[name] < amount:
            total[name] = amount
