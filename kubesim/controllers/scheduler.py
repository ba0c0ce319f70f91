"""The scheduler: binds each unscheduled pod to a node, spreading pods across the workers.

Filters as kube-scheduler's defaults would for kubesim's nodes (Ready, schedulable, taints
tolerated, nodeSelector), then scores by fewest pods (least allocated); ties go to a
deterministic pick among the best, as the scheduler samples among equal scores.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from kubesim.api import meta
from kubesim.controllers.changes import Bind, Change, RecordEvent, UpdateStatus
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "default-scheduler"


def reconcile(snapshot: Snapshot, now: float) -> list[Change]:
    nodes = [n for n in snapshot.list("nodes") if is_schedulable(n)]
    load: Counter[str] = Counter(
        p["spec"]["nodeName"] for p in snapshot.list("pods") if p["spec"].get("nodeName")
    )
    changes: list[Change] = []
    for pod in snapshot.list("pods"):
        if pod["spec"].get("nodeName") or meta.is_terminating(pod):
            continue
        if pod["spec"].get("schedulerName", "default-scheduler") != "default-scheduler":
            continue
        feasible = [n for n in nodes if fits(pod, n)]
        if not feasible:
            changes += _unschedulable(pod, len(snapshot.list("nodes")), now)
            continue
        fewest = min(load[n["metadata"]["name"]] for n in feasible)
        best = [n for n in feasible if load[n["metadata"]["name"]] == fewest]
        rng = meta.rng_for(snapshot.seed, "schedule", pod["metadata"]["uid"])
        node = rng.choice(best)["metadata"]["name"]
        load[node] += 1
        changes += bind(pod, node, now)
    return changes


def is_schedulable(node: Object) -> bool:
    if node["spec"].get("unschedulable"):
        return False
    conditions = node.get("status", {}).get("conditions") or []
    return any(c["type"] == "Ready" and c["status"] == "True" for c in conditions)


def fits(pod: Object, node: Object) -> bool:
    """NodeSelector and TaintToleration filters."""
    labels = node["metadata"].get("labels") or {}
    for key, value in (pod["spec"].get("nodeSelector") or {}).items():
        if labels.get(key) != value:
            return False
    if pod["spec"].get("nodeName") not in (None, node["metadata"]["name"]):
        return False
    tolerations = pod["spec"].get("tolerations") or []
    for taint in node["spec"].get("taints") or []:
        if taint.get("effect") in ("NoSchedule", "NoExecute") and not any(
            _tolerates(t, taint) for t in tolerations
        ):
            return False
    return True


def _tolerates(toleration: Object, taint: Object) -> bool:
    if toleration.get("effect") and toleration["effect"] != taint.get("effect"):
        return False
    if toleration.get("operator") == "Exists":
        return not toleration.get("key") or toleration["key"] == taint.get("key")
    return toleration.get("key") == taint.get("key") and toleration.get("value", "") == taint.get(
        "value", ""
    )


def bind(pod: Object, node: str, now: float) -> list[Change]:
    """The Binding, with the Scheduled event."""
    m = pod["metadata"]
    return [
        Bind(m["namespace"], m["name"], m["uid"], node),
        RecordEvent(
            pod,
            "Normal",
            "Scheduled",
            f"Successfully assigned {m['namespace']}/{m['name']} to {node}",
            COMPONENT,
        ),
    ]


def _unschedulable(pod: Object, node_count: int, now: float) -> list[Change]:
    if any(c.get("reason") == "Unschedulable" for c in pod["status"].get("conditions") or []):
        return []
    message = (
        f"0/{node_count} nodes are available: "
        f"{node_count} node(s) didn't match Pod's node affinity/selector."
    )
    failed = copy.deepcopy(pod)
    failed["status"]["conditions"] = [
        {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": meta.format_time(now),
            "reason": "Unschedulable",
            "message": message,
        }
    ]
    return [
        UpdateStatus(failed),
        RecordEvent(pod, "Warning", "FailedScheduling", message, COMPONENT),
    ]
