"""The cluster document in memory: objects by resource, the resourceVersion counter, the journal.

This is etcd's part: it stores whatever it is given and numbers every write. What an object
must contain (defaults, validation, metadata) is the apiserver's concern, in `kubesim.api`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

Object = dict[str, Any]

SCHEMA_VERSION = 1


def object_key(namespace: str | None, name: str) -> str:
    return f"{namespace}/{name}" if namespace else name


class ClusterState:
    """The whole cluster as plain data; every write gets the next resourceVersion."""

    def __init__(self, doc: dict[str, Any] | None = None) -> None:
        self.doc: dict[str, Any] = doc if doc is not None else new_document()
        self.objects: dict[str, dict[str, Object]] = self.doc["objects"]
        self.events: list[dict[str, Any]] = []  # journal entries written since load
        self.dirty = False
        self.now: float | None = None  # simulated time of the writes, set by the apiserver

    @property
    def is_new(self) -> bool:
        return int(self.doc["resourceVersion"]) == 0

    @property
    def resource_version(self) -> int:
        return int(self.doc["resourceVersion"])

    def next_resource_version(self) -> str:
        self.doc["resourceVersion"] += 1
        self.dirty = True
        return str(self.doc["resourceVersion"])

    def section(self, name: str) -> dict[str, Any]:
        """A named area for non-API state (clock, IP allocation, container files)."""
        self.dirty = True
        return self.doc.setdefault(name, {})  # type: ignore[no-any-return]

    def peek_section(self, name: str) -> dict[str, Any]:
        """As `section`, for reading only: does not mark the state as changed."""
        return self.doc.get(name, {})  # type: ignore[no-any-return]

    # --- objects -----------------------------------------------------------------------------

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        return self.objects.get(resource, {}).get(object_key(namespace, name))

    def list(self, resource: str, namespace: str | None = None) -> list[Object]:
        """Objects of a resource, in namespace/name order; all namespaces when namespace is None."""
        bucket = self.objects.get(resource, {})
        if namespace is None:
            return [bucket[k] for k in sorted(bucket)]
        prefix = f"{namespace}/"
        return [bucket[k] for k in sorted(bucket) if k.startswith(prefix)]

    def iter_all(self) -> Iterator[tuple[str, Object]]:
        for resource, bucket in self.objects.items():
            for obj in bucket.values():
                yield resource, obj

    def put(self, resource: str, obj: Object) -> Object:
        """Store `obj` (the caller must not change it afterwards) under the next resourceVersion."""
        meta = obj["metadata"]
        key = object_key(meta.get("namespace"), meta["name"])
        bucket = self.objects.setdefault(resource, {})
        event = "MODIFIED" if key in bucket else "ADDED"
        meta["resourceVersion"] = self.next_resource_version()
        bucket[key] = obj
        self._journal(event, resource, obj)
        return obj

    def remove(self, resource: str, namespace: str | None, name: str) -> Object | None:
        """Remove an object; its DELETED event carries its last state and a new resourceVersion."""
        bucket = self.objects.get(resource, {})
        obj = bucket.pop(object_key(namespace, name), None)
        if obj is None:
            return None
        last = copy.copy(obj)
        last["metadata"] = {**obj["metadata"], "resourceVersion": self.next_resource_version()}
        self._journal("DELETED", resource, last)
        return last

    def _journal(self, event: str, resource: str, obj: Object) -> None:
        self.dirty = True
        entry = {
            "rv": int(obj["metadata"]["resourceVersion"]),
            "type": event,
            "resource": resource,
            "object": obj,
        }
        if self.now is not None:
            entry["t"] = self.now
        self.events.append(entry)


def new_document() -> dict[str, Any]:
    return {"schemaVersion": SCHEMA_VERSION, "resourceVersion": 0, "objects": {}}
