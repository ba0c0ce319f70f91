"""/openapi/v3: one document per group-version, built from the same schemas `kubesim explain`
reads (kubesim.api.openapi: the kubernetes client's models at run time, never a copy).

kubectl reads three things there: a PATCH operation per kind that declares `fieldValidation`
(else `create`, `apply` and `edit` validate client-side against OpenAPI v2, which is
protobuf); the kind's schema, found by its x-kubernetes-group-version-kind, for `explain`; and
the patch strategies and merge keys of each field, with which `apply` computes its strategic
merge patch (kubesim's patch_meta, the API types' struct tags).
"""

from __future__ import annotations

import hashlib
import json
import threading
from functools import cache
from typing import Any

from kubesim.api import kinds, patch_meta
from kubesim.api.kinds import Kind
from kubesim.serve.paths import SUBRESOURCES, group_versions

Object = dict[str, Any]
_LOCK = threading.Lock()
_QUERY = {"in": "query", "uniqueItems": True, "schema": {"type": "string", "uniqueItems": True}}
_PATCH_TYPES = (
    "application/apply-patch+yaml",
    "application/json-patch+json",
    "application/merge-patch+json",
    "application/strategic-merge-patch+json",
)


def gv_path(group: str, version: str) -> str:
    return f"apis/{group}/{version}" if group else f"api/{version}"


def index() -> Object:
    """/openapi/v3: where each group-version's document is, with its hash."""
    paths = {}
    for group, version in group_versions():
        path = gv_path(group, version)
        paths[path] = {"serverRelativeURL": f"/openapi/v3/{path}?hash={document(path)[1]}"}
    return {"paths": paths}


def document(path: str) -> tuple[bytes, str]:
    """A group-version's document as JSON bytes and its hash; KeyError for another path."""
    with _LOCK:  # built once, by whichever request comes first
        return _document(path)


@cache
def _document(path: str) -> tuple[bytes, str]:
    for group, version in group_versions():
        if gv_path(group, version) == path:
            body = json.dumps(_build(group, version), separators=(",", ":")).encode()
            return body, hashlib.sha512(body).hexdigest()[:128].upper()
    raise KeyError(path)


def _build(group: str, version: str) -> Object:
    from kubesim.api import openapi

    schemas: dict[str, Object] = {}
    paths: dict[str, Object] = {}
    for kind in kinds.KINDS:
        if kind.group != group or kind.version != version:
            continue
        doc = openapi.Document(kind)
        pending = [doc.root]
        while pending:
            name = pending.pop()
            if name in schemas:
                continue
            schema = doc.schema(name)
            if schema is None:
                continue
            schemas[name] = _with_patch_meta(name, schema)
            pending += _refs(schema)
        paths.update(_paths(kind, doc.root))
    return {
        "openapi": "3.0.0",
        "info": {"title": "Kubernetes", "version": "v1.32.2"},
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }


def _refs(schema: Any) -> list[str]:
    """The definitions a schema refers to."""
    found: list[str] = []
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.append(ref.rsplit("/", 1)[1])
        for value in schema.values():
            found += _refs(value)
    elif isinstance(schema, list):
        for value in schema:
            found += _refs(value)
    return found


def _with_patch_meta(name: str, schema: Object) -> Object:
    """The schema with x-kubernetes-patch-strategy and -merge-key on the fields that carry the
    patchStrategy and patchMergeKey struct tags."""
    struct = name.rsplit(".", 1)[-1]
    tags = patch_meta.struct_tags(struct)
    properties = schema.get("properties") or {}
    if not tags and "conditions" in properties and struct.endswith("Status"):
        tags = {"conditions": ("merge", "type")}
    if not tags:
        return schema
    new = dict(properties)
    for field, (strategy, key) in tags.items():
        if field not in new:
            continue
        prop = dict(new[field])
        if key:
            prop["x-kubernetes-patch-merge-key"] = key
        if strategy:
            prop["x-kubernetes-patch-strategy"] = strategy
        new[field] = prop
    return {**schema, "properties": new}


def _parameter(name: str, description: str) -> Object:
    return {"name": name, "description": description, **_QUERY}


def _paths(kind: Kind, root: str) -> dict[str, Object]:
    base = f"/{gv_path(kind.group, kind.version)}"
    scope = "/namespaces/{namespace}" if kind.namespaced else ""
    item = f"{base}{scope}/{kind.plural}/{{name}}"
    gvk = {"group": kind.group, "kind": kind.kind, "version": kind.version}
    ref = {"$ref": f"#/components/schemas/{root}"}
    params = [
        _parameter("dryRun", "When present, indicates that modifications should not be persisted."),
        _parameter("fieldManager", "The name of the actor or entity making these changes."),
        _parameter("fieldValidation", "How the server treats unknown and duplicate fields."),
    ]
    answer = {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}}

    def operation(action: str, subresource: str = "", **extra: Any) -> Object:
        suffix = subresource.capitalize()
        return {
            "operationId": f"{action}{kind.kind}{suffix}",
            "parameters": params,
            "responses": answer,
            "x-kubernetes-action": action,
            "x-kubernetes-group-version-kind": gvk,
            **extra,
        }

    body = {"content": {"application/json": {"schema": ref}}}
    patch_body = {
        "content": {t: {"schema": {"type": "object"}} for t in _PATCH_TYPES},
        "required": True,
    }
    paths: dict[str, Object] = {
        item: {
            "get": operation("get"),
            "put": operation("put", requestBody=body),
            "patch": operation(
                "patch", parameters=[*params, _parameter("force", "Force apply.")],
                requestBody=patch_body,
            ),
            "delete": operation("delete"),
            "parameters": [
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
        },
        f"{base}{scope}/{kind.plural}": {
            "get": operation("list"),
            "post": operation("post", requestBody=body),
        },
    }  # fmt: skip
    if "status" in SUBRESOURCES.get(kind.kind, ()):
        paths[f"{item}/status"] = {
            "get": operation("get", "status"),
            "patch": operation("patch", "status", requestBody=patch_body),
        }
    return paths
