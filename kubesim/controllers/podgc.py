"""The pod garbage collector (pkg/controller/podgc/gc_controller.go, gcOrphaned): a pod bound
to a node that no longer exists has no kubelet left to end it, so once the node has stayed gone
for the quarantine time, PodGC marks the pod Failed with a DisruptionTarget condition and
force-deletes it. Its owner (a StatefulSet, a ReplicaSet) then makes a replacement, which the
scheduler places on a node that exists."""

from __future__ import annotations

from typing import Any

from kubesim.api import meta
from kubesim.controllers import queue
from kubesim.controllers.changes import Change, Delete, Requeue, SetRuntime, UpdateStatus
from kubesim.controllers.snapshot import Snapshot
from kubesim.store import indexes

Object = dict[str, Any]

QUARANTINE_SECONDS = 40.0  # quarantineTime: a node may be gone only for a moment
SECTION = "podgc"  # node name -> when PodGC first found pods bound to it missing (its nodeQueue)

CONDITION = {
    "type": "DisruptionTarget",
    "status": "True",
    "reason": "DeletionByPodGC",
    "message": "PodGC: node no longer exists",
}


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Look at the nodes named by `keys` (every node pods are bound to, when None)."""
    seen = snapshot.runtime(SECTION)
    changes: list[Change] = []
    for node in sorted(keys) if keys is not None else all_keys(snapshot):
        pods = snapshot.pods_on(node) if snapshot.get("nodes", None, node) is None else []
        first_seen = seen.get(node)
        if not pods:
            if first_seen is not None:
                changes.append(SetRuntime(SECTION, node, None))
            continue
        if first_seen is None:
            changes += [SetRuntime(SECTION, node, now), Requeue(node, now + QUARANTINE_SECONDS)]
        elif now - float(first_seen) >= QUARANTINE_SECONDS:
            for pod in pods:
                changes += mark_failed_and_delete(pod, now)
        else:
            changes.append(Requeue(node, float(first_seen) + QUARANTINE_SECONDS))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    """The nodes pods are bound to, and those PodGC was already waiting on."""
    bound: set[str] = set(snapshot.state.index_values(indexes.NODE, "pods")) - {""}
    return sorted(bound | set(snapshot.runtime(SECTION)))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """A node that went or came back; a pod bound to a node that does not exist, or gone from
    one."""
    if event.resource == "nodes":
        return (event.name,)
    node = event.new["spec"].get("nodeName")
    if node and (event.type == "DELETED" or snapshot.get("nodes", None, node) is None):
        return (node,)
    return ()


CONTROLLER = queue.Controller(
    name="pod-garbage-collector",
    watches=("nodes", "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def mark_failed_and_delete(pod: Object, now: float) -> list[Change]:
    """markFailedAndDeletePodWithCondition: Failed first, since no kubelet will say so, then a
    deletion with grace period 0."""
    changes: list[Change] = []
    if pod["status"].get("phase") not in ("Succeeded", "Failed"):
        failed = meta.clone(pod)
        status = failed["status"]
        status["phase"] = "Failed"
        conditions = [c for c in status.get("conditions", []) if c["type"] != CONDITION["type"]]
        since = meta.format_time(now)
        condition = {**CONDITION, "lastProbeTime": None, "lastTransitionTime": since}
        status["conditions"] = [*conditions, condition]
        changes.append(UpdateStatus(failed))
    m = pod["metadata"]
    changes.append(Delete("pods", m["namespace"], m["name"], uid=m["uid"], grace_period=0))
    return changes
