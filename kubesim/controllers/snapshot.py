"""A read-only view of the cluster at the start of a tick, as a controller's informer cache."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from functools import cached_property
from typing import Any

from kubesim.store.state import ClusterState

Object = dict[str, Any]
Objects = list[Object]
Pairs = list[tuple[str, Object]]


# Events neither own nor are owned by anything, and a busy cluster has more of them than of all
# else together: the ownership indexes leave them out.
OWNERLESS = frozenset({"events"})


class Snapshot:
    """Objects by resource, with the indexes controllers need. Never mutate what it returns."""

    def __init__(self, state: ClusterState, now: float, seed: int = 0) -> None:
        self.now = now
        self.seed = seed
        self._objects: dict[str, dict[str, Object]] = {r: dict(b) for r, b in state.objects.items()}
        self._runtime = state.doc
        self._lists: dict[tuple[str, str | None], Objects] = {}
        self._keys: dict[str, list[str]] = {}
        self._orphans: dict[str, dict[str | None, Objects]] = {}

    def list(self, resource: str, namespace: str | None = None) -> Objects:
        """Objects in key order (namespace/name), as an informer's sorted lister; each list is
        built once per snapshot, since every controller asks for the same ones."""
        cached = self._lists.get((resource, namespace))
        if cached is not None:
            return cached
        bucket = self._objects.get(resource, {})
        keys = self._keys.get(resource)
        if keys is None:
            keys = self._keys[resource] = sorted(bucket)
        if namespace is None:
            found = [bucket[k] for k in keys]
        else:
            prefix = f"{namespace}/"
            found = [bucket[k] for k in keys if k.startswith(prefix)]
        self._lists[(resource, namespace)] = found
        return found

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        key = f"{namespace}/{name}" if namespace else name
        return self._objects.get(resource, {}).get(key)

    def runtime(self, section: str) -> Mapping[str, Any]:
        return self._runtime.get(section, {})  # type: ignore[no-any-return]

    @cached_property
    def by_uid(self) -> dict[str, Object]:
        return {
            obj["metadata"]["uid"]: obj
            for resource, bucket in self._objects.items()
            if resource not in OWNERLESS
            for obj in bucket.values()
        }

    @cached_property
    def _dependents(self) -> dict[str, Pairs]:
        index: dict[str, Pairs] = defaultdict(list)
        for resource, bucket in self._objects.items():
            if resource in OWNERLESS:
                continue
            for obj in bucket.values():
                for ref in obj["metadata"].get("ownerReferences") or ():
                    index[ref.get("uid", "")].append((resource, obj))
        return index

    def dependents(self, uid: str) -> Pairs:
        """(resource, object) pairs with an ownerReference to `uid`."""
        return self._dependents.get(uid, [])

    def controlled_by(self, uid: str, resource: str) -> Objects:
        """Objects of `resource` whose controller reference is `uid`, in name order."""
        found = [
            obj
            for res, obj in self.dependents(uid)
            if res == resource
            and any(
                r.get("uid") == uid and r.get("controller")
                for r in obj["metadata"]["ownerReferences"]
            )
        ]
        return sorted(found, key=lambda o: o["metadata"]["name"])

    def orphans(self, resource: str, namespace: str | None) -> Objects:
        """Objects of `resource` in `namespace` that no controller owns (adoption candidates)."""
        index = self._orphans.get(resource)
        if index is None:
            index = self._orphans[resource] = defaultdict(list)
            for obj in self.list(resource):
                if not any(
                    r.get("controller") for r in obj["metadata"].get("ownerReferences") or ()
                ):
                    index[obj["metadata"].get("namespace")].append(obj)
        return index.get(namespace, [])

    @cached_property
    def _pods_by_namespace(self) -> dict[str, Objects]:
        index: dict[str, Objects] = defaultdict(list)
        for pod in self.list("pods"):
            index[pod["metadata"]["namespace"]].append(pod)
        return index

    def pods(self, namespace: str) -> Objects:
        return self._pods_by_namespace.get(namespace, [])
