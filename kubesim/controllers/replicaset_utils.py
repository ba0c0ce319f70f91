"""Pure helpers of the ReplicaSet controller: pod predicates and the deletion ranking of
controller_utils.go, the pod built from a template (GetPodFromTemplate), and the claiming
of objects by selector that every controller's ref manager does (ClaimObject)."""

from __future__ import annotations

import functools
import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from kubesim.api import meta, selectors
from kubesim.controllers.changes import Change, Update

Object = dict[str, Any]

POD_DELETION_COST_ANNOTATION = "controller.kubernetes.io/pod-deletion-cost"
BURST_REPLICAS = 500  # replicaset.BurstReplicas: at most this many creates or deletes per sync
_PHASE_ORDINAL = {"Pending": 0, "Unknown": 1, "Running": 2}


def is_pod_active(pod: Mapping[str, Any]) -> bool:
    """Not finished and not being deleted (controller.IsPodActive)."""
    phase = (pod.get("status") or {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not meta.is_terminating(pod)


def filter_active_pods(pods: Sequence[Object]) -> list[Object]:
    return [p for p in pods if is_pod_active(p)]


def ready_condition(pod: Mapping[str, Any]) -> Mapping[str, Any] | None:
    for condition in (pod.get("status") or {}).get("conditions") or ():
        if condition.get("type") == "Ready":
            return condition  # type: ignore[no-any-return]
    return None


def is_pod_ready(pod: Mapping[str, Any]) -> bool:
    """The Ready condition is True (podutil.IsPodReady)."""
    condition = ready_condition(pod)
    return condition is not None and condition.get("status") == "True"


def is_pod_available(pod: Mapping[str, Any], min_ready_seconds: int, now: float) -> bool:
    """Ready for at least minReadySeconds (podutil.IsPodAvailable)."""
    if not is_pod_ready(pod):
        return False
    if min_ready_seconds <= 0:
        return True
    since = (ready_condition(pod) or {}).get("lastTransitionTime")
    return bool(since) and meta.parse_time(str(since)) + min_ready_seconds <= now


def _ready_time(pod: Mapping[str, Any]) -> float | None:
    since = (ready_condition(pod) or {}).get("lastTransitionTime")
    return meta.parse_time(str(since)) if since else None


def _created(pod: Mapping[str, Any]) -> float | None:
    stamp = pod["metadata"].get("creationTimestamp")
    return meta.parse_time(str(stamp)) if stamp else None


def _deletion_cost(pod: Mapping[str, Any]) -> int:
    value = (pod["metadata"].get("annotations") or {}).get(POD_DELETION_COST_ANNOTATION)
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


def _max_restarts(pod: Mapping[str, Any]) -> int:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    return max((int(s.get("restartCount", 0)) for s in statuses), default=0)


def _log_rank(since: float, now: float) -> int:
    """logarithmicRankDiff's bucket: floor(log2) of the age in nanoseconds, -1 if not positive."""
    age = (now - since) * 1_000_000_000
    return int(math.log2(age)) if age > 0 else -1


def _after_or_zero(t1: float | None, t2: float | None) -> bool:
    """afterOrZero: an empty time sorts first, else the later time."""
    if t1 is None or t2 is None:
        return t1 is None
    return t1 > t2


def _time_less(t1: float | None, t2: float | None, uid1: str, uid2: str, now: float) -> bool:
    """LogarithmicScaleDown (on by default): compare ages by power-of-two buckets."""
    if t1 is None or t2 is None:
        return _after_or_zero(t1, t2)
    diff = _log_rank(t1, now) - _log_rank(t2, now)
    if diff == 0:
        return uid1 < uid2
    return diff < 0


def pod_deletion_less(
    a: Mapping[str, Any], b: Mapping[str, Any], rank_a: int, rank_b: int, now: float
) -> bool:
    """ActivePodsWithRanks.Less: True when `a` should be deleted before `b`."""
    node_a, node_b = a["spec"].get("nodeName") or "", b["spec"].get("nodeName") or ""
    # 1. unassigned < assigned
    if node_a != node_b and (not node_a or not node_b):
        return not node_a
    # 2. Pending < Unknown < Running
    phase_a = _PHASE_ORDINAL.get((a.get("status") or {}).get("phase", ""), 0)
    phase_b = _PHASE_ORDINAL.get((b.get("status") or {}).get("phase", ""), 0)
    if phase_a != phase_b:
        return phase_a < phase_b
    # 3. not ready < ready
    if is_pod_ready(a) != is_pod_ready(b):
        return not is_pod_ready(a)
    # 4. lower pod-deletion-cost < higher
    if _deletion_cost(a) != _deletion_cost(b):
        return _deletion_cost(a) < _deletion_cost(b)
    # 5. doubled up < not doubled up: more related pods on the same node goes first
    if rank_a != rank_b:
        return rank_a > rank_b
    uid_a, uid_b = str(a["metadata"].get("uid", "")), str(b["metadata"].get("uid", ""))
    # 6. been ready for less time < more time
    if is_pod_ready(a) and is_pod_ready(b):
        ready_a, ready_b = _ready_time(a), _ready_time(b)
        if ready_a != ready_b:
            return _time_less(ready_a, ready_b, uid_a, uid_b, now)
    # 7. more container restarts < fewer
    if _max_restarts(a) != _max_restarts(b):
        return _max_restarts(a) > _max_restarts(b)
    # 8. empty creation time < newer < older
    created_a, created_b = _created(a), _created(b)
    if created_a != created_b:
        return _time_less(created_a, created_b, uid_a, uid_b, now)
    return False


def pods_to_delete(
    filtered: Sequence[Object], related: Sequence[Object], diff: int, now: float
) -> list[Object]:
    """The `diff` pods to delete first, preferring those earlier in start-up (getPodsToDelete)."""
    if diff >= len(filtered):
        return list(filtered[:diff])
    on_node: Counter[str] = Counter(
        p["spec"].get("nodeName") or "" for p in related if is_pod_active(p)
    )
    ranked = [(p, on_node[p["spec"].get("nodeName") or ""]) for p in filtered]

    def compare(x: tuple[Object, int], y: tuple[Object, int]) -> int:
        if pod_deletion_less(x[0], y[0], x[1], y[1], now):
            return -1
        if pod_deletion_less(y[0], x[0], y[1], x[1], now):
            return 1
        return 0

    ranked.sort(key=functools.cmp_to_key(compare))
    return [p for p, _ in ranked[:diff]]


def pod_from_template(owner: Mapping[str, Any], name: str) -> Object:
    """The pod a controller creates from its template (GetPodFromTemplate), named `name`;
    generateName is kept, as the apiserver leaves it after choosing the name."""
    template = owner["spec"]["template"]
    template_meta = template.get("metadata") or {}
    metadata: Object = {
        "name": name,
        "generateName": f"{owner['metadata']['name']}-",
        "namespace": owner["metadata"]["namespace"],
        "labels": dict(template_meta.get("labels") or {}),
        "ownerReferences": [meta.owner_reference(owner)],
    }
    if template_meta.get("annotations"):
        metadata["annotations"] = dict(template_meta["annotations"])
    if template_meta.get("finalizers"):
        metadata["finalizers"] = list(template_meta["finalizers"])
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": metadata,
        "spec": meta.clone(template.get("spec") or {}),
    }


def claim_objects(
    owner: Mapping[str, Any],
    candidates: Sequence[Object],
    selector: selectors.Selector,
    *,
    can_adopt: bool = True,
    member: Callable[[Object], bool] | None = None,
) -> tuple[list[Object], list[Change]]:
    """Adopt orphans the selector matches, release owned objects it no longer matches, keep
    the rest we own (BaseControllerRefManager.ClaimObject); returns (claimed, changes)."""
    uid = owner["metadata"]["uid"]
    deleting = meta.is_terminating(owner)
    claimed: list[Object] = []
    changes: list[Change] = []
    for obj in candidates:
        matches = selector.matches(meta.labels_of(obj)) and (member is None or member(obj))
        ref = meta.controller_ref(obj)
        if ref is not None:
            if ref.get("uid") != uid:
                continue  # owned by someone else
            if matches:
                claimed.append(obj)
            elif not deleting:
                released = meta.clone(obj)
                refs = [r for r in obj["metadata"]["ownerReferences"] if r.get("uid") != uid]
                if refs:
                    released["metadata"]["ownerReferences"] = refs
                else:
                    del released["metadata"]["ownerReferences"]
                changes.append(Update(released))
            continue
        if deleting or not can_adopt or not matches or meta.is_terminating(obj):
            continue
        if obj["metadata"].get("namespace") != owner["metadata"].get("namespace"):
            continue
        adopted = meta.clone(obj)
        adopted["metadata"].setdefault("ownerReferences", []).append(meta.owner_reference(owner))
        changes.append(Update(adopted))
        claimed.append(adopted)
    return claimed, changes
