"""The Job controller (pkg/controller/job/job_controller.go, v1.32): one sync per Job.

A sync claims the Job's pods, counts the ones that finished since the last sync (each pod
carries the batch.kubernetes.io/job-tracking finalizer until it is counted), decides whether
the Job has met its success criteria or failed (backoff limit, active deadline, pod failure
policy), creates or deletes pods to match parallelism, completions and suspension, with the
exponential back-off after failures, and writes the status.

As in v1.32 (JobManagedBy and JobPodReplacementPolicy on), a finished Job first gets the
interim SuccessCriteriaMet or FailureTarget condition; Complete or Failed follow once every
pod is counted and none is still terminating. Counting goes in two steps, as the controller
does it to survive a crash: a finished pod's uid is written to status.uncountedTerminatedPods
while its finalizer is removed, and moved to the counters at the next sync.
"""

from __future__ import annotations

from typing import Any

from kubesim.api import meta, selectors
from kubesim.api.batch import COMPLETION_INDEX, TRACKING_FINALIZER
from kubesim.controllers import job_utils as ju
from kubesim.controllers import queue
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
from kubesim.controllers.replicaset_utils import (
    claim_objects,
    is_pod_active,
    is_pod_ready,
    pod_from_template,
)
from kubesim.controllers.snapshot import Snapshot

Object = dict[str, Any]
COMPONENT = "job-controller"
RESOURCE = "jobs.batch"
BACKOFF_SECTION = "jobbackoff"  # job key -> {"failures", "lastFailure"} (the backoff store)
ORPHAN = "pod:"  # the key of a pod whose tracking finalizer has no Job to remove it
MAX_PER_SYNC = 500  # MaxPodCreateDeletePerSync


def reconcile(snapshot: Snapshot, now: float, keys: list[str] | None = None) -> list[Change]:
    """Sync the Jobs (and orphan pods) named by `keys`, every one when None."""
    changes: list[Change] = []
    for key in sorted(keys) if keys is not None else all_keys(snapshot):
        if key.startswith(ORPHAN):
            changes += sync_orphan_pod(snapshot, key.removeprefix(ORPHAN))
            continue
        namespace, name = queue.split_key(key)
        job = snapshot.get(RESOURCE, namespace, name)
        if job is None:
            if key in snapshot.runtime(BACKOFF_SECTION):
                changes.append(SetRuntime(BACKOFF_SECTION, key, None))
            continue
        changes += retried_as(key, sync_job(snapshot, job, now, key))
    return changes


def all_keys(snapshot: Snapshot) -> list[str]:
    keys = list(queue.keys_of(snapshot.list(RESOURCE)))
    keys += [k for k in snapshot.runtime(BACKOFF_SECTION) if k not in keys]
    for pod in snapshot.list("pods"):
        if ju.has_finalizer(pod) and _owning_job(snapshot, pod) is None:
            keys.append(ORPHAN + next(queue.keys_of([pod])))
    return keys


def keys_for(snapshot: Snapshot, event: queue.WatchEvent) -> queue.Keys:
    """addJob/updateJob/deleteJob and addPod/updatePod/deletePod: a pod wakes its Job (or the
    Jobs that may adopt it); a pod holding the finalizer with no Job to count it is cleaned."""
    if event.resource == RESOURCE:
        if event.type != "DELETED":
            return (event.key,)
        # deleteJob: the pods that still hold the finalizer are let go (cleanupPodFinalizers)
        uid = event.new["metadata"]["uid"]
        held = [p for p in snapshot.controlled_by(uid, "pods") if ju.has_finalizer(p)]
        return [event.key, *(ORPHAN + k for k in queue.keys_of(held))]
    keys = queue.owner_keys(snapshot, event, "Job", RESOURCE)
    if event.type != "DELETED" and ju.has_finalizer(event.new):
        if _owning_job(snapshot, event.new) is None:
            keys.add(ORPHAN + event.key)
    return keys


CONTROLLER = queue.Controller(
    name=COMPONENT,
    watches=(RESOURCE, "pods"),
    keys_for=keys_for,
    all_keys=all_keys,
    reconcile=reconcile,
)


def _owning_job(snapshot: Snapshot, pod: Object) -> Object | None:
    """The unfinished batch/v1 Job that controls the pod, if any."""
    ref = meta.controller_ref(pod)
    if ref is None or ref.get("kind") != "Job":
        return None
    job = snapshot.get(RESOURCE, pod["metadata"].get("namespace"), str(ref.get("name")))
    if job is None or job["metadata"].get("uid") != ref.get("uid") or ju.is_finished(job):
        return None
    return job


def sync_orphan_pod(snapshot: Snapshot, key: str) -> list[Change]:
    """syncOrphanPod: remove the tracking finalizer of a pod no unfinished Job controls (a
    pod of another kind of owner keeps it)."""
    namespace, name = queue.split_key(key)
    pod = snapshot.get("pods", namespace, name)
    if pod is None or not ju.has_finalizer(pod):
        return []
    ref = meta.controller_ref(pod)
    if ref is not None and (ref.get("kind") != "Job" or ref.get("apiVersion") != "batch/v1"):
        return []
    if _owning_job(snapshot, pod) is not None:
        return []
    return [_without_finalizer(pod)]


def _without_finalizer(pod: Object) -> Change:
    """removeTrackingFinalizerPatch, as a whole-object update."""
    new = meta.clone(pod)
    finalizers = [f for f in new["metadata"].get("finalizers") or [] if f != TRACKING_FINALIZER]
    if finalizers:
        new["metadata"]["finalizers"] = finalizers
    else:
        new["metadata"].pop("finalizers", None)
    return Update(new)


# --- syncJob ----------------------------------------------------------------------------------


class _Sync:
    """syncJobCtx: what one sync of one Job has found and decided."""

    def __init__(self, snapshot: Snapshot, job: Object, now: float, key: str) -> None:
        self.snapshot, self.job, self.now, self.key = snapshot, job, now, key
        self.spec: Object = job.get("spec") or {}
        self.status: Object = meta.clone(job.get("status") or {})
        self.changes: list[Change] = []
        self.finished: Object | None = None
        self.enacted = False  # Complete or Failed written this sync
        self.released: set[str] = set()  # pods deleted uncounted this sync (deleteJobPods)


def sync_job(snapshot: Snapshot, job: Object, now: float, key: str) -> list[Change]:
    """syncJob."""
    if ju.is_finished(job):
        # nothing more to do; a pod still holding the finalizer is let go (cleanupPodFinalizers)
        found: list[Change] = []
        if key in snapshot.runtime(BACKOFF_SECTION):
            found.append(SetRuntime(BACKOFF_SECTION, key, None))
        for pod in snapshot.controlled_by(job["metadata"]["uid"], "pods"):
            if ju.has_finalizer(pod):
                found.append(_without_finalizer(pod))
        return found
    ctx = _Sync(snapshot, job, now, key)
    spec, status = ctx.spec, ctx.status
    pods, claims = _claim_pods(snapshot, job)
    ctx.changes += claims
    active = [p for p in pods if is_pod_active(p)]
    ready = sum(1 for p in active if is_pod_ready(p))
    terminating = sum(1 for p in pods if ju.is_terminating(p))
    uncounted = status.get("uncountedTerminatedPods") or {}
    counted_succeeded = set(uncounted.get("succeeded") or [])
    counted_failed = set(uncounted.get("failed") or [])
    with_finalizer = [p for p in pods if ju.has_finalizer(p) and _valid_index(job, p)]
    new_succeeded = [
        p
        for p in with_finalizer
        if p["metadata"]["uid"] not in counted_succeeded and ju.is_succeeded(p)
    ]
    new_failed = [
        p
        for p in with_finalizer
        if p["metadata"]["uid"] not in counted_failed and ju.is_pod_failed(p, job)
    ]
    succeeded = int(status.get("succeeded", 0)) + len(new_succeeded) + len(counted_succeeded)
    policy = spec.get("podFailurePolicy")
    failed = (
        int(status.get("failed", 0))
        + sum(1 for p in new_failed if ju.match_pod_failure_policy(policy, p)[1])
        + len(counted_failed)
    )
    suspended = spec.get("suspend") is True
    if not status.get("startTime") and not suspended:
        status["startTime"] = meta.format_time(now)
    record = ju.next_backoff_record(
        snapshot.runtime(BACKOFF_SECTION).get(key), new_succeeded, new_failed
    )
    ctx.finished = _success_criteria_met(job)
    if ctx.finished is None:
        target = ju.find_condition(job, "FailureTarget")
        if target is not None and target.get("status") == "True":
            ctx.finished = ju.condition(
                "Failed", target.get("reason", ""), target.get("message", ""), now
            )
        else:
            for pod in pods:
                if ju.is_pod_failed(pod, job):
                    message = ju.match_pod_failure_policy(policy, pod)[0]
                    if message is not None:
                        ctx.finished = ju.condition(
                            "FailureTarget", "PodFailurePolicy", message, now
                        )
                        break
    if ctx.finished is None:
        if failed > int(spec.get("backoffLimit", 6)) or _past_backoff_limit_on_failure(job, pods):
            ctx.finished = ju.condition(
                "FailureTarget",
                "BackoffLimitExceeded",
                "Job has reached the specified backoff limit",
                now,
            )
        elif _past_active_deadline(ctx):
            ctx.finished = ju.condition(
                "FailureTarget",
                "DeadlineExceeded",
                "Job was active longer than specified deadline",
                now,
            )
        elif spec.get("activeDeadlineSeconds") is not None and not suspended:
            start = meta.parse_time(status["startTime"])
            ctx.changes.append(Requeue(key, start + int(spec["activeDeadlineSeconds"])))
    succeeded_indexes: list[ju.Interval] = []
    previous_indexes: list[ju.Interval] = []
    if ju.is_indexed(job):
        completions = int(spec.get("completions") or 0)
        previous_indexes = ju.parse_intervals(
            str(status.get("completedIndexes") or ""), completions
        )
        succeeded_indexes = ju.with_indexes(
            previous_indexes, [ju.completion_index(p) for p in new_succeeded]
        )
        succeeded = ju.total(succeeded_indexes)
        if ctx.finished is None:
            message = ju.match_success_policy(
                spec.get("successPolicy"), completions, succeeded_indexes
            )
            if message is not None:
                ctx.finished = ju.condition("SuccessCriteriaMet", "SuccessPolicy", message, now)
    if ctx.finished is not None:
        deleted = _delete_pods(ctx, active)
        ready -= sum(1 for p in active if is_pod_ready(p))
        terminating += deleted
        active_count = 0
    else:
        active_count = len(active)
        if not meta.is_terminating(job):
            active_count, terminating = _manage_job(
                ctx, active, succeeded, succeeded_indexes, record, terminating
            )
        wanted = spec.get("completions")
        if wanted is None:
            complete = succeeded > 0 and active_count == 0
        else:
            complete = succeeded >= int(wanted) and active_count == 0
        if complete:
            ctx.finished = ju.condition("SuccessCriteriaMet", "", "", now)
        elif not meta.is_terminating(job):
            _suspension(ctx, suspended)
    status["active"] = active_count
    status["ready"] = ready
    status["terminating"] = terminating
    _track_status(ctx, pods, previous_indexes, succeeded_indexes)
    new_status = _omit_empty(status)
    if new_status != (job.get("status") or {}):
        ctx.changes.insert(0, UpdateStatus({**job, "status": new_status}))
    stored = snapshot.runtime(BACKOFF_SECTION).get(key) or {"failures": 0, "lastFailure": None}
    if not ctx.enacted and record != stored:
        ctx.changes.append(SetRuntime(BACKOFF_SECTION, key, record))
    return ctx.changes


def _valid_index(job: Object, pod: Object) -> bool:
    """For an Indexed Job, only pods with an index below completions count."""
    if not ju.is_indexed(job):
        return True
    index = ju.completion_index(pod)
    return index != ju.UNKNOWN_INDEX and index < int(job["spec"].get("completions") or 0)


def _success_criteria_met(job: Object) -> Object | None:
    found = ju.find_condition(job, "SuccessCriteriaMet")
    return found if found is not None and found.get("status") == "True" else None


def _claim_pods(snapshot: Snapshot, job: Object) -> tuple[list[Object], list[Change]]:
    """getPodsForJob: the pods the Job controls, and orphans its selector adopts (given the
    finalizer as they are adopted)."""
    selector = selectors.from_label_selector((job.get("spec") or {}).get("selector"))
    candidates = queue.claim_candidates(snapshot, "pods", job)
    claimed, changes = claim_objects(job, candidates, selector)
    uid = job["metadata"]["uid"]
    adopted: list[Change] = []
    for change in changes:
        if isinstance(change, Update) and meta.controller_ref(change.obj) is not None:
            finalizers = change.obj["metadata"].setdefault("finalizers", [])
            if TRACKING_FINALIZER not in finalizers:
                finalizers.append(TRACKING_FINALIZER)
        adopted.append(change)
    claimed = [p for p in claimed if (meta.controller_ref(p) or {}).get("uid") == uid]
    return claimed, adopted


def _past_backoff_limit_on_failure(job: Object, pods: list[Object]) -> bool:
    """pastBackoffLimitOnFailure: with restartPolicy OnFailure, the restarts of the
    containers of running and pending pods reach the backoff limit."""
    template_spec = ((job.get("spec") or {}).get("template") or {}).get("spec") or {}
    if template_spec.get("restartPolicy") != "OnFailure":
        return False
    restarts = 0
    for pod in pods:
        if ju.phase(pod) in ("Running", "Pending"):
            for key in ("initContainerStatuses", "containerStatuses"):
                for status in (pod.get("status") or {}).get(key) or []:
                    restarts += int(status.get("restartCount", 0))
    limit = int(job["spec"].get("backoffLimit", 6))
    return restarts > 0 if limit == 0 else restarts >= limit


def _past_active_deadline(ctx: _Sync) -> bool:
    deadline = ctx.spec.get("activeDeadlineSeconds")
    start = ctx.status.get("startTime")
    if deadline is None or not start or ctx.spec.get("suspend") is True:
        return False
    return ctx.now - meta.parse_time(start) >= int(deadline)


def _event(job: Object, reason: str, message: str, type_: str = "Normal") -> RecordEvent:
    return RecordEvent(job, type_, reason, message, COMPONENT)


def _delete_pods(ctx: _Sync, pods: list[Object], *, uncounted: bool = False) -> int:
    """deleteActivePods: DELETE each pod, its finalizer left for the sync that counts it; or
    deleteJobPods (`uncounted`: pods manageJob removes, which never count): the finalizer
    removed first. The pod control's event for each."""
    for pod in pods:
        m = pod["metadata"]
        if uncounted and ju.has_finalizer(pod):
            ctx.changes.append(_without_finalizer(pod))
            ctx.released.add(m["uid"])
        ctx.changes.append(
            Reported(
                Delete("pods", m["namespace"], m["name"], uid=m["uid"]),
                _event(ctx.job, "SuccessfulDelete", f"Deleted pod: {m['name']}"),
                lambda reason, message: (
                    None
                    if reason == "NotFound"
                    else _event(ctx.job, "FailedDelete", f"Error deleting: {message}", "Warning")
                ),
            )
        )
    return len(pods)


def _removal_order(pod: Object) -> tuple[Any, ...]:
    """controller.ActivePods: unscheduled, then pending, then not ready, more restarts and
    newer pods first."""
    status = pod.get("status") or {}
    restarts = sum(int(s.get("restartCount", 0)) for s in status.get("containerStatuses") or [])
    created = meta.parse_time(
        str(pod["metadata"].get("creationTimestamp") or "1970-01-01T00:00:00Z")
    )
    return (
        bool(pod["spec"].get("nodeName")),
        {"Pending": 0, "Unknown": 1, "Running": 2}.get(ju.phase(pod), 3),
        is_pod_ready(pod),
        -restarts,
        -created,
    )


def _manage_job(
    ctx: _Sync,
    active: list[Object],
    succeeded: int,
    succeeded_indexes: list[ju.Interval],
    record: Object,
    terminating: int,
) -> tuple[int, int]:
    """manageJob: delete pods past what parallelism and the remaining completions want (all
    of them when suspended), or create the missing ones once the back-off allows; returns
    (active, terminating)."""
    spec, job = ctx.spec, ctx.job
    count = len(active)
    if spec.get("suspend") is True:
        doomed = sorted(active, key=_removal_order)
        removed = _delete_pods(ctx, doomed, uncounted=True)
        return count - removed, terminating + removed
    parallelism = int(spec.get("parallelism", 1))
    completions = spec.get("completions")
    if completions is None:
        want = count if succeeded > 0 else parallelism
    else:
        want = max(0, min(int(completions) - succeeded, parallelism))
    doomed = _duplicated_indexes(job, active) if ju.is_indexed(job) else []
    surplus = max(0, count - want)
    if len(doomed) < surplus:
        left = sorted((p for p in active if p not in doomed), key=_removal_order)
        doomed += left[: surplus - len(doomed)]
    doomed = doomed[:MAX_PER_SYNC]
    if doomed:
        removed = _delete_pods(ctx, doomed, uncounted=True)
        return count - removed, terminating + removed
    waiting = terminating if ju.only_replace_failed(job) else 0
    diff = want - waiting - count
    if diff <= 0:
        return count, terminating
    remaining = ju.remaining_backoff(record, ctx.now)
    if remaining > 0:
        ctx.changes.append(Requeue(ctx.key, ctx.now + max(remaining, 1.0)))
        return 0, terminating
    diff = min(diff, MAX_PER_SYNC)
    indexes: list[int | None] = [None] * diff
    if ju.is_indexed(job):
        found = ju.first_pending_indexes(active, succeeded_indexes, diff, int(completions or 0))
        indexes = list(found)
    for i, index in enumerate(indexes):
        pod = _new_pod(ctx, index, i)
        name = pod["metadata"]["name"]
        ctx.changes.append(
            Reported(
                Create(pod),
                _event(job, "SuccessfulCreate", f"Created pod: {name}"),
                lambda reason, message: (
                    None
                    if reason == "Forbidden" and "because it is being terminated" in message
                    else _event(job, "FailedCreate", f"Error creating: {message}", "Warning")
                ),
            )
        )
    return count + len(indexes), terminating


def _duplicated_indexes(job: Object, active: list[Object]) -> list[Object]:
    """appendDuplicatedIndexPodsForRemoval: pods without a valid index, or with one another
    active pod also has (all but one of them)."""
    completions = int(job["spec"].get("completions") or 0)
    doomed: list[Object] = []
    by_index: dict[int, list[Object]] = {}
    for pod in active:
        index = ju.completion_index(pod)
        if index == ju.UNKNOWN_INDEX or index >= completions:
            doomed.append(pod)
        else:
            by_index.setdefault(index, []).append(pod)
    for pods in by_index.values():
        if len(pods) > 1:
            doomed += sorted(pods, key=_removal_order)[:-1]
    return doomed


def _new_pod(ctx: _Sync, index: int | None, number: int) -> Object:
    """The pod the Job creates: its template with the tracking finalizer and, for an Indexed
    Job, the completion index (annotation, label, hostname, JOB_COMPLETION_INDEX)."""
    job = ctx.job
    name = job["metadata"]["name"]
    base = f"{name}-" if index is None else _indexed_prefix(name, index)
    tick = ctx.snapshot.runtime("clock").get("tick", ctx.now)
    attempt = 0
    while True:
        rng = meta.rng_for(ctx.snapshot.seed, "job", job["metadata"]["uid"], tick, number, attempt)
        pod_name = meta.generate_name(base, rng)
        if ctx.snapshot.get("pods", job["metadata"]["namespace"], pod_name) is None:
            break
        attempt += 1
    pod = pod_from_template(job, pod_name)
    pod["metadata"]["generateName"] = base
    finalizers = pod["metadata"].setdefault("finalizers", [])
    if TRACKING_FINALIZER not in finalizers:
        finalizers.append(TRACKING_FINALIZER)
    if index is not None:
        pod["metadata"].setdefault("annotations", {})[COMPLETION_INDEX] = str(index)
        pod["metadata"]["labels"][COMPLETION_INDEX] = str(index)
        pod["spec"]["hostname"] = f"{name}-{index}"
        for key in ("initContainers", "containers"):
            for container in pod["spec"].get(key) or []:
                env = container.setdefault("env", [])
                if not any(e.get("name") == "JOB_COMPLETION_INDEX" for e in env):
                    env.append(
                        {
                            "name": "JOB_COMPLETION_INDEX",
                            "valueFrom": {
                                "fieldRef": {"fieldPath": f"metadata.labels['{COMPLETION_INDEX}']"}
                            },
                        }
                    )
    return pod


def _indexed_prefix(name: str, index: int) -> str:
    """podGenerateNameWithIndex: `<job>-<index>-`, the name cut to fit 58 characters."""
    suffix = f"-{index}-"
    prefix = name + suffix
    if len(prefix) > 58:
        prefix = prefix[: 58 - len(suffix)] + suffix
    return prefix


def _suspension(ctx: _Sync, suspended: bool) -> None:
    """The Suspended condition follows spec.suspend; resuming restarts the clock of
    activeDeadlineSeconds (startTime)."""
    conditions = list(ctx.status.get("conditions") or [])
    current = next((c for c in conditions if c.get("type") == "Suspended"), None)
    if suspended:
        wanted = ("True", "JobSuspended", "Job suspended")
    else:
        if current is None:
            return  # a condition is never added False
        wanted = ("False", "JobResumed", "Job resumed")
    if (
        current is not None
        and (
            current.get("status"),
            current.get("reason"),
            current.get("message"),
        )
        == wanted
    ):
        return
    fresh = ju.condition("Suspended", wanted[1], wanted[2], ctx.now)
    fresh["status"] = wanted[0]
    if current is None:
        conditions.append(fresh)
    else:
        conditions[conditions.index(current)] = fresh
    ctx.status["conditions"] = conditions
    if suspended:
        ctx.changes.append(_event(ctx.job, "Suspended", "Job suspended"))
    else:
        ctx.changes.append(_event(ctx.job, "Resumed", "Job resumed"))
        ctx.status["startTime"] = meta.format_time(ctx.now)


def _track_status(
    ctx: _Sync,
    pods: list[Object],
    previous_indexes: list[ju.Interval],
    succeeded_indexes: list[ju.Interval],
) -> None:
    """trackJobStatusAndRemoveFinalizers: pods counted at the last sync move from the
    uncounted lists to the counters; finished pods get their finalizer removed and their
    uid in the uncounted lists; the interim condition is written, and once nothing is left
    to count or to terminate, Complete or Failed."""
    job, status = ctx.job, ctx.status
    uncounted = status.get("uncountedTerminatedPods") or {}
    holding = {p["metadata"]["uid"] for p in pods if ju.has_finalizer(p)}
    for field, counter in (("succeeded", "succeeded"), ("failed", "failed")):
        kept = [uid for uid in uncounted.get(field) or [] if uid in holding]
        released = len(uncounted.get(field) or []) - len(kept)
        status[counter] = int(status.get(counter, 0)) + released
        uncounted[field] = kept
    policy = ctx.spec.get("podFailurePolicy")
    new_indexes: list[int] = []
    indexed = ju.is_indexed(job)
    completions = int(ctx.spec.get("completions") or 0)
    interim_failure = ctx.finished is not None and ctx.finished["type"] != "SuccessCriteriaMet"
    for pod in sorted(pods, key=ju.completion_index) if indexed else pods:
        uid = pod["metadata"]["uid"]
        if not ju.has_finalizer(pod) or uid in ctx.released:
            continue
        failed = ju.is_pod_failed(pod, job)
        if not (meta.is_terminating(job) or ctx.finished is not None or ju.phase(pod) == "Succeeded"
                or failed):  # fmt: skip
            continue  # canRemoveFinalizer
        ctx.changes.append(_without_finalizer(pod))
        if ju.is_succeeded(pod) and uid not in (uncounted.get("failed") or []):
            index = ju.completion_index(pod)
            if indexed:
                if index != ju.UNKNOWN_INDEX and index < completions:
                    if not ju.has_index(previous_indexes, index):
                        new_indexes.append(index)
            elif uid not in (uncounted.get("succeeded") or []):
                uncounted.setdefault("succeeded", []).append(uid)
        elif failed or interim_failure:
            index = ju.completion_index(pod)
            valid = not indexed or (index != ju.UNKNOWN_INDEX and index < completions)
            if uid not in (uncounted.get("failed") or []) and valid:
                if ju.match_pod_failure_policy(policy, pod)[1]:
                    uncounted.setdefault("failed", []).append(uid)
    if indexed:
        merged = ju.with_indexes(succeeded_indexes, new_indexes)
        status["succeeded"] = ju.total(merged)
        status["completedIndexes"] = ju.intervals_text(merged)
    status["uncountedTerminatedPods"] = {k: v for k, v in uncounted.items() if v}
    finished = ctx.finished
    conditions = list(status.get("conditions") or [])
    if finished is not None and finished["type"] == "FailureTarget":
        if not any(c.get("type") == "FailureTarget" for c in conditions):
            conditions.append(finished)
        finished = ju.condition(
            "Failed", finished.get("reason", ""), finished.get("message", ""), ctx.now
        )
    elif finished is not None and finished["type"] == "SuccessCriteriaMet":
        if not any(c.get("type") == "SuccessCriteriaMet" for c in conditions):
            conditions.append(finished)
        finished = ju.condition(
            "Complete", finished.get("reason", ""), finished.get("message", ""), ctx.now
        )
    status["conditions"] = conditions
    pending = status["uncountedTerminatedPods"] or int(status.get("terminating") or 0) > 0
    if finished is None or pending:
        return
    # enactJobFinished
    status["conditions"] = [c for c in conditions if c.get("type") != finished["type"]] + [finished]
    if finished["type"] == "Complete":
        status["completionTime"] = finished["lastTransitionTime"]
        completions_wanted = ctx.spec.get("completions")
        if completions_wanted is not None and int(status.get("succeeded", 0)) > int(
            completions_wanted
        ):
            ctx.changes.append(
                _event(job, "TooManySucceededPods",
                       "Too many succeeded pods running after completion count reached",
                       "Warning")
            )  # fmt: skip
        ctx.changes.append(_event(job, "Completed", "Job completed"))
    else:
        ctx.changes.append(
            _event(
                job, str(finished.get("reason", "")), str(finished.get("message", "")), "Warning"
            )
        )
    ctx.enacted = True
    if ctx.key in ctx.snapshot.runtime(BACKOFF_SECTION):
        ctx.changes.append(SetRuntime(BACKOFF_SECTION, ctx.key, None))


def _omit_empty(status: Object) -> Object:
    """JobStatus as it serializes: zero counters, empty conditions and indexes left out;
    ready, terminating and uncountedTerminatedPods (pointers) kept."""
    out: Object = {}
    for key in sorted(status):
        value = status[key]
        if key in ("active", "succeeded", "failed") and not value:
            continue
        if key in ("conditions", "completedIndexes") and not value:
            continue
        if value is None:
            continue
        out[key] = value
    return out
