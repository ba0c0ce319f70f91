"""Controllers that reconcile changes, not the world, as client-go's informers and workqueues.

Each controller declares the resources it watches, its event handlers (`keys_for`: which of its
keys a change to a watched object wakes, as a Go controller's add/update/delete handlers
enqueue), how to list every key (a resync, after the change log was compacted past its last
pass), and `reconcile(snapshot, now, keys)`, which syncs those keys and returns the changes it
wants. Keys are level-triggered: a sync reads the current state and converges, whatever woke
it, so a key woken twice is no harm. What must happen later (a probe's period, a back-off, a
deadline) a sync asks for with a `Requeue` change, as AddAfter does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from kubesim.api import selectors
from kubesim.controllers.changes import Change
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import Change as LogEntry
from kubesim.store.state import ClusterState

Object = dict[str, Any]
Keys = Iterable[str]


class WatchEvent:
    """A change as a handler sees it: the object after it (its last state if DELETED), and,
    read only if asked for, the object before it."""

    __slots__ = ("entry", "_new", "_old", "_state")

    def __init__(self, entry: LogEntry, state: ClusterState) -> None:
        self.entry = entry
        self._state = state
        self._new: Object | None = None
        self._old: Any = _UNREAD

    @property
    def type(self) -> str:
        return self.entry.type

    @property
    def resource(self) -> str:
        return self.entry.resource

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def namespace(self) -> str | None:
        return self.entry.namespace

    @property
    def name(self) -> str:
        return self.entry.name

    @property
    def new(self) -> Object:
        if self._new is None:
            # the object as this change wrote it: often the current one, decoded already
            current = self._state.cached(self.entry.resource, self.entry.key)
            if current is not None and current["metadata"].get("resourceVersion") == str(
                self.entry.rv
            ):
                self._new = current
            else:
                self._new = self.entry.object
        return self._new

    @property
    def old_metadata(self) -> Object | None:
        """The labels and ownerReferences of the version this change replaced; None for an
        ADDED object."""
        if self._old is _UNREAD:
            self._old = self.entry.previous_metadata
        old: Object | None = self._old
        return old

    def metadatas(self) -> list[Object]:
        """The object's metadata after the change and, unless ADDED, its labels and
        ownerReferences before it."""
        old = self.old_metadata
        new: Object = self.new["metadata"]
        return [new] if old is None else [new, old]


_UNREAD: Any = object()


@dataclass(frozen=True)
class Controller:
    """One controller as the engine runs it."""

    name: str
    watches: tuple[str, ...]
    keys_for: Callable[[Snapshot, WatchEvent], Keys]
    all_keys: Callable[[Snapshot], Keys]
    reconcile: Callable[[Snapshot, float, list[str] | None], list[Change]]


def keys_of(objects: Iterable[Object]) -> Iterator[str]:
    """The queue keys ("namespace/name", or "name") of objects."""
    for obj in objects:
        m = obj["metadata"]
        yield f"{m['namespace']}/{m['name']}" if m.get("namespace") else m["name"]


def split_key(key: str) -> tuple[str | None, str]:
    namespace, sep, name = key.rpartition("/")
    return (namespace if sep else None), name


def own_key(event: WatchEvent) -> Keys:
    """The handler of a controller's own resource: the object's key."""
    return (event.key,)


def owner_keys(
    snapshot: Snapshot, event: WatchEvent, owner_kind: str, owner_resource: str
) -> set[str]:
    """The keys of the owners a change to an owned object concerns, as the add/update/delete
    handlers of the ReplicaSet, Deployment and StatefulSet controllers find them: the
    controller of the object now and before; for an orphan, every owner in its namespace
    whose selector matches its labels now or before (which may adopt it)."""
    keys: set[str] = set()
    namespace = event.namespace
    orphan_labels: list[dict[str, str]] = []
    for metadata in event.metadatas():
        refs = metadata.get("ownerReferences") or ()
        ref = next((r for r in refs if r.get("controller")), None)
        if ref is not None:
            if ref.get("kind") == owner_kind:
                keys.add(f"{namespace}/{ref.get('name')}")
        elif event.type != "DELETED":
            orphan_labels.append(dict(metadata.get("labels") or {}))
    if orphan_labels and namespace is not None:
        for owner in snapshot.list(owner_resource, namespace):
            selector = selectors.from_label_selector((owner.get("spec") or {}).get("selector"))
            if any(selector.matches(labels) for labels in orphan_labels):
                keys.add(f"{namespace}/{owner['metadata']['name']}")
    return keys


def claim_candidates(snapshot: Snapshot, resource: str, owner: Object) -> list[Object]:
    """What ClaimObject may keep or adopt: the objects `owner` controls and the orphans of its
    namespace, in key order (objects another controller owns it would skip anyway)."""
    namespace = owner["metadata"].get("namespace")
    found = {
        o["metadata"]["name"]: o
        for o in snapshot.controlled_by(owner["metadata"]["uid"], resource)
        if o["metadata"].get("namespace") == namespace
    }
    for orphan in snapshot.orphans(resource, namespace):
        found.setdefault(orphan["metadata"]["name"], orphan)
    return [found[name] for name in sorted(found)]
