"""The garbage collector's decisions: orphaned dependents, foreground and orphan deletion."""

from __future__ import annotations

from typing import Any

from kubesim.controllers import gc
from kubesim.controllers.changes import Delete, Update
from kubesim.controllers.snapshot import Snapshot
from kubesim.store.state import ClusterState

NOW = 1_000_000.0


def obj(kind: str, name: str, owner: dict[str, Any] | None = None, **meta: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"name": name, "namespace": "default", "uid": f"uid-{name}", **meta}
    if owner is not None:
        m["ownerReferences"] = [{"apiVersion": "apps/v1", "kind": owner["kind"], "name": owner["metadata"]["name"],
                                 "uid": owner["metadata"]["uid"], "controller": True, "blockOwnerDeletion": True}]  # fmt: skip
    return {"kind": kind, "metadata": m}


def snapshot_with(*objects: tuple[str, dict[str, Any]]) -> Snapshot:
    state = ClusterState()
    for resource, o in objects:
        state.load(resource, o)
    return Snapshot(state, NOW)


def test_a_dependent_whose_owner_is_gone_is_deleted() -> None:
    owner = obj("StatefulSet", "web")
    changes = gc.reconcile(snapshot_with(("pods", obj("Pod", "web-0", owner))), NOW)
    assert changes == [Delete("pods", "default", "web-0", uid="uid-web-0")]


def test_a_dependent_of_a_live_owner_stays() -> None:
    owner = obj("StatefulSet", "web")
    snapshot = snapshot_with(("statefulsets.apps", owner), ("pods", obj("Pod", "web-0", owner)))
    assert gc.reconcile(snapshot, NOW) == []


def test_an_owner_of_the_same_name_but_another_uid_does_not_count() -> None:
    old = obj("StatefulSet", "web")
    new = obj("StatefulSet", "web")
    new["metadata"]["uid"] = "uid-web-recreated"
    snapshot = snapshot_with(("statefulsets.apps", new), ("pods", obj("Pod", "web-0", old)))
    assert [type(c) for c in gc.reconcile(snapshot, NOW)] == [Delete]


def test_orphan_deletion_releases_dependents_first() -> None:
    owner = obj(
        "StatefulSet", "web", deletionTimestamp="2026-01-01T00:00:00Z", finalizers=["orphan"]
    )
    snapshot = snapshot_with(("statefulsets.apps", owner), ("pods", obj("Pod", "web-0", owner)))
    (change,) = gc.reconcile(snapshot, NOW)
    assert isinstance(change, Update) and "ownerReferences" not in change.obj["metadata"]


def test_foreground_deletion_deletes_dependents_then_lets_the_owner_go() -> None:
    owner = obj(
        "StatefulSet",
        "web",
        deletionTimestamp="2026-01-01T00:00:00Z",
        finalizers=["foregroundDeletion"],
    )
    snapshot = snapshot_with(("statefulsets.apps", owner), ("pods", obj("Pod", "web-0", owner)))
    assert [type(c) for c in gc.reconcile(snapshot, NOW)] == [Delete]
    alone = snapshot_with(("statefulsets.apps", owner))
    (change,) = gc.reconcile(alone, NOW)
    assert isinstance(change, Update) and "finalizers" not in change.obj["metadata"]
