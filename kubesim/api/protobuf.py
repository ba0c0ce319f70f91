"""Request bodies in Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`), as
kubectl's typed clients send them (`kubectl create deployment`, `create namespace`, `auth
can-i`...), decoded into the JSON-shaped objects the rest of kubesim works on.

The envelope (apimachinery runtime/serializer/protobuf): the magic `k8s\\0`, then a
runtime.Unknown whose typeMeta names the apiVersion and kind and whose raw bytes are the
object's message. Field numbers come from protobuf.json (generated from k8s.io/api's
generated.proto by tools/gen_protobuf.py). The Go structs behind the messages write every
non-pointer scalar, zero or not, so zero strings, numbers and false are left out (as their
`omitempty` JSON would be), but for the pointer fields where zero is a choice (replicas: 0).
Time is RFC 3339, Quantity and IntOrString their JSON forms, RawExtension and FieldsV1 the JSON
they carry.
"""

from __future__ import annotations

import base64
import json
import struct
from functools import cache
from pathlib import Path
from typing import Any

from kubesim.api.errors import BadRequest

Object = dict[str, Any]
MAGIC = b"k8s\x00"
CONTENT_TYPE = "application/vnd.kubernetes.protobuf"
_META = "k8s.io.apimachinery.pkg.apis.meta.v1."
# pointer fields whose zero value means something (Go *int32, *bool with a default otherwise)
KEEP_ZERO = frozenset({
    "replicas", "terminationGracePeriodSeconds", "automountServiceAccountToken",
    "activeDeadlineSeconds", "revisionHistoryLimit", "progressDeadlineSeconds", "partition",
    "enableServiceLinks", "hostUsers", "allowPrivilegeEscalation", "privileged",
    "readOnlyRootFilesystem", "runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup",
    "defaultMode", "optional", "gracePeriodSeconds", "orphanDependents", "ready", "serving",
    "terminating", "allowed", "denied", "allowVolumeExpansion", "shareProcessNamespace",
    "setHostnameAsFQDN", "readOnly", "mode", "expirationSeconds", "successThreshold",
})  # fmt: skip
_GROUP_PACKAGES = {"": "core"}


class ProtobufError(BadRequest):
    """A body that is not the protobuf encoding of a kind kubesim knows."""


@cache
def _messages() -> dict[str, dict[str, list[str]]]:
    data: dict[str, Any] = json.loads((Path(__file__).parent / "protobuf.json").read_text())
    messages: dict[str, dict[str, list[str]]] = data["messages"]
    return messages


def message_of(api_version: str, kind: str) -> str:
    """The message name of a kind: k8s.io.api.<package>.<version>.<Kind>."""
    group, _, version = api_version.rpartition("/")
    package = _GROUP_PACKAGES.get(group, group.split(".")[0])
    return f"k8s.io.api.{package}.{version}.{kind}"


def decode(body: bytes) -> Object:
    """The object a protobuf request body carries, with its apiVersion and kind."""
    if not body.startswith(MAGIC):
        raise ProtobufError(
            "provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]"
        )
    fields = _fields(body[len(MAGIC) :])
    type_meta = _fields(_first(fields, 1, b""))
    api_version = _first(type_meta, 1, b"").decode()
    kind = _first(type_meta, 2, b"").decode()
    raw = _first(fields, 2, b"")
    name = message_of(api_version, kind)
    if kind == "DeleteOptions":
        name = _META + "DeleteOptions"
    if name not in _messages():
        raise ProtobufError(f'no kind "{kind}" is registered for version "{api_version}"')
    obj = _message(raw, name)
    return {"kind": kind, "apiVersion": api_version, **obj}


def _first(fields: dict[int, list[Any]], number: int, default: Any) -> Any:
    values = fields.get(number)
    return values[-1] if values else default


def _fields(data: bytes) -> dict[int, list[Any]]:
    """The wire fields of a message: number -> values (varints as ints, the rest as bytes)."""
    found: dict[int, list[Any]] = {}
    at = 0
    try:
        while at < len(data):
            key, at = _varint(data, at)
            number, wire = key >> 3, key & 7
            value: int | bytes
            if wire == 0:
                value, at = _varint(data, at)
            elif wire == 1:
                value, at = data[at : at + 8], at + 8
            elif wire == 2:
                size, at = _varint(data, at)
                value, at = data[at : at + size], at + size
            elif wire == 5:
                value, at = data[at : at + 4], at + 4
            else:
                raise ProtobufError(f"proto: illegal wireType {wire}")
            found.setdefault(number, []).append(value)
    except IndexError:
        raise ProtobufError("unexpected EOF") from None
    if at > len(data):
        raise ProtobufError("unexpected EOF")
    return found


def _varint(data: bytes, at: int) -> tuple[int, int]:
    result, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, at
        shift += 7
        if shift > 63:
            raise ProtobufError("proto: integer overflow")


def _message(data: bytes, name: str) -> Object:
    special = _special(data, name)
    if special is not _NOT_SPECIAL:
        return special  # type: ignore[no-any-return]
    schema = _messages().get(name, {})
    wire = _fields(data)
    obj: Object = {}
    for number, values in wire.items():
        field = schema.get(str(number))
        if field is None:
            continue  # a field this version does not know: dropped, as the decoder does
        json_name, kind, label = field[0], field[1], field[2]
        if label == "map":
            entries: Object = {}
            for entry in values:
                parts = _fields(entry)
                key = _first(parts, 1, b"").decode()
                entries[key] = _value(_first(parts, 2, b"" if kind != "int32" else 0), kind)
            if entries:
                obj[json_name] = entries
        elif label == "repeated":
            items: list[Any] = []
            for value in values:
                if kind in ("int32", "int64") and isinstance(value, bytes):  # packed
                    at = 0
                    while at < len(value):
                        number_value, at = _varint(value, at)
                        items.append(_signed(number_value, kind))
                else:
                    items.append(_value(value, kind))
            if items:
                obj[json_name] = items
        else:
            value = _value(values[-1], kind)
            if _is_zero(value, kind) and json_name not in KEEP_ZERO:
                continue
            obj[json_name] = value
    return obj


def _is_zero(value: Any, kind: str) -> bool:
    if kind in _messages() or kind.startswith("k8s.io."):
        return False  # a struct on the wire is written out, even empty
    return value in ("", 0, False) and not isinstance(value, dict)


def _signed(value: int, kind: str) -> int:
    bits = 32 if kind == "int32" else 64
    if kind == "int32":
        value &= (1 << 64) - 1
    if value >= 1 << 63:
        value -= 1 << 64
    if bits == 32 and not -(1 << 31) <= value < 1 << 31:
        value = struct.unpack("<i", struct.pack("<I", value & 0xFFFFFFFF))[0]
    return value


def _value(value: Any, kind: str) -> Any:
    if kind == "string":
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    if kind == "bytes":
        return base64.b64encode(value).decode()
    if kind == "bool":
        return bool(value)
    if kind in ("int32", "int64", "uint32", "uint64"):
        return _signed(value, kind) if kind.startswith("int") else int(value)
    if kind == "double":
        return struct.unpack("<d", value)[0]
    if kind == "float":
        return struct.unpack("<f", value)[0]
    return _message(value if isinstance(value, bytes) else b"", kind)


_NOT_SPECIAL: Any = object()


def _special(data: bytes, name: str) -> Any:
    """The messages with a JSON form of their own."""
    if name in (_META + "Time", _META + "MicroTime"):
        fields = _fields(data)
        seconds = _signed(_first(fields, 1, 0), "int64")
        nanos = _first(fields, 2, 0)
        if not seconds and not nanos:
            return None
        from kubesim.api import meta

        text = meta.format_time(float(seconds))
        if name.endswith("MicroTime"):
            text = text.removesuffix("Z") + f".{nanos // 1000:06d}Z"
        return text
    if name == "k8s.io.apimachinery.pkg.api.resource.Quantity":
        return _first(_fields(data), 1, b"").decode()
    if name == "k8s.io.apimachinery.pkg.util.intstr.IntOrString":
        fields = _fields(data)
        if _first(fields, 1, 0) == 1:
            return _first(fields, 3, b"").decode()
        return _signed(_first(fields, 2, 0), "int32")
    if name in ("k8s.io.apimachinery.pkg.runtime.RawExtension", _META + "FieldsV1"):
        raw = _first(_fields(data), 1, b"")
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            raise ProtobufError("invalid JSON in an embedded object") from None
    return _NOT_SPECIAL
