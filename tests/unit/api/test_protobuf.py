"""Protobuf request bodies decoded into objects."""

from __future__ import annotations

import pytest

from kubesim.api import protobuf


def _varint(value: int) -> bytes:
    out = b""
    while True:
        byte, value = value & 0x7F, value >> 7
        out += bytes([byte | (0x80 if value else 0)])
        if not value:
            return out


def _field(number: int, value: bytes | int | str) -> bytes:
    if isinstance(value, int):
        return _varint(number << 3) + _varint(value)
    data = value.encode() if isinstance(value, str) else value
    return _varint(number << 3 | 2) + _varint(len(data)) + data


def _envelope(api_version: str, kind: str, raw: bytes) -> bytes:
    type_meta = _field(1, api_version) + _field(2, kind)
    return protobuf.MAGIC + _field(1, type_meta) + _field(2, raw) + _field(3, "") + _field(4, "")


def test_a_namespace_with_labels_zero_values_left_out() -> None:
    metadata = (
        _field(1, "team") + _field(2, "") + _field(7, 0)
        + _field(11, _field(1, "owner") + _field(2, "me")) + _field(8, b"")
    )  # fmt: skip
    obj = protobuf.decode(_envelope("v1", "Namespace", _field(1, metadata) + _field(2, b"")))
    assert obj == {
        "kind": "Namespace", "apiVersion": "v1",
        "metadata": {"name": "team", "labels": {"owner": "me"}, "creationTimestamp": None},
        "spec": {},
    }  # fmt: skip


def test_pointer_zeroes_are_kept_and_int_or_strings_read() -> None:
    strategy = _field(2, _field(1, _field(1, 1) + _field(3, "25%")))  # rollingUpdate.maxUnavailable
    spec = _field(1, 0) + _field(4, strategy)
    obj = protobuf.decode(_envelope("apps/v1", "Deployment", _field(2, spec)))
    assert obj["spec"] == {"replicas": 0, "strategy": {"rollingUpdate": {"maxUnavailable": "25%"}}}


def test_bodies_that_are_not_kubernetes_protobuf() -> None:
    with pytest.raises(protobuf.ProtobufError):
        protobuf.decode(b"{}")
    with pytest.raises(protobuf.ProtobufError, match='no kind "Widget"'):
        protobuf.decode(_envelope("v1", "Widget", b""))
