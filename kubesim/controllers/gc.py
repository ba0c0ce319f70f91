"""The garbage collector: deletes dependents whose owners are gone, and carries out the
foreground and orphan propagation policies (garbagecollector.go, website garbage-collection.md)."""

from __future__ import annotations

from typing import Any

from kubesim.api import kinds, meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Delete, Update
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
ORPHAN, FOREGROUND = "orphan", "foregroundDeletion"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Attend to the objects named by `keys` ("<resource>/<key>"; every one when None): owners
    being deleted with the orphan or foreground policy first, then dependents whose owners
    are all gone."""
    found = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        resource, _, object_key = key.partition("/")
        namespace, name = queue.split_key(object_key)
        obj = snapshot.get(resource, namespace, name)
        if obj is not None:
            found.append((resource, obj))
    changes: list[Change] = []
    for _, owner in found:
        finalizers = owner["metadata"].get("finalizers") or []
        if not meta.is_terminating(owner):
            continue
        if ORPHAN in finalizers:
            changes += _orphan_dependents(snapshot, owner)
        elif FOREGROUND in finalizers:
            changes += _delete_dependents_first(snapshot, owner)
    for resource, dependent in found:
        refs = dependent["metadata"].get("ownerReferences")
        if not refs or meta.is_terminating(dependent):
            continue
        live = [r for r in refs if _owner_exists(snapshot, r, dependent)]
        if not live:
            m = dependent["metadata"]
            changes.append(Delete(resource, m.get("namespace"), m["name"], uid=m["uid"]))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    """Every object that has owners or is being deleted with a policy (the graph's nodes)."""
    keys = []
    for kind in kinds.KINDS:
        if kind.resource == "events":
            continue
        for obj in snapshot.list(kind.resource):
            m = obj["metadata"]
            if m.get("ownerReferences") or (m.get("finalizers") and meta.is_terminating(obj)):
                keys.append(f"{kind.resource}/{next(queue.keys_of([obj]))}")
    return keys


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """The graph builder's handlers: an object with owners (are they alive?), an owner being
    deleted with a policy, the dependents of an object that went, and the owners in
    foreground deletion a dependent of which changed or went."""
    keys: set[str] = set()
    obj = event.new
    m = obj["metadata"]
    if event.type != "DELETED" and (m.get("ownerReferences") or meta.is_terminating(obj)):
        keys.add(f"{event.resource}/{event.key}")
    if event.type == "DELETED":
        for resource, dependent in snapshot.dependents(m.get("uid", "")):
            keys.add(f"{resource}/{next(queue.keys_of([dependent]))}")
    refs = [r for m in event.metadatas() for r in m.get("ownerReferences") or ()]
    for ref in refs:  # an owner this object left (orphaned) counts too
        owner = snapshot.find_uid(ref.get("uid", ""))
        if owner is not None and meta.is_terminating(owner[1]):
            keys.add(f"{owner[0]}/{next(queue.keys_of([owner[1]]))}")
    return keys


CONTROLLER = queue.Controller(
    name="garbage-collector",
    watches=("*",),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def _owner_exists(snapshot: Snapshot, ref: Object, dependent: Object) -> bool:
    """An owner counts only if that uid lives, with the same kind, in the dependent's namespace."""
    found = snapshot.find_uid(ref.get("uid", ""))
    if found is None or found[1].get("kind") != ref.get("kind"):
        return False
    owner_ns = found[1]["metadata"].get("namespace")
    return owner_ns is None or owner_ns == dependent["metadata"].get("namespace")


def _without_finalizer(obj: Object, finalizer: str) -> Update:
    new = meta.clone(obj)
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
        released = meta.clone(dependent)
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
