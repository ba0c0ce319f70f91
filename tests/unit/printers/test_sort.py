"""get --sort-by's order: natural strings, quantities, numbers, missing fields first."""

from __future__ import annotations

from typing import Any

import pytest

from kubesim.api.errors import UsageError
from kubesim.printers.sort import natural_less, sort_objects


def named(*names: str) -> list[dict[str, Any]]:
    return [{"metadata": {"name": n}} for n in names]


def names(objects: list[dict[str, Any]]) -> list[str]:
    return [o["metadata"]["name"] for o in objects]


@pytest.mark.parametrize(
    ("a", "b"),
    [("web-2", "web-10"), ("a", "b"), ("a1", "a01"), ("1", "a"), ("web", "web-0"), ("x9", "x10")],
)
def test_natural_order(a: str, b: str) -> None:
    assert natural_less(a, b) and not natural_less(b, a)


def test_sort_by_name_in_natural_order() -> None:
    ordered = sort_objects(named("web-10", "web-2", "web-1"), ".metadata.name")
    assert names(ordered) == ["web-1", "web-2", "web-10"]


def test_every_relaxed_spelling_of_the_path() -> None:
    for path in ("metadata.name", ".metadata.name", "{.metadata.name}", "{metadata.name}"):
        assert names(sort_objects(named("b", "a"), path)) == ["a", "b"]


def test_quantities_compare_by_size_and_missing_values_come_first() -> None:
    claims = [
        {"metadata": {"name": n}, "spec": {"resources": {"requests": {"storage": s}}}}
        for n, s in (("big", "2Gi"), ("small", "500Mi"), ("medium", "1Gi"))
    ]
    claims.append({"metadata": {"name": "none"}, "spec": {}})
    ordered = sort_objects(claims, ".spec.resources.requests.storage")
    assert names(ordered) == ["none", "small", "medium", "big"]


def test_numbers_and_ties_keep_their_order() -> None:
    pods = [
        {"metadata": {"name": n}, "status": {"restarts": r}}
        for n, r in (("a", 2), ("b", 0), ("c", 2))
    ]
    assert names(sort_objects(pods, ".status.restarts")) == ["b", "a", "c"]


def test_a_field_no_object_has() -> None:
    with pytest.raises(UsageError, match=r'couldn\'t find any field with path "\{\.spec\.nope\}"'):
        sort_objects(named("a"), ".spec.nope")
