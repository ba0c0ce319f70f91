"""The namespace controller: empties a terminating namespace, then lets it go."""

from __future__ import annotations

from kubesim.api import kinds, meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Delete, Remove
from kubesim.controllers.snapshot import Snapshot


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        ns = snapshot.get("namespaces", None, key)
        if ns is None or not meta.is_terminating(ns):
            continue
        remaining = 0
        for kind in kinds.KINDS:
            if not kind.namespaced:
                continue
            for obj in snapshot.list(kind.resource, key):
                remaining += 1
                if not meta.is_terminating(obj):
                    m = obj["metadata"]
                    changes.append(Delete(kind.resource, key, m["name"], uid=m["uid"]))
        if remaining == 0:
            changes.append(Remove("namespaces", None, key, ns["metadata"]["uid"]))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return [ns["metadata"]["name"] for ns in snapshot.list("namespaces")]


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """A namespace; whatever goes from a namespace being deleted, which may now be empty."""
    if event.resource == "namespaces":
        return (event.name,)
    if event.namespace is None:
        return ()
    ns = snapshot.get("namespaces", None, event.namespace)
    return (event.namespace,) if ns is not None and meta.is_terminating(ns) else ()


CONTROLLER = queue.Controller(
    name="namespace-controller",
    watches=("*",),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)
