"""The pod garbage collector (pkg/controller/podgc/gc_controller.go, gcOrphaned): a pod bound
to a node that no longer exists has no kubelet left to end it, so once the node has stayed gone
for the quarantine time, PodGC marks the pod Failed with a DisruptionTarget condition and
force-deletes it. Its owner (a StatefulSet, a ReplicaSet) then makes a replacement, which the
scheduler places on a node that exists."""

from __future__ import annotations

import copy
from typing import Any

from kubesim.api import meta
from kubesim.controllers.changes import Change, Delete, SetRuntime, UpdateStatus
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]

QUARANTINE_SECONDS = 40.0  # quarantineTime: a node may be gone only for a moment
SECTION = "podgc"  # node name -> when PodGC first found pods bound to it missing (its nodeQueue)

CONDITION = {
    "type": "DisruptionTarget",
    "status": "True",
    "reason": "DeletionByPodGC",
    "message": "PodGC: node no longer exists",
}


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    nodes = {n["metadata"]["name"] for n in snapshot.list("nodes")}
    pods = snapshot.list("pods")
    bound = {p["spec"].get("nodeName") or "" for p in pods} - {""}
    missing = bound - nodes
    seen = snapshot.runtime(SECTION)
    changes: list[Change] = [SetRuntime(SECTION, name, now) for name in missing - set(seen)]
    changes += [SetRuntime(SECTION, name, None) for name in set(seen) - missing]
    gone = {name for name in missing & set(seen) if now - float(seen[name]) >= QUARANTINE_SECONDS}
    for pod in pods:
        if pod["spec"].get("nodeName") in gone:
            changes += mark_failed_and_delete(pod, now)
    return changes


def mark_failed_and_delete(pod: Object, now: float) -> list[Change]:
    """markFailedAndDeletePodWithCondition: Failed first, since no kubelet will say so, then a
    deletion with grace period 0."""
    changes: list[Change] = []
    if pod["status"].get("phase") not in ("Succeeded", "Failed"):
        failed = copy.deepcopy(pod)
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
