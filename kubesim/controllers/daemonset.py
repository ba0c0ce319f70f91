"""The DaemonSet controller: a daemon pod on every node that should run one, as
pkg/controller/daemon/daemon_controller.go and update.go.

A sync claims the set's pods and groups them by node, settles the set's ControllerRevisions
(the current one carries the hash its pods are labelled with), then `manage`s each node: a
node that should run a pod and has none gets one (pinned to it by node affinity, for the
scheduler to bind), a node that should not has its pods deleted, a failed pod is deleted to be
replaced, extra pods beyond the oldest go. When that left nothing to do, a RollingUpdate
replaces old pods within maxUnavailable (deleting first) or maxSurge (creating first);
OnDelete waits for the user to delete them. Old revisions beyond revisionHistoryLimit go, and
the status counts what the sync found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
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
    Update,
    UpdateStatus,
    retried_as,
)
from kubesim.controllers.daemonset_utils import (
    REVISION_LABEL,
    allows_surge,
    by_creation_and_phase,
    create_pod_template,
    is_pod_updated,
    node_should_run_daemon_pod,
    replace_node_name_affinity,
    surge_count,
    target_node_name,
    template_generation,
    unavailable_count,
)
from kubesim.controllers.deployment_utils import compute_hash
from kubesim.controllers.replicaset_utils import (
    BURST_REPLICAS,
    claim_objects,
    is_pod_available,
    is_pod_ready,
    pod_from_template,
    ready_condition,
)
from kubesim.controllers.snapshot import Snapshot
from kubesim.controllers.statefulset_utils import next_revision, revision_data

Object = dict[str, Any]
COMPONENT = "daemonset-controller"
RESOURCE = "daemonsets.apps"
REVISIONS = "controllerrevisions.apps"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the daemon sets named by `keys` (every one when None), in key order."""
    keys = sorted(keys) if keys is not None else all_keys(snapshot)
    nodes: list[Object] | None = None
    changes: list[Change] = []
    taken: set[str] = set()
    for key in keys:
        namespace, name = queue.split_key(key)
        ds = snapshot.get(RESOURCE, namespace, name)
        if ds is None:
            continue
        if nodes is None:
            nodes = snapshot.list("nodes")
        changes += retried_as(key, sync(snapshot, ds, nodes, now, taken))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list(RESOURCE)))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """addDaemonset/updateDaemonset; addPod/updatePod/deletePod (the pod's controller, or the
    sets that may adopt an orphan); addHistory/updateHistory/deleteHistory likewise; and a
    node added, changed or gone, which may change where every set runs (addNode, updateNode)."""
    if event.resource == RESOURCE:
        return (event.key,)
    if event.resource == "nodes":
        return all_keys(snapshot)
    return queue.owner_keys(snapshot, event, "DaemonSet", RESOURCE)


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE, "pods", "nodes", REVISIONS),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


@dataclass
class _Sync:
    """One sync of one daemon set: what it found and what it asks for."""

    snapshot: Snapshot
    ds: Object
    nodes: list[Object]
    now: float
    taken: set[str]
    node_pods: dict[str, list[Object]] = field(default_factory=dict)
    changes: list[Change] = field(default_factory=list)
    requests: int = 0  # creates and deletes asked for (the expectations of this sync)

    def event(self, reason: str, message: str, type_: str = "Normal") -> RecordEvent:
        return RecordEvent(self.ds, type_, reason, message, COMPONENT)


def sync(
    snapshot: Snapshot,
    ds: Object,
    nodes: list[Object],
    now: float,
    taken: set[str] | None = None,
) -> list[Change]:
    """One pass of syncDaemonSet over one daemon set."""
    state = _Sync(snapshot, ds, nodes, now, set() if taken is None else taken)
    if meta.is_terminating(ds):
        return []
    pods = _claim_pods(state)
    state.node_pods = nodes_to_daemon_pods(pods)
    current, old = _construct_history(state)
    hash_ = str((current["metadata"].get("labels") or {}).get(REVISION_LABEL, ""))
    manage(state, hash_)
    if state.requests == 0:  # SatisfiedExpectations: the rollout waits for manage's requests
        strategy = (ds["spec"].get("updateStrategy") or {}).get("type")
        if strategy == "RollingUpdate":
            rolling_update(state, hash_)
    _cleanup_history(state, old)
    status = calculate_status(ds, nodes, state.node_pods, hash_, now)
    changes = state.changes
    if status != (ds.get("status") or {}):
        changes.append(UpdateStatus({**ds, "status": status}))
    return changes + _requeue_for_availability(ds, status, pods, now)


def _claim_pods(state: _Sync) -> list[Object]:
    """ClaimPods: the pods it controls and the orphans its selector matches."""
    selector = selectors.from_label_selector(state.ds["spec"].get("selector"))
    candidates = queue.claim_candidates(state.snapshot, "pods", state.ds)
    claimed, changes = claim_objects(state.ds, candidates, selector)
    state.changes += changes
    return claimed


def nodes_to_daemon_pods(pods: list[Object]) -> dict[str, list[Object]]:
    """getNodesToDaemonPods: the claimed pods by the node they run on or are meant for; a
    finished pod being deleted has nothing more to do with the set."""
    by_node: dict[str, list[Object]] = {}
    for pod in pods:
        phase = (pod.get("status") or {}).get("phase")
        if meta.is_terminating(pod) and phase in ("Succeeded", "Failed"):
            continue
        node = target_node_name(pod)
        if node is not None:
            by_node.setdefault(node, []).append(pod)
    return by_node


# --- history (constructHistory, snapshot, cleanupHistory) ---------------------------------------


def _construct_history(state: _Sync) -> tuple[Object, list[Object]]:
    """(the current revision, the old ones): the revision whose data is the set's template
    now, created if none is, renumbered to the newest if an older one is (a rollback)."""
    ds = state.ds
    selector = selectors.from_label_selector(ds["spec"].get("selector"))
    candidates = queue.claim_candidates(state.snapshot, REVISIONS, ds)
    histories, changes = claim_objects(ds, candidates, selector)
    state.changes += changes
    wanted = meta.without_null_stamps(revision_data(ds))
    current = [h for h in histories if meta.without_null_stamps(h.get("data")) == wanted]
    old = [h for h in histories if h not in current]
    revision = next_revision(old)
    if not current:
        return _snapshot(state, revision), old
    current.sort(key=lambda h: (int(h.get("revision", 0)), h["metadata"]["name"]))
    cur = current[-1]
    old += current[:-1]  # dedupCurHistories keeps the newest of equal revisions
    for duplicate in current[:-1]:
        m = duplicate["metadata"]
        state.changes.append(Delete(REVISIONS, m["namespace"], m["name"], uid=m["uid"]))
    if int(cur.get("revision", 0)) < revision:
        bumped = meta.clone(cur)
        bumped["revision"] = revision
        state.changes.append(Update(bumped))
        cur = bumped
    return cur, old


def _snapshot(state: _Sync, revision: int) -> Object:
    """A ControllerRevision of the set's template: `<set>-<hash>`, labelled with the hash."""
    ds = state.ds
    collision_count = (ds.get("status") or {}).get("collisionCount")
    hash_ = compute_hash(ds["spec"]["template"], collision_count)
    labels = dict((ds["spec"]["template"].get("metadata") or {}).get("labels") or {})
    labels[REVISION_LABEL] = hash_
    metadata: Object = {
        "name": f"{ds['metadata']['name']}-{hash_}",
        "namespace": ds["metadata"]["namespace"],
        "labels": labels,
        "ownerReferences": [meta.owner_reference(ds)],
    }
    if ds["metadata"].get("annotations"):
        metadata["annotations"] = dict(ds["metadata"]["annotations"])
    history = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": metadata,
        "data": revision_data(ds),
        "revision": revision,
    }
    state.changes.append(Create(history))
    return history


def _cleanup_history(state: _Sync, old: list[Object]) -> None:
    """Delete the oldest revisions beyond revisionHistoryLimit that no pod runs."""
    limit = int(state.ds["spec"].get("revisionHistoryLimit", 10))
    to_kill = len(old) - limit
    if to_kill <= 0:
        return
    live = {
        (p["metadata"].get("labels") or {}).get(REVISION_LABEL)
        for pods in state.node_pods.values()
        for p in pods
    }
    for history in sorted(old, key=lambda h: int(h.get("revision", 0))):
        if to_kill <= 0:
            break
        if (history["metadata"].get("labels") or {}).get(REVISION_LABEL) in live:
            continue
        m = history["metadata"]
        state.changes.append(Delete(REVISIONS, m["namespace"], m["name"], uid=m["uid"]))
        to_kill -= 1


# --- manage (manage, podsShouldBeOnNode, syncNodes) ----------------------------------------------


def manage(state: _Sync, hash_: str) -> None:
    """Create the missing daemon pods and delete those that should not run."""
    needing: list[str] = []
    to_delete: list[Object] = []
    for node in sorted(state.nodes, key=lambda n: n["metadata"]["name"]):
        name = node["metadata"]["name"]
        should_run, should_continue = node_should_run_daemon_pod(node, state.ds)
        pods = state.node_pods.get(name, [])
        if should_run and not pods:
            needing.append(name)
        elif should_continue:
            running = []
            for pod in pods:
                if meta.is_terminating(pod):
                    continue
                phase = (pod.get("status") or {}).get("phase")
                if phase == "Failed":
                    m = pod["metadata"]
                    state.changes.append(
                        state.event(
                            "FailedDaemonPod",
                            f"Found failed daemon pod {m['namespace']}/{m['name']} on node "
                            f"{name}, will try to kill it",
                            "Warning",
                        )
                    )
                    to_delete.append(pod)
                elif phase == "Succeeded":
                    to_delete.append(pod)
                else:
                    running.append(pod)
            to_delete += _excess(state, running, should_run, name, hash_, needing)
        elif pods:
            to_delete += [p for p in pods if not meta.is_terminating(p)]
    sync_nodes(state, to_delete, needing, hash_)


def _excess(
    state: _Sync,
    running: list[Object],
    should_run: bool,
    node: str,
    hash_: str,
    needing: list[str],
) -> list[Object]:
    """The running pods a node keeps too many of: all but the oldest; when surging, an old
    and a new pod may stand together while the new one is not yet ready."""
    ordered = by_creation_and_phase(running)
    if not allows_surge(state.ds):
        return ordered[1:]
    if len(ordered) <= 1:
        if not ordered and should_run:
            needing.append(node)
        return []
    generation = template_generation(state.ds)
    new = [p for p in ordered if is_pod_updated(p, hash_, generation)]
    old = [p for p in ordered if not is_pod_updated(p, hash_, generation)]
    keep = []
    if new:
        keep.append(new[0])
    if old and (not new or (not is_pod_ready(new[0]) and is_pod_ready(old[0]))):
        keep.append(old[0])
    return [p for p in ordered if p not in keep]


def sync_nodes(state: _Sync, to_delete: list[Object], nodes: list[str], hash_: str) -> None:
    """syncNodes: a pod for each node in `nodes`, pinned to it, and the deletions."""
    ds = state.ds
    generation = template_generation(ds)
    template = create_pod_template(ds, generation, hash_)
    for i, node in enumerate(nodes[:BURST_REPLICAS]):
        pod_template = meta.clone(template)
        replace_node_name_affinity(pod_template.setdefault("spec", {}), node)
        owner = {**ds, "spec": {**ds["spec"], "template": pod_template}}
        name = _generate_name(state, i)
        state.changes.append(
            Reported(
                Create(pod_from_template(owner, name)),
                state.event("SuccessfulCreate", f"Created pod: {name}"),
                _create_failed(state),
            )
        )
        state.requests += 1
    for pod in to_delete[:BURST_REPLICAS]:
        m = pod["metadata"]
        state.changes.append(
            Reported(
                Delete("pods", m["namespace"], m["name"], uid=m["uid"]),
                state.event("SuccessfulDelete", f"Deleted pod: {m['name']}"),
                lambda reason, message: (
                    None
                    if reason == "NotFound"
                    else state.event("FailedDelete", f"Error deleting: {message}", "Warning")
                ),
            )
        )
        state.requests += 1


def _generate_name(state: _Sync, index: int) -> str:
    """The apiserver's generateName for `<set>-`, drawn here so the event names the pod."""
    ds = state.ds
    namespace = ds["metadata"]["namespace"]
    tick = state.snapshot.runtime("clock").get("tick", state.now)
    attempt = 0
    while True:
        rng = meta.rng_for(
            state.snapshot.seed, "daemonset", ds["metadata"]["uid"], tick, index, attempt
        )
        candidate = meta.generate_name(f"{ds['metadata']['name']}-", rng)
        key = f"{namespace}/{candidate}"
        if key not in state.taken and state.snapshot.get("pods", namespace, candidate) is None:
            state.taken.add(key)
            return candidate
        attempt += 1


def _create_failed(state: _Sync) -> Callable[[str, str], RecordEvent | None]:
    def event(reason: str, message: str) -> RecordEvent | None:
        if reason == "Forbidden" and "because it is being terminated" in message:
            return None
        return state.event("FailedCreate", f"Error creating: {message}", "Warning")

    return event


# --- rolling update (update.go rollingUpdate) ---------------------------------------------------


def _updated_pods_on_node(
    pods: list[Object], hash_: str, generation: int | None
) -> tuple[Object | None, Object | None, bool]:
    """findUpdatedPodsOnNode: (new pod, old pod, ok) among the pods not being deleted; not ok
    when there are several of either."""
    new: Object | None = None
    old: Object | None = None
    for pod in pods:
        if meta.is_terminating(pod):
            continue
        if is_pod_updated(pod, hash_, generation):
            if new is not None:
                return None, None, False
            new = pod
        else:
            if old is not None:
                return None, None, False
            old = pod
    return new, old, True


def rolling_update(state: _Sync, hash_: str) -> None:
    """Replace old pods: within maxUnavailable by deleting first (maxSurge 0), or within
    maxSurge by creating the new pod first and deleting the old one once it is available."""
    ds, now = state.ds, state.now
    min_ready = int(ds["spec"].get("minReadySeconds", 0))
    generation = template_generation(ds)
    node_pods = {name: list(pods) for name, pods in state.node_pods.items()}
    nodes = {n["metadata"]["name"]: n for n in state.nodes}
    desired = 0
    for name, node in nodes.items():
        if node_should_run_daemon_pod(node, ds)[0]:
            desired += 1
            node_pods.setdefault(name, [])
    max_surge, max_unavailable = surge_count(ds, desired), unavailable_count(ds, desired)
    if desired > 0 and max_surge == 0 and max_unavailable == 0:
        max_unavailable = 1

    def available(pod: Object) -> bool:
        return is_pod_available(pod, min_ready, now)

    if max_surge == 0:
        unavailable = 0
        replacements: list[Object] = []
        candidates: list[Object] = []
        for name in sorted(node_pods):
            new, old, ok = _updated_pods_on_node(node_pods[name], hash_, generation)
            if not ok or (old is None) == (new is None):
                unavailable += 1  # the manage loop makes or prunes this node's pods
            elif new is not None:
                unavailable += 0 if available(new) else 1
            elif old is not None and not available(old):
                replacements.append(old)
                unavailable += 1
            elif old is not None and unavailable < max_unavailable:
                candidates.append(old)
        remaining = min(max(max_unavailable - unavailable, 0), len(candidates))
        sync_nodes(state, replacements + candidates[:remaining], [], hash_)
        return

    to_delete: list[Object] = []
    should_not_run: list[Object] = []
    candidate_nodes: list[str] = []
    allowed_nodes: list[str] = []
    surging = 0
    available_count = 0
    for name in sorted(node_pods):
        new, old, ok = _updated_pods_on_node(node_pods[name], hash_, generation)
        if not ok:
            surging += 1
            continue
        if old is not None:
            available_count += 1 if available(old) else 0
        elif new is not None:
            available_count += 1 if available(new) else 0
        if old is None:
            continue
        target = nodes.get(name)
        should_run = target is not None and node_should_run_daemon_pod(target, ds)[0]
        if new is None:
            if not available(old):
                if not should_run:
                    to_delete.append(old)
                    continue
                allowed_nodes.append(name)
            elif not should_run:
                should_not_run.append(old)
            elif surging < max_surge:
                candidate_nodes.append(name)
        elif not available(new):
            surging += 1
        else:
            to_delete.append(old)
    deletable = available_count - desired
    if deletable > 0:
        to_delete += should_not_run[: min(deletable, len(should_not_run))]
    remaining = min(max(max_surge - surging, 0), len(candidate_nodes))
    sync_nodes(state, to_delete, allowed_nodes + candidate_nodes[:remaining], hash_)


# --- status (updateDaemonSetStatus) -------------------------------------------------------------


def calculate_status(
    ds: Object,
    nodes: list[Object],
    node_pods: dict[str, list[Object]],
    hash_: str,
    now: float,
) -> Object:
    """The counts of the nodes that should run a pod and of the pods found on them; the
    always-serialized counts first, the omitempty ones only when not zero."""
    min_ready = int(ds["spec"].get("minReadySeconds", 0))
    generation = template_generation(ds)
    desired = current = misscheduled = ready = available = updated = 0
    for node in nodes:
        should_run, _ = node_should_run_daemon_pod(node, ds)
        pods = node_pods.get(node["metadata"]["name"]) or []
        if should_run:
            desired += 1
            if not pods:
                continue
            current += 1
            pod = by_creation_and_phase(pods)[0]
            if is_pod_ready(pod):
                ready += 1
                if is_pod_available(pod, min_ready, now):
                    available += 1
            if is_pod_updated(pod, hash_, generation):
                updated += 1
        elif pods:
            misscheduled += 1
    previous: Object = ds.get("status") or {}
    status: Object = {
        "currentNumberScheduled": current,
        "desiredNumberScheduled": desired,
        "numberMisscheduled": misscheduled,
        "numberReady": ready,
    }
    for key, value in (
        ("observedGeneration", int(ds["metadata"].get("generation", 1))),
        ("updatedNumberScheduled", updated),
        ("numberAvailable", available),
        ("numberUnavailable", desired - available),
        ("collisionCount", previous.get("collisionCount")),
    ):
        if value:
            status[key] = value
    if previous.get("conditions"):
        status["conditions"] = previous["conditions"]
    return status


def _requeue_for_availability(
    ds: Object, status: Object, pods: list[Object], now: float
) -> list[Change]:
    """A ready pod becomes available after minReadySeconds: sync again then."""
    min_ready = int(ds["spec"].get("minReadySeconds", 0))
    if min_ready <= 0:
        return []
    pending = [
        meta.parse_time(str(since)) + min_ready
        for pod in pods
        if is_pod_ready(pod) and not is_pod_available(pod, min_ready, now)
        for since in [(ready_condition(pod) or {}).get("lastTransitionTime")]
        if since
    ]
    if not pending:
        return []
    m = ds["metadata"]
    return [Requeue(f"{m['namespace']}/{m['name']}", min(pending))]
