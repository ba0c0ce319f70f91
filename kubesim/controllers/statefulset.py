"""The StatefulSet controller: one sync per set per tick, as stateful_set_control.go.

`reconcile` returns the changes one pass of the real controller would make: claim pods,
settle revisions, fill missing ordinals, wait on the first unhealthy pod (OrderedReady),
delete condemned pods from the highest ordinal, then roll pods to the update revision.
Alongside, it records in words what the set is waiting for (`kubesim why`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from kubesim.api import meta, selectors
from kubesim.controllers import queue
from kubesim.controllers import statefulset_storage as storage
from kubesim.controllers.changes import (
    Change,
    Create,
    Delete,
    RecordEvent,
    Reported,
    Requeue,
    SetRuntime,
    Update,
    UpdateStatus,
    retried_as,
)
from kubesim.controllers.snapshot import Snapshot
from kubesim.controllers.statefulset_utils import (
    REVISION_LABEL,
    apply_revision,
    get_ordinal,
    get_parent_name_and_ordinal,
    get_pod_revision,
    get_start_ordinal,
    identity_matches,
    is_created,
    is_failed,
    is_healthy,
    is_member_of,
    is_running_and_available,
    is_running_and_ready,
    is_succeeded,
    is_terminating,
    new_revision,
    new_statefulset_pod,
    next_revision,
    pod_in_ordinal_range,
    ready_condition,
    update_identity,
)

Object = dict[str, Any]
COMPONENT = "statefulset-controller"
RESOURCE = "statefulsets.apps"
EXPLAIN_SECTION = "explain"


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the sets named by `keys` (every one when None), in key order."""
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        namespace, name = queue.split_key(key)
        sts = snapshot.get(RESOURCE, namespace, name)
        if sts is not None:
            changes += retried_as(key, sync(snapshot, sts, now))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    return list(queue.keys_of(snapshot.list(RESOURCE)))


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """The set's own changes; its pods' (addPod, updatePod, deletePod: the controller, or the
    sets that may adopt an orphan); and a deleted pod whose name is a set's own, which may
    have stood in the way of the pod the set creates under that name."""
    if event.resource == RESOURCE:
        return (event.key,)
    keys = queue.owner_keys(snapshot, event, "StatefulSet", RESOURCE)
    if event.type == "DELETED" and meta.controller_ref(event.new) is None:
        parent, _ = get_parent_name_and_ordinal(event.new)
        if parent:
            keys.add(f"{event.namespace}/{parent}")
    return keys


@dataclass
class _Sync:
    """The working state of one sync: the set, what it asked for, and why it stopped."""

    snapshot: Snapshot
    sts: Object
    now: float
    changes: list[Change] = field(default_factory=list)
    waiting: str = ""

    def record(self, reason: str, message: str, type_: str = "Normal") -> RecordEvent:
        return RecordEvent(self.sts, type_, reason, message, COMPONENT)

    def event(self, reason: str, message: str, type_: str = "Normal") -> None:
        self.changes.append(self.record(reason, message, type_))

    def create_pod(self, pod: Object) -> bool:
        """The pod's claims, then the pod (CreateStatefulPod); False if a claim blocks it."""
        name, set_name = pod["metadata"]["name"], self.sts["metadata"]["name"]
        claims, problem = storage.missing_claims(self.snapshot, self.sts, pod)
        if problem:
            message = f"create Pod {name} in StatefulSet {set_name} failed error: {problem}"
            self.event("FailedCreate", message, "Warning")
            self.waiting = f"{name} waits: {problem}"
            return False
        for claim in claims:
            claim_name = claim["metadata"]["name"]
            # an existing claim is no failure (createPersistentVolumeClaims, recordClaimEvent)
            claim_failed = self.failure(
                f"create Claim {claim_name} for Pod {name} in StatefulSet {set_name} failed"
            )
            success = f"create Claim {claim_name} Pod {name} in StatefulSet {set_name} success"
            self.changes.append(
                Reported(Create(claim), self.record("SuccessfulCreate", success), claim_failed)
            )
        # a pod of that name that is not the set's is an error the controller sinks silently
        self.changes.append(
            Reported(
                Create(pod),
                self.record(
                    "SuccessfulCreate", f"create Pod {name} in StatefulSet {set_name} successful"
                ),
                self.failure(f"create Pod {name} in StatefulSet {set_name} failed"),
            )
        )
        self.changes += storage.retention_updates(self.snapshot, self.sts, pod)
        return True

    def failure(self, what: str) -> Callable[[str, str], RecordEvent | None]:
        """recordPodEvent's Warning for a refused request; AlreadyExists is sunk."""

        def event(reason: str, message: str) -> RecordEvent | None:
            if reason == "AlreadyExists":
                return None
            return self.record("FailedCreate", f"{what} error: {message}", "Warning")

        return event

    def delete_pod(self, pod: Object) -> None:
        m = pod["metadata"]
        what = f"delete Pod {m['name']} in StatefulSet {self.sts['metadata']['name']}"
        self.changes.append(
            Reported(
                Delete("pods", m["namespace"], m["name"], uid=m["uid"]),
                self.record("SuccessfulDelete", f"{what} successful"),
                lambda _, message: self.record(
                    "FailedDelete", f"{what} failed error: {message}", "Warning"
                ),
            )
        )


def sync(snapshot: Snapshot, sts: Object, now: float) -> list[Change]:
    """One pass of the controller over one StatefulSet."""
    state = _Sync(snapshot, sts, now)
    pods = _claim_pods(snapshot, state)
    revisions = _claim_revisions(snapshot, state)
    current_rev, update_rev, collision_count = _get_revisions(state, revisions)
    status = _update_statefulset(state, pods, current_rev, update_rev, collision_count)
    _update_status(state, status)
    _truncate_history(state, pods, revisions, current_rev, update_rev)
    _record_explanation(snapshot, state)
    return state.changes + _requeue_for_availability(state.sts, pods, now)


def _requeue_for_availability(sts: Object, pods: list[Object], now: float) -> list[Change]:
    """A ready pod counts as available only after minReadySeconds: sync again then."""
    min_ready = int(sts["spec"].get("minReadySeconds", 0))
    if min_ready <= 0:
        return []
    pending = [
        meta.parse_time(str(since)) + min_ready
        for pod in pods
        if is_running_and_ready(pod) and not is_running_and_available(pod, min_ready, now)
        for since in [(ready_condition(pod) or {}).get("lastTransitionTime")]
        if since
    ]
    if not pending:
        return []
    m = sts["metadata"]
    return [Requeue(f"{m['namespace']}/{m['name']}", min(pending))]


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE, "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


# --- claiming pods and revisions (ClaimPods / ClaimControllerRevisions) --------------------------


def _claim(snapshot: Snapshot, state: _Sync, candidates: list[Object], member: Any) -> list[Object]:
    sts = state.sts
    uid = sts["metadata"]["uid"]
    selector = selectors.from_label_selector(sts["spec"].get("selector"))
    deleting = meta.is_terminating(sts)
    claimed: list[Object] = []
    for obj in candidates:
        ref = meta.controller_ref(obj)
        matches = selector.matches(meta.labels_of(obj)) and member(obj)
        if ref is not None:
            if ref.get("uid") != uid:
                continue
            if matches:
                claimed.append(obj)
            elif not deleting:
                released = meta.clone(obj)
                released["metadata"]["ownerReferences"] = [
                    r for r in obj["metadata"]["ownerReferences"] if r.get("uid") != uid
                ]
                state.changes.append(Update(released))
            continue
        if deleting or not matches or meta.is_terminating(obj):
            continue
        adopted = meta.clone(obj)
        adopted["metadata"].setdefault("ownerReferences", []).append(meta.owner_reference(sts))
        state.changes.append(Update(adopted))
        claimed.append(adopted)
    return claimed


def _candidates(snapshot: Snapshot, state: _Sync, resource: str) -> list[Object]:
    """What the set may own: what it controls already, and the orphans of its namespace (the
    informer's index, rather than every object of the namespace)."""
    m = state.sts["metadata"]
    owned = snapshot.controlled_by(m["uid"], resource)
    return [*owned, *snapshot.orphans(resource, m["namespace"])]


def _claim_pods(snapshot: Snapshot, state: _Sync) -> list[Object]:
    candidates = _candidates(snapshot, state, "pods")
    return _claim(snapshot, state, candidates, lambda p: is_member_of(state.sts, p))


def _claim_revisions(snapshot: Snapshot, state: _Sync) -> list[Object]:
    candidates = _candidates(snapshot, state, "controllerrevisions.apps")
    revisions = _claim(snapshot, state, candidates, lambda r: True)
    return sorted(revisions, key=lambda r: (int(r.get("revision", 0)), r["metadata"]["name"]))


def _get_revisions(state: _Sync, revisions: list[Object]) -> tuple[Object, Object, int]:
    """The current and update revisions, creating or re-numbering one as needed."""
    sts = state.sts
    status = sts.get("status") or {}
    collision_count = int(status.get("collisionCount") or 0)
    update = new_revision(sts, next_revision(revisions), collision_count)
    # Semantic.DeepEqual: a revision stored before templates carried their null creation
    # timestamp is the same revision
    equal = [r for r in revisions if r["data"] == update["data"]]
    if not equal and revisions:
        wanted = meta.without_null_stamps(update["data"])
        equal = [r for r in revisions if meta.without_null_stamps(r["data"]) == wanted]
    if equal and revisions[-1] is equal[-1]:
        update = revisions[-1]  # the template has not changed
    elif equal:
        # a rollback: the older equal revision becomes the newest by number
        bumped = meta.clone(equal[-1])
        bumped["revision"] = update["revision"]
        state.changes.append(Update(bumped))
        update = bumped
    else:
        state.changes.append(Create(update))
    current = next(
        (r for r in revisions if r["metadata"]["name"] == status.get("currentRevision")), update
    )
    return current, update, collision_count


# --- the algorithm (updateStatefulSet) ------------------------------------------------------------


class _Replicas(Sequence[Object]):
    """The set's pods by ordinal, the missing ones built as they are looked at: a set scaled to
    thousands wants that many pods, and OrderedReady creates them one at a time."""

    def __init__(self, existing: list[Object | None], build: Callable[[int], Object]) -> None:
        self._pods = existing
        self._build = build

    def __len__(self) -> int:
        return len(self._pods)

    @overload
    def __getitem__(self, i: int) -> Object: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[Object]: ...
    def __getitem__(self, i: int | slice) -> Object | Sequence[Object]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        pod = self._pods[i]
        if pod is None:
            pod = self._pods[i] = self._build(i)
        return pod

    def built(self) -> list[Object]:
        return [p for p in self._pods if p is not None]


def _update_statefulset(
    state: _Sync, pods: list[Object], current_rev: Object, update_rev: Object, collision_count: int
) -> Object:
    sts, now = state.sts, state.now
    current_set = apply_revision(sts, current_rev)
    update_set = apply_revision(sts, update_rev)
    min_ready = int(sts["spec"].get("minReadySeconds", 0))
    current_name, update_name = current_rev["metadata"]["name"], update_rev["metadata"]["name"]
    status: Object = {
        "observedGeneration": sts["metadata"].get("generation", 1),
        "currentRevision": current_name,
        "updateRevision": update_name,
        "collisionCount": collision_count,
    }
    status.update(compute_replica_status(pods, min_ready, current_name, update_name, now))

    start = get_start_ordinal(sts)
    existing: list[Object | None] = [None] * int(sts["spec"].get("replicas", 1))
    condemned: list[Object] = []
    for pod in pods:
        if pod_in_ordinal_range(pod, sts):
            existing[get_ordinal(pod) - start] = pod
        elif get_ordinal(pod) >= 0:
            condemned.append(pod)
    filled = _Replicas(
        existing,
        lambda i: _new_versioned_pod(current_set, update_set, current_name, update_name, start + i),
    )
    condemned.sort(key=get_ordinal, reverse=True)

    first_unhealthy = next((p for p in filled if not is_healthy(p)), None)
    if first_unhealthy is None:
        first_unhealthy = next((p for p in reversed(condemned) if not is_healthy(p)), None)

    def finish() -> Object:
        # a pod not built yet is not created either, so it counts for nothing
        built = [*filled.built(), *condemned]
        status.update(compute_replica_status(built, min_ready, current_name, update_name, now))
        return status

    if meta.is_terminating(sts):
        return finish()

    monotonic = sts["spec"].get("podManagementPolicy") != "Parallel"
    for i in range(len(filled)):
        if _process_replica(state, update_set, monotonic, filled, i) and monotonic:
            return finish()

    for pod in condemned:  # claims of pods about to go follow the whenScaled policy
        state.changes += storage.retention_updates(state.snapshot, state.sts, pod)
    for i in range(len(condemned)):
        if _process_condemned(state, first_unhealthy, monotonic, condemned, i) and monotonic:
            return finish()
    finish()

    strategy = sts["spec"].get("updateStrategy") or {}
    if strategy.get("type") == "OnDelete":
        return status
    rolling = strategy.get("rollingUpdate") or {}
    partition = int(rolling.get("partition", 0))
    if rolling.get("maxUnavailable") is not None:
        return _update_with_max_unavailable(state, filled, update_name, status)
    # replace the highest ordinal that is not at the update revision, one at a time
    for target in range(len(filled) - 1, partition - 1, -1):
        pod = filled[target]
        if get_pod_revision(pod) != update_name and not is_terminating(pod):
            state.delete_pod(pod)
            state.waiting = (
                f"{pod['metadata']['name']} is being replaced with revision {update_name} "
                "(RollingUpdate)"
            )
            status["currentReplicas"] = status.get("currentReplicas", 0) - 1
            return status
        if not is_healthy(pod):
            state.waiting = (
                f"rolling update waits for {pod['metadata']['name']} to be Running and Ready"
            )
            return status
    return status


def _update_with_max_unavailable(
    state: _Sync, replicas: Sequence[Object], update_name: str, status: Object
) -> Object:
    """updateStatefulSetAfterInvariantEstablished: replace up to maxUnavailable pods at once.

    kubesim takes this path when maxUnavailable is set, as the MaxUnavailableStatefulSet gate
    (alpha in v1.32, off by default there) would.
    """
    rolling = state.sts["spec"]["updateStrategy"]["rollingUpdate"]
    partition = int(rolling.get("partition", 0))
    allowed = max_unavailable(rolling.get("maxUnavailable"), len(replicas))
    unavailable = sum(1 for pod in replicas if not is_healthy(pod))
    if unavailable >= allowed:
        state.waiting = (
            f"rolling update waits: {unavailable} pods unavailable, maxUnavailable is {allowed}"
        )
        return status
    deleted = 0
    for target in range(len(replicas) - 1, partition - 1, -1):
        if deleted >= allowed - unavailable:
            break
        pod = replicas[target]
        if get_pod_revision(pod) != update_name and not is_terminating(pod):
            state.delete_pod(pod)
            deleted += 1
            status["currentReplicas"] = status.get("currentReplicas", 0) - 1
    return status


def max_unavailable(value: object, replicas: int) -> int:
    """getStatefulSetMaxUnavailable: an int, or a percentage of replicas rounded down; >= 1."""
    if isinstance(value, str) and value.endswith("%"):
        try:
            scaled = int(replicas * int(value[:-1]) / 100)
        except ValueError:
            scaled = 1
    else:
        try:
            scaled = int(str(value))
        except ValueError:
            scaled = 1
    return max(scaled, 1)


def _new_versioned_pod(
    current_set: Object, update_set: Object, current_name: str, update_name: str, ordinal: int
) -> Object:
    """Pods below the partition keep the current revision (newVersionedStatefulSetPod)."""
    strategy = current_set["spec"].get("updateStrategy") or {}
    rolling = strategy.get("rollingUpdate")
    start = get_start_ordinal(current_set)
    if strategy.get("type") == "RollingUpdate" and (
        (
            rolling is None
            and ordinal < start + int((current_set.get("status") or {}).get("currentReplicas", 0))
        )
        or (rolling is not None and ordinal < start + int(rolling.get("partition", 0)))
    ):
        pod = new_statefulset_pod(current_set, ordinal)
        pod["metadata"]["labels"][REVISION_LABEL] = current_name
        return pod
    pod = new_statefulset_pod(update_set, ordinal)
    pod["metadata"]["labels"][REVISION_LABEL] = update_name
    return pod


def _process_replica(
    state: _Sync, update_set: Object, monotonic: bool, replicas: Sequence[Object], i: int
) -> bool:
    """processReplica: True when this sync must stop here (in OrderedReady)."""
    pod = replicas[i]
    name = pod["metadata"]["name"]
    if is_failed(pod) or is_succeeded(pod):
        # a finished pod is deleted and created again, with the same name, once it is gone
        if not is_terminating(pod):
            state.delete_pod(pod)
        state.waiting = f"{name} has finished ({pod['status']['phase']}) and will be recreated"
        return True
    if not is_created(pod):
        if not state.create_pod(pod):
            return True
        squatter = state.snapshot.get("pods", pod["metadata"]["namespace"], name)
        if squatter is not None:
            # the create fails with AlreadyExists, which the controller sinks, every sync
            state.waiting = (
                f"a pod named {name} exists that is not the set's (its labels do not match the "
                "selector, or it has another owner), so the set cannot create its own"
            )
            return monotonic
        if monotonic:
            following = replicas[i + 1]["metadata"]["name"] if i + 1 < len(replicas) else None
            state.waiting = (
                f"{following} waits for {name} to be Running and Ready (OrderedReady)"
                if following
                else f"{name} was just created; the set waits for it to be Running and Ready"
            )
            return True
        return False
    if (pod.get("status") or {}).get("phase") == "Pending" and not is_terminating(pod):
        # a claim deleted under a pending pod is made again (createMissingPersistentVolumeClaims)
        claims, _ = storage.missing_claims(state.snapshot, state.sts, pod)
        state.changes += [Create(claim) for claim in claims]
    if is_terminating(pod) and monotonic:
        state.waiting = f"{name} is terminating; the set waits for it to be gone (OrderedReady)"
        return True
    if not is_running_and_ready(pod) and monotonic:
        following = replicas[i + 1]["metadata"]["name"] if i + 1 < len(replicas) else None
        if following and not is_created(replicas[i + 1]):
            state.waiting = f"{following} waits for {name} to be Running and Ready (OrderedReady)"
        else:
            state.waiting = f"the set waits for {name} to be Running and Ready (OrderedReady)"
        return True
    min_ready = int(state.sts["spec"].get("minReadySeconds", 0))
    if not is_running_and_available(pod, min_ready, state.now) and monotonic:
        state.waiting = (
            f"the set waits for {name} to be available for minReadySeconds={min_ready} "
            "(OrderedReady)"
        )
        return True
    if not identity_matches(update_set, pod):
        state.changes.append(Update(update_identity(update_set, pod)))
        state.event(
            "SuccessfulUpdate",
            f"update Pod {name} in StatefulSet {state.sts['metadata']['name']} successful",
        )
    state.changes += storage.retention_updates(state.snapshot, state.sts, pod)
    return False


def _process_condemned(
    state: _Sync, first_unhealthy: Object | None, monotonic: bool, condemned: list[Object], i: int
) -> bool:
    """processCondemned: delete ordinals beyond the range, highest first."""
    pod = condemned[i]
    name = pod["metadata"]["name"]
    if is_terminating(pod):
        if monotonic:
            state.waiting = f"scale-down waits for {name} to terminate (OrderedReady)"
        return monotonic
    min_ready = int(state.sts["spec"].get("minReadySeconds", 0))
    unhealthy = not is_running_and_available(pod, min_ready, state.now)
    if unhealthy and monotonic and pod is not first_unhealthy:
        state.waiting = f"scale-down waits for {name} to be Running and Ready (OrderedReady)"
        return True
    state.delete_pod(pod)
    return monotonic


# --- status (computeReplicaStatus, completeRollingUpdate, inconsistentStatus) --------------------


def compute_replica_status(
    pods: list[Object],
    min_ready_seconds: int,
    current_revision: str,
    update_revision: str,
    now: float,
) -> Object:
    """The replica counts of a set's pods."""
    counts = {
        "replicas": 0,
        "readyReplicas": 0,
        "availableReplicas": 0,
        "currentReplicas": 0,
        "updatedReplicas": 0,
    }
    for pod in pods:
        created = is_created(pod)
        if created:
            counts["replicas"] += 1
        if is_running_and_ready(pod):
            counts["readyReplicas"] += 1
            if is_running_and_available(pod, min_ready_seconds, now):
                counts["availableReplicas"] += 1
        if created and not is_terminating(pod):
            revision = get_pod_revision(pod)
            if revision == current_revision:
                counts["currentReplicas"] += 1
            if revision == update_revision:
                counts["updatedReplicas"] += 1
    return counts


def _update_status(state: _Sync, status: Object) -> None:
    sts = state.sts
    if (sts["spec"].get("updateStrategy") or {}).get("type") == "RollingUpdate" and (
        status["updatedReplicas"] == status["replicas"] == status["readyReplicas"]
    ):
        status["currentReplicas"] = status["updatedReplicas"]
        status["currentRevision"] = status["updateRevision"]
    # apps/v1 StatefulSetStatus: replicas and availableReplicas have no omitempty, and the
    # controller always sets the collisionCount pointer
    always = ("replicas", "availableReplicas", "collisionCount")
    serialized = {k: v for k, v in status.items() if v or k in always}
    old = dict(sts.get("status") or {})
    conditions = old.pop("conditions", None)
    if conditions:
        serialized["conditions"] = conditions
        old["conditions"] = conditions
    if serialized != (sts.get("status") or {}):
        state.changes.append(UpdateStatus({**sts, "status": serialized}))


def _truncate_history(
    state: _Sync, pods: list[Object], revisions: list[Object], current: Object, update: Object
) -> None:
    live = {current["metadata"]["name"], update["metadata"]["name"]}
    live.update(get_pod_revision(p) for p in pods)
    history = [r for r in revisions if r["metadata"]["name"] not in live]
    limit = int(state.sts["spec"].get("revisionHistoryLimit", 10))
    for revision in history[: max(0, len(history) - limit)]:
        m = revision["metadata"]
        state.changes.append(
            Delete("controllerrevisions.apps", m["namespace"], m["name"], uid=m["uid"])
        )


def _record_explanation(snapshot: Snapshot, state: _Sync) -> None:
    m = state.sts["metadata"]
    key = f"{m['namespace']}/{m['name']}"
    if snapshot.runtime(EXPLAIN_SECTION).get(key, "") != state.waiting:
        state.changes.append(SetRuntime(EXPLAIN_SECTION, key, state.waiting or None))
