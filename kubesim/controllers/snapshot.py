"""A read-only view of the cluster for one phase of a tick, as a controller's informer cache.

It reads through the store's transaction, lazily, what the controller asks for: one object,
one namespace's objects, or the objects an index names (those a controller owns, the pods on a
node, the pods carrying a label). A tick applies a phase's changes only once every controller
of the phase has computed its own, so all of them see the cluster as the phase began.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kubesim.store import indexes
from kubesim.store.state import ClusterState

if TYPE_CHECKING:
    from kubesim.api.selectors import Selector

Object = dict[str, Any]
Objects = list[Object]
Pairs = list[tuple[str, Object]]


class Snapshot:
    """Objects by resource, with the indexes controllers need. Never mutate what it returns."""

    def __init__(self, state: ClusterState, now: float, seed: int = 0) -> None:
        self.state = state
        self.now = now
        self.seed = seed

    def list(self, resource: str, namespace: str | None = None) -> Objects:
        """Objects in key order (namespace/name), as an informer's sorted lister. Reads the
        whole resource (or namespace): prefer the lookups below for pods."""
        return self.state.list(resource, namespace)

    def get(self, resource: str, namespace: str | None, name: str) -> Object | None:
        return self.state.get(resource, namespace, name)

    def runtime(self, section: str) -> Mapping[str, Any]:
        return self.state.section(section)

    def indexed(
        self, index: str, value: str, resource: str, namespace: str | None = None
    ) -> Objects:
        """Objects of `resource` whose index entry `index` is `value` (kubesim.store.indexes)."""
        return self.state.by_index(index, value, resource, namespace)

    def find_uid(self, uid: str) -> tuple[str, Object] | None:
        """The object with this uid, and its resource."""
        found = self.state.indexed(indexes.UID, uid)
        return found[0] if found else None

    def dependents(self, uid: str) -> Pairs:
        """(resource, object) pairs with an ownerReference to `uid`."""
        return self.state.indexed(indexes.OWNER, uid)

    def controlled_by(self, uid: str, resource: str) -> Objects:
        """Objects of `resource` whose controller reference is `uid`, in name order."""
        found = self.state.by_index(indexes.CONTROLLER, uid, resource)
        return sorted(found, key=lambda o: o["metadata"]["name"])

    def orphans(self, resource: str, namespace: str | None) -> Objects:
        """Objects of `resource` in `namespace` that no controller owns (adoption candidates)."""
        return self.state.by_index(indexes.CONTROLLER, "", resource, namespace)

    def pods(self, namespace: str) -> Objects:
        return self.state.list("pods", namespace)

    def pods_on(self, node: str) -> Objects:
        """The pods bound to `node` ("" for those not yet scheduled)."""
        return self.state.by_index(indexes.NODE, node, "pods")

    def pods_using(self, index: str, namespace: str, name: str) -> Objects:
        """The pods of a namespace that use the claim, ConfigMap or Secret `name`."""
        return self.state.by_index(index, name, "pods", namespace)

    def events_about(self, uid: str) -> Objects:
        return self.state.events_about(uid)

    def selecting(self, resource: str, namespace: str, selector: Selector) -> Objects:
        """Objects of a namespace whose labels match `selector`, found through the label
        index when the selector requires a label to have some value."""
        pair = selector.required_pair() if hasattr(selector, "required_pair") else None
        if pair is None:
            candidates = self.state.list(resource, namespace)
        else:
            key, value = pair
            candidates = self.state.by_index(indexes.LABEL, f"{key}={value}", resource, namespace)
        return [o for o in candidates if selector.matches(o["metadata"].get("labels") or {})]
