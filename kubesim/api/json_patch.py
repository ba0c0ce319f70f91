"""JSON merge patch (RFC 7386) and JSON patch (RFC 6902), as the apiserver applies them.

The apiserver uses gopkg.in/evanphx/json-patch.v4 for both; its quirks that a user can notice
are kept (a path's first segment is dropped unread, so `bogus/metadata` means `/metadata`).
Inputs are never modified.
"""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api.patch import PatchError


def merge_patch(doc: Any, patch: Any) -> Any:
    """RFC 7386: objects merge key by key, null deletes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(doc) if isinstance(doc, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def json_patch(doc: Any, operations: Any) -> Any:
    """RFC 6902: apply each operation in turn; PatchError for one that does not apply."""
    if not isinstance(operations, list):
        raise PatchError("json: cannot unmarshal object into Go value of type jsonpatch.Patch")
    result = copy.deepcopy(doc)
    for operation in operations:
        if not isinstance(operation, dict):
            raise PatchError("json: cannot unmarshal into Go value of type jsonpatch.Operation")
        result = _apply(result, operation)
    return result


def _apply(doc: Any, operation: dict[str, Any]) -> Any:
    op = operation.get("op")
    path = operation.get("path")
    if op not in ("add", "remove", "replace", "move", "copy", "test"):
        raise PatchError(f"Unexpected kind: {op if isinstance(op, str) else 'unknown'}")
    if not isinstance(path, str):
        raise PatchError(f"{op} operation failed to decode path")
    if op == "add":
        return _add(doc, path, copy.deepcopy(operation.get("value")))
    if op == "remove":
        _remove(doc, path)
        return doc
    if op == "replace":
        return _replace(doc, path, copy.deepcopy(operation.get("value")))
    source = operation.get("from")
    if op in ("move", "copy"):
        if not isinstance(source, str):
            raise PatchError(f"{op} operation failed to decode from")
        value = _get(doc, source, op)
        if op == "move":
            _remove(doc, source)
        else:
            value = copy.deepcopy(value)
        return _add(doc, path, value)
    # test
    try:
        actual = _get(doc, path, op)
    except PatchError:
        if operation.get("value") is None:
            return doc
        raise
    if actual != operation.get("value") or _kinds(actual) != _kinds(operation.get("value")):
        raise PatchError(f"testing value {path} failed: test failed")
    return doc


def _kinds(value: Any) -> Any:
    """A structure of Python types, so 1 and 1.0 and True never compare equal."""
    if isinstance(value, dict):
        return {k: _kinds(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_kinds(v) for v in value]
    return type(value)


def _split(path: str) -> list[str]:
    if path == "":
        return []
    parts = path.split("/")[1:]
    return [p.replace("~1", "/").replace("~0", "~") for p in parts]


def _container(doc: Any, path: str, op: str) -> tuple[Any, str]:
    parts = _split(path)
    if not parts:
        raise PatchError(f"{op} operation does not apply: doc is missing path: {path!r}")
    node = doc
    for part in parts[:-1]:
        node = _child(node, part)
        if node is None:
            raise PatchError(f"{op} operation does not apply: doc is missing path: {path!r}")
    if not isinstance(node, dict | list):
        raise PatchError(f"{op} operation does not apply: doc is missing path: {path!r}")
    return node, parts[-1]


def _child(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list):
        index = _index(part, len(node) - 1)
        return node[index] if index is not None else None
    return None


def _index(part: str, limit: int) -> int | None:
    if not part.isdigit():
        return None
    index = int(part)
    return index if 0 <= index <= limit else None


def _get(doc: Any, path: str, op: str) -> Any:
    node = doc
    for part in _split(path):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and _index(part, len(node) - 1) is not None:
            node = node[int(part)]
        else:
            raise PatchError(f"{op} operation does not apply: doc is missing from path: {path}")
    return node


def _add(doc: Any, path: str, value: Any) -> Any:
    if path == "":
        return value
    node, key = _container(doc, path, "add")
    if isinstance(node, dict):
        node[key] = value
        return doc
    if key == "-":
        node.append(value)
        return doc
    index = _index(key, len(node))
    if index is None:
        raise PatchError(f"Unable to access invalid index: {key}: invalid index referenced")
    node.insert(index, value)
    return doc


def _remove(doc: Any, path: str) -> None:
    node, key = _container(doc, path, "remove")
    if isinstance(node, dict):
        if key not in node:
            raise PatchError(f"Unable to remove nonexistent key: {key}: missing value")
        del node[key]
        return
    index = _index(key, len(node) - 1)
    if index is None:
        raise PatchError(f"Unable to access invalid index: {key}: invalid index referenced")
    del node[index]


def _replace(doc: Any, path: str, value: Any) -> Any:
    if path == "":
        return value
    node, key = _container(doc, path, "replace")
    if isinstance(node, dict):
        if key not in node:
            raise PatchError(f"replace operation does not apply: doc is missing key: {path}")
        node[key] = value
        return doc
    index = _index(key, len(node) - 1)
    if index is None:
        raise PatchError(f"Unable to access invalid index: {key}: invalid index referenced")
    node[index] = value
    return doc
