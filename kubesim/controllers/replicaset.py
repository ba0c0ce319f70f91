"""The ReplicaSet controller: one sync per replica set per tick, as replica_set.go.

A sync claims the pods its selector matches, creates the missing ones from the template
(named `<replica set>-<5 random characters>`, no order, all in one sync as slowStartBatch
does when nothing fails) or deletes the surplus chosen by getPodsToDelete's ranking, then
writes the status it counted before acting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubesim.api import meta, selectors
from kubesim.controllers import queue
from kubesim.controllers.changes import (
    Change,
    Create,
    Delete,
    RecordEvent,
    Reported,
    Requeue,
    UpdateStatus,
    retried_as,
)
from kubesim.controllers.replicaset_utils import (
    BURST_REPLICAS,
    claim_objects,
    filter_active_pods,
    is_pod_available,
    is_pod_ready,
    pod_from_template,
    pods_to_delete,
    ready_condition,
)
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "replicaset-controller"
RESOURCE = "replicasets.apps"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the replica sets named by `keys` (every one when None), in key order."""
    changes: list[Change] = []
    taken: set[str] = set()
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        namespace, name = queue.split_key(key)
        rs = snapshot.get(RESOURCE, namespace, name)
        if rs is not None:
            changes += retried_as(key, sync(snapshot, rs, now, taken))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list(RESOURCE)))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """addReplicaSet/updateReplicaSet, and addPod/updatePod/deletePod: a pod wakes its
    controller, before and after the change, or, as an orphan, the sets that may adopt it."""
    if event.resource == RESOURCE:
        return (event.key,)
    return queue.owner_keys(snapshot, event, "ReplicaSet", RESOURCE)


def sync(snapshot: Snapshot, rs: Object, now: float, taken: set[str] | None = None) -> list[Change]:
    """One pass over one replica set (syncReplicaSet); `taken` holds names generated so far."""
    taken = set() if taken is None else taken
    selector = selectors.from_label_selector(rs["spec"].get("selector"))
    # the active pods it owns, and the orphans it may adopt
    active = filter_active_pods(queue.claim_candidates(snapshot, "pods", rs))
    filtered, changes = claim_objects(rs, active, selector)
    if not meta.is_terminating(rs):
        changes += manage_replicas(snapshot, rs, filtered, now, taken)
    status = calculate_status(rs, filtered, now)
    if status != (rs.get("status") or {}):
        changes.append(UpdateStatus({**rs, "status": status}))
    changes += _requeue_for_availability(rs, filtered, now)
    return changes


def _requeue_for_availability(rs: Object, filtered: list[Object], now: float) -> list[Change]:
    """A ready pod counts as available only after minReadySeconds: sync again then."""
    min_ready = int(rs["spec"].get("minReadySeconds", 0))
    if min_ready <= 0:
        return []
    pending = [
        meta.parse_time(str(since)) + min_ready
        for pod in filtered
        if is_pod_ready(pod) and not is_pod_available(pod, min_ready, now)
        for since in [(ready_condition(pod) or {}).get("lastTransitionTime")]
        if since
    ]
    if not pending:
        return []
    m = rs["metadata"]
    return [Requeue(f"{m['namespace']}/{m['name']}", min(pending))]


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE, "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def manage_replicas(
    snapshot: Snapshot, rs: Object, filtered: list[Object], now: float, taken: set[str]
) -> list[Change]:
    """Create or delete pods so that spec.replicas of them are active (manageReplicas)."""
    changes: list[Change] = []
    diff = len(filtered) - int(rs["spec"].get("replicas", 1))
    if diff < 0:
        for i in range(min(-diff, BURST_REPLICAS)):
            pod_name = _generate_name(snapshot, rs, now, i, taken)
            changes.append(
                Reported(
                    Create(pod_from_template(rs, pod_name)),
                    _event(rs, "SuccessfulCreate", f"Created pod: {pod_name}"),
                    _create_failed(rs),
                )
            )
    elif diff > 0:
        related = _indirectly_related_pods(snapshot, rs)
        for pod in pods_to_delete(filtered, related, min(diff, BURST_REPLICAS), now):
            m = pod["metadata"]
            changes.append(
                Reported(
                    Delete("pods", m["namespace"], m["name"], uid=m["uid"]),
                    _event(rs, "SuccessfulDelete", f"Deleted pod: {m['name']}"),
                    # a pod already gone is no failure (controller_utils DeletePod)
                    lambda reason, message: (
                        None
                        if reason == "NotFound"
                        else _event(rs, "FailedDelete", f"Error deleting: {message}", "Warning")
                    ),
                )
            )
    return changes


def _generate_name(snapshot: Snapshot, rs: Object, now: float, index: int, taken: set[str]) -> str:
    """The apiserver's generateName, drawn here so the event can name the pod it creates."""
    base = f"{rs['metadata']['name']}-"
    namespace = rs["metadata"]["namespace"]
    attempt = 0
    while True:
        # the tick, not the time, so that a seeded cluster draws the same names on every run
        tick = snapshot.runtime("clock").get("tick", now)
        rng = meta.rng_for(snapshot.seed, "replicaset", rs["metadata"]["uid"], tick, index, attempt)
        candidate = meta.generate_name(base, rng)
        if f"{namespace}/{candidate}" not in taken and not snapshot.get(
            "pods", namespace, candidate
        ):
            taken.add(f"{namespace}/{candidate}")
            return candidate
        attempt += 1


def _indirectly_related_pods(snapshot: Snapshot, rs: Object) -> list[Object]:
    """Pods of every replica set with the same controller as `rs` (getIndirectlyRelatedPods)."""
    owner = meta.controller_ref(rs)
    namespace = rs["metadata"]["namespace"]
    if owner is None:
        related_sets = [rs]
    else:
        related_sets = [
            other
            for other in snapshot.list(RESOURCE, namespace)
            if (meta.controller_ref(other) or {}).get("uid") == owner.get("uid")
        ]
    seen: set[str] = set()
    related: list[Object] = []
    for other in related_sets:
        selector = selectors.from_label_selector(other["spec"].get("selector"))
        for pod in snapshot.selecting("pods", namespace, selector):
            uid = pod["metadata"]["uid"]
            if uid not in seen:
                seen.add(uid)
                related.append(pod)
    return related


def calculate_status(rs: Object, filtered: list[Object], now: float) -> Object:
    """The counts of the active pods found this sync (calculateStatus, updateReplicaSetStatus);
    zero counts other than replicas are omitted, as the JSON tags say."""
    template_labels = selectors.from_labels(
        ((rs["spec"].get("template") or {}).get("metadata") or {}).get("labels")
    )
    min_ready = int(rs["spec"].get("minReadySeconds", 0))
    fully_labeled = sum(1 for p in filtered if template_labels.matches(meta.labels_of(p)))
    ready = [p for p in filtered if is_pod_ready(p)]
    available = sum(1 for p in ready if is_pod_available(p, min_ready, now))
    status: Object = {"replicas": len(filtered)}
    for field, value in (
        ("fullyLabeledReplicas", fully_labeled),
        ("readyReplicas", len(ready)),
        ("availableReplicas", available),
        ("observedGeneration", int(rs["metadata"].get("generation", 1))),
    ):
        if value:
            status[field] = value
    conditions = (rs.get("status") or {}).get("conditions")
    if conditions:
        status["conditions"] = conditions
    return status


def _event(rs: Object, reason: str, message: str, type_: str = "Normal") -> RecordEvent:
    return RecordEvent(rs, type_, reason, message, COMPONENT)


def _create_failed(rs: Object) -> Callable[[str, str], RecordEvent | None]:
    """CreatePods' Warning, except in a namespace being deleted (NamespaceTerminatingCause)."""

    def event(reason: str, message: str) -> RecordEvent | None:
        if reason == "Forbidden" and "because it is being terminated" in message:
            return None
        return _event(rs, "FailedCreate", f"Error creating: {message}", "Warning")

    return event
