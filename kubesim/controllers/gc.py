"""The garbage collector: deletes dependents whose owners are gone, and carries out the
foreground and orphan propagation policies (garbagecollector.go, website garbage-collection.md)."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api import kinds, meta
from kubesim.controllers.changes import Change, Delete, Update
from kubesim.controllers.snapshot import OWNERLESS, Snapshot

Object = dict[str, Any]
ORPHAN, FOREGROUND = "orphan", "foregroundDeletion"


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    changes: list[Change] = []
    by_uid = snapshot.by_uid
    for owner in by_uid.values():
        finalizers = owner["metadata"].get("finalizers") or []
        if not meta.is_terminating(owner):
            continue
        if ORPHAN in finalizers:
            changes += _orphan_dependents(snapshot, owner)
        elif FOREGROUND in finalizers:
            changes += _delete_dependents_first(snapshot, owner)
    for resource, dependent in _all_with_owners(snapshot):
        if meta.is_terminating(dependent):
            continue
        refs = dependent["metadata"]["ownerReferences"]
        live = [r for r in refs if _owner_exists(by_uid, r, dependent)]
        if not live:
            m = dependent["metadata"]
            changes.append(Delete(resource, m.get("namespace"), m["name"], uid=m["uid"]))
    return changes


def _all_with_owners(snapshot: Snapshot) -> list[tuple[str, Object]]:
    found = []
    for kind in kinds.KINDS:
        if kind.resource in OWNERLESS:
            continue
        for obj in snapshot.list(kind.resource):
            if obj["metadata"].get("ownerReferences"):
                found.append((kind.resource, obj))
    return found


def _owner_exists(by_uid: dict[str, Object], ref: Object, dependent: Object) -> bool:
    """An owner counts only if that uid lives, with the same kind, in the dependent's namespace."""
    owner = by_uid.get(ref.get("uid", ""))
    if owner is None or owner.get("kind") != ref.get("kind"):
        return False
    owner_ns = owner["metadata"].get("namespace")
    return owner_ns is None or owner_ns == dependent["metadata"].get("namespace")


def _without_finalizer(obj: Object, finalizer: str) -> Update:
    new = copy.deepcopy(obj)
    new["metadata"]["finalizers"] = [f for f in obj["metadata"]["finalizers"] if f != finalizer]
    if not new["metadata"]["finalizers"]:
        del new["metadata"]["finalizers"]
    return Update(new)


def _orphan_dependents(snapshot: Snapshot, owner: Object) -> list[Change]:
    uid = owner["metadata"]["uid"]
    dependents = snapshot.dependents(uid)
    if not dependents:
        return [_without_finalizer(owner, ORPHAN)]
    changes: list[Change] = []
    for _, dependent in dependents:
        released = copy.deepcopy(dependent)
        refs = [r for r in dependent["metadata"]["ownerReferences"] if r.get("uid") != uid]
        if refs:
            released["metadata"]["ownerReferences"] = refs
        else:
            del released["metadata"]["ownerReferences"]
        changes.append(Update(released))
    return changes


def _delete_dependents_first(snapshot: Snapshot, owner: Object) -> list[Change]:
    uid = owner["metadata"]["uid"]
    dependents = snapshot.dependents(uid)
    blocking = [
        d
        for _, d in dependents
        if any(
            r.get("uid") == uid and r.get("blockOwnerDeletion")
            for r in d["metadata"]["ownerReferences"]
        )
    ]
    if not blocking:
        return [_without_finalizer(owner, FOREGROUND)]
    changes: list[Change] = []
    for resource, dependent in dependents:
        if not meta.is_terminating(dependent):
            m = dependent["metadata"]
            changes.append(
                Delete(
                    resource, m.get("namespace"), m["name"], uid=m["uid"], propagation="Foreground"
                )
            )
    return changes
