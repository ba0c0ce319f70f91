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


class Snapshot:
    """Objects by resource, with the indexes controllers need. Never mutate what it returns."""

    def __init__(self, state: ClusterState, now: float, seed: int = 0) -> None:
        self.now = now
        self.seed = seed
        self._objects: dict[str, dict[str, Object]] = {r: dict(b) for r, b in state.objects.items()}
        self._runtime = state.doc

    def list(self, resource: str, namespace: str | None = None) -> Objects:
        bucket = self._objects.get(resource, {})
        if namespace is None:
            return [bucket[k] for k in sorted(bucket)]
        prefix = f"{namespace}/"
        return [bucket[k] for k in sorted(bucket) if k.startswith(prefix)]

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        key = f"{namespace}/{name}" if namespace else name
        return self._objects.get(resource, {}).get(key)

    def runtime(self, section: str) -> Mapping[str, Any]:
        return self._runtime.get(section, {})  # type: ignore[no-any-return]

    @cached_property
    def by_uid(self) -> dict[str, Object]:
        return {
            obj["metadata"]["uid"]: obj
            for bucket in self._objects.values()
            for obj in bucket.values()
        }

    @cached_property
    def _dependents(self) -> dict[str, Pairs]:
        index: dict[str, Pairs] = defaultdict(list)
        for resource, bucket in self._objects.items():
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

    @cached_property
    def _orphans(self) -> dict[tuple[str, str | None], Objects]:
        index: dict[tuple[str, str | None], Objects] = defaultdict(list)
        for resource, bucket in self._objects.items():
            for key in sorted(bucket):
                obj = bucket[key]
                if not any(
                    r.get("controller") for r in obj["metadata"].get("ownerReferences") or ()
                ):
                    index[(resource, obj["metadata"].get("namespace"))].append(obj)
        return index

    def orphans(self, resource: str, namespace: str | None) -> Objects:
        """Objects of `resource` in `namespace` that no controller owns (adoption candidates)."""
        return self._orphans.get((resource, namespace), [])

    @cached_property
    def _pods_by_namespace(self) -> dict[str, Objects]:
        index: dict[str, Objects] = defaultdict(list)
        for pod in self.list("pods"):
            index[pod["metadata"]["namespace"]].append(pod)
        return index

    def pods(self, namespace: str) -> Objects:
        return self._pods_by_namespace.get(namespace, [])
