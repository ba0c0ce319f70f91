"""Small pure helpers of the Deployment controller, named as in deployment/util/deployment_util.go.

Replica sets and deployments are JSON-shaped dicts. Functions that "set" something take a
working copy owned by the caller (never a snapshot object) and return whether it changed,
as their Go counterparts do.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kubesim.api import meta

Object = dict[str, Any]

POD_TEMPLATE_HASH_LABEL = "pod-template-hash"  # apps.DefaultDeploymentUniqueLabelKey
REVISION_ANNOTATION = "deployment.kubernetes.io/revision"
REVISION_HISTORY_ANNOTATION = "deployment.kubernetes.io/revision-history"
DESIRED_REPLICAS_ANNOTATION = "deployment.kubernetes.io/desired-replicas"
MAX_REPLICAS_ANNOTATION = "deployment.kubernetes.io/max-replicas"
LAST_APPLIED_ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration"
ROLLBACK_TO_ANNOTATION = "deprecated.deployment.rollback.to"
MAX_REV_HISTORY_LENGTH_IN_CHARS = 2000

# annotations a replica set never copies from its deployment (annotationsToSkip)
ANNOTATIONS_TO_SKIP = frozenset(
    {
        LAST_APPLIED_ANNOTATION,
        REVISION_ANNOTATION,
        REVISION_HISTORY_ANNOTATION,
        DESIRED_REPLICAS_ANNOTATION,
        MAX_REPLICAS_ANNOTATION,
        ROLLBACK_TO_ANNOTATION,
    }
)

# condition reasons (deployment_util.go)
REPLICA_SET_UPDATED_REASON = "ReplicaSetUpdated"
NEW_REPLICA_SET_REASON = "NewReplicaSetCreated"
FOUND_NEW_RS_REASON = "FoundNewReplicaSet"
NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable"
TIMED_OUT_REASON = "ProgressDeadlineExceeded"
PAUSED_DEPLOY_REASON = "DeploymentPaused"
RESUMED_DEPLOY_REASON = "DeploymentResumed"
MINIMUM_REPLICAS_AVAILABLE = "MinimumReplicasAvailable"
MINIMUM_REPLICAS_UNAVAILABLE = "MinimumReplicasUnavailable"

MAX_INT32 = 2**31 - 1


# --- hashing (controller.ComputeHash) ----------------------------------------------------------


def _fnv32a(data: bytes, value: int = 0x811C9DC5) -> int:
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def compute_hash(template: Mapping[str, Any], collision_count: int | None) -> str:
    """The pod-template-hash: FNV-32a of the template (and collisionCount when set), in the
    safe alphabet. Go hashes the struct with DeepHashObject; kubesim hashes canonical JSON."""
    value = _fnv32a(json.dumps(meta.without_null_stamps(template), sort_keys=True,
                               separators=(",", ":")).encode())  # fmt: skip
    if collision_count is not None:
        # binary.LittleEndian.PutUint32 into an 8-byte buffer
        value = _fnv32a((collision_count & 0xFFFFFFFF).to_bytes(4, "little") + bytes(4), value)
    return "".join(meta.NAME_ALPHABET[ord(c) % len(meta.NAME_ALPHABET)] for c in str(value))


def equal_ignore_hash(template1: Mapping[str, Any], template2: Mapping[str, Any]) -> bool:
    """Templates equal apart from the pod-template-hash label (EqualIgnoreHash)."""
    return _without_hash(template1) == _without_hash(template2)


def _without_hash(template: Mapping[str, Any]) -> Object:
    copied = meta.clone(dict(template))
    metadata = dict(copied.get("metadata") or {})
    labels = {k: v for k, v in (metadata.get("labels") or {}).items()}
    labels.pop(POD_TEMPLATE_HASH_LABEL, None)
    # Semantic.DeepEqual treats an empty map like a missing one
    if labels:
        metadata["labels"] = labels
    else:
        metadata.pop("labels", None)
    for key in [k for k, v in metadata.items() if v in ({}, [], None)]:
        del metadata[key]
    copied["metadata"] = metadata
    return copied


# --- int-or-percent (intstr.GetScaledValueFromIntOrPercent, ResolveFenceposts) -----------------


def scaled_value(value: int | str | None, total: int, round_up: bool) -> int:
    """An int as is, or a percentage of `total` rounded up or down."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    text = str(value)
    if not text.endswith("%"):
        return int(text)
    percent = int(text[:-1])
    scaled = percent * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def resolve_fenceposts(
    max_surge: int | str | None, max_unavailable: int | str | None, desired: int
) -> tuple[int, int]:
    """(surge, unavailable): surge rounds up, unavailable down; both zero means unavailable 1."""
    surge = scaled_value(max_surge if max_surge is not None else 0, desired, True)
    unavailable = scaled_value(
        max_unavailable if max_unavailable is not None else 0, desired, False
    )
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def replicas_of(obj: Mapping[str, Any]) -> int:
    """spec.replicas (defaulted to 1 by the apiserver)."""
    return int((obj.get("spec") or {}).get("replicas", 1))


def is_rolling_update(d: Mapping[str, Any]) -> bool:
    return (d["spec"].get("strategy") or {}).get("type") == "RollingUpdate"


def _rolling(d: Mapping[str, Any]) -> Mapping[str, Any]:
    return (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}


def max_unavailable(d: Mapping[str, Any]) -> int:
    """MaxUnavailable: 0 unless RollingUpdate, never more than the desired replicas."""
    replicas = replicas_of(d)
    if not is_rolling_update(d) or replicas == 0:
        return 0
    rolling = _rolling(d)
    _, unavailable = resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas
    )
    return min(unavailable, replicas)


def max_surge(d: Mapping[str, Any]) -> int:
    if not is_rolling_update(d):
        return 0
    rolling = _rolling(d)
    surge, _ = resolve_fenceposts(
        rolling.get("maxSurge"), rolling.get("maxUnavailable"), replicas_of(d)
    )
    return surge


# --- revisions and annotations --------------------------------------------------------------


def revision(obj: Mapping[str, Any]) -> int:
    """The revision annotation as a number (0 when absent); ValueError when not a number."""
    value = (obj["metadata"].get("annotations") or {}).get(REVISION_ANNOTATION)
    if value is None:
        return 0
    return int(value)


def max_revision(replica_sets: Iterable[Mapping[str, Any]]) -> int:
    best = 0
    for rs in replica_sets:
        try:
            best = max(best, revision(rs))
        except ValueError:
            continue  # skipped, as MaxRevision logs and skips unparsable revisions
    return best


def set_deployment_revision(d: Object, value: str) -> bool:
    annotations = d["metadata"].setdefault("annotations", {})
    if annotations.get(REVISION_ANNOTATION) != value:
        annotations[REVISION_ANNOTATION] = value
        return True
    return False


def copy_deployment_annotations_to_replica_set(d: Mapping[str, Any], rs: Object) -> bool:
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in (d["metadata"].get("annotations") or {}).items():
        if key in ANNOTATIONS_TO_SKIP or (key in annotations and annotations[key] == value):
            continue
        annotations[key] = value
        changed = True
    return changed


def set_replicas_annotations(rs: Object, desired: int, max_replicas: int) -> bool:
    annotations = rs["metadata"].setdefault("annotations", {})
    changed = False
    for key, value in (
        (DESIRED_REPLICAS_ANNOTATION, desired),
        (MAX_REPLICAS_ANNOTATION, max_replicas),
    ):
        if annotations.get(key) != str(value):
            annotations[key] = str(value)
            changed = True
    return changed


def replicas_annotations_need_update(
    rs: Mapping[str, Any], desired: int, max_replicas: int
) -> bool:
    annotations = rs["metadata"].get("annotations") or {}
    return annotations.get(DESIRED_REPLICAS_ANNOTATION) != str(desired) or annotations.get(
        MAX_REPLICAS_ANNOTATION
    ) != str(max_replicas)


def set_new_replica_set_annotations(
    d: Mapping[str, Any], rs: Object, new_revision: str, exists: bool
) -> bool:
    """Copy the deployment's annotations, raise the revision, keep the revision history
    (SetNewReplicaSetAnnotations); True when the replica set's annotations changed."""
    changed = copy_deployment_annotations_to_replica_set(d, rs)
    annotations = rs["metadata"].setdefault("annotations", {})
    old_revision = annotations.get(REVISION_ANNOTATION)
    try:
        old_number = int(old_revision) if old_revision is not None else 0
    except ValueError:
        if old_revision != "":
            return False
        old_number = 0
    new_number = int(new_revision)
    if old_number < new_number:
        annotations[REVISION_ANNOTATION] = new_revision
        changed = True
    if old_revision is not None and old_number < new_number:
        history = annotations.get(REVISION_HISTORY_ANNOTATION, "")
        old_revisions = history.split(",")
        if not old_revisions[0]:
            annotations[REVISION_HISTORY_ANNOTATION] = old_revision
        else:
            total = len(history) + len(old_revision) + 1
            start = 0
            while total > MAX_REV_HISTORY_LENGTH_IN_CHARS and start < len(old_revisions):
                total -= len(old_revisions[start]) + 1
                start += 1
            if total <= MAX_REV_HISTORY_LENGTH_IN_CHARS:
                annotations[REVISION_HISTORY_ANNOTATION] = ",".join(
                    [*old_revisions[start:], old_revision]
                )
    replicas = replicas_of(d)
    if not exists and set_replicas_annotations(rs, replicas, replicas + max_surge(d)):
        changed = True
    return changed


def desired_replicas_annotation(rs: Mapping[str, Any]) -> int | None:
    return _int_annotation(rs, DESIRED_REPLICAS_ANNOTATION)


def max_replicas_annotation(rs: Mapping[str, Any]) -> int | None:
    return _int_annotation(rs, MAX_REPLICAS_ANNOTATION)


def _int_annotation(rs: Mapping[str, Any], key: str) -> int | None:
    value = (rs["metadata"].get("annotations") or {}).get(key)
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


# --- finding replica sets ---------------------------------------------------------------------


def by_creation_timestamp(rs: Mapping[str, Any]) -> tuple[str, str]:
    """ReplicaSetsByCreationTimestamp: oldest first, names break ties."""
    return str(rs["metadata"].get("creationTimestamp") or ""), str(rs["metadata"]["name"])


def by_revision(rs: Mapping[str, Any]) -> tuple[int, str, str]:
    """ReplicaSetsByRevision: lowest revision first, then by creation."""
    try:
        number = revision(rs)
    except ValueError:
        number = 0
    return (number, *by_creation_timestamp(rs))


def sort_by_size_newer(replica_sets: Sequence[Object]) -> list[Object]:
    """ReplicaSetsBySizeNewer: largest first; among equals the newest first."""
    ordered = sorted(replica_sets, key=by_creation_timestamp, reverse=True)
    return sorted(ordered, key=replicas_of, reverse=True)


def sort_by_size_older(replica_sets: Sequence[Object]) -> list[Object]:
    """ReplicaSetsBySizeOlder: largest first; among equals the oldest first."""
    ordered = sorted(replica_sets, key=by_creation_timestamp)
    return sorted(ordered, key=replicas_of, reverse=True)


def filter_active_replica_sets(replica_sets: Iterable[Object | None]) -> list[Object]:
    return [rs for rs in replica_sets if rs is not None and replicas_of(rs) > 0]


def find_new_replica_set(d: Mapping[str, Any], rs_list: Sequence[Object]) -> Object | None:
    """The oldest replica set whose template equals the deployment's (FindNewReplicaSet)."""
    for rs in sorted(rs_list, key=by_creation_timestamp):
        if equal_ignore_hash(rs["spec"]["template"], d["spec"]["template"]):
            return rs
    return None


def find_old_replica_sets(
    d: Mapping[str, Any], rs_list: Sequence[Object]
) -> tuple[list[Object], list[Object]]:
    """(old replica sets with replicas, all old replica sets) (FindOldReplicaSets)."""
    new_rs = find_new_replica_set(d, rs_list)
    all_old = [
        rs
        for rs in rs_list
        if new_rs is None or rs["metadata"].get("uid") != new_rs["metadata"].get("uid")
    ]
    return [rs for rs in all_old if replicas_of(rs) != 0], all_old


def find_active_or_latest(new_rs: Object | None, old_rss: Sequence[Object]) -> Object | None:
    if new_rs is None and not old_rss:
        return None
    newest_first = sorted(old_rss, key=by_creation_timestamp, reverse=True)
    active = filter_active_replica_sets([*newest_first, new_rs])
    if not active:
        return new_rs if new_rs is not None else newest_first[0]
    if len(active) == 1:
        return active[0]
    return None


# --- counting ---------------------------------------------------------------------------------


def _status(rs: Mapping[str, Any] | None, field: str) -> int:
    if rs is None:
        return 0
    return int((rs.get("status") or {}).get(field, 0) or 0)


def replica_count(replica_sets: Iterable[Object | None]) -> int:
    """GetReplicaCountForReplicaSets: the sum of spec.replicas."""
    return sum(replicas_of(rs) for rs in replica_sets if rs is not None)


def actual_replica_count(replica_sets: Iterable[Object | None]) -> int:
    return sum(_status(rs, "replicas") for rs in replica_sets)


def ready_replica_count(replica_sets: Iterable[Object | None]) -> int:
    return sum(_status(rs, "readyReplicas") for rs in replica_sets)


def available_replica_count(replica_sets: Iterable[Object | None]) -> int:
    return sum(_status(rs, "availableReplicas") for rs in replica_sets)


def new_rs_new_replicas(
    d: Mapping[str, Any], all_rss: Sequence[Object | None], new_rs: Mapping[str, Any]
) -> int:
    """How many replicas the new replica set should have now (NewRSNewReplicas)."""
    strategy = (d["spec"].get("strategy") or {}).get("type")
    if strategy == "Recreate":
        return replicas_of(d)
    # RollingUpdate: scale up as far as maxSurge allows, never beyond the desired count
    current = replica_count(all_rss)
    max_total = replicas_of(d) + scaled_value(_rolling(d).get("maxSurge"), replicas_of(d), True)
    if current >= max_total:
        return replicas_of(new_rs)
    scale_up = min(max_total - current, replicas_of(d) - replicas_of(new_rs))
    return replicas_of(new_rs) + scale_up


def is_saturated(d: Mapping[str, Any], rs: Mapping[str, Any] | None) -> bool:
    """The new replica set owns all desired replicas, and they are available."""
    if rs is None:
        return False
    desired = desired_replicas_annotation(rs)
    if desired is None:
        return False
    replicas = replicas_of(d)
    return (
        replicas_of(rs) == replicas
        and desired == replicas
        and _status(rs, "availableReplicas") == replicas
    )


def get_proportion(
    rs: Mapping[str, Any] | None, d: Mapping[str, Any], to_add: int, added: int
) -> int:
    """The share of a scaling event this replica set takes (GetProportion)."""
    if rs is None or replicas_of(rs) == 0 or to_add == 0 or to_add == added:
        return 0
    fraction = _replica_set_fraction(rs, d)
    allowed = to_add - added
    return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)


def _replica_set_fraction(rs: Mapping[str, Any], d: Mapping[str, Any]) -> int:
    if replicas_of(d) == 0:
        return -replicas_of(rs)
    deployment_replicas = replicas_of(d) + max_surge(d)
    annotated = max_replicas_annotation(rs)
    if annotated is None:
        annotated = int((d.get("status") or {}).get("replicas", 0) or 0)
    new_size = replicas_of(rs) * deployment_replicas / annotated
    return _round_to_int32(new_size) - replicas_of(rs)


def _round_to_int32(value: float) -> int:
    """integer.RoundToInt32: math.Round, halves away from zero."""
    return int(math.floor(value + 0.5)) if value >= 0 else -int(math.floor(-value + 0.5))


# --- conditions -----------------------------------------------------------------------------


def new_condition(kind: str, status: str, reason: str, message: str, now: float) -> Object:
    stamp = meta.format_time(now)
    return {
        "lastTransitionTime": stamp,
        "lastUpdateTime": stamp,
        "message": message,
        "reason": reason,
        "status": status,
        "type": kind,
    }


def get_condition(status: Mapping[str, Any], kind: str) -> Object | None:
    for condition in status.get("conditions") or ():
        if condition.get("type") == kind:
            return condition  # type: ignore[no-any-return]
    return None


def set_condition(status: Object, condition: Object) -> None:
    """SetDeploymentCondition: no-op for the same status and reason; keeps the transition
    time while the status is unchanged; the condition moves to the end of the list."""
    current = get_condition(status, condition["type"])
    if (
        current is not None
        and current["status"] == condition["status"]
        and current["reason"] == condition["reason"]
    ):
        return
    condition = dict(condition)
    if current is not None and current["status"] == condition["status"]:
        condition["lastTransitionTime"] = current["lastTransitionTime"]
    remove_condition(status, condition["type"])
    status.setdefault("conditions", []).append(condition)


def remove_condition(status: Object, kind: str) -> None:
    conditions = [c for c in status.get("conditions") or () if c.get("type") != kind]
    if conditions:
        status["conditions"] = conditions
    else:
        status.pop("conditions", None)


def has_progress_deadline(d: Mapping[str, Any]) -> bool:
    value = d["spec"].get("progressDeadlineSeconds")
    return value is not None and int(value) != MAX_INT32


def has_revision_history_limit(d: Mapping[str, Any]) -> bool:
    value = d["spec"].get("revisionHistoryLimit")
    return value is not None and int(value) != MAX_INT32


def deployment_complete(d: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    """All desired replicas updated and available, no old ones left (DeploymentComplete)."""
    replicas = replicas_of(d)
    return (
        int(status.get("updatedReplicas", 0)) == replicas
        and int(status.get("replicas", 0)) == replicas
        and int(status.get("availableReplicas", 0)) == replicas
        and int(status.get("observedGeneration", 0)) >= int(d["metadata"].get("generation", 1))
    )


def deployment_progressing(d: Mapping[str, Any], status: Mapping[str, Any]) -> bool:
    """New pods updated, ready or available, or old ones gone, since the last status."""
    old = d.get("status") or {}

    def get(s: Mapping[str, Any], field: str) -> int:
        return int(s.get(field, 0) or 0)

    old_old = get(old, "replicas") - get(old, "updatedReplicas")
    new_old = get(status, "replicas") - get(status, "updatedReplicas")
    return (
        get(status, "updatedReplicas") > get(old, "updatedReplicas")
        or new_old < old_old
        or get(status, "readyReplicas") > get(old, "readyReplicas")
        or get(status, "availableReplicas") > get(old, "availableReplicas")
    )


def deployment_timed_out(d: Mapping[str, Any], status: Mapping[str, Any], now: float) -> bool:
    """No progress reported for progressDeadlineSeconds (DeploymentTimedOut)."""
    if not has_progress_deadline(d):
        return False
    condition = get_condition(status, "Progressing")
    if condition is None or condition.get("reason") == NEW_RS_AVAILABLE_REASON:
        return False
    if condition.get("reason") == TIMED_OUT_REASON:
        return True
    since = meta.parse_time(str(condition.get("lastUpdateTime") or ""))
    return since + int(d["spec"]["progressDeadlineSeconds"]) < now
