"""The apiserver's size limits, with the errors a client sees.

- A request body over 3 MiB is refused before it is decoded (limitedReadBody in
  apiserver/pkg/endpoints/handlers/rest.go): `Request entity too large: limit is 3145728`.
  kubectl's body is the object, or the patch, as compact JSON with a final newline.
- etcd refuses a write over 1.5 MiB (its --max-request-bytes); the apiserver passes the error
  on with no reason: `etcdserver: request is too large`. The apiserver stores protobuf, which
  kubesim does not write; its size is estimated from the object (strings, keys and a few bytes
  of framing each), close to protobuf's for the objects that reach the limit, whose size is in
  their strings.

Validation's own limits (annotations 256 KiB, ConfigMap data 1 MiB) are in validation.py.
Sizes are computed without recursion and stop counting past the limit, so a deep or huge
object costs no more than the limit.
"""

from __future__ import annotations

import json
from typing import Any

from kubesim.api.errors import RequestEntityTooLarge, StorageError

MAX_REQUEST_BODY = 3 * 1024 * 1024  # genericapiserver's MaxRequestBodyBytes
MAX_ETCD_REQUEST = 1572864  # etcd's default --max-request-bytes (1.5 MiB)


def check_request_body(body: Any) -> None:
    """Refuse a request whose JSON body is over MaxRequestBodyBytes."""
    if json_size(body, MAX_REQUEST_BODY) + 1 > MAX_REQUEST_BODY:  # json.Encoder's newline
        raise RequestEntityTooLarge(MAX_REQUEST_BODY)


def check_storage(key: str, obj: Any) -> None:
    """Refuse to store an object etcd would find too large."""
    if len(key) + storage_size(obj, MAX_ETCD_REQUEST) > MAX_ETCD_REQUEST:
        raise StorageError("etcdserver: request is too large")


def json_size(value: Any, limit: int | None = None) -> int:
    """len(json.Marshal(value)) in bytes (compact, with <, > and & escaped), or a number over
    `limit` as soon as it is passed."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += 2 + max(len(item) - 1, 0) + len(item)  # braces, commas, colons
            for key, child in item.items():
                total += _string_size(str(key))
                stack.append(child)
        elif isinstance(item, list):
            total += 2 + max(len(item) - 1, 0)
            stack += item
        elif isinstance(item, str):
            total += _string_size(item)
        elif item is None:
            total += 4
        elif isinstance(item, bool):
            total += 4 if item else 5
        elif isinstance(item, float):
            from kubesim.api.gofmt import go_float

            total += len(go_float(item))
        else:
            total += len(str(item))
        if limit is not None and total > limit:
            return total
    return total


def storage_size(value: Any, limit: int | None = None) -> int:
    """An estimate of the object's protobuf size: each string and key with two bytes of tag
    and length, each number and flag three, each object and list three of framing."""
    total = 0
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            total += 3
            for key, child in item.items():
                total += len(str(key).encode("utf-8", "surrogatepass")) + 2
                stack.append(child)
        elif isinstance(item, list):
            total += 3
            stack += item
        elif isinstance(item, str):
            total += len(item.encode("utf-8", "surrogatepass")) + 2
        else:
            total += 3
        if limit is not None and total > limit:
            return total
    return total


def _string_size(text: str) -> int:
    if text.isascii() and text.isprintable() and not any(c in text for c in '"\\<>&'):
        return len(text) + 2
    encoded = json.dumps(text, ensure_ascii=False)
    # Go escapes <, > and & (one byte each) and U+2028, U+2029 (three) as \u00XX, six bytes
    extra = 5 * sum(text.count(c) for c in "<>&") + 3 * sum(text.count(c) for c in "\u2028\u2029")
    return len(encoded.encode("utf-8", "surrogatepass")) + extra
