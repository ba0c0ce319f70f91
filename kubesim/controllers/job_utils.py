"""Pure helpers of the Job controller (pkg/controller/job, v1.32): completion indexes and their
intervals (indexed_job_utils.go), the pod failure back-off (backoff_utils.go), the pod failure
and success policies (pod_failure_policy.go, success_policy.go), and the pod predicates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from kubesim.api import meta
from kubesim.api.batch import COMPLETION_INDEX, TRACKING_FINALIZER

Object = dict[str, Any]
Interval = tuple[int, int]
UNKNOWN_INDEX = -1
DEFAULT_BACKOFF = 10  # DefaultJobPodFailureBackOff
MAX_BACKOFF = 600  # MaxJobPodFailureBackOff


def is_indexed(job: Mapping[str, Any]) -> bool:
    return (job.get("spec") or {}).get("completionMode") == "Indexed"


def has_finalizer(pod: Mapping[str, Any]) -> bool:
    return TRACKING_FINALIZER in (pod["metadata"].get("finalizers") or ())


def phase(pod: Mapping[str, Any]) -> str:
    return str((pod.get("status") or {}).get("phase") or "")


def is_succeeded(pod: Mapping[str, Any]) -> bool:
    return phase(pod) == "Succeeded"


def is_pod_failed(pod: Mapping[str, Any], job: Mapping[str, Any]) -> bool:
    """isPodFailed: Failed, or (unless only failed pods are replaced) deleted before it
    succeeded; orphans that never reach a phase count so."""
    if phase(pod) == "Failed":
        return True
    if only_replace_failed(job):
        return False
    return bool(pod["metadata"].get("deletionTimestamp")) and phase(pod) != "Succeeded"


def only_replace_failed(job: Mapping[str, Any]) -> bool:
    spec = job.get("spec") or {}
    return spec.get("podReplacementPolicy") == "Failed" or spec.get("podFailurePolicy") is not None


def is_terminating(pod: Mapping[str, Any]) -> bool:
    """CountTerminatingPods: deleted, not yet in a terminal phase."""
    return bool(pod["metadata"].get("deletionTimestamp")) and phase(pod) not in (
        "Succeeded",
        "Failed",
    )


def completion_index(pod: Mapping[str, Any]) -> int:
    """getCompletionIndex: the annotation's value, or -1."""
    value = (pod["metadata"].get("annotations") or {}).get(COMPLETION_INDEX)
    if value is None:
        return UNKNOWN_INDEX
    try:
        index = int(str(value))
    except ValueError:
        return UNKNOWN_INDEX
    return index if index >= 0 else UNKNOWN_INDEX


# --- intervals of indexes (orderedIntervals) ------------------------------------------------


def with_indexes(intervals: Sequence[Interval], indexes: Sequence[int]) -> list[Interval]:
    """withOrderedIndexes: the intervals with sorted `indexes` merged in."""
    points = sorted({*indexes})
    merged: list[list[int]] = []
    items = sorted([*[(a, b) for a, b in intervals], *[(i, i) for i in points]])
    for first, last in items:
        if merged and first <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    return [(a, b) for a, b in merged]


def total(intervals: Sequence[Interval]) -> int:
    return sum(b - a + 1 for a, b in intervals)


def has_index(intervals: Sequence[Interval], index: int) -> bool:
    return any(a <= index <= b for a, b in intervals)


def intervals_text(intervals: Sequence[Interval]) -> str:
    """orderedIntervals.String: `1,3-5,7`; two in a row as `1,2`."""
    parts = []
    for a, b in intervals:
        if b == a:
            parts.append(str(a))
        elif b == a + 1:
            parts.append(f"{a},{b}")
        else:
            parts.append(f"{a}-{b}")
    return ",".join(parts)


def parse_intervals(text: str, completions: int) -> list[Interval]:
    """succeededIndexesFromString / parseIndexesFromString: what parses, below completions."""
    result: list[Interval] = []
    if not text:
        return result
    for part in text.split(","):
        limits = part.split("-")
        try:
            first = int(limits[0])
            last = int(limits[1]) if len(limits) > 1 else first
        except ValueError:
            continue
        if first >= completions:
            break
        last = min(last, completions - 1)
        if result and result[-1][1] == first - 1:
            result[-1] = (result[-1][0], last)
        else:
            result.append((first, last))
    return result


def first_pending_indexes(
    active: Sequence[Object], succeeded: Sequence[Interval], count: int, completions: int
) -> list[int]:
    """firstPendingIndexes: `count` indexes below completions that no active pod has and
    that have not succeeded."""
    taken = with_indexes(
        succeeded, [i for i in (completion_index(p) for p in active) if i != UNKNOWN_INDEX]
    )
    found: list[int] = []
    candidate = 0
    while candidate < completions and len(found) < count:
        if has_index(taken, candidate):
            candidate += 1
            continue
        found.append(candidate)
        candidate += 1
    return found


# --- the pod failure back-off (backoff_utils.go) ---------------------------------------------


def finished_time(pod: Mapping[str, Any]) -> float:
    """getFinishedTime: the last container's finish, else the Ready=False transition, else
    the deletion, else the creation."""
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    finishes: list[float] = []
    for status in statuses:
        finished = ((status.get("state") or {}).get("terminated") or {}).get("finishedAt")
        if not finished:
            finishes = []
            break
        finishes.append(meta.parse_time(finished))
    if finishes:
        return max(finishes)
    for condition in (pod.get("status") or {}).get("conditions") or []:
        if condition.get("type") == "Ready" and condition.get("status") == "False":
            if condition.get("lastTransitionTime"):
                return meta.parse_time(condition["lastTransitionTime"])
    metadata = pod["metadata"]
    if metadata.get("deletionTimestamp"):
        grace = int(metadata.get("deletionGracePeriodSeconds") or 0)
        return meta.parse_time(metadata["deletionTimestamp"]) - grace
    return meta.parse_time(str(metadata.get("creationTimestamp")))


def next_backoff_record(
    record: Mapping[str, Any] | None, succeeded: Sequence[Object], failed: Sequence[Object]
) -> Object:
    """newBackoffRecord: failures since the last success, and when the last one happened."""
    failures = int((record or {}).get("failures", 0))
    last = (record or {}).get("lastFailure")
    failed_times = sorted(finished_time(p) for p in failed)
    if not succeeded:
        if not failed:
            return {"failures": failures, "lastFailure": last}
        return {"failures": failures + len(failed), "lastFailure": failed_times[-1]}
    last_success = max(finished_time(p) for p in succeeded)
    after = [t for t in failed_times if t > last_success]
    return {"failures": len(after), "lastFailure": after[-1] if after else None}


def remaining_backoff(record: Mapping[str, Any] | None, now: float) -> float:
    """getRemainingTimeForFailuresCount: 10s doubled per failure after the first, 10m at most,
    less the time since the last failure."""
    failures = int((record or {}).get("failures", 0))
    if failures == 0 or (record or {}).get("lastFailure") is None:
        return 0.0
    backoff = DEFAULT_BACKOFF
    for _ in range(1, failures):
        backoff *= 2
        if backoff >= MAX_BACKOFF:
            backoff = MAX_BACKOFF
            break
    elapsed = now - float((record or {})["lastFailure"])
    return 0.0 if backoff < elapsed else backoff - elapsed


# --- policies ---------------------------------------------------------------------------------


def match_pod_failure_policy(
    policy: Mapping[str, Any] | None, pod: Mapping[str, Any]
) -> tuple[str | None, bool, str | None]:
    """matchPodFailurePolicy: (the FailJob message, whether the failure counts toward the
    backoff limit, the action of the rule that matched)."""
    if not policy:
        return None, True, None
    m = pod["metadata"]
    status = pod.get("status") or {}
    for index, rule in enumerate(policy.get("rules") or []):
        action = rule.get("action")
        matched_container = None
        matched_condition = None
        if rule.get("onExitCodes") is not None:
            matched_container = _match_exit_codes(status, rule["onExitCodes"])
            if matched_container is None:
                continue
        elif rule.get("onPodConditions") is not None:
            matched_condition = _match_conditions(status, rule["onPodConditions"])
            if matched_condition is None:
                continue
        else:
            continue
        if action == "Ignore":
            return None, False, action
        if action == "Count":
            return None, True, action
        if action == "FailJob":
            if matched_container is not None:
                code = matched_container["state"]["terminated"].get("exitCode")
                message = (
                    f"Container {matched_container['name']} for pod {m['namespace']}/"
                    f"{m['name']} failed with exit code {code} matching FailJob rule at "
                    f"index {index}"
                )
            else:
                assert matched_condition is not None
                message = (
                    f"Pod {m['namespace']}/{m['name']} has condition "
                    f"{matched_condition.get('type')} matching FailJob rule at index {index}"
                )
            return message, True, action
    return None, True, None


def _match_exit_codes(status: Mapping[str, Any], requirement: Mapping[str, Any]) -> Object | None:
    for key in ("containerStatuses", "initContainerStatuses"):
        for container in status.get(key) or []:
            terminated = (container.get("state") or {}).get("terminated")
            if terminated is None:
                continue
            name = requirement.get("containerName")
            if name is not None and name != container.get("name"):
                continue
            code = int(terminated.get("exitCode", 0))
            if code == 0:
                continue
            values = requirement.get("values") or []
            operator = requirement.get("operator")
            if (operator == "In" and code in values) or (
                operator == "NotIn" and code not in values
            ):
                return dict(container)
    return None


def _match_conditions(
    status: Mapping[str, Any], patterns: Sequence[Mapping[str, Any]]
) -> Object | None:
    for condition in status.get("conditions") or []:
        for pattern in patterns:
            if condition.get("type") == pattern.get("type") and condition.get(
                "status"
            ) == pattern.get("status", "True"):
                return dict(condition)
    return None


def match_success_policy(
    policy: Mapping[str, Any] | None, completions: int, succeeded: Sequence[Interval]
) -> str | None:
    """matchSuccessPolicy: `Matched rules at index N` for the first rule the succeeded
    indexes meet."""
    if not policy or not succeeded:
        return None
    for index, rule in enumerate(policy.get("rules") or []):
        required = rule.get("succeededIndexes")
        count = rule.get("succeededCount")
        if required is not None:
            wanted = parse_intervals(str(required), completions)
            if not wanted:
                continue
            contained = sum(
                max(0, min(b1, b2) - max(a1, a2) + 1) for a1, b1 in wanted for a2, b2 in succeeded
            )
            if contained == total(wanted) or (count is not None and contained >= int(count)):
                return f"Matched rules at index {index}"
        elif count is not None and total(succeeded) >= int(count):
            return f"Matched rules at index {index}"
    return None


def condition(kind: str, reason: str, message: str, now: float) -> Object:
    """newCondition; empty reason and message are left out, as their JSON tags say."""
    stamp = meta.format_time(now)
    found: Object = {"lastProbeTime": stamp, "lastTransitionTime": stamp}
    if message:
        found["message"] = message
    if reason:
        found["reason"] = reason
    found.update({"status": "True", "type": kind})
    return found


def find_condition(job: Mapping[str, Any], kind: str) -> Object | None:
    for found in (job.get("status") or {}).get("conditions") or []:
        if found.get("type") == kind:
            return dict(found)
    return None


def has_true_condition(job: Mapping[str, Any], kind: str) -> bool:
    found = find_condition(job, kind)
    return found is not None and found.get("status") == "True"


def is_finished(job: Mapping[str, Any]) -> bool:
    """IsJobFinished: Complete or Failed is True."""
    return has_true_condition(job, "Complete") or has_true_condition(job, "Failed")
