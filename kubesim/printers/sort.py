"""`get --sort-by`: kubectl's SortingPrinter (pkg/cmd/get/sorter.go) over decoded objects.

The field is a relaxed JSONPath (`.metadata.name`, `{.status.podIP}`); an object without it
sorts first; strings compare in natural order (web-2 before web-10), or as quantities when both
parse as one (1Gi after 500Mi); numbers numerically. Python's sort is stable where Go's is not,
so ties keep the server's order.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any

from kubesim.api.errors import UsageError

Object = dict[str, Any]

_QUANTITY = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[KMGTPE]i|[numkMGTPE])?$")
_SUFFIX = {
    "n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1.0, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
    "P": 1e15, "E": 1e18, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50,
    "Ei": 2**60,
}  # fmt: skip


def sort_objects(objects: Sequence[Object], field: str) -> list[Object]:
    """The objects in --sort-by order; UsageError when no object has the field."""
    from kubesim.printers.custom_columns import relaxed_jsonpath
    from kubesim.printers.jsonpath import find_results

    path = relaxed_jsonpath(field)
    keys = [_first(find_results(path, obj)) for obj in objects]
    if objects and all(key is _MISSING for key in keys):
        raise UsageError(f'couldn\'t find any field with path "{path}" in the list of objects')

    def compare(i: int, j: int) -> int:
        return -1 if _less(keys[i], keys[j]) else 1 if _less(keys[j], keys[i]) else 0

    order = sorted(range(len(objects)), key=functools.cmp_to_key(compare))
    return [objects[i] for i in order]


_MISSING = object()


def _first(results: list[list[Any]]) -> Any:
    return results[0][0] if results and results[0] else _MISSING


def _less(a: Any, b: Any) -> bool:
    """RuntimeSort.Less and isLess for decoded JSON values."""
    if a is _MISSING:
        return b is not _MISSING
    if b is _MISSING:
        return False
    if a is None or b is None:
        return a is None and b is not None
    if isinstance(a, bool) or isinstance(b, bool):
        raise UsageError(f"unsortable type: {type(a).__name__}")
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a < b
    if isinstance(a, str) and isinstance(b, str):
        qa, qb = _quantity(a), _quantity(b)
        if qa is not None and qb is not None:
            return qa < qb
        return natural_less(a, b)
    kind = "map[string]interface {}" if isinstance(a, dict) else "[]interface {}"
    raise UsageError(f"unsortable type: {kind}")


def _quantity(text: str) -> float | None:
    match = _QUANTITY.match(text)
    if match is None:
        return None
    suffix = match.group(3) or ""
    if suffix[:1] in ("e", "E"):
        return float(text)
    return float(text[: len(text) - len(suffix)]) * _SUFFIX[suffix]


def natural_less(a: str, b: str) -> bool:
    """fvbommel/sortorder.NaturalLess: digit runs compare as numbers, digits before others."""
    i = j = 0
    while i < len(a) and j < len(b):
        da, db = _digit(a[i]), _digit(b[j])
        if da != db:
            return da
        if not da:
            if a[i] != b[j]:
                return a[i] < b[j]
            i += 1
            j += 1
            continue
        while i < len(a) and a[i] == "0":
            i += 1
        while j < len(b) and b[j] == "0":
            j += 1
        start_a, start_b = i, j
        while i < len(a) and _digit(a[i]):
            i += 1
        while j < len(b) and _digit(b[j]):
            j += 1
        if i - start_a != j - start_b:
            return i - start_a < j - start_b
        if a[start_a:i] != b[start_b:j]:
            return a[start_a:i] < b[start_b:j]
        if start_a != start_b:
            return start_a < start_b
    return len(a) < len(b)


def _digit(c: str) -> bool:
    return "0" <= c <= "9"
