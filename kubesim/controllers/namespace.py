"""The namespace controller: empties a terminating namespace, then lets it go."""

from __future__ import annotations

from kubesim.api import kinds, meta
from kubesim.controllers.changes import Change, Delete, Remove
from kubesim.controllers.snapshot import Snapshot


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    changes: list[Change] = []
    for ns in snapshot.list("namespaces"):
        if not meta.is_terminating(ns):
            continue
        name = ns["metadata"]["name"]
        remaining = 0
        for kind in kinds.KINDS:
            if not kind.namespaced:
                continue
            for obj in snapshot.list(kind.resource, name):
                remaining += 1
                if not meta.is_terminating(obj):
                    m = obj["metadata"]
                    changes.append(Delete(kind.resource, name, m["name"], uid=m["uid"]))
        if remaining == 0:
            changes.append(Remove("namespaces", None, name, ns["metadata"]["uid"]))
    return changes
