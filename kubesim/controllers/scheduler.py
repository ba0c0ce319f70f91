"""The scheduler: binds each unscheduled pod to a node, as kube-scheduler v1.32's default profile
does (kubesim.controllers.scheduler_framework: its filters, its scores and their weights, its
pick among the best), with the FailedScheduling message and DefaultPreemption's verdict when no
node fits. A pod whose claims wait for their first consumer has the chosen node recorded on
those claims (volume.kubernetes.io/selected-node), so that their volumes are provisioned there.

The cache of what each node holds (kubesim.controllers.scheduler_cache) is updated with every
pod change; a pod that a placed pod's spread or affinity kept out is tried again when placed
pods change, as the plugins' cluster events requeue it.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kubesim.api import meta
from kubesim.controllers import queue
from kubesim.controllers.changes import (
    Bind,
    Change,
    RecordEvent,
    SetRuntime,
    Update,
    UpdateStatus,
)
from kubesim.controllers.scheduler_cache import NODES_SECTION, PODS_SECTION, NodeCache
from kubesim.controllers.scheduler_filters import (
    SELECTED_NODE_CONFLICT,
    VOLUME_NODE_AFFINITY,
    NodeFacts,
    Refusal,
    fits_node_affinity,
    tolerates,
    volume_fits,
)
from kubesim.controllers.scheduler_framework import Framework, Result, rng_for
from kubesim.controllers.snapshot import Snapshot

__all__ = ["CONTROLLER", "NODES_SECTION", "PODS_SECTION", "fits_node_affinity", "tolerates"]

Object = dict[str, Any]
COMPONENT = "default-scheduler"
SELECTED_NODE = "volume.kubernetes.io/selected-node"
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
# pending pods that spread or pod affinity kept out: placed pods coming, changing or going may
# let them in (the plugins' Pod/All events)
WAITING_SECTION = "scheduler/waiting"  # "<namespace>/<pod>" -> True
NODES_NAMED = 10  # how many of the nodes that gave one reason a pod's record names


class Unschedulable(Exception):
    """A reason that applies to the pod on every node (a missing or unbound claim)."""


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Count the pods named by `keys` into the nodes they hold, then place those pending."""
    keys = sorted(keys) if keys is not None else all_keys(snapshot)
    cache = NodeCache(snapshot)
    waiting = set(snapshot.runtime(WAITING_SECTION))
    pending = []
    changes: list[Change] = []
    for key in keys:
        namespace, name = queue.split_key(key)
        pod = snapshot.get("pods", namespace, name)
        cache.count(key, pod)
        if pod is not None and not pod["spec"].get("nodeName") and not meta.is_terminating(pod):
            pending.append(pod)
        elif key in waiting:
            changes.append(SetRuntime(WAITING_SECTION, key, None))
    if pending:
        changes += schedule(snapshot, pending, cache, now)
    return cache.changes() + changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list("pods")))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """Every pod change updates the cache; what may make room or change where a pod fits (a
    node, a pod that finishes or goes, a claim or volume) sends the unscheduled pods back to
    the active queue (MoveAllToActiveOrBackoffQueue); a placed pod's change, or a namespace's,
    those that spread or pod affinity kept out."""
    if event.resource == "namespaces":
        return list(snapshot.runtime(WAITING_SECTION))
    if event.resource == "pods":
        pod = event.new
        freed = (
            event.type == "DELETED"
            or meta.is_terminating(pod)
            or ((pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"))
        )
        if not pod["spec"].get("nodeName"):
            return (event.key,)
        if not freed:
            return [event.key, *snapshot.runtime(WAITING_SECTION)]
    keys = set(queue.keys_of(snapshot.pods_on("")))
    if event.resource == "pods":
        keys.add(event.key)
    return keys


def schedule(
    snapshot: Snapshot, pending: list[Object], cache: NodeCache, now: float
) -> list[Change]:
    framework = Framework(snapshot, cache)
    count = len(framework.nodes)
    waiting = set(snapshot.runtime(WAITING_SECTION))
    changes: list[Change] = []
    for pod in pending:
        if pod["spec"].get("schedulerName", "default-scheduler") != "default-scheduler":
            continue
        m = pod["metadata"]
        key = f"{m['namespace']}/{m['name']}"
        try:
            claims = _claims(snapshot, pod)
        except Unschedulable as reason:
            message = f"0/{count} nodes are available: {reason}. {_postfilter(count)}"
            changes += _unschedulable(pod, message, now)
            cache.refuse(pod, {"message": message})
            if key in waiting:
                changes.append(SetRuntime(WAITING_SECTION, key, None))
            continue
        check = partial(_check_volumes, snapshot, claims) if claims else None
        result = framework.schedule_one(pod, check, rng_for(snapshot.seed, pod))
        waits = result.waits_on_pods and result.node is None
        if waits != (key in waiting):
            changes.append(SetRuntime(WAITING_SECTION, key, True if waits else None))
        if result.node is None:
            message = fit_error(count, result)
            changes += _unschedulable(pod, message, now)
            cache.refuse(pod, {"message": message, "refused": verdicts(result.refused)})
            continue
        if result.scores is not None:
            result.scores["refused"] = verdicts(result.refused)
        framework.assume(pod, result.node, result.scores)
        changes += _select_node_for_claims(claims, result.node)
        changes += bind(pod, result.node)
    return changes


def verdicts(refused: dict[str, Refusal]) -> dict[str, list[Any]]:
    """The reasons nodes gave, each with how many nodes gave it and the first of them (what
    `kubesim why` shows, kept small on a large cluster)."""
    grouped: dict[str, list[Any]] = {}
    for node, refusal in refused.items():
        entry = grouped.setdefault(", ".join(refusal.reasons), [0, []])
        entry[0] += 1
        if len(entry[1]) < NODES_NAMED:
            entry[1].append(node)
    return grouped


def fit_error(count: int, result: Result) -> str:
    """FitError.Error(): each reason with how many nodes gave it, sorted as strings, then
    DefaultPreemption's verdict."""
    reasons: dict[str, int] = {}
    for refusal in result.refused.values():
        for reason in refusal.reasons:
            reasons[reason] = reasons.get(reason, 0) + 1
    details = ", ".join(sorted(f"{n} {why}" for why, n in reasons.items()))
    preemptable = sum(1 for r in result.refused.values() if r.resolvable)
    return f"0/{count} nodes are available: {details}. {_postfilter(count, preemptable)}"


def _postfilter(count: int, preemptable: int = 0) -> str:
    """DefaultPreemption's verdict: nodes refused for good (UnschedulableAndUnresolvable) are
    not helped by preemption; on the others no pod has a lower priority than this one here (all
    are 0, or kind's system pods' higher), so none offers victims."""
    verdicts = []
    if count - preemptable:
        verdicts.append(f"{count - preemptable} {NOT_HELPFUL}")
    if preemptable:
        verdicts.append(f"{preemptable} {NO_VICTIMS}")
    return f"preemption: 0/{count} nodes are available: {', '.join(sorted(verdicts))}."


def _claims(snapshot: Snapshot, pod: Object) -> list[Object]:
    """The pod's claims; Unschedulable if one is missing or waits for an immediate binding."""
    claims = []
    namespace = pod["metadata"]["namespace"]
    for volume in pod["spec"].get("volumes") or []:
        source = volume.get("persistentVolumeClaim")
        if not source:
            continue
        claim = snapshot.get("persistentvolumeclaims", namespace, source.get("claimName", ""))
        if claim is None:
            raise Unschedulable(f'persistentvolumeclaim "{source.get("claimName", "")}" not found')
        if meta.is_terminating(claim):
            raise Unschedulable(
                f'persistentvolumeclaim "{claim["metadata"]["name"]}" is being deleted'
            )
        if claim["status"].get("phase") != "Bound":
            sc = snapshot.get(
                "storageclasses.storage.k8s.io", None, claim["spec"].get("storageClassName") or ""
            )
            if sc is None or sc.get("volumeBindingMode") != "WaitForFirstConsumer":
                raise Unschedulable("pod has unbound immediate PersistentVolumeClaims")
        claims.append(claim)
    return claims


def _check_volumes(snapshot: Snapshot, claims: list[Object], node: NodeFacts) -> Refusal | None:
    """VolumeBinding's Filter: a bound claim's volume must reach the node; a claim waiting for
    its first consumer already given a node must be given this one."""
    for claim in claims:
        volume = snapshot.get("persistentvolumes", None, claim["spec"].get("volumeName") or "")
        if volume is not None and not volume_fits(volume, node.labels):
            return VOLUME_NODE_AFFINITY
        selected = (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE)
        if volume is None and selected and selected != node.name:
            return SELECTED_NODE_CONFLICT
    return None


def _select_node_for_claims(claims: list[Object], node: str) -> list[Change]:
    """The VolumeBinding plugin's PreBind for claims that wait for their first consumer."""
    changes: list[Change] = []
    for claim in claims:
        if claim["status"].get("phase") == "Bound" or claim["spec"].get("volumeName"):
            continue
        if (claim["metadata"].get("annotations") or {}).get(SELECTED_NODE):
            continue
        selected = meta.clone(claim)
        selected["metadata"].setdefault("annotations", {})[SELECTED_NODE] = node
        changes.append(Update(selected))
    return changes


def bind(pod: Object, node: str) -> list[Change]:
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


def _unschedulable(pod: Object, message: str, now: float) -> list[Change]:
    for condition in pod["status"].get("conditions") or []:
        if condition.get("reason") == "Unschedulable" and condition.get("message") == message:
            return []
    failed = meta.clone(pod)
    failed["status"]["conditions"] = [
        {
            "lastProbeTime": None,
            "lastTransitionTime": meta.format_time(now),
            "message": message,
            "reason": "Unschedulable",
            "status": "False",
            "type": "PodScheduled",
        }
    ]
    return [
        UpdateStatus(failed),
        RecordEvent(pod, "Warning", "FailedScheduling", message, COMPONENT),
    ]


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=("pods", "nodes", "persistentvolumeclaims", "persistentvolumes", "namespaces"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)
