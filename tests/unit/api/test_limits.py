"""The apiserver's size limits: request bodies and etcd's request size."""

from __future__ import annotations

from typing import Any

import pytest

from kubesim.api import limits
from kubesim.api.errors import RequestEntityTooLarge, StorageError
from kubesim.api.gofmt import go_json


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [1, 2.5, None, True, False, "x"], "b": {"c": "<tag> & \u2028 é \n \t \x01"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": "v" * 100}},
        [[[[]]]],
        1e21,
    ],
)
def test_json_size_is_the_length_of_gos_encoding(value: Any) -> None:
    assert limits.json_size(value) == len(go_json(value).encode("utf-8"))


def test_json_size_stops_counting_past_the_limit() -> None:
    huge = [{"x": "y" * 1000}] * 100_000
    assert 1000 < limits.json_size(huge, limit=1000) < limits.json_size(huge)


def test_a_body_over_three_mebibytes_is_refused() -> None:
    limits.check_request_body({"data": {"k": "a" * (limits.MAX_REQUEST_BODY - 100)}})
    with pytest.raises(RequestEntityTooLarge) as caught:
        limits.check_request_body({"data": {"k": "a" * limits.MAX_REQUEST_BODY}})
    assert caught.value.render() == (
        "Error from server (RequestEntityTooLarge): Request entity too large: limit is 3145728"
    )


def test_etcd_refuses_an_object_over_one_and_a_half_mebibytes() -> None:
    limits.check_storage("/registry/pods/default/p", {"spec": {"args": ["a" * 1_500_000]}})
    with pytest.raises(StorageError) as caught:
        limits.check_storage("/registry/pods/default/p", {"spec": {"args": ["a" * 1_600_000]}})
    assert caught.value.render() == "Error from server: etcdserver: request is too large"
